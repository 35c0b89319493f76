/**
 * The RTT mechanisms of `model/rtt-walk.ts` and the table updates of `model/rtt.ts`: IPA space,
 * level alignment, the walk over concatenated starting RTTs, the skip functions, folding and
 * unfolding, descriptors (DEN0137 A5.5, B3.4–B3.8, B3.56, B3.62–B3.78; digest states.md §5–6).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addrInIpaSpace,
  addrIsProtected,
  addrIsRttLevelAligned,
  addrIsUnprotected,
  DEFAULT_GEOMETRY as D,
  granuleIndex,
  initialState,
  Ripas,
  rttDescriptorFields,
  rttDescriptorIsValidForUnprotected,
  rttEntry,
  rttEntryDescriptor,
  rttLevelIsBlockOrPage,
  rttWalk,
  RttEntryState,
  type Rtt,
} from '../../src/index.js';
import {
  makeRtt,
  packMeta,
  rttFold,
  rttSkipEntriesWithRipas,
  rttSkipNonLiveEntries,
  rttUnfold,
  rttWithEntry,
  rttWithRipas,
  rttAddrs,
  rttMetas,
} from '../../src/internal.js';
import { G, R, X0, call, delegate, ok, withRealm } from '../support/fixtures.js';
import { runs } from '../support/runs.js';

const { UNASSIGNED, ASSIGNED, TABLE, UNASSIGNED_NS, ASSIGNED_NS } = RttEntryState;

/** A level-`level` table from 512 packed entries and addresses. */
function table(level: number, baseIpa: number, meta: (i: number) => number, addr: (i: number) => number = () => 0): Rtt {
  return makeRtt(0, level, baseIpa, Array.from({ length: 512 }, (_, i) => meta(i)), Array.from({ length: 512 }, (_, i) => addr(i)));
}

describe('IPA space and levels', () => {
  const realm = withRealm().realms.get(granuleIndex(R.rd))!;

  it('splits a 39-bit IPA space at 2^38 into Protected and Unprotected halves', () => {
    expect([addrIsProtected(realm, (1n << 38n) - 1n), addrIsProtected(realm, 1n << 38n)]).toEqual([true, false]);
    expect([addrIsUnprotected(realm, 1n << 38n), addrIsUnprotected(realm, (1n << 39n) - 1n), addrIsUnprotected(realm, 1n << 39n)]).toEqual([true, true, false]);
    expect([addrInIpaSpace(realm, (1n << 39n) - 1n), addrInIpaSpace(realm, 1n << 39n)]).toEqual([true, false]);
  });

  it('aligns to 4 KB, 2 MB, 1 GB, 512 GB and 256 TB at levels 3, 2, 1, 0 and -1; false for other levels', () => {
    const sizes: Array<[number, bigint]> = [[3, 1n << 12n], [2, 1n << 21n], [1, 1n << 30n], [0, 1n << 39n], [-1, 1n << 48n]];
    for (const [level, size] of sizes) {
      expect(addrIsRttLevelAligned(D, size * 3n, level)).toBe(true);
      expect(addrIsRttLevelAligned(D, size * 3n + size / 2n, level)).toBe(false);
    }
    for (const bad of [4, -2, 1.5]) expect(addrIsRttLevelAligned(D, 0n, bad)).toBe(false);
  });
});

// -------------------------------------------------------------------------------------
// concatenated starting RTTs and RttLevelIsBlockOrPage
// -------------------------------------------------------------------------------------

