/**
 * Flag parsing shared by the commands: `parseArgs` with one-sentence errors, and integer flags
 * decoded with io-ts.
 *
 * @packageDocumentation
 */
import { parseArgs } from 'node:util';
import * as t from 'io-ts';

/** What every usage error ends with. */
export const SEE_HELP = "(run 'realmspec help' for usage)";

/** Parses `args` against `flags`: the values and positionals, or why they are not valid (one sentence). */
export function parse(args: readonly string[], flags: Record<string, { type: 'boolean' | 'string' }>): { values: Record<string, string | boolean | undefined>; positionals: string[] } | string {
  try {
    const r = parseArgs({ args: [...args], options: flags, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | undefined>, positionals: r.positionals };
  } catch (e) {
    // parseArgs explains in one sentence, sometimes followed by a hint; keep the sentence.
    const m = e instanceof Error ? e.message : String(e);
    return m.split(/(?<=\.) /)[0] ?? m;
  }
}

/** A decimal integer flag value in `min..max`. */
export function intFlag(min: number, max: number): t.Type<number, string, unknown> {
  return new t.Type<number, string, unknown>(
    `integer ${min}..${max}`,
    (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= min && u <= max,
    (u, c) => {
      const n = typeof u === 'string' && /^[0-9]+$/.test(u) ? Number(u) : NaN;
      return Number.isInteger(n) && n >= min && n <= max ? t.success(n) : t.failure(u, c, `an integer ${min}..${max}`);
    },
    String,
  );
}
