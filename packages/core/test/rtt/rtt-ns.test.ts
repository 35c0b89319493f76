/**
 * RMI_RTT_MAP_UNPROTECTED and RMI_RTT_UNMAP_UNPROTECTED (DEN0137 B4.3.19, B4.3.22): every failure
 * condition as the first to hold, and the success post-states, from the spec digest.
 */
import { describe, expect, it } from 'vitest';
import { GranuleState, RttEntryState, granuleAt, granuleIndex, stateKey, type RmmState } from '../../src/index.js';
import { OUTSIDE, R, X0, call, ok, withRealm } from '../support/fixtures.js';
import { failureSuite } from '../support/failures.js';
import { GB, IPA_TOP, KB4, MB2, T, UNPROT, walk, withUnprotectedTables } from './support.js';

/** desc: OA | MemAttr[2:0] << 2 | S2AP << 6 (data.md §9). */
const nsDesc = (oa: bigint, memAttr = 5n, s2ap = 3n): bigint => oa | (memAttr << 2n) | (s2ap << 6n);
const NS_PA = 0x8800_0000n;
const DESC = nsDesc(NS_PA);

const nsTables = (): RmmState => withUnprotectedTables(withRealm());
const map = (args: bigint[], s: RmmState = nsTables()): { s: RmmState; args: bigint[] } => ({ s, args });
const mapped = (): RmmState => ok(nsTables(), 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT + KB4, 3n, DESC);

// -------------------------------------------------------------------------------------
// RMI_RTT_MAP_UNPROTECTED
// -------------------------------------------------------------------------------------

// DEN0137 B4.3.19.2.
failureSuite('RMI_RTT_MAP_UNPROTECTED', [
  { label: 'attr_valid', variant: 'valid bit set', setup: () => map([R.rd, UNPROT, 3n, DESC | 1n]), x0: X0.INPUT },
  { label: 'attr_valid', variant: 'MemAttr 0b100 (reserved with FWB)', setup: () => map([R.rd, UNPROT, 3n, nsDesc(NS_PA, 4n)]), x0: X0.INPUT },
  { label: 'attr_valid', variant: 'MemAttr[3] (RES0 with FWB)', setup: () => map([R.rd, UNPROT, 3n, DESC | (1n << 5n)]), x0: X0.INPUT },
  { label: 'attr_valid', variant: 'AF (bit 10)', setup: () => map([R.rd, UNPROT, 3n, DESC | (1n << 10n)]), x0: X0.INPUT },
  { label: 'attr_valid', variant: 'XN (bit 54)', setup: () => map([R.rd, UNPROT, 3n, DESC | (1n << 54n)]), x0: X0.INPUT },
  { label: 'rd_align', setup: () => map([R.rd + 8n, UNPROT, 3n, DESC]), x0: X0.INPUT },
  { label: 'rd_bound', setup: () => map([OUTSIDE, UNPROT, 3n, DESC]), x0: X0.INPUT },
  { label: 'rd_state', setup: () => map([T.nl3, UNPROT, 3n, DESC]), x0: X0.INPUT },
  { label: 'level_bound', variant: 'level 0', setup: () => map([R.rd, UNPROT, 0n, DESC]), x0: X0.INPUT },
  { label: 'level_bound', variant: 'level 4', setup: () => map([R.rd, UNPROT, 4n, DESC]), x0: X0.INPUT },
  { label: 'addr_align', setup: () => map([R.rd, UNPROT + MB2, 2n, nsDesc(NS_PA + KB4)]), x0: X0.INPUT },
  { label: 'addr_bound', variant: 'OA bit 48', setup: () => map([R.rd, UNPROT, 3n, nsDesc(1n << 48n)]), x0: X0.INPUT },
  // D-NS-DESC: bits 9:8 hold OA[51:50] (LPA2 layout), so the OA is ≥ 2^50 for a Realm without LPA2.
  { label: 'addr_bound', variant: 'OA[51:50] in bits 9:8', setup: () => map([R.rd, UNPROT, 3n, DESC | (1n << 8n)]), x0: X0.INPUT },
  { label: 'ipa_align', setup: () => map([R.rd, UNPROT + 0x800n, 3n, DESC]), x0: X0.INPUT },
  { label: 'ipa_bound', variant: 'a Protected IPA', setup: () => map([R.rd, KB4, 3n, DESC]), x0: X0.INPUT },
  { label: 'ipa_bound', variant: 'beyond the IPA space', setup: () => map([R.rd, IPA_TOP, 3n, DESC]), x0: X0.INPUT },
  { label: 'rtt_walk', setup: () => map([R.rd, UNPROT + GB, 3n, DESC]), x0: X0.RTT(1) },
  { label: 'rtte_state', variant: 'already mapped', setup: () => map([R.rd, UNPROT + KB4, 3n, DESC], mapped()), x0: X0.RTT(3) },
  { label: 'rtte_state', variant: 'a TABLE entry', setup: () => map([R.rd, UNPROT, 2n, nsDesc(0x9000_0000n)]), x0: X0.RTT(2) },
]);

