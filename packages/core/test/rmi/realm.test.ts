import { describe, expect, it } from 'vitest';
import {
  GranuleState,
  HashAlgorithm,
  RealmState,
  Ripas,
  RttEntryState,
  granuleAt,
  granuleIndex,
  initialState,
  makePlatform,
  rttEntry,
  type RmmState,
} from '../../src/index.js';
import { G, OUTSIDE, R, X0, delegate, ok, realmParams, withRealm, withRec, write } from '../support/fixtures.js';
import { failureSuite } from '../support/failures.js';

/** The standard REALM_CREATE setup, with `over` applied to the params; R.rd and R.rtt delegated unless already used. */
function create(over: Record<string, bigint | bigint[]> = {}, rd = R.rd, s0: RmmState = initialState()): { s: RmmState; args: bigint[] } {
  const free = [R.rd, R.rtt].filter((pa) => granuleAt(s0, granuleIndex(pa)).state === GranuleState.UNDELEGATED);
  let s = delegate(s0, ...free);
  s = write(s, R.params, realmParams({ rtt_base: R.rtt, ...over }));
  return { s, args: [rd, R.params] };
}

// DEN0137 B4.3.9: every REALM_CREATE condition gives RMI_ERROR_INPUT.
failureSuite('RMI_REALM_CREATE', [
  { label: 'params_align', setup: () => ({ ...create(), args: [R.rd, R.params + 8n] }), x0: X0.INPUT },
  { label: 'params_bound', setup: () => ({ s: write(create().s, OUTSIDE, realmParams()), args: [R.rd, OUTSIDE] }), x0: X0.INPUT },
  { label: 'params_pas', setup: () => ({ s: delegate(create().s, G(9)), args: [R.rd, G(9)] }), x0: X0.INPUT },
  { label: 'params_valid', variant: 'reserved hash_algo 2', setup: () => create({ hash_algo: 2n }), x0: X0.INPUT },
  { label: 'params_valid', variant: 'reserved flags bit 3', setup: () => create({ flags: 8n }), x0: X0.INPUT },
  { label: 'params_valid', variant: 'num_bps 0', setup: () => create({ num_bps: 0n }), x0: X0.INPUT },
  { label: 'params_valid', variant: 's2sz 53', setup: () => create({ s2sz: 53n }), x0: X0.INPUT },
  {
    label: 'params_valid',
    variant: 'SBZ byte in the s2sz slot',
    setup: () => {
      const c = create();
      return { ...c, s: write(c.s, R.params + 9n, Uint8Array.of(1)) };
    },
    x0: X0.INPUT,
  },
  { label: 'params_supp', variant: 's2sz 49 without LPA2', setup: () => create({ s2sz: 49n }), x0: X0.INPUT },
  { label: 'params_supp', variant: 's2sz 31', setup: () => create({ s2sz: 31n }), x0: X0.INPUT },
  { label: 'params_supp', variant: 'SVE on a platform without SVE', setup: () => create({ flags: 2n }), x0: X0.INPUT },
  { label: 'params_supp', variant: '32 PMU counters (31 available)', setup: () => create({ flags: 4n, pmu_num_ctrs: 32n }), x0: X0.INPUT },
  { label: 'params_supp', variant: '2 breakpoints (1 available)', setup: () => create({ num_bps: 2n }), x0: X0.INPUT },
  {
    label: 'params_supp',
    variant: 'LPA2 on a platform without it',
    setup: () => create({ flags: 1n }, R.rd, initialState(makePlatform({ features0: 0x283fc104130n & ~0x100n }))),
    x0: X0.INPUT,
  },
  { label: 'alias', setup: () => ({ ...create(), args: [R.rtt, R.params] }), x0: X0.INPUT },
  { label: 'rd_align', setup: () => ({ ...create(), args: [R.rd + 0x800n, R.params] }), x0: X0.INPUT },
  { label: 'rd_bound', setup: () => ({ ...create(), args: [OUTSIDE, R.params] }), x0: X0.INPUT },
  { label: 'rd_state', setup: () => ({ ...create(), args: [G(12), R.params] }), x0: X0.INPUT },
  // 40-bit IPA at level 1 needs two concatenated tables, at an 8 KB aligned rtt_base.
  { label: 'rtt_align', setup: () => create({ s2sz: 40n, rtt_num_start: 2n, rtt_base: G(1) }), x0: X0.INPUT },
  {
    label: 'rtt_num_level',
    variant: '39-bit IPA with two starting tables',
    setup: () => create({ rtt_num_start: 2n, rtt_base: G(6) }, R.rd, delegate(initialState(), G(6), G(7))),
    x0: X0.INPUT,
  },
  { label: 'rtt_num_level', variant: 'level 3 start', setup: () => create({ rtt_level_start: 3n }), x0: X0.INPUT },
  { label: 'rtt_num_level', variant: 'level -1 without LPA2', setup: () => create({ rtt_level_start: 0xffff_ffff_ffff_ffffn }), x0: X0.INPUT },
  { label: 'rtt_state', setup: () => create({ rtt_base: G(10) }), x0: X0.INPUT },
  {
    label: 'vmid_valid',
    variant: 'VMID in use',
    setup: () => {
      const s = withRealm({ vmid: 7n });
      return create({ vmid: 7n, rtt_base: G(11) }, G(10), delegate(s, G(10), G(11)));
    },
    x0: X0.INPUT,
  },
  { label: 'vmid_valid', variant: 'VMID 256 without FEAT_VMID16', setup: () => create({ vmid: 256n }, R.rd, initialState(makePlatform({ vmid16: false }))), x0: X0.INPUT },
]);