describe('a Realm with four concatenated level 2 starting RTTs (s2sz 32)', () => {
  // Level 2 start, 32-bit IPA: 2^(32 - 30) = 4 starting RTTs, each mapping 1 GB (states.md §6.2).
  const base = G(64);
  const s0 = withRealm({ s2sz: 32n, rtt_level_start: 2n, rtt_num_start: 4n, rtt_base: base }, delegate(initialState(), G(65), G(66), G(67)));

  it('walks into the starting RTT that holds the entry: ipa >> 21 indexes the four as one', () => {
    const w = rttWalk(s0, granuleIndex(R.rd), 3 * 2 ** 30 + 5 * 2 ** 21, 3)!;
    expect([w.level, w.rtt, w.index]).toEqual([2, granuleIndex(G(67)), 5]);
    // The upper 2 GB is Unprotected.
    expect(w.entry.state).toBe(UNASSIGNED_NS);
    expect(rttWalk(s0, granuleIndex(R.rd), 2 ** 30 - 1, 3)!.rtt).toBe(granuleIndex(G(64)));
  });

  it('ends walk_top at the end of the starting RTT the walk reached (D-CONCAT)', () => {
    // Not mapped at 4 KB: the level 2 walk ends in the first starting RTT, which maps [0, 1 GB).
    const r = call(s0, 'RMI_DATA_DESTROY', [R.rd, 0x1000n]);
    expect([r.regs[0], r.regs[2]]).toEqual([X0.RTT(2), 1n << 30n]);
  });

  it('creates level 3 RTTs in the third starting RTT and reads them back', () => {
    const ipa = (2n << 30n) + (7n << 21n);
    const s = ok(delegate(s0, G(70)), 'RMI_RTT_CREATE', R.rd, G(70), ipa, 3n);
    expect(call(s, 'RMI_RTT_READ_ENTRY', [R.rd, ipa, 2n]).regs).toEqual([0n, 2n, 2n, G(70), 0n]);
  });

  it('allows blocks only at levels 2 and 3, not above the starting level (D-BLOCK-LEVEL)', () => {
    const realm = s0.realms.get(granuleIndex(R.rd))!;
    expect([1, 2, 3].map((l) => rttLevelIsBlockOrPage(realm, l))).toEqual([false, true, true]);
    const r = call(s0, 'RMI_RTT_MAP_UNPROTECTED', [R.rd, 1n << 31n, 1n, 0x4000_0000n]);
    expect(r.failure?.rule).toBe('RMI_RTT_MAP_UNPROTECTED/level_bound');
    expect(r.regs[0]).toBe(X0.INPUT);
  });
});

// -------------------------------------------------------------------------------------
// skip functions
// -------------------------------------------------------------------------------------

describe('RttSkipNonLiveEntries (B3.76)', () => {
  // A level 3 table at 2 MB: entry 10 ASSIGNED, 20 ASSIGNED_NS, 30 TABLE-free, the rest UNASSIGNED.
  const base = 0x20_0000;
  const t = table(3, base, (i) => (i === 10 ? packMeta(ASSIGNED, Ripas.RAM) : i === 20 ? packMeta(ASSIGNED_NS, 0) : packMeta(UNASSIGNED, Ripas.EMPTY)));

  it('returns the IPA of the next live entry (ASSIGNED or ASSIGNED_NS)', () => {
    expect(rttSkipNonLiveEntries(D, t, base)).toBe(base + 10 * 0x1000);
    expect(rttSkipNonLiveEntries(D, t, base + 11 * 0x1000)).toBe(base + 20 * 0x1000);
  });

  it('returns the IPA after the table when nothing live follows', () => {
    expect(rttSkipNonLiveEntries(D, t, base + 21 * 0x1000)).toBe(base + 0x20_0000);
  });

  it('returns ipa itself when its own entry is live (E-SKIP-LIVE)', () => {
    expect(rttSkipNonLiveEntries(D, t, base + 10 * 0x1000)).toBe(base + 10 * 0x1000);
    const block = table(2, 0, (i) => (i === 1 ? packMeta(ASSIGNED, Ripas.RAM) : packMeta(UNASSIGNED, Ripas.EMPTY)));
    expect(rttSkipNonLiveEntries(D, block, 0x20_3000)).toBe(0x20_3000);
  });
});

describe('RttSkipEntriesWithRipas (B3.75)', () => {
  // Level 2 table at 0: entry 3 DESTROYED, entry 6 TABLE.
  const t = table(2, 0, (i) => (i === 3 ? packMeta(UNASSIGNED, Ripas.DESTROYED) : i === 6 ? packMeta(TABLE, 0) : packMeta(UNASSIGNED, Ripas.RAM)));
  const MB = 0x10_0000;

  it('stops at the first TABLE entry, or also at the first DESTROYED one when asked', () => {
    expect(rttSkipEntriesWithRipas(D, t, 0, 2 ** 40, false)).toBe(12 * MB);
    expect(rttSkipEntriesWithRipas(D, t, 0, 2 ** 40, true)).toBe(6 * MB);
  });

  it('stops at top, aligned down to the level', () => {
    expect(rttSkipEntriesWithRipas(D, t, 0, 5 * MB, false)).toBe(4 * MB);
    expect(rttSkipEntriesWithRipas(D, t, 14 * MB, 2 ** 40, false)).toBe(2 ** 30);
  });
});

