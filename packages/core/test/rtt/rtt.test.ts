/**
 * RMI_RTT_CREATE, RMI_RTT_DESTROY, RMI_RTT_FOLD and RMI_RTT_READ_ENTRY (DEN0137 B4.3.15–17,
 * B4.3.20): every failure condition as the first to hold, and the success post-states. Expected
 * values are written out from the spec digest (commands.md, states.md §5).
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FEATURES0,
  GranuleState,
  Ripas,
  RttEntryState,
  granuleAt,
  granuleIndex,
  initialState,
  makePlatform,
  stateKey,
  type RmmState,
} from '../../src/index.js';
import { G, OUTSIDE, R, X0, call, delegate, ok, withRealm } from '../support/fixtures.js';
import { failureSuite } from '../support/failures.js';
import { BLOCK, DATA, GB, IPA_TOP, KB4, MB2, T, UNPROT, walk, withData, withDataBlock, withProtectedTables, withSources, withUnprotectedTables } from './support.js';

/** A platform with a second, delegable DRAM range at 2^48 (for the *_bound2 conditions). */
const HIGH = 1n << 48n;
const highPlatform = makePlatform({ dram: [{ base: 0x8000_0000n, size: 0x3fe0_0000n }, { base: HIGH, size: 0x10_0000n }] });

/** desc of an Unprotected mapping: OA | MemAttr[2:0] << 2 | S2AP << 6 (data.md §9). */
const nsDesc = (oa: bigint, memAttr = 5n, s2ap = 3n): bigint => oa | (memAttr << 2n) | (s2ap << 6n);

/** The standard Realm with its protected tables (level 2 and 3 RTTs at IPA 0). */
const tables = (): RmmState => withProtectedTables(withRealm());

/** `s` with a 1 GB ASSIGNED_NS block at UNPROT in the starting (level 1) RTT. */
const nsGigaBlock = (s: RmmState): RmmState => ok(s, 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT, 1n, nsDesc(0x1_0000_0000n));

/** A Realm with starting level 0 and a 40-bit IPA space (Unprotected from 2^39), with a level 1 RTT at 2^39 full of 1 GB ASSIGNED_NS blocks. */
function level1NsBlocks(): RmmState {
  let s = withRealm({ s2sz: 40n, rtt_level_start: 0n, rtt_num_start: 1n });
  s = delegate(s, T.nl2);
  s = ok(s, 'RMI_RTT_CREATE', R.rd, T.nl2, 1n << 39n, 1n);
  for (let k = 0n; k < 512n; k++) s = ok(s, 'RMI_RTT_MAP_UNPROTECTED', R.rd, (1n << 39n) + k * GB, 1n, nsDesc(k * GB));
  return s;
}

/** `s` with 512 ASSIGNED_NS pages in the level 3 RTT at UNPROT mapping oa(k), attributes attr(k). */
function nsPages(s: RmmState, oa: (k: bigint) => bigint, attr: (k: bigint) => bigint = () => 5n): RmmState {
  for (let k = 0n; k < 512n; k++) s = ok(s, 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT + k * KB4, 3n, nsDesc(oa(k), attr(k)));
  return s;
}

// -------------------------------------------------------------------------------------
// RMI_RTT_CREATE
// -------------------------------------------------------------------------------------

const create = (): { s: RmmState; args: bigint[] } => ({ s: delegate(withRealm(), T.l2), args: [R.rd, T.l2, 0n, 2n] });
const withArg = (c: { s: RmmState; args: bigint[] }, k: number, v: bigint): { s: RmmState; args: bigint[] } => ({ s: c.s, args: c.args.map((a, i) => (i === k ? v : a)) });