describe('RMI_RTT_MAP_UNPROTECTED success (B4.3.19.3)', () => {
  it('makes the entry ASSIGNED_NS with the address, MemAttr and S2AP of desc; no granule changes', () => {
    const s0 = nsTables();
    const s = ok(s0, 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT + KB4, 3n, nsDesc(NS_PA, 1n, 2n));
    const e = walk(s, UNPROT + KB4).entry;
    expect(e).toEqual({ state: RttEntryState.ASSIGNED_NS, ripas: 0, addr: Number(NS_PA), memAttr: 1, s2ap: 2 });
    expect(s.granules).toBe(s0.granules);
    // ASSIGNED_NS does not make the RTT live (A5.5.8).
    expect(s.rtts.get(granuleIndex(T.nl3))!.live).toBe(0);
  });

  it('does not check the GPT of the address: a Realm granule can be mapped', () => {
    const s = ok(nsTables(), 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT, 3n, nsDesc(R.rd));
    expect(walk(s, UNPROT).entry.addr).toBe(Number(R.rd));
    expect(granuleAt(s, granuleIndex(R.rd)).state).toBe(GranuleState.RD);
  });

  it('maps a 1 GB block at the starting level', () => {
    const s = ok(withRealm(), 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT, 1n, nsDesc(0x1_0000_0000n));
    expect(call(s, 'RMI_RTT_READ_ENTRY', [R.rd, UNPROT, 3n]).regs).toEqual([0n, 1n, 1n, nsDesc(0x1_0000_0000n), 0n]);
  });

  it('takes an OA above 2^48 from a Realm with LPA2, with OA[51:50] in desc bits 9:8', () => {
    const s0 = withUnprotectedTables(withRealm({ flags: 1n }));
    const desc = 0x1234_5000n | (2n << 8n) | (7n << 2n);
    const s = ok(s0, 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT, 3n, desc);
    expect(walk(s, UNPROT).entry.addr).toBe(2 ** 51 + 0x1234_5000);
    expect(call(s, 'RMI_RTT_READ_ENTRY', [R.rd, UNPROT, 3n]).regs[3]).toBe(desc);
  });
});

// -------------------------------------------------------------------------------------
// RMI_RTT_UNMAP_UNPROTECTED
// -------------------------------------------------------------------------------------

/** `s` with a 1 GB ASSIGNED_NS block at UNPROT + 1 GB. */
const gigaBlock = (): RmmState => ok(mapped(), 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT + GB, 1n, nsDesc(0x1_0000_0000n));

