/**
 * The post-conditions of RMI_RTT_INIT_RIPAS and RMI_RTT_SET_RIPAS (`post/ripas.ts`, DEN0137
 * B4.3.18.3, B4.3.21.3, A5.3.5; E-INIT-RIPAS-STOP, E-INIT-RIPAS-RIM, E-SET-RIPAS-PROGRESS): each
 * holds on the real command's transition and fails on a post-state or output that breaks it. The
 * RIM is recomputed here from the C1.13 descriptor layout with node:crypto; walk_top values are
 * worked out by hand from the spec functions and the errata.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { granuleIndex, InternalError, Ripas, RttEntryState, rmiRttInitRipas, rmiRttSetRipas, type RmmState } from '../../src/index.js';
import { updateRealm, updateState } from '../../src/internal.js';
import { R, ok, withRealm, withRec } from '../support/fixtures.js';
import { DATA, KB4, MB2, T, withData, withProtectedTables, withRipasRequest, withSources } from '../rtt/support.js';
import { applicable, broken, doctor, holds, outsideFootprint, transition, withEntry } from './rtt-support.js';

const tables = (): RmmState => withSources(withProtectedTables(withRealm()));
const rimOf = (s: RmmState): Uint8Array => s.realms.get(granuleIndex(R.rd))!.measurements[0]!;

/** SHA-256 of an RmmMeasurementDescriptorRipas (C1.13: desc_type 2 at 0x0, len 0x100 at 0x8, rim at 0x10, base at 0x50, top at 0x58), zero-filled to 64 bytes. */
function ripasDescriptor(rim: Uint8Array, base: bigint, top: bigint): Uint8Array {
  const d = Buffer.alloc(0x100);
  d[0] = 2;
  d.writeBigUInt64LE(0x100n, 0x8);
  Buffer.from(rim).copy(d, 0x10);
  d.writeBigUInt64LE(base, 0x50);
  d.writeBigUInt64LE(top, 0x58);
  const out = new Uint8Array(64);
  out.set(createHash('sha256').update(d).digest());
  return out;
}

/** `s` with the RIM of the Realm at R.rd set to `rim`. */
function withRim(s: RmmState, rim: Uint8Array): RmmState {
  const g = granuleIndex(R.rd);
  const realm = s.realms.get(g)!;
  return updateState(s, { realms: s.realms.set(g, updateRealm(realm, { measurements: [rim, ...realm.measurements.slice(1)] })) });
}

