/**
 * RMI_DATA_CREATE, RMI_DATA_CREATE_UNKNOWN and RMI_DATA_DESTROY (DEN0137 B4.3.1–B4.3.3): every
 * failure condition as the first to hold, and the success post-states, from the spec digest.
 * The bit-exact RIM extension is tested in `../measurement.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { GranuleState, Ripas, RttEntryState, granuleAt, granuleBytes, granuleIndex, initialState, makePlatform, type RmmState } from '../../src/index.js';
import { OUTSIDE, R, X0, call, delegate, ok, withRealm } from '../support/fixtures.js';
import { failureSuite } from '../support/failures.js';
import { DATA, GB, KB4, MB2, SRC, T, UNPROT, pattern, walk, withData, withDataBlock, withProtectedTables, withSources } from './support.js';

const HIGH = 1n << 48n;
const highPlatform = makePlatform({ dram: [{ base: 0x8000_0000n, size: 0x3fe0_0000n }, { base: HIGH, size: 0x10_0000n }] });

/** The standard Realm with its protected tables, SRC written and DATA[0] delegated. */
const ready = (s0: RmmState = withRealm()): RmmState => delegate(withSources(withProtectedTables(s0)), DATA[0]!);
const rimOf = (s: RmmState): Uint8Array => s.realms.get(granuleIndex(R.rd))!.measurements[0]!;
const args = (a: bigint[], s: RmmState = ready()): { s: RmmState; args: bigint[] } => ({ s, args: a });
const active = (): RmmState => ok(ready(), 'RMI_REALM_ACTIVATE', R.rd);

// -------------------------------------------------------------------------------------
// RMI_DATA_CREATE
// -------------------------------------------------------------------------------------

const dc = (rd: bigint, data: bigint, ipa: bigint, src: bigint, flags: bigint, s?: RmmState) => args([rd, data, ipa, src, flags], s);
const D0 = DATA[0]!;

// DEN0137 B4.3.1.2, plus the derived flags_valid (D-ENCODING).
failureSuite('RMI_DATA_CREATE', [
  { label: 'flags_valid', setup: () => dc(R.rd, D0, KB4, SRC, 2n), x0: X0.INPUT },
  { label: 'src_align', setup: () => dc(R.rd, D0, KB4, SRC + 8n, 1n), x0: X0.INPUT },
  { label: 'src_bound', setup: () => dc(R.rd, D0, KB4, OUTSIDE, 1n), x0: X0.INPUT },
  { label: 'src_pas', setup: () => dc(R.rd, D0, KB4, T.l3, 1n), x0: X0.INPUT },
  { label: 'data_align', setup: () => dc(R.rd, D0 + 8n, KB4, SRC, 1n), x0: X0.INPUT },
  { label: 'data_bound', setup: () => dc(R.rd, OUTSIDE, KB4, SRC, 1n), x0: X0.INPUT },
  { label: 'data_state', variant: 'undelegated', setup: () => dc(R.rd, DATA[1]!, KB4, SRC, 1n), x0: X0.INPUT },
  { label: 'data_state', variant: 'already DATA', setup: () => dc(R.rd, D0, KB4, SRC, 1n, withData(ready(), 0n, D0)), x0: X0.INPUT },
  { label: 'data_bound2', setup: () => dc(R.rd, HIGH, KB4, SRC, 1n, delegate(ready(withRealm({}, initialState(highPlatform))), HIGH)), x0: X0.INPUT },
  { label: 'rd_align', setup: () => dc(R.rd + 8n, D0, KB4, SRC, 1n), x0: X0.INPUT },
  { label: 'rd_bound', setup: () => dc(OUTSIDE, D0, KB4, SRC, 1n), x0: X0.INPUT },
  { label: 'rd_state', setup: () => dc(T.l2, D0, KB4, SRC, 1n), x0: X0.INPUT },
  { label: 'ipa_align', setup: () => dc(R.rd, D0, 0x1800n, SRC, 1n), x0: X0.INPUT },
  { label: 'ipa_bound', setup: () => dc(R.rd, D0, UNPROT, SRC, 1n), x0: X0.INPUT },
  { label: 'realm_state', setup: () => dc(R.rd, D0, KB4, SRC, 1n, active()), x0: X0.REALM(0) },
  { label: 'rtt_walk', setup: () => dc(R.rd, D0, MB2, SRC, 1n), x0: X0.RTT(2) },
  { label: 'rtte_state', setup: () => dc(R.rd, DATA[1]!, KB4, SRC, 1n, withData(delegate(ready(), DATA[1]!), KB4, D0)), x0: X0.RTT(3) },
]);

