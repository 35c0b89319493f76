/**
 * RMI_RTT_SET_RIPAS makes progress (DEN0137 A5.4, B5.3.6, B4.3.21; E-SET-RIPAS-PROGRESS): over
 * generated RTT states (RIPAS set before activation, DATA pages created and destroyed, level 3
 * tables under the level 2 RTT) and RIPAS requests, a Host that calls RMI_RTT_SET_RIPAS from
 * rec.ripas_addr until it fails or reaches top sees, on every success:
 *
 * - base < out_top == rec.ripas_addr <= top (A5.4: the new base lies in [base, top]; a success
 *   that did not advance would make the Host and the Realm repeat the same calls forever);
 * - every page in [base, out_top) has the requested RIPAS (A5.4: the change was applied there);
 * - no entry outside [base, out_top) changed its RIPAS, and no HIPAS changed (B4.3.21.3).
 *
 * The expectations are these statements of the spec, not values computed by the model.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { granuleIndex, Ripas, type RmmState } from '../../src/index.js';
import { G, R, call, delegate, ok, withRealm, withRec } from '../support/fixtures.js';
import { DATA, KB4, MB2, walk, withProtectedTables, withRipasRequest, withSources } from './support.js';

/** The IPAs the generator picks from: the level 3 RTT covers [0, 2 MB), the level 2 RTT's entries follow. */
const POINTS = [0n, KB4, 0x5000n, 0x1f_f000n, MB2, MB2 + KB4, 0x2f_f000n, 0x30_0000n, 0x40_0000n, 0x40_1000n, 0x60_0000n, 0x7f_f000n, 0x80_0000n];
/** The range the checks look at: every entry of [0, 8 MB). */
const SPAN = 0x80_0000n;

type Prep =
  | { readonly kind: 'init'; readonly base: bigint; readonly top: bigint }
  | { readonly kind: 'data'; readonly ipa: bigint }
  | { readonly kind: 'destroy'; readonly ipa: bigint }
  | { readonly kind: 'table'; readonly slot: number };

const point = fc.constantFrom(...POINTS);
const page = fc.constantFrom(...POINTS.filter((p) => p < SPAN));
const prep: fc.Arbitrary<Prep> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('init' as const), base: point, top: point }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('data' as const), ipa: page }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('destroy' as const), ipa: page }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('table' as const), slot: fc.integer({ min: 1, max: 3 }) }) },
);
const request = fc
  .record({ a: point, b: point, value: fc.constantFrom(Ripas.EMPTY, Ripas.RAM), destroyed: fc.boolean() })
  .filter((r) => r.a !== r.b)
  .map((r) => ({ base: r.a < r.b ? r.a : r.b, top: r.a < r.b ? r.b : r.a, value: r.value, destroyed: r.destroyed }));

/** Applies one preparation step before activation; a step that fails leaves the state as it was. */
function prepare(s: RmmState, p: Prep, used: { n: number }): RmmState {
  const attempt = (name: string, args: bigint[]): RmmState => {
    const r = call(s, name, args);
    return r.regs[0] === 0n ? r.state : s;
  };
  switch (p.kind) {
    case 'init':
      return attempt('RMI_RTT_INIT_RIPAS', [R.rd, p.base, p.top]);
    case 'data': {
      if (used.n >= DATA.length) return s;
      const data = DATA[used.n] as bigint;
      const r = call(delegate(s, data), 'RMI_DATA_CREATE', [R.rd, data, p.ipa, G(40), 0n]);
      if (r.regs[0] !== 0n) return s;
      used.n++;
      return r.state;
    }
    case 'destroy':
      return attempt('RMI_DATA_DESTROY', [R.rd, p.ipa]);
    case 'table': {
      const rtt = G(200 + p.slot);
      // A slot already given a table fails (its granule is no longer DELEGATED): nothing changes.
      const d = call(s, 'RMI_GRANULE_DELEGATE', [rtt]);
      if (d.regs[0] !== 0n) return s;
      const r = call(d.state, 'RMI_RTT_CREATE', [R.rd, rtt, BigInt(p.slot) * MB2, 3n]);
      return r.regs[0] === 0n ? r.state : s;
    }
  }
}

/** The walk-level entries of [0, SPAN): [ipa, level, state, RIPAS] for each. */
function entries(s: RmmState): [bigint, number, number, number][] {
  const out: [bigint, number, number, number][] = [];
  for (let ipa = 0n; ipa < SPAN; ) {
    const w = walk(s, ipa);
    out.push([ipa, w.level, w.entry.state, w.entry.ripas]);
    const size = 1n << BigInt(12 + 9 * (3 - w.level));
    ipa = ipa - (ipa % size) + size;
  }
  return out;
}

const ripasAddr = (s: RmmState): bigint => s.recs.get(granuleIndex(R.rec))!.ripasAddr;

describe('RMI_RTT_SET_RIPAS progress (A5.4, B5.3.6; E-SET-RIPAS-PROGRESS)', () => {
  it('advances rec.ripas_addr into (base, top] on every success, and changes only [base, out_top)', () => {
    let successes = 0;
    const start = withProtectedTables(withSources(withRealm()));
    fc.assert(
      fc.property(fc.array(prep, { maxLength: 8 }), request, (preps, req) => {
        const used = { n: 0 };
        let s = start;
        for (const p of preps) s = prepare(s, p, used);
        s = ok(withRec(s, R.rec, 0, R.aux), 'RMI_REALM_ACTIVATE', R.rd);
        s = withRipasRequest(s, R.rec, req);
        let before = entries(s);
        // At most one call per entry of [0, 8 MB) can succeed if each advances; more is a loop.
        for (let calls = 0; calls < 64; calls++) {
          const base = ripasAddr(s);
          if (base === req.top) return;
          const r = call(s, 'RMI_RTT_SET_RIPAS', [R.rd, R.rec, base, req.top]);
          if (r.regs[0] !== 0n) return;
          successes++;
          const out = r.regs[1] as bigint;
          expect(out > base && out <= req.top && ripasAddr(r.state) === out).toBe(true);
          const after = entries(r.state);
          // SET_RIPAS changes no table structure: the same entries, in the same places.
          expect(after.map(([ipa, level]) => [ipa, level])).toEqual(before.map(([ipa, level]) => [ipa, level]));
          const wrong = after.filter(([ipa, level, state, ripas], k) => {
            const [, , oldState, oldRipas] = before[k] as [bigint, number, number, number];
            const size = 1n << BigInt(12 + 9 * (3 - level));
            // An entry that overlaps [base, out_top) has the requested RIPAS; any other keeps its own.
            const want = ipa + size > base && ipa < out ? req.value : oldRipas;
            return state !== oldState || ripas !== want;
          });
          expect(wrong).toEqual([]);
          s = r.state;
          before = after;
        }
        expect.unreachable('RMI_RTT_SET_RIPAS succeeded 64 times without reaching top');
      }),
      { seed: 0x5e7_21fa5, numRuns: 200 },
    );
    // The generator reaches the interesting cases (not every run ends in a failure at once).
    expect(successes).toBeGreaterThan(100);
  });
});
