/**
 * The post-conditions of RMI_RTT_CREATE, RMI_RTT_DESTROY, RMI_RTT_FOLD and RMI_RTT_READ_ENTRY
 * (`post/rtt.ts`, DEN0137 B4.3.15.3, B4.3.16.3, B4.3.17.3, B4.3.20.3): each holds on the real
 * command's transition, applies in the cases its `when` names, and fails on a post-state or
 * output that breaks it. The open outputs of RMI_RTT_READ_ENTRY accept the model's value and
 * other permitted ones, and reject the rest. Expected values are worked out from the spec.
 */
import { describe, expect, it } from 'vitest';
import { GranuleState, Gpt, granuleIndex, Ripas, RttEntryState, rmiRttCreate, rmiRttDestroy, rmiRttFold, rmiRttReadEntry, type RmmState } from '../../src/index.js';
import { R, delegate, ok, withRealm } from '../support/fixtures.js';
import { BLOCK, DATA, GB, KB4, MB2, SRC, T, UNPROT, withData, withProtectedTables, withSources, withUnprotectedTables } from '../rtt/support.js';
import { applicable, broken, doctor, holds, outsideFootprint, permits, transition, withEntry, withGranuleState } from './rtt-support.js';

/** desc of an Unprotected mapping: OA | MemAttr[2:0] << 2 | S2AP << 6 (A5.5.11, D-NS-DESC). */
const nsDesc = (oa: bigint, memAttr = 5n, s2ap = 3n): bigint => oa | (memAttr << 2n) | (s2ap << 6n);
const NS_PA = 0x8800_0000n;

const tables = (): RmmState => withProtectedTables(withSources(withRealm()));

/** The tables with a level 3 RTT at 2 MB full of DATA pages BLOCK[0..511]: a homogeneous ASSIGNED RTT. */
function fullL3b(): RmmState {
  let s = delegate(tables(), T.l3b, ...BLOCK);
  s = ok(s, 'RMI_RTT_CREATE', R.rd, T.l3b, MB2, 3n);
  BLOCK.forEach((pa, k) => {
    s = ok(s, 'RMI_DATA_CREATE', R.rd, pa, MB2 + BigInt(k) * KB4, SRC, 0n);
  });
  return s;
}

/** The Unprotected tables with 512 NS pages at UNPROT mapping NS_PA + k * 4 KB (MemAttr 5, S2AP 3): a homogeneous ASSIGNED_NS RTT. */
function fullNl3(): RmmState {
  let s = withUnprotectedTables(withRealm());
  for (let k = 0n; k < 512n; k++) s = ok(s, 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT + k * KB4, 3n, nsDesc(NS_PA + k * KB4));
  return s;
}

// -------------------------------------------------------------------------------------
// RMI_RTT_CREATE
// -------------------------------------------------------------------------------------