describe('RMI_DATA_CREATE success (B4.3.1.3)', () => {
  it('makes the granule DATA, mapped at ipa with RIPAS RAM, holding the source bytes', () => {
    const s0 = ready();
    const s = ok(s0, 'RMI_DATA_CREATE', R.rd, D0, KB4, SRC, 1n);
    expect(granuleAt(s, granuleIndex(D0)).state).toBe(GranuleState.DATA);
    const w = walk(s, KB4);
    expect([w.level, w.entry.state, w.entry.ripas, w.entry.addr]).toEqual([3, RttEntryState.ASSIGNED, Ripas.RAM, Number(D0)]);
    expect(granuleBytes(s, granuleIndex(D0))).toEqual(pattern(1));
    // The contents are shared, not copied: the state's byte arrays are immutable.
    expect(s.memory.get(granuleIndex(D0))).toBe(s0.memory.get(granuleIndex(SRC)));
    expect(s.rtts.get(granuleIndex(T.l3))!.live).toBe(1);
    expect(rimOf(s)).not.toEqual(rimOf(s0));
  });

  it('measures the content only with flags.measure: the two RIMs differ', () => {
    const a = ok(ready(), 'RMI_DATA_CREATE', R.rd, D0, KB4, SRC, 1n);
    const b = ok(ready(), 'RMI_DATA_CREATE', R.rd, D0, KB4, SRC, 0n);
    expect(rimOf(a)).not.toEqual(rimOf(b));
  });

  it('maps over RIPAS EMPTY, RAM or DESTROYED alike, always giving RAM', () => {
    let s = ok(ready(), 'RMI_RTT_INIT_RIPAS', R.rd, 0x2000n, 0x3000n);
    s = ok(withData(s, 0x3000n, DATA[2]!), 'RMI_DATA_DESTROY', R.rd, 0x3000n);
    expect([walk(s, KB4).entry.ripas, walk(s, 0x2000n).entry.ripas, walk(s, 0x3000n).entry.ripas]).toEqual([Ripas.EMPTY, Ripas.RAM, Ripas.DESTROYED]);
    s = withData(withData(withData(s, KB4, DATA[3]!), 0x2000n, DATA[4]!), 0x3000n, DATA[5]!);
    for (const ipa of [KB4, 0x2000n, 0x3000n]) expect(walk(s, ipa).entry).toMatchObject({ state: RttEntryState.ASSIGNED, ripas: Ripas.RAM });
  });

  it('copies an all-zero source as zeros', () => {
    const s = ok(delegate(ready(), DATA[1]!), 'RMI_DATA_CREATE', R.rd, DATA[1]!, KB4, DATA[7]!, 0n);
    expect(s.memory.has(granuleIndex(DATA[1]!))).toBe(false);
    expect(granuleBytes(s, granuleIndex(DATA[1]!)).every((b) => b === 0)).toBe(true);
  });
});

// -------------------------------------------------------------------------------------
// RMI_DATA_CREATE_UNKNOWN
// -------------------------------------------------------------------------------------

const du = (rd: bigint, data: bigint, ipa: bigint, s?: RmmState) => args([rd, data, ipa], s);

// DEN0137 B4.3.2.2.
failureSuite('RMI_DATA_CREATE_UNKNOWN', [
  { label: 'data_align', setup: () => du(R.rd, D0 + 0x10n, KB4), x0: X0.INPUT },
  { label: 'data_bound', setup: () => du(R.rd, OUTSIDE, KB4), x0: X0.INPUT },
  { label: 'data_state', setup: () => du(R.rd, T.l3, KB4), x0: X0.INPUT },
  { label: 'data_bound2', setup: () => du(R.rd, HIGH, KB4, delegate(ready(withRealm({}, initialState(highPlatform))), HIGH)), x0: X0.INPUT },
  { label: 'rd_align', setup: () => du(R.rd + 8n, D0, KB4), x0: X0.INPUT },
  { label: 'rd_bound', setup: () => du(OUTSIDE, D0, KB4), x0: X0.INPUT },
  { label: 'rd_state', setup: () => du(D0, D0, KB4), x0: X0.INPUT },
  { label: 'ipa_align', setup: () => du(R.rd, D0, 0x10n), x0: X0.INPUT },
  { label: 'ipa_bound', setup: () => du(R.rd, D0, UNPROT + KB4), x0: X0.INPUT },
  { label: 'rtt_walk', setup: () => du(R.rd, D0, GB), x0: X0.RTT(1) },
  { label: 'rtte_state', setup: () => du(R.rd, DATA[1]!, KB4, withData(delegate(ready(), DATA[1]!), KB4, D0)), x0: X0.RTT(3) },
]);

describe('RMI_DATA_CREATE_UNKNOWN success (B4.3.2.3)', () => {
  it('maps a DATA granule keeping the RIPAS, without measuring, also in an active Realm', () => {
    let s0 = ok(ready(), 'RMI_RTT_INIT_RIPAS', R.rd, 0x2000n, 0x3000n);
    s0 = ok(delegate(s0, DATA[1]!), 'RMI_REALM_ACTIVATE', R.rd);
    let s = ok(s0, 'RMI_DATA_CREATE_UNKNOWN', R.rd, D0, KB4);
    s = ok(s, 'RMI_DATA_CREATE_UNKNOWN', R.rd, DATA[1]!, 0x2000n);
    expect(walk(s, KB4).entry).toEqual({ state: RttEntryState.ASSIGNED, ripas: Ripas.EMPTY, addr: Number(D0), memAttr: 0, s2ap: 0 });
    expect(walk(s, 0x2000n).entry).toMatchObject({ state: RttEntryState.ASSIGNED, ripas: Ripas.RAM, addr: Number(DATA[1]!) });
    expect(granuleAt(s, granuleIndex(D0)).state).toBe(GranuleState.DATA);
    expect(rimOf(s)).toEqual(rimOf(s0));
    expect(s.memory.has(granuleIndex(D0))).toBe(false);
  });
});

