/**
 * The model's third error channel: a thrown {@link InternalError} means the model itself is
 * wrong (a broken invariant, a catalogue the code does not match). Spec failures are values
 * and bad external input is a decode error; neither is ever thrown.
 *
 * @packageDocumentation
 */
import type * as t from 'io-ts';

/** A model bug: thrown, never returned. */
export class InternalError extends Error {
  /** @param message what went wrong, naming the rule or structure involved */
  constructor(message: string) {
    super(`realmspec internal error: ${message}`);
    this.name = 'InternalError';
  }
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