// DEN0137 B4.3.15.2.
failureSuite('RMI_RTT_CREATE', [
  { label: 'rd_align', setup: () => withArg(create(), 0, R.rd + 8n), x0: X0.INPUT },
  { label: 'rd_bound', setup: () => withArg(create(), 0, OUTSIDE), x0: X0.INPUT },
  { label: 'rd_state', setup: () => withArg(create(), 0, R.rtt), x0: X0.INPUT },
  { label: 'level_bound', variant: 'the starting level', setup: () => withArg(create(), 3, 1n), x0: X0.INPUT },
  { label: 'level_bound', variant: 'below the starting level', setup: () => withArg(create(), 3, 0n), x0: X0.INPUT },
  { label: 'level_bound', variant: 'level 4', setup: () => withArg(create(), 3, 4n), x0: X0.INPUT },
  { label: 'level_bound', variant: 'level -1', setup: () => withArg(create(), 3, (1n << 64n) - 1n), x0: X0.INPUT },
  { label: 'ipa_align', setup: () => withArg(create(), 2, MB2), x0: X0.INPUT },
  { label: 'ipa_bound', setup: () => withArg(create(), 2, IPA_TOP), x0: X0.INPUT },
  { label: 'rtt_align', setup: () => withArg(create(), 1, T.l2 + 0x800n), x0: X0.INPUT },
  { label: 'rtt_bound', setup: () => withArg(create(), 1, OUTSIDE), x0: X0.INPUT },
  { label: 'rtt_state', variant: 'undelegated', setup: () => withArg(create(), 1, T.spare), x0: X0.INPUT },
  { label: 'rtt_state', variant: 'an RTT', setup: () => withArg(create(), 1, R.rtt), x0: X0.INPUT },
  { label: 'rtt_bound2', setup: () => ({ s: delegate(withRealm({}, initialState(highPlatform)), HIGH), args: [R.rd, HIGH, 0n, 2n] }), x0: X0.INPUT },
  // No level 2 RTT at IPA 0: the walk to level 2 stops at level 1.
  { label: 'rtt_walk', setup: () => withArg(create(), 3, 3n), x0: X0.RTT(1) },
  { label: 'rtte_state', setup: () => ({ s: delegate(tables(), T.spare), args: [R.rd, T.spare, 0n, 2n] }), x0: X0.RTT(1) },
]);

describe('RMI_RTT_CREATE success (B4.3.15.3)', () => {
  it('links the new RTT below a TABLE entry and unfolds an UNASSIGNED parent, RIPAS included', () => {
    // RIPAS RAM on the level 1 entry for [0, 1 GB): one INIT_RIPAS step at level 1.
    const s0 = ok(delegate(withRealm(), T.l2), 'RMI_RTT_INIT_RIPAS', R.rd, 0n, GB);
    const s = ok(s0, 'RMI_RTT_CREATE', R.rd, T.l2, 0n, 2n);
    expect(granuleAt(s, granuleIndex(T.l2)).state).toBe(GranuleState.RTT);
    const parent = walk(s, 0n, 1);
    expect([parent.level, parent.entry.state, parent.entry.addr]).toEqual([1, RttEntryState.TABLE, Number(T.l2)]);
    for (const k of [0n, 1n, 300n, 511n]) {
      const w = walk(s, k * MB2, 2);
      expect([w.level, w.rtt, w.entry.state, w.entry.ripas]).toEqual([2, granuleIndex(T.l2), RttEntryState.UNASSIGNED, Ripas.RAM]);
    }
    // One more live (TABLE) entry in the starting RTT.
    expect(s.rtts.get(granuleIndex(R.rtt))!.live).toBe(1);
    expect(s.rtts.get(granuleIndex(T.l2))!.live).toBe(0);
  });

  it('unfolds an ASSIGNED block into 512 pages mapping contiguous addresses with its RIPAS', () => {
    const s0 = withDataBlock(withProtectedTables(withSources(withRealm())));
    const s = ok(delegate(s0, T.spare), 'RMI_RTT_CREATE', R.rd, T.spare, MB2, 3n);
    for (const k of [0, 1, 255, 511]) {
      const w = walk(s, MB2 + BigInt(k) * KB4);
      expect([w.level, w.entry.state, w.entry.ripas, w.entry.addr]).toEqual([3, RttEntryState.ASSIGNED, Ripas.RAM, 0x8020_0000 + k * 0x1000]);
    }
    expect(s.rtts.get(granuleIndex(T.spare))!.live).toBe(512);
  });

  it('unfolds an ASSIGNED_NS block into pages with contiguous addresses and the same MemAttr and S2AP', () => {
    let s = delegate(withRealm(), T.nl2, T.nl3);
    s = ok(s, 'RMI_RTT_CREATE', R.rd, T.nl2, UNPROT, 2n);
    s = ok(s, 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT + MB2, 2n, nsDesc(0x9000_0000n, 6n, 2n));
    s = ok(s, 'RMI_RTT_CREATE', R.rd, T.nl3, UNPROT + MB2, 3n);
    const r = call(s, 'RMI_RTT_READ_ENTRY', [R.rd, UNPROT + MB2 + 5n * KB4, 3n]);
    expect(r.regs).toEqual([0n, 3n, 1n, 0x9000_5000n | (6n << 2n) | (2n << 6n), 0n]);
    // ASSIGNED_NS entries do not make the RTT live (A5.5.8).
    expect(s.rtts.get(granuleIndex(T.nl3))!.live).toBe(0);
  });

  it('unfolds an UNASSIGNED_NS parent into UNASSIGNED_NS entries', () => {
    const s = withUnprotectedTables(withRealm());
    for (const ipa of [UNPROT, UNPROT + 0x1ff000n]) expect(walk(s, ipa).entry.state).toBe(RttEntryState.UNASSIGNED_NS);
  });
});