describe('RMI_RTT_CREATE post-conditions (B4.3.15.3)', () => {
  const create = (s: RmmState, rtt: bigint, ipa: bigint, level: bigint) => transition(rmiRttCreate, s, { rd: R.rd, rtt, ipa, level });

  it('unfolding an UNASSIGNED Protected entry: every row but rtte_c_addr and rtte_c_attr applies, and all hold', () => {
    const t = create(delegate(withRealm(), T.l2), T.l2, 0n, 2n);
    expect(applicable(rmiRttCreate, t)).toEqual(['rtt_state', 'rtte_addr', 'rtte_c_ripas', 'rtte_c_state', 'rtte_state']);
    expect(broken(rmiRttCreate, t)).toEqual([]);
    expect(rmiRttCreate.post?.locate).toBeDefined();
    const at = (n: string) => rmiRttCreate.post?.locate[n]?.(t);
    expect([at('rtt'), at('walk.rtt_addr'), at('entry_idx')]).toEqual([granuleIndex(T.l2), granuleIndex(R.rtt), 0]);
  });

  it('fail when the granule is not an RTT, or the parent entry is not TABLE or points elsewhere', () => {
    const t = create(delegate(withRealm(), T.l2, T.spare), T.l2, 0n, 2n);
    expect(holds(rmiRttCreate, 'rtt_state', doctor(t, { post: withGranuleState(t.post, T.l2, GranuleState.DELEGATED, Gpt.REALM) }))).toBe(false);
    const unlinked = doctor(t, { post: withEntry(t.post, R.rtt, 0, { state: RttEntryState.UNASSIGNED, addr: 0 }) });
    expect(holds(rmiRttCreate, 'rtte_state', unlinked)).toBe(false);
    expect(holds(rmiRttCreate, 'rtte_addr', unlinked)).toBe(false);
    const elsewhere = doctor(t, { post: withEntry(t.post, R.rtt, 0, { addr: Number(T.spare) }) });
    expect([holds(rmiRttCreate, 'rtte_state', elsewhere), holds(rmiRttCreate, 'rtte_addr', elsewhere)]).toEqual([true, false]);
  });

  it('rtte_c_ripas and rtte_c_state read the parent entry before the command: children of a DESTROYED parent are DESTROYED', () => {
    // RTT_DESTROY leaves the parent UNASSIGNED with RIPAS DESTROYED (A5.5.9); a new RTT unfolds that.
    const s = ok(tables(), 'RMI_RTT_DESTROY', R.rd, 0n, 3n);
    const t = create(s, T.l3, 0n, 3n);
    expect(broken(rmiRttCreate, t)).toEqual([]);
    expect(holds(rmiRttCreate, 'rtte_c_ripas', doctor(t, { post: withEntry(t.post, T.l3, 7, { ripas: Ripas.EMPTY }) }))).toBe(false);
    expect(holds(rmiRttCreate, 'rtte_c_ripas', doctor(t, { post: withEntry(t.post, T.l3, 511, { ripas: Ripas.RAM }) }))).toBe(false);
    expect(holds(rmiRttCreate, 'rtte_c_state', doctor(t, { post: withEntry(t.post, T.l3, 511, { state: RttEntryState.UNASSIGNED_NS }) }))).toBe(false);
  });

  it('unfolding a 2 MB DATA block: children map BLOCK[k] with RIPAS RAM; a swapped address breaks rtte_c_addr', () => {
    // Fold the full level 3 RTT into a block, then unfold it again with the same granule.
    const s = ok(fullL3b(), 'RMI_RTT_FOLD', R.rd, MB2, 3n);
    const t = create(s, T.l3b, MB2, 3n);
    expect(applicable(rmiRttCreate, t)).toEqual(['rtt_state', 'rtte_addr', 'rtte_c_addr', 'rtte_c_ripas', 'rtte_c_state', 'rtte_state']);
    expect(broken(rmiRttCreate, t)).toEqual([]);
    expect(holds(rmiRttCreate, 'rtte_c_addr', doctor(t, { post: withEntry(t.post, T.l3b, 5, { addr: Number(BLOCK[6]) }) }))).toBe(false);
    expect(holds(rmiRttCreate, 'rtte_c_addr', doctor(t, { post: withEntry(t.post, T.l3b, 0, { addr: Number(BLOCK[0]) + 4096 }) }))).toBe(false);
    expect(holds(rmiRttCreate, 'rtte_c_ripas', doctor(t, { post: withEntry(t.post, T.l3b, 0, { ripas: Ripas.EMPTY }) }))).toBe(false);
  });

  it('unfolding a 2 MB Unprotected block: children keep MemAttr and S2AP (rtte_c_attr, derived from A5.5.7); RIPAS is not checked', () => {
    let s = delegate(withRealm(), T.nl2, T.nl3);
    s = ok(s, 'RMI_RTT_CREATE', R.rd, T.nl2, UNPROT, 2n);
    s = ok(s, 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT, 2n, nsDesc(NS_PA, 1n, 2n));
    const t = create(s, T.nl3, UNPROT, 3n);
    expect(applicable(rmiRttCreate, t)).toEqual(['rtt_state', 'rtte_addr', 'rtte_c_addr', 'rtte_c_attr', 'rtte_c_state', 'rtte_state']);
    expect(broken(rmiRttCreate, t)).toEqual([]);
    expect(holds(rmiRttCreate, 'rtte_c_attr', doctor(t, { post: withEntry(t.post, T.nl3, 9, { memAttr: 5 }) }))).toBe(false);
    expect(holds(rmiRttCreate, 'rtte_c_attr', doctor(t, { post: withEntry(t.post, T.nl3, 9, { s2ap: 3 }) }))).toBe(false);
    expect(holds(rmiRttCreate, 'rtte_c_addr', doctor(t, { post: withEntry(t.post, T.nl3, 511, { addr: Number(NS_PA) }) }))).toBe(false);
  });

  it('the footprint allows the new RTT and the parent entry, not a neighbour of the parent entry', () => {
    const t = create(delegate(withRealm(), T.l2), T.l2, 0n, 2n);
    expect(outsideFootprint(rmiRttCreate, t, t.post)).toEqual([]);
    expect(outsideFootprint(rmiRttCreate, t, withEntry(t.post, R.rtt, 1, { ripas: Ripas.RAM }))).toEqual([{ kind: 'rtt', gi: granuleIndex(R.rtt), entry: 1 }]);
  });
});

