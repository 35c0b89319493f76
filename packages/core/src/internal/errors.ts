/**
 * The model's error channels besides spec failures (which are values): a thrown
 * {@link InternalError} means the model itself is wrong (a broken invariant, a catalogue the
 * code does not match); bad external input (files, registers read from memory) is an io-ts
 * decode error, a value. A caller of the typed library API that passes values outside its types
 * (a string for an address, an array, a number beyond 64 bits, a misspelt structure field) gets
 * a thrown {@link InputError} naming the field, as a TypeError would, before anything runs.
 *
 * @packageDocumentation
 */
import type * as t from 'io-ts';

/** A model bug: thrown, never returned. @category Errors */
export class InternalError extends Error {
  /** @param message what went wrong, naming the rule or structure involved */
  constructor(message: string) {
    super(`realmspec internal error: ${message}`);
    this.name = 'InternalError';
  }
}

/** A call of the library API with a value outside its types; the message names the field. @category Errors */
export class InputError extends TypeError {
  /** The path of the offending field, e.g. `RMI_GRANULE_DELEGATE.addr` or `RmiRealmParams.s2sz`. */
  readonly field: string;
  /** @param field the offending field's path; @param expected what the API takes; @param got the value given */
  constructor(field: string, expected: string, got: unknown) {
    super(`${field}: expected ${expected}, got ${showValue(got)}${typeof got === 'string' || typeof got === 'number' ? ` (a ${typeof got})` : ''}`);
    this.name = 'InputError';
    this.field = field;
  }
}

/** 2^64 − 1. */
const U64_MAX = 0xffff_ffff_ffff_ffffn;

/** Whether `v` is a 64-bit unsigned value: a bigint in [0, 2^64). */
export function isU64(v: unknown): v is bigint {
  return typeof v === 'bigint' && v >= 0n && v <= U64_MAX;
}

/** Throws an {@link InputError} for `field` unless `v` is a 64-bit unsigned value. */
export function requireU64(field: string, v: unknown): bigint {
  if (!isU64(v)) throw new InputError(field, 'a 64-bit unsigned value (a bigint from 0n to 2n ** 64n - 1n)', v);
  return v;
}

function showValue(v: unknown): string {
  if (typeof v === 'bigint') return '0x' + v.toString(16);
  if (v === undefined) return 'nothing';
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + '...' : s;
  } catch {
    return String(v);
  }
}

/**
 * Renders io-ts validation errors as one line each: the path of the offending field, what was
 * expected and what was found, e.g. `args.1: expected a 64-bit value: "0x…" hex, got "0xZZ"`.
 */
export function formatValidationErrors(errors: t.Errors): string[] {
  const out = new Set<string>();
  for (const e of errors) {
    const keys: string[] = [];
    e.context.forEach((c, i) => {
      if (i === 0) return;
      const parent = (e.context[i - 1]?.type as { _tag?: string } | undefined)?._tag;
      // Intersections and unions add their member's position to the path: not a field.
      if (parent === 'IntersectionType' || parent === 'UnionType') return;
      if (c.key !== '') keys.push(c.key);
    });
    const last = e.context[e.context.length - 1];
    const expected = e.message ?? last?.type.name ?? 'a valid value';
    out.add(`${keys.length === 0 ? '(root)' : keys.join('.')}: expected ${expected}, got ${showValue(e.value)}`);
  }
  return [...out];
}