// -------------------------------------------------------------------------------------
// RMI_RTT_DESTROY
// -------------------------------------------------------------------------------------

const destroy = (args: bigint[], s: RmmState = tables()): { s: RmmState; args: bigint[] } => ({ s, args });

// DEN0137 B4.3.16.2. The outcome table of B4.3.16.1.3 gives `top`: walk_top (> ipa when the
// entry is not live, == ipa when it is) for rtt_walk and rtte_state, ipa for rtt_live.
failureSuite('RMI_RTT_DESTROY', [
  { label: 'rd_align', setup: () => destroy([R.rd + 8n, 0n, 3n]), x0: X0.INPUT, out: [null, 0n] },
  { label: 'rd_bound', setup: () => destroy([OUTSIDE, 0n, 3n]), x0: X0.INPUT, out: [null, 0n] },
  { label: 'rd_state', setup: () => destroy([T.l2, 0n, 3n]), x0: X0.INPUT },
  { label: 'level_bound', variant: 'the starting level', setup: () => destroy([R.rd, 0n, 1n]), x0: X0.INPUT },
  { label: 'level_bound', variant: 'level 4', setup: () => destroy([R.rd, 0n, 4n]), x0: X0.INPUT },
  { label: 'ipa_align', setup: () => destroy([R.rd, KB4, 3n]), x0: X0.INPUT },
  { label: 'ipa_bound', setup: () => destroy([R.rd, IPA_TOP, 2n]), x0: X0.INPUT },
  // Missing RTT: no level 2 RTT at 1 GB; every later entry of the starting RTT is non-live, so
  // top is the end of the starting RTT, 2^39.
  { label: 'rtt_walk', variant: 'missing RTT', setup: () => destroy([R.rd, GB, 3n]), x0: X0.RTT(1), out: [null, IPA_TOP] },
  { label: 'rtt_walk', variant: 'block at a lower level', setup: () => destroy([R.rd, UNPROT, 3n], nsGigaBlock(withRealm())), x0: X0.RTT(1), out: [null, UNPROT] },
  // E-SKIP-LIVE: ipa (aligned to level 2 only) inside the 1 GB block: top == ipa (B4.3.16.1.3),
  // not UNPROT, ipa aligned down to level 1 (B3.76).
  { label: 'rtt_walk', variant: 'inside a block at a lower level', setup: () => destroy([R.rd, UNPROT + MB2, 3n], nsGigaBlock(withRealm())), x0: X0.RTT(1), out: [null, UNPROT + MB2] },
  // No level 3 RTT at 2 MB; entries 1..511 of the level 2 RTT are non-live: top = 1 GB.
  { label: 'rtte_state', variant: 'missing RTT', setup: () => destroy([R.rd, MB2, 3n]), x0: X0.RTT(2), out: [null, GB] },
  {
    label: 'rtte_state',
    variant: 'block at the parent level',
    setup: () => destroy([R.rd, UNPROT + MB2, 3n], ok(withUnprotectedTables(withRealm()), 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT + MB2, 2n, nsDesc(0x9000_0000n))),
    x0: X0.RTT(2),
    out: [null, UNPROT + MB2],
  },
  {
    label: 'rtt_live',
    variant: 'an ASSIGNED entry',
    setup: () => {
      const s = ok(delegate(withSources(tables()), T.l3b), 'RMI_RTT_CREATE', R.rd, T.l3b, MB2, 3n);
      return destroy([R.rd, MB2, 3n], withData(s, MB2 + 0x5000n, DATA[0]!));
    },
    x0: X0.RTT(3),
    out: [null, MB2],
  },
  {
    label: 'rtt_live',
    variant: 'a TABLE entry',
    setup: () => {
      let s = delegate(withRealm(), T.l2, T.l3);
      s = ok(s, 'RMI_RTT_CREATE', R.rd, T.l2, GB, 2n);
      s = ok(s, 'RMI_RTT_CREATE', R.rd, T.l3, GB, 3n);
      return destroy([R.rd, GB, 2n], s);
    },
    x0: X0.RTT(2),
    out: [null, GB],
  },
]);