// DEN0137 B4.3.22.2, outcomes from B4.3.22.1.3: top > ipa when not mapped, == ipa for a block
// at a lower level, 0 for the other failures.
failureSuite('RMI_RTT_UNMAP_UNPROTECTED', [
  { label: 'rd_align', setup: () => map([R.rd + 8n, UNPROT + KB4, 3n], mapped()), x0: X0.INPUT, out: [0n] },
  { label: 'rd_bound', setup: () => map([OUTSIDE, UNPROT + KB4, 3n], mapped()), x0: X0.INPUT, out: [0n] },
  { label: 'rd_state', setup: () => map([T.nl2, UNPROT + KB4, 3n], mapped()), x0: X0.INPUT, out: [0n] },
  { label: 'level_bound', setup: () => map([R.rd, UNPROT + KB4, 0n], mapped()), x0: X0.INPUT, out: [0n] },
  { label: 'ipa_align', setup: () => map([R.rd, UNPROT + 0x800n, 3n], mapped()), x0: X0.INPUT, out: [0n] },
  { label: 'ipa_bound', variant: 'a Protected IPA', setup: () => map([R.rd, KB4, 3n], mapped()), x0: X0.INPUT, out: [0n] },
  { label: 'ipa_bound', variant: 'beyond the IPA space', setup: () => map([R.rd, IPA_TOP, 3n], mapped()), x0: X0.INPUT, out: [0n] },
  // No RTT at UNPROT + 1 GB: entries 257..511 of the starting RTT are non-live, top = 2^39.
  { label: 'rtt_walk', variant: 'not mapped', setup: () => map([R.rd, UNPROT + GB, 3n], mapped()), x0: X0.RTT(1), out: [IPA_TOP] },
  { label: 'rtt_walk', variant: 'a block at a lower level', setup: () => map([R.rd, UNPROT + GB, 3n], gigaBlock()), x0: X0.RTT(1), out: [UNPROT + GB] },
  // E-SKIP-LIVE: a page inside the 1 GB block: top == ipa (B4.3.22.1.3), not UNPROT + 1 GB (B3.76).
  { label: 'rtt_walk', variant: 'a page inside a block at a lower level', setup: () => map([R.rd, UNPROT + GB + 0x5000n, 3n], gigaBlock()), x0: X0.RTT(1), out: [UNPROT + GB + 0x5000n] },
  // Not mapped at UNPROT; the next live entry maps UNPROT + 4 KB.
  { label: 'rtte_state', variant: 'not mapped', setup: () => map([R.rd, UNPROT, 3n], mapped()), x0: X0.RTT(3), out: [UNPROT + KB4] },
  { label: 'rtte_state', variant: 'a TABLE entry', setup: () => map([R.rd, UNPROT, 2n], mapped()), x0: X0.RTT(2), out: [UNPROT] },
]);

describe('RMI_RTT_UNMAP_UNPROTECTED success (B4.3.22.3)', () => {
  it('makes the entry UNASSIGNED_NS; top is the end of the RTT when nothing after it is live', () => {
    const s0 = mapped();
    const r = call(s0, 'RMI_RTT_UNMAP_UNPROTECTED', [R.rd, UNPROT + KB4, 3n]);
    expect(r.regs).toEqual([0n, UNPROT + MB2]);
    expect(walk(r.state, UNPROT + KB4).entry).toEqual({ state: RttEntryState.UNASSIGNED_NS, ripas: 0, addr: 0, memAttr: 0, s2ap: 0 });
    // Map then unmap gives back the same state.
    expect(stateKey(r.state)).toBe(stateKey(nsTables()));
  });

  it('returns the next live entry as top', () => {
    const s0 = ok(mapped(), 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT + 0x9000n, 3n, DESC);
    expect(call(s0, 'RMI_RTT_UNMAP_UNPROTECTED', [R.rd, UNPROT + KB4, 3n]).regs).toEqual([0n, UNPROT + 0x9000n]);
  });

  it('unmaps a 1 GB block in the starting RTT', () => {
    expect(call(gigaBlock(), 'RMI_RTT_UNMAP_UNPROTECTED', [R.rd, UNPROT + GB, 1n]).regs).toEqual([0n, IPA_TOP]);
  });
});
