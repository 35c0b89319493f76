/**
 * RMI_RTT_INIT_RIPAS and RMI_RTT_SET_RIPAS (DEN0137 B4.3.18, B4.3.21): every failure condition as
 * the first to hold, and the success post-states, from the spec digest. A pending RIPAS request
 * is what a REC exit due to RSI_IPA_STATE_SET leaves in the REC; the tests put it there directly.
 */
import { describe, expect, it } from 'vitest';
import { encodeStruct, granuleIndex, RmiRealmParams, Ripas, RttEntryState, type RmmState } from '../../src/index.js';
import { G, OUTSIDE, R, X0, call, delegate, ok, realmParamsFields, withRealm, withRec, write } from '../support/fixtures.js';
import { failureSuite } from '../support/failures.js';
import { DATA, GB, KB4, MB2, T, UNPROT, walk, withData, withProtectedTables, withRipasRequest, withSources } from './support.js';

const tables = (): RmmState => withSources(withProtectedTables(withRealm()));
const rimOf = (s: RmmState): Uint8Array => s.realms.get(granuleIndex(R.rd))!.measurements[0]!;
const ripasAt = (s: RmmState, ipa: bigint): number => walk(s, ipa).entry.ripas;
const args = (a: bigint[], s: RmmState = tables()): { s: RmmState; args: bigint[] } => ({ s, args: a });

// -------------------------------------------------------------------------------------
// RMI_RTT_INIT_RIPAS
// -------------------------------------------------------------------------------------

// DEN0137 B4.3.18.2.
failureSuite('RMI_RTT_INIT_RIPAS', [
  { label: 'rd_align', setup: () => args([R.rd + 8n, 0n, 0x2000n]), x0: X0.INPUT },
  { label: 'rd_bound', setup: () => args([OUTSIDE, 0n, 0x2000n]), x0: X0.INPUT },
  { label: 'rd_state', setup: () => args([T.l2, 0n, 0x2000n]), x0: X0.INPUT },
  { label: 'size_valid', variant: 'top == base', setup: () => args([R.rd, 0x2000n, 0x2000n]), x0: X0.INPUT },
  { label: 'size_valid', variant: 'top < base', setup: () => args([R.rd, 0x2000n, KB4]), x0: X0.INPUT },
  { label: 'top_bound', variant: 'last granule Unprotected', setup: () => args([R.rd, UNPROT, UNPROT + 0x2000n]), x0: X0.INPUT },
  { label: 'top_bound', variant: 'top below 4 KB (top - 4 KB wraps)', setup: () => args([R.rd, 0n, 0x800n]), x0: X0.INPUT },
  { label: 'realm_state', setup: () => args([R.rd, 0n, 0x2000n], ok(tables(), 'RMI_REALM_ACTIVATE', R.rd)), x0: X0.REALM(0) },
  // ACS BASE_LEVEL_UNALIGNED: the walk to 2 MB + 4 KB ends at level 2.
  { label: 'base_align', variant: 'not aligned to the walk level', setup: () => args([R.rd, MB2 + KB4, MB2 + 0x2000n]), x0: X0.RTT(2) },
  // D-RIPAS-BASE-ALIGN: not granule aligned gives RTT(walk.level) as well (TF-RMM: INPUT).
  { label: 'base_align', variant: 'not granule aligned', setup: () => args([R.rd, 0x800n, 0x2000n]), x0: X0.RTT(3) },
  { label: 'rtte_state', variant: 'ASSIGNED', setup: () => args([R.rd, KB4, 0x2000n], withData(tables(), KB4, DATA[0]!)), x0: X0.RTT(3) },
  // top - 4 KB is Protected, base is the first Unprotected IPA: its entry is UNASSIGNED_NS at level 1.
  { label: 'rtte_state', variant: 'UNASSIGNED_NS', setup: () => args([R.rd, UNPROT, UNPROT + 0x800n]), x0: X0.RTT(1) },
  { label: 'top_gran_align', setup: () => args([R.rd, 0n, 0x1800n]), x0: X0.INPUT },
  // ACS TOP_LEVEL_UNALIGNED: top inside the 2 MB entry at 2 MB leaves nothing to do.
  { label: 'no_progress', setup: () => args([R.rd, MB2, MB2 + 0x10_0000n]), x0: X0.RTT(2) },
]);