describe('RMI_RTT_INIT_RIPAS post-conditions (B4.3.18.3, B4.3.18.4)', () => {
  const init = (s: RmmState, base: bigint, top: bigint) => transition(rmiRttInitRipas, s, { rd: R.rd, base, top });

  it('[0, 0x3000) of the level 3 RTT at 0: every row holds; the RIM is three descriptors of 4 KB', () => {
    const t = init(tables(), 0n, 0x3000n);
    expect(applicable(rmiRttInitRipas, t)).toEqual(['out_top', 'rim', 'rtte_rest', 'rtte_ripas']);
    expect(broken(rmiRttInitRipas, t)).toEqual([]);
    let rim = rimOf(t.pre);
    for (const ipa of [0n, 0x1000n, 0x2000n]) rim = ripasDescriptor(rim, ipa, ipa + KB4);
    expect(rimOf(t.post)).toEqual(rim);
    expect([rmiRttInitRipas.post?.locate['walk.rtt_addr']?.(t), rmiRttInitRipas.post?.locate['rd']?.(t)]).toEqual([granuleIndex(T.l3), granuleIndex(R.rd)]);
  });

  it('stops before an ASSIGNED entry (E-INIT-RIPAS-STOP): walk_top 0x2000, and the RIM covers only [0, 0x2000) (E-INIT-RIPAS-RIM)', () => {
    const t = init(withData(tables(), 0x2000n, DATA[0]!), 0n, 0x8000n);
    expect(t.out.out_top).toBe(0x2000n);
    expect(broken(rmiRttInitRipas, t)).toEqual([]);
    // An out_top at the literal B3.75 value (no TABLE entry: top) fails, and so does the RIM of B4.3.18.4's wording.
    expect(holds(rmiRttInitRipas, 'out_top', doctor(t, { out: { out_top: 0x8000n } }))).toBe(false);
    let literal = rimOf(t.pre);
    for (let ipa = 0n; ipa < 0x8000n; ipa += KB4) literal = ripasDescriptor(literal, ipa, ipa + KB4);
    expect(holds(rmiRttInitRipas, 'rim', doctor(t, { post: withRim(t.post, literal) }))).toBe(false);
  });

  it('a level 2 walk: one descriptor per 2 MB entry, with top ipa + 2 MB', () => {
    const t = init(tables(), MB2, 0x60_0000n);
    expect(t.out.out_top).toBe(0x60_0000n);
    expect(rimOf(t.post)).toEqual(ripasDescriptor(ripasDescriptor(rimOf(t.pre), MB2, 2n * MB2), 2n * MB2, 3n * MB2));
    expect(broken(rmiRttInitRipas, t)).toEqual([]);
  });

  it('each row fails: an entry of the range left EMPTY, the RIM unchanged, out_top off by one entry, an entry beyond walk_top changed', () => {
    const t = init(tables(), 0n, 0x3000n);
    expect(holds(rmiRttInitRipas, 'rtte_ripas', doctor(t, { post: withEntry(t.post, T.l3, 2, { ripas: Ripas.EMPTY }) }))).toBe(false);
    expect(holds(rmiRttInitRipas, 'rim', doctor(t, { post: t.pre }))).toBe(false);
    expect(holds(rmiRttInitRipas, 'out_top', doctor(t, { out: { out_top: 0x2000n } }))).toBe(false);
    expect(holds(rmiRttInitRipas, 'out_top', doctor(t, { out: { out_top: 0x4000n } }))).toBe(false);
    expect(holds(rmiRttInitRipas, 'rtte_rest', doctor(t, { post: withEntry(t.post, T.l3, 3, { ripas: Ripas.RAM }) }))).toBe(false);
    expect(holds(rmiRttInitRipas, 'rtte_rest', doctor(t, { post: withEntry(t.post, T.l3, 1, { state: RttEntryState.UNASSIGNED_NS }) }))).toBe(false);
  });

  it('the footprint names the walked RTT and the RIM: a change to another RTT is outside it', () => {
    const t = init(tables(), 0n, 0x3000n);
    expect(outsideFootprint(rmiRttInitRipas, t, t.post)).toEqual([]);
    expect(outsideFootprint(rmiRttInitRipas, t, withEntry(t.post, T.l2, 5, { ripas: Ripas.RAM }))).toHaveLength(1);
    expect(() => rmiRttInitRipas.verify(doctor(t, { post: withEntry(t.post, T.l2, 5, { ripas: Ripas.RAM }) }))).toThrow(InternalError);
  });
});

