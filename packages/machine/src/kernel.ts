/**
 * The arm64 Linux kernel Image format the Host loads (Linux `Documentation/arch/arm64/booting.rst`
 * "Call the kernel image": a 64-byte header with `text_offset`, `image_size`, `flags` and the
 * magic "ARM\x64" at offset 0x38; kvmtool reads the same header to place the kernel).
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** booting.rst: the arm64 Image header magic, "ARM\x64" read as a little-endian u32. */
export const ARM64_IMAGE_MAGIC = 0x644d5241;
/** booting.rst: the header's size in bytes. */
export const ARM64_HEADER_SIZE = 64;

/** The fields of an arm64 Image header the Host uses. */
export interface Arm64Image {
  /** `text_offset`: where the image goes relative to the start of RAM (2 MB aligned base). */
  readonly textOffset: bigint;
  /** `image_size`: bytes the kernel occupies once loaded (its bss included); the file's length when the header says 0. */
  readonly imageSize: bigint;
  /** `flags`. */
  readonly flags: bigint;
}

// -------------------------------------------------------------------------------------
// decoding
// -------------------------------------------------------------------------------------

const u64 = (b: Uint8Array, at: number): bigint => new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(at, true);

/**
 * booting.rst: the header of `image`, or what is wrong with it: too short for the header, no
 * magic, an `image_size` smaller than the file, a big-endian kernel (flags bit 0), or a
 * `text_offset` that is not 4 KB aligned (the Host loads whole granules).
 */
export function parseArm64Image(image: Uint8Array): E.Either<string, Arm64Image> {
  // DECISION D-KERNEL-IMAGE: an image is accepted only with the arm64 header (kvmtool falls back to
  // a raw image; a malformed image is an error here), little-endian, with a 4 KB-aligned
  // text_offset; image_size 0 (kernels before 3.17) means the file's length.
  if (image.length < ARM64_HEADER_SIZE) return E.left(`an arm64 Image starts with a ${ARM64_HEADER_SIZE}-byte header; this one has ${image.length} bytes`);
  const magic = new DataView(image.buffer, image.byteOffset, image.byteLength).getUint32(0x38, true);
  if (magic !== ARM64_IMAGE_MAGIC) return E.left(`no arm64 Image magic "ARM\\x64" at offset 0x38 (found 0x${magic.toString(16).padStart(8, '0')}): not a Linux arm64 kernel Image`);
  const textOffset = u64(image, 0x08);
  const declared = u64(image, 0x10);
  const flags = u64(image, 0x18);
  if ((flags & 1n) !== 0n) return E.left('the header flags say big-endian (bit 0); the Host loads little-endian kernels only');
  if (textOffset % 0x1000n !== 0n) return E.left(`text_offset 0x${textOffset.toString(16)} is not 4 KB aligned`);
  if (declared !== 0n && declared < BigInt(image.length)) return E.left(`image_size 0x${declared.toString(16)} is smaller than the image file (${image.length} bytes)`);
  return E.right({ textOffset, imageSize: declared === 0n ? BigInt(image.length) : declared, flags });
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * An arm64 Image of `body` (placed after the header): a branch over the header as code0, the
 * magic, `text_offset` and `image_size` as given (default 0 and the file's length rounded up to
 * 4 KB), flags 0b0010 (little-endian, 4 KB pages). For tests and the demo.
 */
export function makeArm64Image(body: Uint8Array, options: { readonly textOffset?: bigint; readonly imageSize?: bigint } = {}): Uint8Array {
  const out = new Uint8Array(ARM64_HEADER_SIZE + body.length);
  const v = new DataView(out.buffer);
  // code0: `b #64` (branch to just past the header), code1: 0.
  v.setUint32(0, 0x14000000 | (ARM64_HEADER_SIZE / 4), true);
  v.setBigUint64(0x08, options.textOffset ?? 0n, true);
  v.setBigUint64(0x10, options.imageSize ?? BigInt(Math.ceil(out.length / 4096) * 4096), true);
  v.setBigUint64(0x18, 0b0010n, true);
  v.setUint32(0x38, ARM64_IMAGE_MAGIC, true);
  out.set(body, ARM64_HEADER_SIZE);
  return out;
}