// -------------------------------------------------------------------------------------
// RMI_RTT_DESTROY
// -------------------------------------------------------------------------------------

describe('RMI_RTT_DESTROY post-conditions (B4.3.16.3)', () => {
  const destroy = (s: RmmState, ipa: bigint, level: bigint) => transition(rmiRttDestroy, s, { rd: R.rd, ipa, level });

  it('a Protected RTT: the parent entry is UNASSIGNED with RIPAS DESTROYED, rtt is the RTT, top the end of the parent RTT', () => {
    const t = destroy(tables(), 0n, 3n);
    expect(applicable(rmiRttDestroy, t)).toEqual(['ripas', 'rtt', 'rtt_state', 'rtte_state', 'top']);
    expect(broken(rmiRttDestroy, t)).toEqual([]);
    // Nothing else is live in the level 2 RTT at 0: walk_top is its end, 1 GB.
    expect(t.out).toEqual({ rtt: T.l3, top: GB });
    const at = (n: string) => rmiRttDestroy.post?.locate[n]?.(t);
    expect([at('walk.rtte.addr'), at('walk.rtt_addr'), at('entry_idx')]).toEqual([granuleIndex(T.l3), granuleIndex(T.l2), 0]);
  });

  it('each row fails on a post-state or output that breaks it', () => {
    const t = destroy(tables(), 0n, 3n);
    expect(holds(rmiRttDestroy, 'rtte_state', doctor(t, { post: withEntry(t.post, T.l2, 0, { state: RttEntryState.UNASSIGNED_NS }) }))).toBe(false);
    expect(holds(rmiRttDestroy, 'ripas', doctor(t, { post: withEntry(t.post, T.l2, 0, { ripas: Ripas.EMPTY }) }))).toBe(false);
    expect(holds(rmiRttDestroy, 'rtt_state', doctor(t, { post: withGranuleState(t.post, T.l3, GranuleState.RTT, Gpt.REALM) }))).toBe(false);
    expect(holds(rmiRttDestroy, 'rtt', doctor(t, { out: { rtt: T.l2 } }))).toBe(false);
    expect(holds(rmiRttDestroy, 'top', doctor(t, { out: { top: 0n } }))).toBe(false);
    expect(holds(rmiRttDestroy, 'top', doctor(t, { out: { top: GB - MB2 } }))).toBe(false);
  });

  it('top is the next live entry of the parent RTT after the command: a TABLE entry at 4 MB', () => {
    let s = delegate(tables(), T.l3b);
    s = ok(s, 'RMI_RTT_CREATE', R.rd, T.l3b, 2n * MB2, 3n);
    const t = destroy(s, 0n, 3n);
    expect(t.out.top).toBe(2n * MB2);
    expect(broken(rmiRttDestroy, t)).toEqual([]);
    expect(holds(rmiRttDestroy, 'top', doctor(t, { out: { top: MB2 } }))).toBe(false);
    expect(holds(rmiRttDestroy, 'top', doctor(t, { out: { top: GB } }))).toBe(false);
  });

  it('an Unprotected RTT (D-RTT-DESTROY-NS): the parent entry is UNASSIGNED_NS; ASSIGNED_NS entries stop top', () => {
    let s = withUnprotectedTables(withRealm());
    // An NS page in the RTT being destroyed (it does not make the RTT live) and a 2 MB NS block at entry 3 of the parent.
    s = ok(s, 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT + KB4, 3n, nsDesc(NS_PA));
    s = ok(s, 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT + 3n * MB2, 2n, nsDesc(NS_PA + 3n * MB2));
    const t = destroy(s, UNPROT, 3n);
    expect(applicable(rmiRttDestroy, t)).toEqual(['rtt', 'rtt_state', 'rtte_state_ns', 'top']);
    expect(broken(rmiRttDestroy, t)).toEqual([]);
    expect(t.out).toEqual({ rtt: T.nl3, top: UNPROT + 3n * MB2 });
    // The spec's literal reading, UNASSIGNED with RIPAS DESTROYED, breaks the derived row.
    const literal = withEntry(t.post, T.nl2, 0, { state: RttEntryState.UNASSIGNED, ripas: Ripas.DESTROYED });
    expect(holds(rmiRttDestroy, 'rtte_state_ns', doctor(t, { post: literal }))).toBe(false);
  });

  it('the footprint allows the parent entry and the RTT granule (its record and contents), nothing else', () => {
    const t = destroy(tables(), 0n, 3n);
    expect(outsideFootprint(rmiRttDestroy, t, t.post)).toEqual([]);
    const also = withGranuleState(t.post, T.spare, GranuleState.DELEGATED, Gpt.REALM);
    expect(outsideFootprint(rmiRttDestroy, t, also)).toEqual([
      { kind: 'granule', gi: granuleIndex(T.spare), field: 'state' },
      { kind: 'granule', gi: granuleIndex(T.spare), field: 'gpt' },
    ]);
  });
});