describe('RMI_RTT_DESTROY success (B4.3.16.3)', () => {
  it('unlinks a non-live RTT: parent UNASSIGNED with RIPAS DESTROYED, the RTT granule DELEGATED', () => {
    const s0 = ok(tables(), 'RMI_RTT_INIT_RIPAS', R.rd, 0n, 0x4000n);
    const r = call(s0, 'RMI_RTT_DESTROY', [R.rd, 0n, 3n]);
    // X1 = the RTT; X2 = walk_top after the command: no live entry is left in the level 2 RTT.
    expect(r.regs).toEqual([0n, T.l3, GB]);
    expect(granuleAt(r.state, granuleIndex(T.l3)).state).toBe(GranuleState.DELEGATED);
    expect(r.state.rtts.has(granuleIndex(T.l3))).toBe(false);
    const w = walk(r.state, 0n);
    expect([w.level, w.entry.state, w.entry.ripas]).toEqual([2, RttEntryState.UNASSIGNED, Ripas.DESTROYED]);
    // RIPAS DESTROYED does not change the RIM (A5.2.4).
    expect(r.state.realms.get(granuleIndex(R.rd))!.measurements[0]).toEqual(s0.realms.get(granuleIndex(R.rd))!.measurements[0]);
  });

  it('returns as top the next live entry of the parent RTT', () => {
    const s = ok(delegate(tables(), T.l3b), 'RMI_RTT_CREATE', R.rd, T.l3b, MB2, 3n);
    expect(call(s, 'RMI_RTT_DESTROY', [R.rd, 0n, 3n]).regs).toEqual([0n, T.l3, MB2]);
  });

  it('destroys an Unprotected RTT that still holds NS mappings; the parent becomes UNASSIGNED_NS (D-RTT-DESTROY-NS)', () => {
    const s0 = ok(withUnprotectedTables(withRealm()), 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT + KB4, 3n, nsDesc(0x8800_0000n));
    const r = call(s0, 'RMI_RTT_DESTROY', [R.rd, UNPROT, 3n]);
    expect(r.regs).toEqual([0n, T.nl3, UNPROT + GB]);
    expect(walk(r.state, UNPROT).entry.state).toBe(RttEntryState.UNASSIGNED_NS);
    expect(call(r.state, 'RMI_RTT_READ_ENTRY', [R.rd, UNPROT, 2n]).regs).toEqual([0n, 2n, 0n, 0n, 0n]);
  });
});

// -------------------------------------------------------------------------------------
// RMI_RTT_FOLD
// -------------------------------------------------------------------------------------