// -------------------------------------------------------------------------------------
// folding and unfolding
// -------------------------------------------------------------------------------------

describe('RttFold and RttIsHomogeneous (A5.5.6)', () => {
  const MB2 = 0x20_0000;

  it('folds UNASSIGNED entries of one RIPAS, and UNASSIGNED_NS entries', () => {
    expect(rttFold(D, table(3, 0, () => packMeta(UNASSIGNED, Ripas.DESTROYED)))).toEqual({ state: UNASSIGNED, ripas: Ripas.DESTROYED, addr: 0, memAttr: 0, s2ap: 0 });
    expect(rttFold(D, table(1, 0, () => packMeta(UNASSIGNED, Ripas.EMPTY)))).toMatchObject({ state: UNASSIGNED, ripas: Ripas.EMPTY });
    expect(rttFold(D, table(3, 0, () => packMeta(UNASSIGNED_NS, 0)))).toEqual({ state: UNASSIGNED_NS, ripas: 0, addr: 0, memAttr: 0, s2ap: 0 });
  });

  it('folds contiguous ASSIGNED pages from a 2 MB aligned address into a block with their RIPAS', () => {
    const pages = table(3, 0, () => packMeta(ASSIGNED, Ripas.EMPTY), (i) => 0x8020_0000 + i * 0x1000);
    expect(rttFold(D, pages)).toEqual({ state: ASSIGNED, ripas: Ripas.EMPTY, addr: 0x8020_0000, memAttr: 0, s2ap: 0 });
  });

  it('folds contiguous ASSIGNED_NS blocks at level 2 into a 1 GB block with their attributes', () => {
    const blocks = table(2, 0, () => packMeta(ASSIGNED_NS, 0, 5, 3), (i) => 2 ** 32 + i * MB2);
    expect(rttFold(D, blocks)).toEqual({ state: ASSIGNED_NS, ripas: 0, addr: 2 ** 32, memAttr: 5, s2ap: 3 });
  });

  it('refuses mixed states, mixed RIPAS, TABLE entries, gaps, misalignment, mixed attributes and level 1 blocks', () => {
    const cases: Rtt[] = [
      table(3, 0, (i) => (i === 9 ? packMeta(ASSIGNED, Ripas.RAM) : packMeta(UNASSIGNED, Ripas.RAM)), (i) => (i === 9 ? 0x8000_0000 : 0)),
      table(3, 0, (i) => packMeta(UNASSIGNED, i === 511 ? Ripas.EMPTY : Ripas.RAM)),
      table(2, 0, (i) => (i === 0 ? packMeta(TABLE, 0) : packMeta(UNASSIGNED, Ripas.EMPTY)), (i) => (i === 0 ? 0x8000_1000 : 0)),
      table(3, 0, () => packMeta(ASSIGNED, Ripas.RAM), (i) => 0x8020_0000 + (i === 100 ? 0 : i * 0x1000)),
      table(3, 0, () => packMeta(ASSIGNED, Ripas.RAM), (i) => 0x8020_1000 + i * 0x1000),
      table(3, 0, (i) => packMeta(ASSIGNED, i === 3 ? Ripas.DESTROYED : Ripas.RAM), (i) => 0x8020_0000 + i * 0x1000),
      table(3, 0, (i) => packMeta(ASSIGNED_NS, 0, i === 3 ? 6 : 5, 3), (i) => 0x8020_0000 + i * 0x1000),
      table(1, 0, () => packMeta(ASSIGNED_NS, 0, 5, 3), (i) => i * 2 ** 30),
    ];
    for (const t of cases) expect(rttFold(D, t)).toBeUndefined();
  });

  it('unfolds a block into contiguous entries of the child level with the same attributes', () => {
    const t = rttUnfold(D, 0, 3, MB2, { state: ASSIGNED_NS, ripas: 0, addr: 0x9000_0000, memAttr: 6, s2ap: 1 });
    expect([t.level, t.baseIpa, t.live]).toEqual([3, MB2, 0]);
    expect(rttEntry(t, 7)).toEqual({ state: ASSIGNED_NS, ripas: 0, addr: 0x9000_7000, memAttr: 6, s2ap: 1 });
    // Folding the unfolded table gives the block back.
    expect(rttFold(D, t)).toEqual({ state: ASSIGNED_NS, ripas: 0, addr: 0x9000_0000, memAttr: 6, s2ap: 1 });
    const u = rttUnfold(D, 0, 2, 0, { state: UNASSIGNED, ripas: Ripas.RAM, addr: 0, memAttr: 0, s2ap: 0 });
    expect([rttEntry(u, 511).state, rttEntry(u, 511).ripas, u.live]).toEqual([UNASSIGNED, Ripas.RAM, 0]);
  });
});