// -------------------------------------------------------------------------------------
// RMI_RTT_FOLD
// -------------------------------------------------------------------------------------

describe('RMI_RTT_FOLD post-conditions (B4.3.17.3)', () => {
  const fold = (s: RmmState, ipa: bigint, level: bigint) => transition(rmiRttFold, s, { rd: R.rd, ipa, level });

  it('an UNASSIGNED RTT with RIPAS DESTROYED: the parent takes state and RIPAS; rtte_addr and rtte_attr do not apply', () => {
    let s = ok(tables(), 'RMI_RTT_DESTROY', R.rd, 0n, 3n);
    s = ok(s, 'RMI_RTT_CREATE', R.rd, T.l3, 0n, 3n);
    const t = fold(s, 0n, 3n);
    expect(applicable(rmiRttFold, t)).toEqual(['rtt', 'rtt_state', 'rtte_ripas', 'rtte_state']);
    expect(broken(rmiRttFold, t)).toEqual([]);
    expect(t.out).toEqual({ rtt: T.l3 });
    expect(holds(rmiRttFold, 'rtte_ripas', doctor(t, { post: withEntry(t.post, T.l2, 0, { ripas: Ripas.EMPTY }) }))).toBe(false);
    expect(holds(rmiRttFold, 'rtte_state', doctor(t, { post: withEntry(t.post, T.l2, 0, { state: RttEntryState.UNASSIGNED_NS }) }))).toBe(false);
    expect(holds(rmiRttFold, 'rtt_state', doctor(t, { post: withGranuleState(t.post, T.l3, GranuleState.RTT, Gpt.REALM) }))).toBe(false);
    expect(holds(rmiRttFold, 'rtt', doctor(t, { out: { rtt: 0n } }))).toBe(false);
  });

  it('a full RTT of DATA pages: the parent becomes a 2 MB ASSIGNED block at BLOCK[0] with RIPAS RAM', () => {
    const t = fold(fullL3b(), MB2, 3n);
    expect(applicable(rmiRttFold, t)).toEqual(['rtt', 'rtt_state', 'rtte_addr', 'rtte_attr', 'rtte_ripas', 'rtte_state']);
    expect(broken(rmiRttFold, t)).toEqual([]);
    expect(holds(rmiRttFold, 'rtte_addr', doctor(t, { post: withEntry(t.post, T.l2, 1, { addr: Number(BLOCK[1]) }) }))).toBe(false);
    expect(holds(rmiRttFold, 'rtte_attr', doctor(t, { post: withEntry(t.post, T.l2, 1, { memAttr: 1 }) }))).toBe(false);
    expect(holds(rmiRttFold, 'rtte_ripas', doctor(t, { post: withEntry(t.post, T.l2, 1, { ripas: Ripas.EMPTY }) }))).toBe(false);
    expect(holds(rmiRttFold, 'rtte_state', doctor(t, { post: withEntry(t.post, T.l2, 1, { state: RttEntryState.ASSIGNED_NS }) }))).toBe(false);
  });

  it('a full RTT of NS pages: the parent becomes an ASSIGNED_NS block with their attributes; RIPAS is not checked', () => {
    const t = fold(fullNl3(), UNPROT, 3n);
    expect(applicable(rmiRttFold, t)).toEqual(['rtt', 'rtt_state', 'rtte_addr', 'rtte_attr', 'rtte_state']);
    expect(broken(rmiRttFold, t)).toEqual([]);
    expect(holds(rmiRttFold, 'rtte_attr', doctor(t, { post: withEntry(t.post, T.nl2, 0, { s2ap: 1 }) }))).toBe(false);
    expect(holds(rmiRttFold, 'rtte_addr', doctor(t, { post: withEntry(t.post, T.nl2, 0, { addr: Number(NS_PA + MB2) }) }))).toBe(false);
    expect(outsideFootprint(rmiRttFold, t, t.post)).toEqual([]);
  });
});