// DEN0137 B4.3.17.2.
failureSuite('RMI_RTT_FOLD', [
  { label: 'rd_align', setup: () => destroy([R.rd + 8n, 0n, 3n]), x0: X0.INPUT },
  { label: 'rd_bound', setup: () => destroy([OUTSIDE, 0n, 3n]), x0: X0.INPUT },
  { label: 'rd_state', setup: () => destroy([T.l3, 0n, 3n]), x0: X0.INPUT },
  { label: 'level_bound', setup: () => destroy([R.rd, 0n, 1n]), x0: X0.INPUT },
  { label: 'ipa_align', setup: () => destroy([R.rd, KB4, 3n]), x0: X0.INPUT },
  { label: 'ipa_bound', setup: () => destroy([R.rd, IPA_TOP, 2n]), x0: X0.INPUT },
  { label: 'rtt_walk', setup: () => destroy([R.rd, GB, 3n]), x0: X0.RTT(1) },
  { label: 'rtte_state', setup: () => destroy([R.rd, MB2, 3n]), x0: X0.RTT(2) },
  { label: 'rtt_homo', variant: 'one ASSIGNED page', setup: () => destroy([R.rd, 0n, 3n], withData(withSources(tables()), 0x3000n, DATA[0]!)), x0: X0.RTT(3) },
  { label: 'rtt_homo', variant: 'two RIPAS values', setup: () => destroy([R.rd, 0n, 3n], ok(tables(), 'RMI_RTT_INIT_RIPAS', R.rd, 0n, 0x10000n)), x0: X0.RTT(3) },
  { label: 'rtt_homo', variant: 'a TABLE entry', setup: () => destroy([R.rd, 0n, 2n]), x0: X0.RTT(2) },
  {
    label: 'rtt_homo',
    variant: 'ASSIGNED_NS, first address not aligned to 2 MB',
    setup: () => destroy([R.rd, UNPROT, 3n], nsPages(withUnprotectedTables(withRealm()), (k) => 0x9000_1000n + k * KB4)),
    x0: X0.RTT(3),
  },
  {
    label: 'rtt_homo',
    variant: 'ASSIGNED_NS, addresses not contiguous',
    setup: () => destroy([R.rd, UNPROT, 3n], nsPages(withUnprotectedTables(withRealm()), (k) => 0x9000_0000n + (k === 7n ? 0n : k * KB4))),
    x0: X0.RTT(3),
  },
  {
    label: 'rtt_homo',
    variant: 'ASSIGNED_NS, MemAttr differs',
    setup: () => destroy([R.rd, UNPROT, 3n], nsPages(withUnprotectedTables(withRealm()), (k) => 0x9000_0000n + k * KB4, (k) => (k === 300n ? 6n : 5n))),
    x0: X0.RTT(3),
  },
  // D-FOLD-BLOCK: level 1 blocks cannot be folded into a level 0 entry (A5.5.6: level 2 or 3
  // only); the spec reports RTT(level) = RTT(1) through rtt_homo (TF-RMM would give RTT(0)).
  { label: 'rtt_homo', variant: 'ASSIGNED_NS at level 1', setup: () => destroy([R.rd, 1n << 39n, 1n], level1NsBlocks()), x0: X0.RTT(1) },
]);

