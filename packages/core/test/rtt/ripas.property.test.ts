/**
 * Properties of the two RIPAS commands over generated RTT states: RIPAS set before activation,
 * DATA pages created and destroyed, level 3 tables under the level 2 RTT. The expectations are
 * statements of the spec (and of the errata the model takes), written out here by hand; nothing
 * the model computes is used as an expectation.
 *
 * RMI_RTT_INIT_RIPAS (DEN0137 B4.3.18, A5.3.5; E-INIT-RIPAS-STOP, E-INIT-RIPAS-RIM): on success,
 * out_top == walk_top, the end of the run of UNASSIGNED entries of the walked RTT from base (at
 * most top, aligned down to the walk level); every entry in [base, walk_top) has RIPAS RAM and
 * kept its HIPAS; nothing else changed; the RIM is extended by one RIPAS descriptor per entry of
 * [base, walk_top).
 *
 * RMI_RTT_SET_RIPAS (DEN0137 A5.4, B5.3.6, B4.3.21; E-SET-RIPAS-PROGRESS): a Host that calls the
 * command from rec.ripas_addr until it fails or reaches top sees, on every success:
 * - base < out_top == rec.ripas_addr <= top (A5.4: the new base lies in [base, top]; a success
 *   that did not advance would make the Host and the Realm repeat the same calls forever);
 * - every page in [base, out_top) has the requested RIPAS (A5.4: the change was applied there);
 * - no entry outside [base, out_top) changed its RIPAS, and no HIPAS changed (B4.3.21.3).
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { granuleIndex, Ripas, RttEntryState, type RmmState } from '../../src/index.js';
import { G, R, call, delegate, ok, withRealm, withRec } from '../support/fixtures.js';
import { DATA, KB4, MB2, walk, withProtectedTables, withRipasRequest, withSources } from './support.js';
import { atLeast, runs } from '../support/runs.js';

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
    case 'destroy': {
      // A page mapped now is destroyed; an unmapped one is first created (RIPAS DESTROYED after).
      if (walk(s, p.ipa).entry.state !== RttEntryState.ASSIGNED) s = prepare(s, { kind: 'data', ipa: p.ipa }, used);
      const r = call(s, 'RMI_DATA_DESTROY', [R.rd, p.ipa]);
      return r.regs[0] === 0n ? r.state : s;
    }
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

const rimOf = (s: RmmState): Buffer => Buffer.from(s.realms.get(granuleIndex(R.rd))!.measurements[0]!);
const levelSize = (level: number): bigint => 1n << BigInt(12 + 9 * (3 - level));

/**
 * RIM extension by one RmmMeasurementDescriptorRipas per entry of `size` bytes in [base, top)
 * (DEN0137 B4.3.18.4, C1.13; digest data.md §6.4), with SHA-256: a 256-byte descriptor with
 * desc_type 2 @0x00, len 0x100 @0x08, the old RIM @0x10, base @0x50, top @0x58.
 */
function extendRipas(rim: Buffer, base: bigint, top: bigint, size: bigint): Buffer {
  for (let ipa = base; ipa < top; ipa += size) {
    const d = Buffer.alloc(0x100);
    d.writeUInt8(2, 0x00);
    d.writeBigUInt64LE(0x100n, 0x08);
    rim.copy(d, 0x10);
    d.writeBigUInt64LE(ipa, 0x50);
    d.writeBigUInt64LE(ipa + size, 0x58);
    const next = Buffer.alloc(64);
    createHash('sha256').update(d).digest().copy(next);
    rim = next;
  }
  return rim;
}

/** REALM_NEW states: the standard Realm with its protected tables, after `preps`. */
const preparedState = (start: RmmState, preps: readonly Prep[]): RmmState => {
  const used = { n: 0 };
  return preps.reduce((s, p) => prepare(s, p, used), start);
};

describe('RMI_RTT_INIT_RIPAS over the walked RTT (B4.3.18, A5.3.5; E-INIT-RIPAS-STOP, E-INIT-RIPAS-RIM)', () => {
  it('converts exactly the run of UNASSIGNED entries from base, up to walk_top == out_top, and measures each of them', () => {
    let successes = 0;
    let stoppedEarly = 0;
    let fromDestroyed = 0;
    const start = withProtectedTables(withSources(withRealm()));
    fc.assert(
      fc.property(fc.array(prep, { maxLength: 8 }), point, point, (preps, a, b) => {
        const s = preparedState(start, preps);
        const [base, top] = a < b ? [a, b] : [b, a];
        const r = call(s, 'RMI_RTT_INIT_RIPAS', [R.rd, base, top]);
        if (r.regs[0] !== 0n) return;
        successes++;
        // walk_top by hand: from the entry at base, the first entry of the walked RTT whose HIPAS
        // is not UNASSIGNED (A5.3.5: INIT_RIPAS applies to UNASSIGNED entries, whatever their
        // RIPAS), or the end of the RTT; then at most top, aligned down to the walk level.
        const w = walk(s, base);
        const size = levelSize(w.level);
        const tableEnd = BigInt(w.table.baseIpa) + 512n * size;
        let stop = base - (base % size);
        while (stop < tableEnd && walk(s, stop).entry.state === RttEntryState.UNASSIGNED && walk(s, stop).level === w.level) stop += size;
        const bound = stop < top ? stop : top;
        const walkTop = bound - (bound % size);
        if (stop < top && stop < tableEnd) stoppedEarly++;
        const out = r.regs[1] as bigint;
        expect(out).toBe(walkTop);
        expect(out > base).toBe(true);
        // [base, walk_top) is RAM with its HIPAS kept; every other entry of [0, 8 MB) is unchanged.
        const before = entries(s);
        const after = entries(r.state);
        expect(after.map(([ipa, level]) => [ipa, level])).toEqual(before.map(([ipa, level]) => [ipa, level]));
        if (before.some(([ipa, , state, ripas]) => ipa >= base && ipa < walkTop && state === RttEntryState.UNASSIGNED && ripas === Ripas.DESTROYED)) fromDestroyed++;
        const wrong = after.filter(([ipa, , state, ripas], k) => {
          const [, , oldState, oldRipas] = before[k] as [bigint, number, number, number];
          const inside = ipa >= base && ipa < walkTop;
          return state !== oldState || ripas !== (inside ? Ripas.RAM : oldRipas) || (inside && oldState !== RttEntryState.UNASSIGNED);
        });
        expect(wrong).toEqual([]);
        // One RIPAS descriptor per entry of [base, walk_top), in IPA order (B4.3.18.3, E-INIT-RIPAS-RIM).
        expect(rimOf(r.state).toString('hex')).toBe(extendRipas(rimOf(s), base, walkTop, size).toString('hex'));
      }),
      { seed: 0x1a1_7a1e5, numRuns: runs(300) },
    );
    // The generator reaches successes, successes that stop before top at an entry that is not
    // UNASSIGNED, and successes that convert UNASSIGNED entries with RIPAS DESTROYED.
    expect([successes > atLeast(100), stoppedEarly > atLeast(10), fromDestroyed > atLeast(10)]).toEqual([true, true, true]);
  });
});

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
      { seed: 0x5e7_21fa5, numRuns: runs(200) },
    );
    // The generator reaches the interesting cases (not every run ends in a failure at once).
    expect(successes).toBeGreaterThan(atLeast(100));
  });
});