// -------------------------------------------------------------------------------------
// RMI_RTT_READ_ENTRY
// -------------------------------------------------------------------------------------

describe('RMI_RTT_READ_ENTRY post-conditions and open outputs (B4.3.20.3)', () => {
  const read = (s: RmmState, ipa: bigint, level: bigint) => transition(rmiRttReadEntry, s, { rd: R.rd, ipa, level });
  const withPage = (): RmmState => withData(tables(), 0x3000n, DATA[0] as bigint);

  it('an ASSIGNED page with RIPAS RAM: state 1, desc its address, ripas RMI_RAM', () => {
    const t = read(withPage(), 0x3000n, 3n);
    expect(applicable(rmiRttReadEntry, t)).toEqual(['ripas_prot', 'state', 'state_prot', 'walk_level']);
    expect(t.out).toEqual({ walk_level: 3n, state: 1n, desc: DATA[0], ripas: 1n });
    expect(broken(rmiRttReadEntry, t)).toEqual([]);
    expect(holds(rmiRttReadEntry, 'walk_level', doctor(t, { out: { walk_level: 2n } }))).toBe(false);
    expect(holds(rmiRttReadEntry, 'state', doctor(t, { out: { state: 2n } }))).toBe(false);
    expect(holds(rmiRttReadEntry, 'state_prot', doctor(t, { out: { desc: (DATA[0] as bigint) + KB4 } }))).toBe(false);
    expect(holds(rmiRttReadEntry, 'state_prot', doctor(t, { out: { desc: (DATA[0] as bigint) | (5n << 2n) } }))).toBe(false);
    expect(holds(rmiRttReadEntry, 'ripas_prot', doctor(t, { out: { ripas: 0n } }))).toBe(false);
  });

  it('an ASSIGNED page with RIPAS DESTROYED: desc still holds its address (D-READ-DESTROYED), not TF-RMM\'s 0', () => {
    let s = ok(withPage(), 'RMI_DATA_DESTROY', R.rd, 0x3000n);
    s = ok(s, 'RMI_DATA_CREATE_UNKNOWN', R.rd, DATA[0] as bigint, 0x3000n);
    const t = read(s, 0x3000n, 3n);
    expect(t.out).toEqual({ walk_level: 3n, state: 1n, desc: DATA[0], ripas: 2n });
    expect(broken(rmiRttReadEntry, t)).toEqual([]);
    expect(holds(rmiRttReadEntry, 'state_prot', doctor(t, { out: { desc: 0n } }))).toBe(false);
    expect(permits(rmiRttReadEntry, 'desc', t, 0n)).toBe(false);
  });

  it('an UNASSIGNED entry where the walk stops above the level: walk_level 2, desc 0, its RIPAS', () => {
    const t = read(withPage(), MB2, 3n);
    expect(applicable(rmiRttReadEntry, t)).toEqual(['ripas_prot', 'state', 'state_invalid', 'walk_level']);
    expect(t.out).toEqual({ walk_level: 2n, state: 0n, desc: 0n, ripas: 0n });
    expect(broken(rmiRttReadEntry, t)).toEqual([]);
    expect(holds(rmiRttReadEntry, 'walk_level', doctor(t, { out: { walk_level: 3n } }))).toBe(false);
    expect(holds(rmiRttReadEntry, 'state_invalid', doctor(t, { out: { desc: MB2 } }))).toBe(false);
    expect(holds(rmiRttReadEntry, 'state_invalid', doctor(t, { out: { desc: 3n << 6n } }))).toBe(false);
    expect(holds(rmiRttReadEntry, 'ripas_prot', doctor(t, { out: { ripas: 2n } }))).toBe(false);
  });

  it('Unprotected entries: ripas RMI_EMPTY; an ASSIGNED_NS entry gives address, MemAttr and S2AP', () => {
    const s = ok(withUnprotectedTables(withRealm()), 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT + KB4, 3n, nsDesc(NS_PA, 1n, 2n));
    const t = read(s, UNPROT + KB4, 3n);
    expect(applicable(rmiRttReadEntry, t)).toEqual(['ripas_unprot', 'state', 'state_unprot', 'walk_level']);
    expect(t.out).toEqual({ walk_level: 3n, state: 1n, desc: nsDesc(NS_PA, 1n, 2n), ripas: 0n });
    expect(broken(rmiRttReadEntry, t)).toEqual([]);
    expect(holds(rmiRttReadEntry, 'state_unprot', doctor(t, { out: { desc: NS_PA | (1n << 2n) } }))).toBe(false);
    expect(holds(rmiRttReadEntry, 'state_unprot', doctor(t, { out: { desc: nsDesc(NS_PA, 5n, 2n) } }))).toBe(false);
    expect(holds(rmiRttReadEntry, 'ripas_unprot', doctor(t, { out: { ripas: 1n } }))).toBe(false);
    const u = read(s, UNPROT, 3n);
    expect(applicable(rmiRttReadEntry, u)).toEqual(['ripas_unprot', 'state', 'state_invalid', 'walk_level']);
    expect(broken(rmiRttReadEntry, u)).toEqual([]);
  });

  it('desc is open only in the bits RttEntryFromDescriptor does not read (B4.3.20.1.3)', () => {
    const t = read(withPage(), 0x3000n, 3n);
    const d = DATA[0] as bigint;
    expect(permits(rmiRttReadEntry, 'desc', t, d)).toBe(true);
    // The valid and page bits (1:0) and the access flag (10) of a stage 2 page descriptor.
    expect(permits(rmiRttReadEntry, 'desc', t, d | 0b11n | (1n << 10n))).toBe(true);
    expect(permits(rmiRttReadEntry, 'desc', t, d + KB4)).toBe(false);
    // Bit 8 is OA[50] in the LPA2 layout the model reads (D-NS-DESC).
    expect(permits(rmiRttReadEntry, 'desc', t, d | (1n << 8n))).toBe(false);
    expect(permits(rmiRttReadEntry, 'desc', t, d | (3n << 6n))).toBe(false);
  });

  it('ripas of a TABLE entry is open (D-READ-TABLE-RIPAS): any RmiRipas value; elsewhere only the spec\'s', () => {
    const t = read(withPage(), 0n, 2n);
    expect(applicable(rmiRttReadEntry, t)).toEqual(['state', 'state_prot', 'walk_level']);
    expect(t.out).toEqual({ walk_level: 2n, state: 2n, desc: T.l3, ripas: 0n });
    expect(broken(rmiRttReadEntry, t)).toEqual([]);
    expect([0n, 1n, 2n, 3n, 0x100n].map((v) => permits(rmiRttReadEntry, 'ripas', t, v))).toEqual([true, true, true, false, false]);
    const page = read(withPage(), 0x3000n, 3n);
    expect([0n, 1n, 2n].map((v) => permits(rmiRttReadEntry, 'ripas', page, v))).toEqual([false, true, false]);
  });

  it('changes nothing: the footprint is empty', () => {
    const t = read(withPage(), 0x3000n, 3n);
    expect(outsideFootprint(rmiRttReadEntry, t, t.post)).toEqual([]);
    expect(outsideFootprint(rmiRttReadEntry, t, withEntry(t.post, T.l3, 3, { ripas: Ripas.EMPTY }))).toEqual([{ kind: 'rtt', gi: granuleIndex(T.l3), entry: 3 }]);
  });
});