// -------------------------------------------------------------------------------------
// RMI_DATA_DESTROY
// -------------------------------------------------------------------------------------

const dd = (rd: bigint, ipa: bigint, s?: RmmState) => args([rd, ipa], s);
const oneData = (): RmmState => withData(ready(), 0x3000n, D0);

// DEN0137 B4.3.3.2, outcomes from B4.3.3.1.3: top > ipa when not mapped, == ipa when mapped as a
// block, 0 for the other failures.
failureSuite('RMI_DATA_DESTROY', [
  { label: 'rd_align', setup: () => dd(R.rd + 8n, 0x3000n, oneData()), x0: X0.INPUT, out: [null, 0n] },
  { label: 'rd_bound', setup: () => dd(OUTSIDE, 0x3000n, oneData()), x0: X0.INPUT, out: [null, 0n] },
  { label: 'rd_state', setup: () => dd(D0, 0x3000n, oneData()), x0: X0.INPUT, out: [null, 0n] },
  { label: 'ipa_align', setup: () => dd(R.rd, 0x3008n, oneData()), x0: X0.INPUT, out: [null, 0n] },
  { label: 'ipa_bound', setup: () => dd(R.rd, UNPROT, oneData()), x0: X0.INPUT, out: [null, 0n] },
  // No level 3 RTT at 2 MB: entries 1..511 of the level 2 RTT are non-live, top = 1 GB.
  { label: 'rtt_walk', variant: 'not mapped', setup: () => dd(R.rd, MB2, oneData()), x0: X0.RTT(2), out: [null, GB] },
  // E-SKIP-LIVE: an IPA inside a 2 MB block gives top == ipa (B4.3.3.1.3), not ipa aligned down (B3.76).
  { label: 'rtt_walk', variant: 'mapped as a block', setup: () => dd(R.rd, MB2 + 0x3000n, withDataBlock(oneData())), x0: X0.RTT(2), out: [null, MB2 + 0x3000n] },
  { label: 'rtte_state', setup: () => dd(R.rd, KB4, oneData()), x0: X0.RTT(3), out: [null, 0x3000n] },
]);

describe('RMI_DATA_DESTROY success (B4.3.3.3)', () => {
  it('unmaps the page: UNASSIGNED, RIPAS RAM becomes DESTROYED, the granule DELEGATED and wiped', () => {
    const s0 = oneData();
    const r = call(s0, 'RMI_DATA_DESTROY', [R.rd, 0x3000n]);
    // data = the DATA granule; top = walk_top after the command: nothing live follows in the RTT.
    expect(r.regs).toEqual([0n, D0, MB2]);
    expect(walk(r.state, 0x3000n).entry).toEqual({ state: RttEntryState.UNASSIGNED, ripas: Ripas.DESTROYED, addr: 0, memAttr: 0, s2ap: 0 });
    expect(granuleAt(r.state, granuleIndex(D0)).state).toBe(GranuleState.DELEGATED);
    expect(r.state.memory.has(granuleIndex(D0))).toBe(false);
    expect(r.state.rtts.get(granuleIndex(T.l3))!.live).toBe(0);
    expect(rimOf(r.state)).toEqual(rimOf(s0));
  });

  it('returns the next live entry as top, and leaves RIPAS EMPTY and DESTROYED as they were', () => {
    let s = ok(oneData(), 'RMI_REALM_ACTIVATE', R.rd);
    s = ok(delegate(s, DATA[1]!), 'RMI_DATA_CREATE_UNKNOWN', R.rd, DATA[1]!, KB4);
    let r = call(s, 'RMI_DATA_DESTROY', [R.rd, KB4]);
    expect(r.regs).toEqual([0n, DATA[1]!, 0x3000n]);
    expect(walk(r.state, KB4).entry.ripas).toBe(Ripas.EMPTY);
    // ASSIGNED with RIPAS DESTROYED: destroy, recreate unknown, destroy again.
    s = ok(r.state, 'RMI_DATA_DESTROY', R.rd, 0x3000n);
    s = ok(s, 'RMI_DATA_CREATE_UNKNOWN', R.rd, D0, 0x3000n);
    r = call(s, 'RMI_DATA_DESTROY', [R.rd, 0x3000n]);
    expect(r.regs).toEqual([0n, D0, MB2]);
    expect(walk(r.state, 0x3000n).entry.ripas).toBe(Ripas.DESTROYED);
  });
});
