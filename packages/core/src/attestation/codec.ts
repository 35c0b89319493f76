/**
 * io-ts building blocks for decoded attestation claims (DEN0137 A7.2.3): byte strings of given
 * lengths, text, unsigned integers, and CBOR maps with integer keys read as records whose
 * fields have readable names, so validation errors name the claim.
 *
 * @internal
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { InternalError, formatValidationErrors } from '../internal/errors.js';
import { isCborMap } from './cbor.js';

// -------------------------------------------------------------------------------------
// leaves
// -------------------------------------------------------------------------------------

/** A short rendering of bytes for error messages: `h'0102…' (33 bytes)`. */
function showBytes(b: Uint8Array): string {
  const head = Buffer.from(b.subarray(0, 8)).toString('hex');
  return `h'${head}${b.length > 8 ? '…' : ''}' (${b.length} bytes)`;
}

/**
 * A CBOR byte string whose length is one of `lengths` (any length when `lengths` is empty)
 * and that satisfies `check`. Decoding copies the bytes, so results never alias the input.
 */
export function bstr(lengths: readonly number[] = [], check?: { readonly test: (b: Uint8Array) => boolean; readonly what: string }): t.Type<Uint8Array, Uint8Array, unknown> {
  const last = lengths[lengths.length - 1];
  const size = last === undefined ? '' : lengths.length === 1 ? `${last}-byte ` : `${lengths.slice(0, -1).join('-, ')}- or ${last}-byte `;
  const expected = `a ${size}byte string${check === undefined ? '' : ` ${check.what}`}`;
  const ok = (u: unknown): u is Uint8Array =>
    u instanceof Uint8Array && (lengths.length === 0 || lengths.includes(u.length)) && (check === undefined || check.test(u));
  return new t.Type<Uint8Array, Uint8Array, unknown>(
    'bstr',
    ok,
    (u, c) => (ok(u) ? t.success(u.slice()) : t.failure(u instanceof Uint8Array ? showBytes(u) : u, c, expected)),
    t.identity,
  );
}

/** A CBOR text string. */
export const tstr = new t.Type<string, string, unknown>(
  'tstr',
  (u): u is string => typeof u === 'string',
  (u, c) => (typeof u === 'string' ? t.success(u) : t.failure(u, c, 'a text string')),
  t.identity,
);

/** A text string equal to `value`. */
export function literalText<V extends string>(value: V): t.Type<V, V, unknown> {
  return new t.Type<V, V, unknown>(
    'text',
    (u): u is V => u === value,
    (u, c) => (u === value ? t.success(value) : t.failure(u, c, JSON.stringify(value))),
    t.identity,
  );
}

/** One of the text strings `values`. */
export function oneOfText<V extends string>(values: readonly V[]): t.Type<V, V, unknown> {
  const is = (u: unknown): u is V => typeof u === 'string' && (values as readonly string[]).includes(u);
  return new t.Type<V, V, unknown>('text', is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c, `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`)), t.identity);
}

/** An array of `item` whose length is in `[min, max]`. */
export function arrayOf<C extends t.Mixed>(item: C, min: number, max: number): t.Type<Array<t.TypeOf<C>>, unknown, unknown> {
  type A = t.TypeOf<C>;
  const arr = t.array(item);
  const what = min === max ? `an array of exactly ${min}` : `an array of ${min} to ${max === Infinity ? 'any number of' : max}`;
  return new t.Type<A[], unknown, unknown>(
    'array',
    (u): u is A[] => arr.is(u) && u.length >= min && u.length <= max,
    (u, c) => {
      if (!Array.isArray(u)) return t.failure(u, c, `${what} entries`);
      if (u.length < min || u.length > max) return t.failure(`${u.length} entries`, c, `${what} entries`);
      return arr.validate(u, c);
    },
    (a) => arr.encode(a),
  );
}

// -------------------------------------------------------------------------------------
// claim maps
// -------------------------------------------------------------------------------------

/**
 * A CBOR map with integer keys, validated by `codec` as a record whose fields are the names
 * `names` gives the keys. Keys without a name (extension claims) are ignored.
 */
export function claimMap<C extends t.Mixed>(codec: C, names: Readonly<Record<number, string>>): t.Type<t.TypeOf<C>, unknown, unknown> {
  type A = t.TypeOf<C>;
  return new t.Type<A, unknown, unknown>(
    codec.name,
    (u): u is A => codec.is(u),
    (u, c) => {
      if (!isCborMap(u)) return t.failure(u, c, 'a CBOR map');
      const rec: Record<string, unknown> = {};
      for (const [k, v] of u) {
        const name = typeof k === 'number' ? names[k] : undefined;
        if (name !== undefined) rec[name] = v;
      }
      // Stand in for this codec in the context, so error paths read `claim.field`, not `0.claim`.
      const last = c[c.length - 1];
      const ctx: t.Context = last === undefined ? c : [...c.slice(0, -1), { ...last, type: codec }];
      return codec.validate(rec, ctx);
    },
    () => {
      throw new InternalError('claimMap: claims are encoded by their token builders, not by the codec');
    },
  );
}

/** Runs `codec` on `u`; a Left holds the errors, one field path each, joined. */
export function decodeWith<A>(codec: t.Decoder<unknown, A>, u: unknown): E.Either<string, A> {
  const r = codec.decode(u);
  return E.isLeft(r) ? E.left(formatValidationErrors(r.left).join('; ')) : E.right(r.right);
}
