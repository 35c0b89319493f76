/**
 * The post-conditions of RMI_RTT_MAP_UNPROTECTED and RMI_RTT_UNMAP_UNPROTECTED (`post/rtt-ns.ts`,
 * DEN0137 B4.3.19.3, B4.3.22.3): each holds on the real command's transition and fails on a
 * post-state or output that breaks it. Expected values are worked out from the spec.
 */
import { describe, expect, it } from 'vitest';
import { granuleIndex, Ripas, RttEntryState, rmiRttMapUnprotected, rmiRttUnmapUnprotected, type RmmState } from '../../src/index.js';
import { R, ok, withRealm } from '../support/fixtures.js';
import { GB, KB4, MB2, T, UNPROT, withUnprotectedTables } from '../rtt/support.js';
import { applicable, broken, doctor, holds, outsideFootprint, transition, withEntry } from './rtt-support.js';

/** desc of an Unprotected mapping: OA | MemAttr[2:0] << 2 | S2AP << 6 (A5.5.11, D-NS-DESC). */
const nsDesc = (oa: bigint, memAttr = 5n, s2ap = 3n): bigint => oa | (memAttr << 2n) | (s2ap << 6n);
const NS_PA = 0x8800_0000n;

const nsTables = (): RmmState => withUnprotectedTables(withRealm());

describe('RMI_RTT_MAP_UNPROTECTED post-conditions (B4.3.19.3)', () => {
  const map = (s: RmmState, ipa: bigint, level: bigint, desc: bigint) => transition(rmiRttMapUnprotected, s, { rd: R.rd, ipa, level, desc });

  it('the entry is ASSIGNED_NS with the address, MemAttr and S2AP of desc', () => {
    const t = map(nsTables(), UNPROT + KB4, 3n, nsDesc(NS_PA, 1n, 2n));
    expect(applicable(rmiRttMapUnprotected, t)).toEqual(['rtte_contents', 'rtte_state']);
    expect(broken(rmiRttMapUnprotected, t)).toEqual([]);
    const at = (n: string) => rmiRttMapUnprotected.post?.locate[n]?.(t);
    expect([at('walk.rtt_addr'), at('entry_idx')]).toEqual([granuleIndex(T.nl3), 1]);
  });

  it('each row fails on a post-state that breaks it', () => {
    const t = map(nsTables(), UNPROT + KB4, 3n, nsDesc(NS_PA, 1n, 2n));
    const entry = (patch: Parameters<typeof withEntry>[3]) => doctor(t, { post: withEntry(t.post, T.nl3, 1, patch) });
    expect(holds(rmiRttMapUnprotected, 'rtte_state', entry({ state: RttEntryState.UNASSIGNED_NS }))).toBe(false);
    expect(holds(rmiRttMapUnprotected, 'rtte_state', entry({ state: RttEntryState.ASSIGNED, ripas: Ripas.RAM }))).toBe(false);
    expect(holds(rmiRttMapUnprotected, 'rtte_contents', entry({ memAttr: 5 }))).toBe(false);
    expect(holds(rmiRttMapUnprotected, 'rtte_contents', entry({ s2ap: 3 }))).toBe(false);
    expect(holds(rmiRttMapUnprotected, 'rtte_contents', entry({ addr: Number(NS_PA + KB4) }))).toBe(false);
    // The unchanged state: the entry still UNASSIGNED_NS with no address.
    expect(broken(rmiRttMapUnprotected, doctor(t, { post: t.pre }))).toEqual(['rtte_contents', 'rtte_state']);
  });

  it('a 2 MB block at level 2; and, for an LPA2 Realm, an address above 2^50 from desc bits 9:8 (D-NS-DESC)', () => {
    const t = map(nsTables(), UNPROT + MB2, 2n, nsDesc(NS_PA + MB2));
    expect(broken(rmiRttMapUnprotected, t)).toEqual([]);
    expect([rmiRttMapUnprotected.post?.locate['walk.rtt_addr']?.(t), rmiRttMapUnprotected.post?.locate.entry_idx?.(t)]).toEqual([granuleIndex(T.nl2), 1]);
    const lpa2 = withUnprotectedTables(withRealm({ flags: 1n }));
    const h = map(lpa2, UNPROT + KB4, 3n, nsDesc(NS_PA, 1n, 2n) | (1n << 8n));
    expect(broken(rmiRttMapUnprotected, h)).toEqual([]);
    expect(holds(rmiRttMapUnprotected, 'rtte_contents', doctor(h, { post: withEntry(h.post, T.nl3, 1, { addr: Number(NS_PA) }) }))).toBe(false);
  });

  it('the footprint allows the entry, not its neighbour', () => {
    const t = map(nsTables(), UNPROT + KB4, 3n, nsDesc(NS_PA));
    expect(outsideFootprint(rmiRttMapUnprotected, t, t.post)).toEqual([]);
    expect(outsideFootprint(rmiRttMapUnprotected, t, withEntry(t.post, T.nl3, 2, { state: RttEntryState.ASSIGNED_NS, addr: Number(NS_PA) }))).toEqual([
      { kind: 'rtt', gi: granuleIndex(T.nl3), entry: 2 },
    ]);
  });
});