// -------------------------------------------------------------------------------------
// descriptors
// -------------------------------------------------------------------------------------

describe('stage 2 descriptors (B3.56, data.md §9)', () => {
  it('accepts only OA, MemAttr[2:0] other than 0b100 and S2AP', () => {
    expect(rttDescriptorIsValidForUnprotected(0x8800_0000n | (7n << 2n) | (3n << 6n) | (3n << 8n) | (3n << 48n))).toBe(true);
    for (const bit of [0n, 1n, 5n, 10n, 11n, 50n, 53n, 54n, 63n]) expect(rttDescriptorIsValidForUnprotected(1n << bit)).toBe(false);
    expect(rttDescriptorIsValidForUnprotected(4n << 2n)).toBe(false);
  });

  it('reads OA[49:12] in place and OA[51:50] from bits 9:8', () => {
    expect(rttDescriptorFields(0x3_1234_5000n | (2n << 8n) | (6n << 2n) | (1n << 6n))).toEqual({ addr: (2n << 50n) | 0x3_1234_5000n, memAttr: 6, s2ap: 1 });
  });

  it('encodes READ_ENTRY desc per state', () => {
    expect(rttEntryDescriptor({ state: UNASSIGNED, ripas: Ripas.RAM, addr: 0, memAttr: 0, s2ap: 0 })).toBe(0n);
    expect(rttEntryDescriptor({ state: TABLE, ripas: 0, addr: 0x8000_1000, memAttr: 0, s2ap: 0 })).toBe(0x8000_1000n);
    expect(rttEntryDescriptor({ state: ASSIGNED_NS, ripas: 0, addr: 2 ** 51 + 0x5000, memAttr: 1, s2ap: 2 })).toBe(0x5000n | (2n << 8n) | (1n << 2n) | (2n << 6n));
  });
});

// -------------------------------------------------------------------------------------
// table updates
// -------------------------------------------------------------------------------------

describe('rttWithEntry and rttWithRipas', () => {
  const entry = fc.record({
    i: fc.nat(511),
    state: fc.constantFrom(UNASSIGNED, ASSIGNED, TABLE, UNASSIGNED_NS, ASSIGNED_NS),
    ripas: fc.constantFrom(Ripas.EMPTY, Ripas.RAM, Ripas.DESTROYED),
    addr: fc.constantFrom(0, 0x8000_0000, 0x8000_1000, 2 ** 51 + 0x3000),
  });
  const op = fc.oneof(entry.map((e) => ({ kind: 'entry' as const, ...e })), fc.record({ kind: fc.constant('ripas' as const), from: fc.nat(511), n: fc.nat(40), ripas: fc.constantFrom(Ripas.EMPTY, Ripas.RAM, Ripas.DESTROYED) }));

  it('keep the live count and hash equal to those of a table built from scratch, and never mutate the input', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 20 }), (ops) => {
        let t = table(3, 0x20_0000, () => packMeta(UNASSIGNED, Ripas.EMPTY));
        for (const o of ops) {
          const before = { meta: rttMetas(t), addr: rttAddrs(t) };
          const next = o.kind === 'entry' ? rttWithEntry(t, o.i, packMeta(o.state, o.ripas), o.addr) : rttWithRipas(t, o.from, Math.min(512, o.from + o.n), o.ripas);
          expect(rttMetas(t)).toEqual(before.meta);
          expect(rttAddrs(t)).toEqual(before.addr);
          t = next;
          const fresh = makeRtt(t.realm, t.level, t.baseIpa, rttMetas(t), rttAddrs(t));
          expect([t.live, t.h]).toEqual([fresh.live, fresh.h]);
        }
      }),
      { seed: 1234, numRuns: runs(200) },
    );
  });
});
