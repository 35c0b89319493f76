/**
 * The Realm Initial Measurement functions as the spec defines them (DEN0137 A7.1.1, B3.44, B3.45,
 * B3.47, B3.48; the procedures of B4.3.1.4, B4.3.9.4, B4.3.12.4, B4.3.18.4; the descriptor
 * layouts C1.11–C1.13), for post-conditions. Written from the spec text and independent of the
 * model's `model/measurement.ts`: the byte images are built here from the spec's offsets, so a
 * mistake in one is caught by the other. Only the digest primitive is shared: the platform's
 * (`Platform.digest`: the Realm hash algorithm, RHA, or its symbolic stand-in, D-SYMBOLIC-MEASURE).
 *
 * Every result is an RmmRealmMeasurement: 64 bytes, the RHA output zero-filled in its upper bytes
 * when the RHA gives fewer (SHA-256).
 *
 * @packageDocumentation
 */
import type { MeasurementDigest } from '../model/platform.js';
import type { HashAlgorithm } from '../model/realm.js';

/** DEN0137 C1.17: an RmmRealmMeasurement is 512 bits (64 bytes). */
export const MEASUREMENT_SIZE = 64;

/** DEN0137 C1.11–C1.13: every measurement descriptor is 256 (0x100) bytes. */
export const DESCRIPTOR_SIZE = 0x100;

/** DEN0137 C1.11–C1.13: desc_type values, DATA 0x0, REC 0x1, RIPAS 0x2. */
export const DescriptorType = {
  /** C1.11 RmmMeasurementDescriptorData. */
  DATA: 0x0,
  /** C1.12 RmmMeasurementDescriptorRec. */
  REC: 0x1,
  /** C1.13 RmmMeasurementDescriptorRipas. */
  RIPAS: 0x2,
} as const;

/** B4.4.12: RmiRealmParams and (B4.4.19) RmiRecParams are 4096-byte structures. */
const PARAMS_SIZE = 0x1000;

/** A byte range of an in-memory structure: offset and width. */
type Span = readonly [offset: number, bytes: number];

/** B4.4.12 offsets and widths of the RmiRealmParams members B4.3.9.4 step 2 copies. */
const REALM_PARAMS_MEASURED: readonly Span[] = [
  [0x000, 8], // flags (RmiRealmFlags, 64 bits)
  [0x008, 1], // s2sz (UInt8)
  [0x010, 1], // sve_vl (UInt8)
  [0x018, 1], // num_bps (UInt8)
  [0x020, 1], // num_wps (UInt8)
  [0x028, 1], // pmu_num_ctrs (UInt8)
  [0x030, 1], // hash_algo (RmiHashAlgorithm, 8 bits)
];

/** B4.4.19 offsets and widths of the RmiRecParams members B4.3.12.4 step 2 copies. */
const REC_PARAMS_MEASURED: readonly Span[] = [
  [0x000, 8], // flags (RmiRecCreateFlags)
  [0x200, 8], // pc (Bits64)
  [0x300, 64], // gprs[0..7] (8 × Bits64)
];

// -------------------------------------------------------------------------------------
// the RHA
// -------------------------------------------------------------------------------------

/**
 * DEN0137 A7.1.1: the RHA `algo` (RMI_HASH_SHA_256 or RMI_HASH_SHA_512, B4.4.7) of `bytes`,
 * computed by the platform's digest primitive `digest`, zero-filled in its upper bytes to an
 * RmmRealmMeasurement.
 */
export function Rha(digest: MeasurementDigest, algo: HashAlgorithm, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(MEASUREMENT_SIZE);
  out.set(digest(algo, [bytes]));
  return out;
}

/** A zero-filled image of `size` bytes holding only the `spans` of `src` (B4.3.9.4, B4.3.12.4 steps 1–2). */
function measuredImage(src: Uint8Array, spans: readonly Span[], size: number): Uint8Array {
  const img = new Uint8Array(size);
  for (const [at, n] of spans) img.set(src.subarray(at, at + n), at);
  return img;
}

