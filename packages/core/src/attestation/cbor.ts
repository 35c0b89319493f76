/**
 * CBOR for the attestation token (DEN0137 A7.2): one deterministic encoder and one total decoder
 * for untrusted bytes. Encoding follows RFC 8949 §4.2.1 core deterministic encoding (preferred
 * integer and length forms, map keys in bytewise order of their encodings), which is what COSE
 * (RFC 9052 §9) recommends; the same value therefore always gives the same bytes.
 *
 * @internal
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import { decode, encode, rfc8949EncodeOptions, Tagged, type TagDecoder } from 'cborg';

export { Tagged };

// -------------------------------------------------------------------------------------
// encoding
// -------------------------------------------------------------------------------------

/** RFC 8949 §4.2.1 deterministic encoding of `value` (maps are `Map`s, byte strings `Uint8Array`s, tags {@link Tagged}). */
export function encodeCbor(value: unknown): Uint8Array {
  // DECISION D-CBOR: canonical RFC 8949 §4.2.1 encoding, so tokens are byte-for-byte reproducible.
  return encode(value, rfc8949EncodeOptions);
}

// -------------------------------------------------------------------------------------
// decoding
// -------------------------------------------------------------------------------------

/**
 * Decodes exactly one CBOR data item filling all of `bytes`, and never throws. Maps come back
 * as `Map`s (integer keys stay numbers); the only tags accepted are `tags`, each as a
 * {@link Tagged}. Rejected: trailing bytes, indefinite lengths, `undefined`, NaN and infinities,
 * duplicate map keys, and integers or lengths not in their shortest form.
 */
export function decodeCbor(bytes: Uint8Array, tags: readonly number[] = []): E.Either<string, unknown> {
  const tagDecoders: Record<number, TagDecoder> = {};
  for (const tag of tags) tagDecoders[tag] = Tagged.decoder(tag);
  try {
    return E.right(
      decode(bytes, {
        useMaps: true,
        strict: true,
        allowIndefinite: false,
        allowUndefined: false,
        allowInfinity: false,
        allowNaN: false,
        rejectDuplicateMapKeys: true,
        tags: tagDecoders,
      }),
    );
  } catch (e) {
    // cborg reports every malformation by throwing; deep nesting can exhaust the stack.
    return E.left(e instanceof Error ? e.message : String(e));
  }
}

/** `u` is a CBOR map as {@link decodeCbor} returns it. */
export function isCborMap(u: unknown): u is ReadonlyMap<unknown, unknown> {
  return u instanceof Map;
}

/** `u` is a CBOR byte string. */
export function isBytes(u: unknown): u is Uint8Array {
  return u instanceof Uint8Array;
}

/** Byte-wise equality. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
