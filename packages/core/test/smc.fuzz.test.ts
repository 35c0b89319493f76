/**
 * Any 64-bit values in any register give a defined result (DEN0137 B1.2, B4.4.25): 100,000 random
 * register tuples through `smc`, biased towards RMI function ids and interesting addresses.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { catalogue, initialState, RuleHits, smc, stateKey, type RmmState } from '../src/index.js';
import { G, R, ok, withRealm, withRec } from './support/fixtures.js';
import { atLeast, runs } from './support/runs.js';

const rmiFids = catalogue.commands.filter((c) => c.iface === 'RMI').flatMap((c) => c.fids.map(BigInt));

const fid = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...rmiFids) },
  { weight: 1, arbitrary: fc.constantFrom(...rmiFids).map((f) => f | 0x1_0000n) },
  { weight: 1, arbitrary: fc.constantFrom(...rmiFids).chain((f) => fc.bigInt({ min: 1n, max: 0xffff_ffffn }).map((hi) => f | (hi << 32n))) },
  { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) },
);

const reg = fc.oneof(
  { weight: 4, arbitrary: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) },
  { weight: 4, arbitrary: fc.nat(40).map(G) },
  { weight: 1, arbitrary: fc.nat(40).map((n) => G(n) + 8n) },
  { weight: 1, arbitrary: fc.constantFrom(0n, 1n, 2n, 3n, (1n << 64n) - 1n, 0x1_0000n) },
);

const states: RmmState[] = [initialState(), withRealm(), withRec(withRealm(), R.rec, 0, R.aux), ok(withRec(withRealm(), R.rec, 0, R.aux), 'RMI_REALM_ACTIVATE', R.rd)];
const keys = states.map(stateKey);

describe('smc on arbitrary registers', () => {
  it('never throws, always encodes X0 as a status and index or SMCCC_NOT_SUPPORTED, and changes nothing on failure', () => {
    const hits = new RuleHits();
    fc.assert(
      fc.property(fc.nat(states.length - 1), fid, fc.array(reg, { minLength: 6, maxLength: 6 }), (k, f, args) => {
        const s = states[k]!;
        const r = smc(s, [f, ...args], hits);
        const x0 = r.regs[0]!;
        if (x0 === (1n << 64n) - 1n) {
          expect(r.command).toBeUndefined();
          expect(r.state).toBe(s);
        } else {
          // Status 0..4 in bits 7:0, index in 15:8, bits 63:16 zero.
          expect(x0 >> 16n).toBe(0n);
          expect(Number(x0 & 0xffn)).toBeLessThanOrEqual(4);
          if (x0 !== 0n && r.failure !== undefined) expect(r.state).toBe(s);
        }
        for (const v of r.regs) expect(v >= 0n && v < 1n << 64n).toBe(true);
      }),
      { seed: 64, numRuns: runs(100_000) },
    );
    // The inputs were fixed states: none of them may have been modified in place.
    states.forEach((s, k) => expect(stateKey(s)).toBe(keys[k]));
    expect(hits.tally().reduce((n, t) => n + t.calls, 0)).toBeGreaterThan(atLeast(30_000));
  });
});