describe('RMI_RTT_INIT_RIPAS success (B4.3.18.3)', () => {
  const init = (s: RmmState, base: bigint, top: bigint): { s: RmmState; out: bigint } => {
    const r = call(s, 'RMI_RTT_INIT_RIPAS', [R.rd, base, top]);
    expect(r.regs[0]).toBe(0n);
    return { s: r.state, out: r.regs[1]! };
  };

  it('sets RIPAS RAM on the level 3 entries of [base, top) and returns top', () => {
    const s0 = tables();
    const { s, out } = init(s0, 0n, 0x10000n);
    expect(out).toBe(0x10000n);
    for (const ipa of [0n, 0xf000n]) expect(walk(s, ipa).entry).toMatchObject({ state: RttEntryState.UNASSIGNED, ripas: Ripas.RAM });
    expect(ripasAt(s, 0x10000n)).toBe(Ripas.EMPTY);
    expect(rimOf(s)).not.toEqual(rimOf(s0));
  });

  it('sets the RIPAS of level 2 entries when the walk ends at level 2', () => {
    const { s, out } = init(tables(), 0x40_0000n, 0x80_0000n);
    expect(out).toBe(0x80_0000n);
    expect([walk(s, 0x40_0000n).level, ripasAt(s, 0x40_0000n), ripasAt(s, 0x7f_f000n), ripasAt(s, 0x80_0000n)]).toEqual([2, Ripas.RAM, Ripas.RAM, Ripas.EMPTY]);
  });

  it('works on one RTT per call: stops at the end of the RTT', () => {
    expect(init(tables(), 0x1f_0000n, 0x40_0000n).out).toBe(MB2);
  });

  it('stops at the first TABLE entry', () => {
    const s = ok(delegate(tables(), T.l3b), 'RMI_RTT_CREATE', R.rd, T.l3b, 0x60_0000n, 3n);
    expect(init(s, 0x40_0000n, GB).out).toBe(0x60_0000n);
  });

  it('stops at the first ASSIGNED entry (E-INIT-RIPAS-STOP) and goes on after it', () => {
    const s0 = withData(tables(), 0x5000n, DATA[0]!);
    const a = init(s0, 0n, 0x10000n);
    expect(a.out).toBe(0x5000n);
    expect([ripasAt(a.s, 0x4000n), ripasAt(a.s, 0x6000n)]).toEqual([Ripas.RAM, Ripas.EMPTY]);
    expect(init(a.s, 0x6000n, 0x10000n).out).toBe(0x10000n);
  });

  it('accepts UNASSIGNED entries with RIPAS DESTROYED or RAM, measuring them again', () => {
    let s = ok(withData(tables(), 0x3000n, DATA[0]!), 'RMI_DATA_DESTROY', R.rd, 0x3000n);
    expect(ripasAt(s, 0x3000n)).toBe(Ripas.DESTROYED);
    const a = init(s, 0x3000n, 0x4000n);
    expect([a.out, BigInt(ripasAt(a.s, 0x3000n))]).toEqual([0x4000n, BigInt(Ripas.RAM)]);
    s = a.s;
    const b = init(s, 0x3000n, 0x4000n);
    expect(rimOf(b.s)).not.toEqual(rimOf(s));
  });
});

// -------------------------------------------------------------------------------------
// RMI_RTT_SET_RIPAS
// -------------------------------------------------------------------------------------

interface Req {
  base: bigint;
  top: bigint;
  value?: Ripas;
  destroyed?: boolean;
  running?: boolean;
}

/** An active Realm with the protected tables and REC R.rec holding the pending request `req`. */
function pending(req: Req, prepare: (s: RmmState) => RmmState = (s) => s): RmmState {
  const s = ok(withRec(prepare(tables()), R.rec, 0, R.aux), 'RMI_REALM_ACTIVATE', R.rd);
  return withRipasRequest(s, R.rec, { value: Ripas.RAM, ...req });
}

const first16 = (): RmmState => pending({ base: 0n, top: 0x10000n });

/** A second Realm, at G(100) with its starting RTT at G(101) and VMID 2. */
function withSecondRealm(s: RmmState): RmmState {
  s = delegate(s, G(100), G(101));
  s = write(s, R.params, encodeStruct(RmiRealmParams, realmParamsFields({ rtt_base: G(101), vmid: 2n })));
  return ok(s, 'RMI_REALM_CREATE', G(100), R.params);
}