describe('RMI_RTT_UNMAP_UNPROTECTED post-conditions (B4.3.22.3)', () => {
  const unmap = (s: RmmState, ipa: bigint, level: bigint) => transition(rmiRttUnmapUnprotected, s, { rd: R.rd, ipa, level });
  /** NS pages at UNPROT + 4 KB and UNPROT + 20 KB. */
  const twoPages = (): RmmState => {
    const s = ok(nsTables(), 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT + KB4, 3n, nsDesc(NS_PA));
    return ok(s, 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT + 5n * KB4, 3n, nsDesc(NS_PA + KB4));
  };

  it('the entry is UNASSIGNED_NS and top is the next live entry of its RTT', () => {
    const t = unmap(twoPages(), UNPROT + KB4, 3n);
    expect(applicable(rmiRttUnmapUnprotected, t)).toEqual(['rtte_state', 'top']);
    expect(broken(rmiRttUnmapUnprotected, t)).toEqual([]);
    expect(t.out.top).toBe(UNPROT + 5n * KB4);
    expect(holds(rmiRttUnmapUnprotected, 'top', doctor(t, { out: { top: UNPROT + 2n * KB4 } }))).toBe(false);
    expect(holds(rmiRttUnmapUnprotected, 'top', doctor(t, { out: { top: UNPROT + KB4 } }))).toBe(false);
    expect(holds(rmiRttUnmapUnprotected, 'top', doctor(t, { out: { top: UNPROT + MB2 } }))).toBe(false);
    expect(holds(rmiRttUnmapUnprotected, 'rtte_state', doctor(t, { post: t.pre }))).toBe(false);
  });

  it('top is the end of the RTT when nothing after the entry is live', () => {
    const t = unmap(twoPages(), UNPROT + 5n * KB4, 3n);
    expect(t.out.top).toBe(UNPROT + MB2);
    expect(broken(rmiRttUnmapUnprotected, t)).toEqual([]);
    // A 2 MB block at level 2: the level 2 RTT at UNPROT ends at UNPROT + 1 GB (its entry 0, the TABLE, is before it).
    const b = unmap(ok(nsTables(), 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT + MB2, 2n, nsDesc(NS_PA)), UNPROT + MB2, 2n);
    expect(b.out.top).toBe(UNPROT + GB);
    expect(broken(rmiRttUnmapUnprotected, b)).toEqual([]);
    expect(holds(rmiRttUnmapUnprotected, 'top', doctor(b, { out: { top: UNPROT + 2n * MB2 } }))).toBe(false);
  });

  it('the footprint allows the entry, not its neighbour', () => {
    const t = unmap(twoPages(), UNPROT + KB4, 3n);
    expect(outsideFootprint(rmiRttUnmapUnprotected, t, t.post)).toEqual([]);
    expect(outsideFootprint(rmiRttUnmapUnprotected, t, withEntry(t.post, T.nl3, 5, { state: RttEntryState.UNASSIGNED_NS, addr: 0, memAttr: 0, s2ap: 0 }))).toEqual([
      { kind: 'rtt', gi: granuleIndex(T.nl3), entry: 5 },
    ]);
  });
});