describe('RMI_RTT_FOLD success (B4.3.17.3)', () => {
  it('folds UNASSIGNED entries with one RIPAS into an UNASSIGNED parent with that RIPAS', () => {
    const s0 = ok(tables(), 'RMI_RTT_INIT_RIPAS', R.rd, 0n, MB2);
    const r = call(s0, 'RMI_RTT_FOLD', [R.rd, 0n, 3n]);
    expect(r.regs).toEqual([0n, T.l3]);
    expect(granuleAt(r.state, granuleIndex(T.l3)).state).toBe(GranuleState.DELEGATED);
    const w = walk(r.state, 0x5000n);
    expect([w.level, w.entry.state, w.entry.ripas]).toEqual([2, RttEntryState.UNASSIGNED, Ripas.RAM]);
  });

  it('folds 512 contiguous DATA pages into a 2 MB ASSIGNED block', () => {
    const s = withDataBlock(withProtectedTables(withSources(withRealm())));
    expect(call(s, 'RMI_RTT_READ_ENTRY', [R.rd, MB2, 2n]).regs).toEqual([0n, 2n, 1n, 0x8020_0000n, 1n]);
    const w = walk(s, MB2 + 0x7000n);
    expect([w.level, w.entry.state, w.entry.addr]).toEqual([2, RttEntryState.ASSIGNED, 0x8020_0000]);
    expect(granuleAt(s, granuleIndex(T.l3b)).state).toBe(GranuleState.DELEGATED);
    // The block keeps the Realm live and holds its 512 DATA granules.
    for (const pa of [BLOCK[0]!, BLOCK[511]!]) expect(granuleAt(s, granuleIndex(pa)).state).toBe(GranuleState.DATA);
  });

  it('folds contiguous ASSIGNED_NS pages into a block with their MemAttr and S2AP', () => {
    const s0 = nsPages(withUnprotectedTables(withRealm()), (k) => 0x9000_0000n + k * KB4);
    const r = call(s0, 'RMI_RTT_FOLD', [R.rd, UNPROT, 3n]);
    expect(r.regs).toEqual([0n, T.nl3]);
    expect(call(r.state, 'RMI_RTT_READ_ENTRY', [R.rd, UNPROT, 3n]).regs).toEqual([0n, 2n, 1n, nsDesc(0x9000_0000n), 0n]);
  });

  it('folds UNASSIGNED_NS entries into an UNASSIGNED_NS parent', () => {
    const r = call(withUnprotectedTables(withRealm()), 'RMI_RTT_FOLD', [R.rd, UNPROT, 3n]);
    expect(r.regs).toEqual([0n, T.nl3]);
    expect(walk(r.state, UNPROT).entry.state).toBe(RttEntryState.UNASSIGNED_NS);
  });
});

// -------------------------------------------------------------------------------------
// RMI_RTT_READ_ENTRY
// -------------------------------------------------------------------------------------

// DEN0137 B4.3.20.2.
failureSuite('RMI_RTT_READ_ENTRY', [
  { label: 'rd_align', setup: () => destroy([R.rd + 8n, 0n, 3n]), x0: X0.INPUT },
  { label: 'rd_bound', setup: () => destroy([OUTSIDE, 0n, 3n]), x0: X0.INPUT },
  { label: 'rd_state', setup: () => destroy([T.l2, 0n, 3n]), x0: X0.INPUT },
  { label: 'level_bound', variant: 'below the starting level', setup: () => destroy([R.rd, 0n, 0n]), x0: X0.INPUT },
  { label: 'level_bound', variant: 'level 4', setup: () => destroy([R.rd, 0n, 4n]), x0: X0.INPUT },
  { label: 'ipa_align', setup: () => destroy([R.rd, KB4, 2n]), x0: X0.INPUT },
  { label: 'ipa_bound', setup: () => destroy([R.rd, IPA_TOP, 1n]), x0: X0.INPUT },
]);

describe('RMI_RTT_READ_ENTRY success (B4.3.20.3)', () => {
  // X1 walk_level, X2 state (0 UNASSIGNED, 1 ASSIGNED, 2 TABLE), X3 desc, X4 ripas (0 EMPTY, 1 RAM, 2 DESTROYED).
  const read = (s: RmmState, ipa: bigint, level: bigint): bigint[] => {
    const r = call(s, 'RMI_RTT_READ_ENTRY', [R.rd, ipa, level]);
    expect(r.state).toBe(s);
    return [...r.regs];
  };

  it('reports the level the walk reached, which may be above the level asked for', () => {
    expect(read(withRealm(), 0x5000n, 3n)).toEqual([0n, 1n, 0n, 0n, 0n]);
  });

  it('reads TABLE entries with the next RTT as desc and RIPAS EMPTY (D-READ-TABLE-RIPAS)', () => {
    expect(read(tables(), 0n, 1n)).toEqual([0n, 1n, 2n, T.l2, 0n]);
    expect(read(tables(), 0n, 2n)).toEqual([0n, 2n, 2n, T.l3, 0n]);
  });

  it('reads UNASSIGNED entries with desc 0 and their RIPAS', () => {
    const s = ok(tables(), 'RMI_RTT_INIT_RIPAS', R.rd, 0n, 0x2000n);
    expect(read(s, 0x1000n, 3n)).toEqual([0n, 3n, 0n, 0n, 1n]);
    expect(read(s, 0x2000n, 3n)).toEqual([0n, 3n, 0n, 0n, 0n]);
  });

  it('reads ASSIGNED entries with the DATA address, also when the RIPAS is DESTROYED (D-READ-DESTROYED)', () => {
    let s = withData(withSources(tables()), 0x1000n, DATA[0]!);
    expect(read(s, 0x1000n, 3n)).toEqual([0n, 3n, 1n, DATA[0]!, 1n]);
    // DATA_DESTROY leaves RIPAS DESTROYED; DATA_CREATE_UNKNOWN keeps it: ASSIGNED + DESTROYED.
    s = ok(s, 'RMI_DATA_DESTROY', R.rd, 0x1000n);
    s = ok(delegate(s, DATA[1]!), 'RMI_DATA_CREATE_UNKNOWN', R.rd, DATA[1]!, 0x1000n);
    expect(read(s, 0x1000n, 3n)).toEqual([0n, 3n, 1n, DATA[1]!, 2n]);
  });

  it('reads Unprotected entries with RIPAS EMPTY; ASSIGNED_NS gives address, MemAttr and S2AP', () => {
    const s = ok(withUnprotectedTables(withRealm()), 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT + KB4, 3n, nsDesc(0x8800_0000n, 1n, 2n));
    expect(read(s, UNPROT, 3n)).toEqual([0n, 3n, 0n, 0n, 0n]);
    expect(read(s, UNPROT + KB4, 3n)).toEqual([0n, 3n, 1n, 0x8800_0000n | (1n << 2n) | (2n << 6n), 0n]);
  });
});