/** A DESTROYED entry at IPA 0: DATA created and destroyed before activation. */
const destroyedAt0 = (s: RmmState): RmmState => ok(withData(s, 0n, DATA[0]!), 'RMI_DATA_DESTROY', R.rd, 0n);

// DEN0137 B4.3.21.2.
failureSuite('RMI_RTT_SET_RIPAS', [
  { label: 'rd_align', setup: () => args([R.rd + 8n, R.rec, 0n, 0x10000n], first16()), x0: X0.INPUT },
  { label: 'rd_bound', setup: () => args([OUTSIDE, R.rec, 0n, 0x10000n], first16()), x0: X0.INPUT },
  { label: 'rd_state', setup: () => args([R.rec, R.rec, 0n, 0x10000n], first16()), x0: X0.INPUT },
  { label: 'rec_align', setup: () => args([R.rd, R.rec + 8n, 0n, 0x10000n], first16()), x0: X0.INPUT },
  { label: 'rec_bound', setup: () => args([R.rd, OUTSIDE, 0n, 0x10000n], first16()), x0: X0.INPUT },
  { label: 'rec_gran_state', setup: () => args([R.rd, R.aux[0]!, 0n, 0x10000n], first16()), x0: X0.INPUT },
  { label: 'rec_state', setup: () => args([R.rd, R.rec, 0n, 0x10000n], pending({ base: 0n, top: 0x10000n, running: true })), x0: X0.REC },
  { label: 'rec_owner', setup: () => args([G(100), R.rec, 0n, 0x10000n], withSecondRealm(first16())), x0: X0.REC },
  { label: 'size_valid', setup: () => args([R.rd, R.rec, 0x2000n, 0x2000n], first16()), x0: X0.INPUT },
  { label: 'base_bound', variant: 'not where the request stands', setup: () => args([R.rd, R.rec, KB4, 0x10000n], first16()), x0: X0.INPUT },
  { label: 'base_bound', variant: 'no request pending', setup: () => args([R.rd, R.rec, KB4, 0x10000n], ok(withRec(tables(), R.rec, 0, R.aux), 'RMI_REALM_ACTIVATE', R.rd)), x0: X0.INPUT },
  { label: 'top_bound', setup: () => args([R.rd, R.rec, 0n, 0x11000n], first16()), x0: X0.INPUT },
  // The walk to 2 MB + 4 KB ends at level 2, where the RIPAS is EMPTY, not the RAM requested.
  { label: 'base_align', setup: () => args([R.rd, R.rec, MB2 + KB4, MB2 + 0x2000n], pending({ base: MB2 + KB4, top: MB2 + 0x2000n })), x0: X0.RTT(2) },
  { label: 'top_gran_align', setup: () => args([R.rd, R.rec, 0n, 0x1800n], first16()), x0: X0.INPUT },
  { label: 'no_progress', variant: 'top inside the 2 MB entry', setup: () => args([R.rd, R.rec, MB2, MB2 + 0x10_0000n], pending({ base: MB2, top: MB2 + 0x10_0000n })), x0: X0.RTT(2) },
  {
    label: 'no_progress',
    variant: 'a DESTROYED entry without CHANGE_DESTROYED',
    setup: () => args([R.rd, R.rec, 0n, 0x2000n], pending({ base: 0n, top: 0x2000n }, destroyedAt0)),
    x0: X0.RTT(3),
  },
]);