function activeRealm(): RmmState {
  return ok(withRealm(), 'RMI_REALM_ACTIVATE', R.rd);
}

// DEN0137 B4.3.8.
failureSuite('RMI_REALM_ACTIVATE', [
  { label: 'rd_align', setup: () => ({ s: withRealm(), args: [R.rd + 8n] }), x0: X0.INPUT },
  { label: 'rd_bound', setup: () => ({ s: withRealm(), args: [OUTSIDE] }), x0: X0.INPUT },
  { label: 'rd_state', setup: () => ({ s: withRealm(), args: [R.rtt] }), x0: X0.INPUT },
  { label: 'realm_state', setup: () => ({ s: activeRealm(), args: [R.rd] }), x0: X0.REALM(0) },
]);

// DEN0137 B4.3.10.
failureSuite('RMI_REALM_DESTROY', [
  { label: 'rd_align', setup: () => ({ s: withRealm(), args: [R.rd + 0x10n] }), x0: X0.INPUT },
  { label: 'rd_bound', setup: () => ({ s: withRealm(), args: [OUTSIDE] }), x0: X0.INPUT },
  { label: 'rd_state', setup: () => ({ s: withRealm(), args: [R.params] }), x0: X0.INPUT },
  { label: 'realm_live', variant: 'the Realm owns a REC', setup: () => ({ s: withRec(withRealm(), R.rec, 0, R.aux), args: [R.rd] }), x0: X0.REALM(0) },
]);

describe('RMI_REALM_CREATE success', () => {
  const s = withRealm({ s2sz: 39n, vmid: 3n, rpv: [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n], hash_algo: 1n });
  const realm = s.realms.get(granuleIndex(R.rd));

  it('makes rd an RD and the starting RTT an RTT', () => {
    expect(granuleAt(s, granuleIndex(R.rd)).state).toBe(GranuleState.RD);
    expect(granuleAt(s, granuleIndex(R.rtt)).state).toBe(GranuleState.RTT);
  });

  it('records the Realm attributes from the params (B4.3.9.3)', () => {
    expect(realm).toMatchObject({
      state: RealmState.REALM_NEW,
      ipaWidth: 39,
      hashAlgo: HashAlgorithm.SHA_512,
      recIndex: 0,
      numRecs: 0,
      rttBase: granuleIndex(R.rtt),
      rttLevelStart: 1,
      rttNumStart: 1,
      vmid: 3,
      featLpa2: false,
    });
    expect([...(realm?.rpv ?? [])].slice(0, 9)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 2]);
    for (const rem of realm?.measurements.slice(1) ?? []) expect(rem.every((b) => b === 0)).toBe(true);
  });

  it('initialises the starting RTT: Protected entries UNASSIGNED/EMPTY, Unprotected ones UNASSIGNED_NS', () => {
    const rtt = s.rtts.get(granuleIndex(R.rtt));
    expect(rtt?.level).toBe(1);
    // A 39-bit IPA space at level 1: 512 entries of 1 GB; the lower 256 are Protected.
    expect(rttEntry(rtt!, 0)).toMatchObject({ state: RttEntryState.UNASSIGNED, ripas: Ripas.EMPTY });
    expect(rttEntry(rtt!, 255)).toMatchObject({ state: RttEntryState.UNASSIGNED, ripas: Ripas.EMPTY });
    expect(rttEntry(rtt!, 256).state).toBe(RttEntryState.UNASSIGNED_NS);
    expect(rttEntry(rtt!, 511).state).toBe(RttEntryState.UNASSIGNED_NS);
  });

  it('makes the VMID used: a second Realm with the same VMID fails', () => {
    expect(s.vmids.get(3)).toBe(granuleIndex(R.rd));
  });

  it('accepts two concatenated starting tables for a 40-bit IPA at level 1', () => {
    const { s: s0, args } = create({ s2sz: 40n, rtt_num_start: 2n, rtt_base: G(6) }, R.rd, delegate(initialState(), G(6), G(7)));
    const s1 = ok(s0, 'RMI_REALM_CREATE', ...args);
    expect(granuleAt(s1, granuleIndex(G(7))).state).toBe(GranuleState.RTT);
    // Entry 0 of the second table maps IPA 512 GB = 2^39: the first Unprotected IPA of a 40-bit space.
    expect(rttEntry(s1.rtts.get(granuleIndex(G(7)))!, 0).state).toBe(RttEntryState.UNASSIGNED_NS);
    expect(rttEntry(s1.rtts.get(granuleIndex(G(6)))!, 511).state).toBe(RttEntryState.UNASSIGNED);
  });
});

describe('RMI_REALM_ACTIVATE and RMI_REALM_DESTROY success', () => {
  it('activates a new Realm', () => {
    expect(activeRealm().realms.get(granuleIndex(R.rd))?.state).toBe(RealmState.REALM_ACTIVE);
  });

  it('destroys a Realm that is not live in any state: RD and starting RTTs become DELEGATED, the VMID is free', () => {
    for (const s of [withRealm({ vmid: 9n }), ok(withRealm({ vmid: 9n }), 'RMI_REALM_ACTIVATE', R.rd)]) {
      const d = ok(s, 'RMI_REALM_DESTROY', R.rd);
      expect(granuleAt(d, granuleIndex(R.rd)).state).toBe(GranuleState.DELEGATED);
      expect(granuleAt(d, granuleIndex(R.rtt)).state).toBe(GranuleState.DELEGATED);
      expect(d.realms.size).toBe(0);
      expect(d.rtts.size).toBe(0);
      expect(d.vmids.has(9)).toBe(false);
    }
  });
});
