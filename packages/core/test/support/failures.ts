/**
 * A table-driven suite for failure conditions: one case per catalogue label, each building a
 * state where that condition is the first to hold, with the X0 the spec digest gives.
 */
import { describe, expect, it } from 'vitest';
import { catalogue, stateKey, type RmmState } from '../../src/index.js';
import { call } from './fixtures.js';

/** One failure case. */
export interface FailureCase {
  /** The catalogue label that must be the first condition to hold. */
  readonly label: string;
  /** What makes it hold, when a label has several cases. */
  readonly variant?: string;
  /** Builds the state and the registers X1.. of the call. */
  readonly setup: () => { readonly s: RmmState; readonly args: readonly bigint[] };
  /** X0 the spec digest gives for this condition, written out by hand. */
  readonly x0: bigint;
  /** Output registers X1.. the failure defines (null entries unchecked). */
  readonly out?: readonly (bigint | null)[];
}

/**
 * Runs every case of `command`: exact X0, the condition's rule id, defined outputs, and no state
 * change. A last test fails when a catalogue label of the command has no case (labels listed in
 * `options.elsewhere` are tested by their own tests).
 */
export function failureSuite(command: string, cases: readonly FailureCase[], options: { readonly elsewhere?: readonly string[] } = {}): void {
  const entry = catalogue.byName.get(command);
  describe(`${command} failure conditions`, () => {
    for (const c of cases) {
      it(`${c.label}${c.variant !== undefined ? ` (${c.variant})` : ''} is the first condition to hold: X0 = 0x${c.x0.toString(16)}`, () => {
        const { s, args } = c.setup();
        const before = stateKey(s);
        const r = call(s, command, args);
        expect(r.failure?.rule).toBe(`${command}/${c.label}`);
        expect(r.regs[0]).toBe(c.x0);
        (c.out ?? []).forEach((v, k) => {
          if (v !== null) expect(r.regs[k + 1]).toBe(v);
        });
        expect(r.state).toBe(s);
        expect(stateKey(r.state)).toBe(before);
      });
    }
    it('has a case for every failure condition in the catalogue', () => {
      expect(entry).toBeDefined();
      // `elsewhere`: labels whose case cannot be a plain call (tested in their own test).
      const covered = new Set([...cases.map((c) => c.label), ...(options.elsewhere ?? [])]);
      expect([...covered].sort()).toEqual((entry?.failures ?? []).map((f) => f.label).sort());
    });
  });
}