describe('RMI_RTT_SET_RIPAS success (B4.3.21.3)', () => {
  const set = (s: RmmState, base: bigint, top: bigint): { s: RmmState; out: bigint } => {
    const r = call(s, 'RMI_RTT_SET_RIPAS', [R.rd, R.rec, base, top]);
    expect(r.regs[0]).toBe(0n);
    return { s: r.state, out: r.regs[1]! };
  };
  const ripasAddr = (s: RmmState): bigint => s.recs.get(granuleIndex(R.rec))!.ripasAddr;

  it('sets the requested RIPAS on [base, top) and advances rec.ripas_addr; the RIM is unchanged', () => {
    const s0 = first16();
    const { s, out } = set(s0, 0n, 0x8000n);
    expect([out, ripasAddr(s)]).toEqual([0x8000n, 0x8000n]);
    expect([ripasAt(s, 0n), ripasAt(s, 0x7000n), ripasAt(s, 0x8000n)]).toEqual([Ripas.RAM, Ripas.RAM, Ripas.EMPTY]);
    expect(rimOf(s)).toEqual(rimOf(s0));
    // The Host continues where the last call stopped.
    const next = set(s, 0x8000n, 0x10000n);
    expect([next.out, ripasAddr(next.s)]).toEqual([0x10000n, 0x10000n]);
  });

  it('changes ASSIGNED entries too, keeping the HIPAS', () => {
    const s0 = pending({ base: 0n, top: 0x4000n, value: Ripas.EMPTY }, (s) => withData(s, KB4, DATA[0]!));
    const { s } = set(s0, 0n, 0x4000n);
    expect(walk(s, KB4).entry).toMatchObject({ state: RttEntryState.ASSIGNED, ripas: Ripas.EMPTY, addr: Number(DATA[0]!) });
  });

  it('stops at a DESTROYED entry unless the Realm allowed changes from DESTROYED', () => {
    const prepare = (s: RmmState): RmmState => ok(withData(s, 0x2000n, DATA[0]!), 'RMI_DATA_DESTROY', R.rd, 0x2000n);
    expect(set(pending({ base: 0n, top: 0x4000n }, prepare), 0n, 0x4000n).out).toBe(0x2000n);
    const { s, out } = set(pending({ base: 0n, top: 0x4000n, destroyed: true }, prepare), 0n, 0x4000n);
    expect([out, BigInt(ripasAt(s, 0x2000n))]).toEqual([0x4000n, BigInt(Ripas.RAM)]);
  });

  it('works on one RTT per call, at the level the walk reached', () => {
    const a = set(pending({ base: 0x1f_0000n, top: 0x40_0000n }), 0x1f_0000n, 0x40_0000n);
    expect([a.out, ripasAddr(a.s)]).toEqual([MB2, MB2]);
    const b = set(a.s, MB2, 0x40_0000n);
    expect([b.out, walk(b.s, MB2).level, ripasAt(b.s, MB2 + 0x5000n)]).toEqual([0x40_0000n, 2, Ripas.RAM]);
  });

  // E-SET-RIPAS-PROGRESS: base_align and no_progress need the RIPAS to differ from the request.
  const ram2m = (s: RmmState): RmmState => ok(s, 'RMI_RTT_INIT_RIPAS', R.rd, MB2, 0x40_0000n);

  it('accepts a base inside a 2 MB entry that already has the requested RIPAS', () => {
    const { s, out } = set(pending({ base: MB2 + KB4, top: 0x50_0000n }, ram2m), MB2 + KB4, 0x50_0000n);
    // walk_top = AlignDown(min(end of the level 2 RTT, top), 2 MB) = 4 MB.
    expect([out, ripasAddr(s)]).toEqual([0x40_0000n, 0x40_0000n]);
  });

  // A5.4 / B5.3.6: after a successful call the request has advanced, base < new_base <= top. The
  // 2 MB entry at 2 MB already has RIPAS RAM, so nothing in [base, 3 MB) is left to change: 3 MB.
  it('completes a request that lies inside one 2 MB entry already RAM, from an unaligned base (E-SET-RIPAS-PROGRESS)', () => {
    const s0 = pending({ base: MB2 + KB4, top: 0x30_0000n }, ram2m);
    const { s, out } = set(s0, MB2 + KB4, 0x30_0000n);
    expect([out, ripasAddr(s)]).toEqual([0x30_0000n, 0x30_0000n]);
    expect([walk(s, MB2).level, ripasAt(s, MB2)]).toEqual([2, Ripas.RAM]);
  });

  it('completes a request that lies inside one 2 MB entry already RAM, from the entry base (E-SET-RIPAS-PROGRESS)', () => {
    const s0 = pending({ base: MB2, top: 0x30_0000n }, ram2m);
    const { s, out } = set(s0, MB2, 0x30_0000n);
    expect([out, ripasAddr(s)]).toEqual([0x30_0000n, 0x30_0000n]);
  });

  it('still refuses a top inside a 2 MB entry whose RIPAS differs from the request', () => {
    const r = call(pending({ base: MB2, top: 0x30_0000n, value: Ripas.EMPTY }, ram2m), 'RMI_RTT_SET_RIPAS', [R.rd, R.rec, MB2, 0x30_0000n]);
    expect([r.regs[0], r.failure?.rule]).toEqual([X0.RTT(2), 'RMI_RTT_SET_RIPAS/no_progress']);
  });
});