// -------------------------------------------------------------------------------------
// A Realm with starting level −1 (LPA2, 52-bit IPA)
// -------------------------------------------------------------------------------------

describe('a Realm with starting level -1', () => {
  // A platform whose RmiFeatureRegister0.S2SZ is 52 (LPA2 is set in the default value).
  const platform = makePlatform({ features0: (DEFAULT_FEATURES0 & ~0xffn) | 52n });
  const s0 = withRealm({ flags: 1n, s2sz: 52n, rtt_level_start: (1n << 64n) - 1n, rtt_num_start: 1n }, initialState(platform));

  it('returns walk_level -1 as its 64-bit two\'s complement (D-LEVEL-M1)', () => {
    expect(call(s0, 'RMI_RTT_READ_ENTRY', [R.rd, 1n << 48n, (1n << 64n) - 1n]).regs).toEqual([0n, (1n << 64n) - 1n, 0n, 0n, 0n]);
  });

  it('encodes RMI_ERROR_RTT at level -1 with index 0xFF (D-LEVEL-M1)', () => {
    const s = delegate(s0, T.l2);
    const r = call(s, 'RMI_RTT_CREATE', [R.rd, T.l2, 0n, 1n]);
    expect(r.failure?.rule).toBe('RMI_RTT_CREATE/rtt_walk');
    expect(r.regs[0]).toBe(0xff04n);
    expect(stateKey(r.state)).toBe(stateKey(s));
  });

  it('walks the 16-entry level -1 RTT down to level 3', () => {
    let s = delegate(s0, G(8), G(9), G(10), G(11));
    const ipa = (5n << 48n) + (3n << 39n) + (7n << 30n) + (9n << 21n);
    s = ok(s, 'RMI_RTT_CREATE', R.rd, G(8), 5n << 48n, 0n);
    s = ok(s, 'RMI_RTT_CREATE', R.rd, G(9), (5n << 48n) + (3n << 39n), 1n);
    s = ok(s, 'RMI_RTT_CREATE', R.rd, G(10), (5n << 48n) + (3n << 39n) + (7n << 30n), 2n);
    s = ok(s, 'RMI_RTT_CREATE', R.rd, G(11), ipa, 3n);
    expect(call(s, 'RMI_RTT_READ_ENTRY', [R.rd, ipa + 0x3000n, 3n]).regs).toEqual([0n, 3n, 0n, 0n, 0n]);
    expect(call(s, 'RMI_RTT_READ_ENTRY', [R.rd, 5n << 48n, (1n << 64n) - 1n]).regs).toEqual([0n, (1n << 64n) - 1n, 2n, G(8), 0n]);
  });
});
