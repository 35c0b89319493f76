/**
 * Ordering properties (DEN0137 B1.6.2): for each stated constraint `before < after`, states and
 * inputs where both conditions hold report `before` (or a condition listed before it), never
 * `after`, and the report is one the spec's partial order permits.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { type Command, type RmmState } from '../../src/index.js';
import { permittedFailures } from '../../src/internal.js';
import { atLeast, runs } from './runs.js';

/** A generated call: the state and the named inputs. */
export interface Call<I> {
  readonly s: RmmState;
  readonly input: I;
}

/** Runs one property per ordering pair of `command` over calls from `arb`. */
export function orderingSuite<I, C, O, P = O>(command: Command<I, C, O, P>, arb: fc.Arbitrary<Call<I>>, numRuns = 200): void {
  const entry = command.entry;
  describe(`${entry.name} failure ordering`, () => {
    for (const [b, a] of entry.orderPairs) {
      const before = entry.failures[b]!;
      const after = entry.failures[a]!;
      it(`${before.label} is reported before ${after.label} when both hold`, () => {
        let both = 0;
        fc.assert(
          fc.property(arb, ({ s, input }) => {
            const held = command.holding(s, input);
            if (!held.includes(before) || !held.includes(after)) return;
            both++;
            const r = command(s, input);
            expect(E.isLeft(r)).toBe(true);
            if (E.isRight(r)) return;
            const reported = entry.failures.find((f) => f.id === r.left.rule)!;
            expect(reported.id).not.toBe(after.id);
            expect(reported.position).toBeLessThanOrEqual(before.position);
            expect(permittedFailures(entry, held)).toContain(reported);
          }),
          { seed: 0x5eed + b * 31 + a, numRuns: runs(numRuns) },
        );
        // The generator must reach the interesting case, or the property says nothing.
        expect(both).toBeGreaterThan(atLeast(numRuns / 20));
      });
    }
  });
}