/** Little-endian 64-bit store (every structure of the spec is little-endian). */
function putU64(b: Uint8Array, at: number, v: bigint): void {
  let x = BigInt.asUintN(64, v);
  for (let i = 0; i < 8; i++) {
    b[at + i] = Number(x & 0xffn);
    x >>= 8n;
  }
}

/** The 256-byte descriptor with desc_type (0x0), len (0x8) and rim (0x10) set (C1.11–C1.13). */
function descriptor(type: number, rim: Uint8Array): Uint8Array {
  const d = new Uint8Array(DESCRIPTOR_SIZE);
  d[0x00] = type;
  putU64(d, 0x08, BigInt(DESCRIPTOR_SIZE));
  d.set(rim.subarray(0, MEASUREMENT_SIZE), 0x10);
  return d;
}

// -------------------------------------------------------------------------------------
// the measurement functions
// -------------------------------------------------------------------------------------

/**
 * DEN0137 B3.48 RimInit, as B4.3.9.4 computes it: the RHA of a zero-filled RmiRealmParams holding
 * only flags, s2sz, sve_vl, num_bps, num_wps, pmu_num_ctrs and hash_algo of the Host's `params`
 * (the 4096 bytes at params_ptr).
 */
export function RimInit(digest: MeasurementDigest, algo: HashAlgorithm, params: Uint8Array): Uint8Array {
  return Rha(digest, algo, measuredImage(params, REALM_PARAMS_MEASURED, PARAMS_SIZE));
}

/**
 * DEN0137 B3.45 RimExtendRec, as B4.3.12.4 computes it: the RHA of an RmmMeasurementDescriptorRec
 * (C1.12) whose rim is `rim` and whose content is the RHA of a zero-filled RmiRecParams holding
 * only flags, pc and gprs of the Host's `params` (the 4096 bytes at params_ptr).
 */
export function RimExtendRec(digest: MeasurementDigest, algo: HashAlgorithm, rim: Uint8Array, params: Uint8Array): Uint8Array {
  const d = descriptor(DescriptorType.REC, rim);
  d.set(Rha(digest, algo, measuredImage(params, REC_PARAMS_MEASURED, PARAMS_SIZE)), 0x50);
  return Rha(digest, algo, d);
}

/**
 * DEN0137 B3.44 RimExtendData, as B4.3.1.4 computes it: the RHA of an
 * RmmMeasurementDescriptorData (C1.11) with rim `rim`, ipa, the Host's flags, and as content the
 * RHA of the DATA granule's 4096 bytes `contents` when flags.measure is RMI_MEASURE_CONTENT
 * (B4.4.3, bit 0), zero otherwise.
 */
export function RimExtendData(digest: MeasurementDigest, algo: HashAlgorithm, rim: Uint8Array, ipa: bigint, flags: bigint, contents: Uint8Array): Uint8Array {
  const d = descriptor(DescriptorType.DATA, rim);
  putU64(d, 0x50, ipa);
  putU64(d, 0x58, flags);
  if ((flags & 1n) === 1n) d.set(Rha(digest, algo, contents), 0x60);
  return Rha(digest, algo, d);
}

/**
 * DEN0137 B3.47 RimExtendRipasForEntry, as B4.3.18.4 step 2 computes it for one RTT entry: the
 * RHA of an RmmMeasurementDescriptorRipas (C1.13) with rim `rim`, base `base` (the entry's IPA)
 * and top `top` (Min(base + size, the command's top)).
 */
export function RimExtendRipasForEntry(digest: MeasurementDigest, algo: HashAlgorithm, rim: Uint8Array, base: bigint, top: bigint): Uint8Array {
  const d = descriptor(DescriptorType.RIPAS, rim);
  putU64(d, 0x50, base);
  putU64(d, 0x58, top);
  return Rha(digest, algo, d);
}

/** DEN0137 C1.17, A7.1.2: whether `m` is the zero measurement (a REM's initial value, Zeros()). */
export function isZeroMeasurement(m: Uint8Array | undefined): boolean {
  return m !== undefined && m.length === MEASUREMENT_SIZE && m.every((b) => b === 0);
}
