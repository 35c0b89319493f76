/**
 * An independent CBOR codec for checking what the model encodes with cborg: cbor2 (a different
 * implementation), behind the small interface the attestation tests use. Maps decode as Maps;
 * tags as {@link Tag} values.
 */
import { decode as decode2, encode as encode2, Tag as Tag2 } from 'cbor2';

/** A tagged CBOR item: `value` under tag number `tag`. */
export class Tag {
  constructor(
    // Tests index into tag contents freely, as with any decoded CBOR.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    readonly value: any,
    readonly tag: number,
  ) {}
}

function fromCbor2(v: unknown): unknown {
  if (v instanceof Tag2) return new Tag(fromCbor2(v.contents), Number(v.tag));
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [fromCbor2(k), fromCbor2(x)]));
  if (Array.isArray(v)) return v.map(fromCbor2);
  return v;
}

function toCbor2(v: unknown): unknown {
  if (v instanceof Tag) return new Tag2(v.tag, toCbor2(v.value));
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [toCbor2(k), toCbor2(x)]));
  if (Array.isArray(v)) return v.map(toCbor2);
  // A Buffer is a byte string, not an object.
  if (v instanceof Uint8Array) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return v;
}

/** Decoding with cbor2. */
export const cbor = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  decode: (b: Uint8Array): any => fromCbor2(decode2(b, { preferMap: true })),
};

/** Encoding with cbor2. */
export const enc = {
  encode: (v: unknown): Uint8Array => encode2(toCbor2(v)),
};