describe('RMI_RTT_SET_RIPAS post-conditions (B4.3.21.3)', () => {
  /** An active Realm with the protected tables and R.rec holding the request [base, top) → value. */
  const pending = (base: bigint, top: bigint, value: Ripas, prepare: (s: RmmState) => RmmState = (s) => s, destroyed = false): RmmState =>
    withRipasRequest(ok(withRec(prepare(tables()), R.rec, 0, R.aux), 'RMI_REALM_ACTIVATE', R.rd), R.rec, { base, top, value, destroyed });
  const set = (s: RmmState, base: bigint, top: bigint) => transition(rmiRttSetRipas, s, { rd: R.rd, rec_ptr: R.rec, base, top });
  const ripasAddr = (s: RmmState): bigint => s.recs.get(granuleIndex(R.rec))!.ripasAddr;

  it('[0, 0x4000) → RAM, with an ASSIGNED entry: every row holds; rec.ripas_addr and out_top are 0x4000', () => {
    const t = set(pending(0n, 0x4000n, Ripas.RAM, (s) => withData(s, KB4, DATA[0]!)), 0n, 0x4000n);
    expect(applicable(rmiRttSetRipas, t)).toEqual(['out_top', 'ripas_addr', 'rtte_rest', 'rtte_ripas']);
    expect(broken(rmiRttSetRipas, t)).toEqual([]);
    expect([t.out.out_top, ripasAddr(t.post)]).toEqual([0x4000n, 0x4000n]);
    expect(rmiRttSetRipas.post?.locate['rec_ptr']?.(t)).toBe(granuleIndex(R.rec));
  });

  it('each row fails: an entry left EMPTY, ripas_addr not advanced, out_top beyond top, the ASSIGNED entry unmapped', () => {
    const t = set(pending(0n, 0x4000n, Ripas.RAM, (s) => withData(s, KB4, DATA[0]!)), 0n, 0x4000n);
    expect(holds(rmiRttSetRipas, 'rtte_ripas', doctor(t, { post: withEntry(t.post, T.l3, 3, { ripas: Ripas.EMPTY }) }))).toBe(false);
    expect(holds(rmiRttSetRipas, 'ripas_addr', doctor(t, { post: t.pre }))).toBe(false);
    expect(holds(rmiRttSetRipas, 'out_top', doctor(t, { out: { out_top: 0x5000n } }))).toBe(false);
    expect(holds(rmiRttSetRipas, 'rtte_rest', doctor(t, { post: withEntry(t.post, T.l3, 1, { state: RttEntryState.UNASSIGNED, addr: 0 }) }))).toBe(false);
    expect(holds(rmiRttSetRipas, 'rtte_rest', doctor(t, { post: withEntry(t.post, T.l3, 4, { ripas: Ripas.RAM }) }))).toBe(false);
  });

  it('stops at a DESTROYED entry unless CHANGE_DESTROYED (B3.75 stop_at_destroyed): out_top 0x2000 or 0x4000', () => {
    const destroyed = (s: RmmState): RmmState => ok(withData(s, 0x2000n, DATA[0]!), 'RMI_DATA_DESTROY', R.rd, 0x2000n);
    const stop = set(pending(0n, 0x4000n, Ripas.RAM, destroyed), 0n, 0x4000n);
    expect([stop.out.out_top, broken(rmiRttSetRipas, stop)]).toEqual([0x2000n, []]);
    // Changing the DESTROYED entry anyway breaks rtte_rest; claiming 0x4000 breaks out_top.
    expect(holds(rmiRttSetRipas, 'rtte_rest', doctor(stop, { post: withEntry(stop.post, T.l3, 2, { ripas: Ripas.RAM }) }))).toBe(false);
    expect(holds(rmiRttSetRipas, 'out_top', doctor(stop, { out: { out_top: 0x4000n } }))).toBe(false);
    const go = set(pending(0n, 0x4000n, Ripas.RAM, destroyed, true), 0n, 0x4000n);
    expect([go.out.out_top, broken(rmiRttSetRipas, go)]).toEqual([0x4000n, []]);
  });

  it('E-SET-RIPAS-PROGRESS: a request inside a 2 MB entry already RAM ends at top, not at base', () => {
    const ram2m = (s: RmmState): RmmState => ok(s, 'RMI_RTT_INIT_RIPAS', R.rd, MB2, 0x40_0000n);
    const t = set(pending(MB2 + KB4, 0x30_0000n, Ripas.RAM, ram2m), MB2 + KB4, 0x30_0000n);
    expect([t.out.out_top, ripasAddr(t.post)]).toEqual([0x30_0000n, 0x30_0000n]);
    expect(broken(rmiRttSetRipas, t)).toEqual([]);
    // The literal B4.3.21.3 value, walk_top = AlignDown(base, 2 MB) = 2 MB (below base), is rejected.
    expect(holds(rmiRttSetRipas, 'out_top', doctor(t, { out: { out_top: MB2 } }))).toBe(false);
  });
});
