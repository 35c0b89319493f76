/**
 * The state invariants of `spec/invariants.json`: a Realm built through commands keeps every
 * one, and each check finds the corruption it is about (so that each invariant can fail).
 */
import { describe, expect, it } from 'vitest';
import {
  catalogue,
  granule,
  granuleIndex,
  Gpt,
  GranuleState,
  invariantViolations,
  RealmState,
  RttEntryState,
  Ripas,
  RuleHits,
  transitionViolations,
  type RmmState,
} from '../src/index.js';
import { makeRtt, packMeta, rttMetas, rttAddrs, updateRealm, updateRec, updateState, withGranuleBytes, withMeasurement } from '../src/internal.js';
import { G, R, ok, withRealm, withRec } from './support/fixtures.js';
import { DATA, SRC, T, withProtectedTables, withSources } from './rtt/support.js';

const gi = granuleIndex;
const rd = gi(R.rd);

/** A Realm with RTTs down to level 3 at IPA 0, one DATA page at IPA 0x1000 and one REC. */
function built(): RmmState {
  let s = withSources(withProtectedTables(withRealm()));
  s = ok(s, 'RMI_GRANULE_DELEGATE', DATA[0]!);
  s = ok(s, 'RMI_DATA_CREATE', R.rd, DATA[0]!, 0x1000n, SRC, 0n);
  return withRec(s, R.rec, 0, R.aux);
}

const ids = (s: RmmState) => [...new Set(invariantViolations(s).map((v) => v.rule.label))];
const setGranule = (s: RmmState, g: number, st: GranuleState, gpt: Gpt) => updateState(s, { granules: s.granules.set(g, granule(st, gpt)) });
/** `s` with entry `i` of the RTT at `rtt` replaced. */
function setEntry(s: RmmState, rtt: bigint, i: number, meta: number, addr: number): RmmState {
  const t = s.rtts.get(gi(rtt))!;
  const metas = rttMetas(t);
  const addrs = rttAddrs(t);
  metas[i] = meta;
  addrs[i] = addr;
  return updateState(s, { rtts: s.rtts.set(gi(rtt), makeRtt(t.realm, t.level, t.baseIpa, metas, addrs)) });
}

describe('state invariants', () => {
  const s = built();

  it('hold in a Realm built through commands, and every check is counted', () => {
    const hits = new RuleHits();
    expect(invariantViolations(s, hits)).toEqual([]);
    const state = catalogue.invariants.filter((r) => r.transition !== true);
    expect(state.map((r) => [hits.reached[r.n], hits.held[r.n]])).toEqual(state.map(() => [1, 1]));
  });

  it('gpt_ownership: a delegated granule left in the Non-secure PAS', () => {
    expect(ids(setGranule(s, gi(G(200)), GranuleState.DELEGATED, Gpt.NS))).toEqual(['gpt_ownership']);
  });

  it('object_records: an RD granule without a Realm record', () => {
    expect(ids(setGranule(s, gi(G(201)), GranuleState.RD, Gpt.REALM))).toContain('object_records');
  });

  it('aux_ownership: a REC_AUX granule no REC lists', () => {
    expect(ids(setGranule(s, gi(G(202)), GranuleState.REC_AUX, Gpt.REALM))).toEqual(['aux_ownership']);
  });

  it('objects_owned and num_recs: a REC whose owner is not a Realm', () => {
    const rec = s.recs.get(gi(R.rec))!;
    const t = ids(updateState(s, { recs: s.recs.set(gi(R.rec), updateRec(rec, { owner: gi(G(203)) })) }));
    expect(t).toEqual(expect.arrayContaining(['objects_owned', 'num_recs']));
  });

  it('num_recs: a Realm that counts a REC too many', () => {
    const realm = s.realms.get(rd)!;
    expect(ids(updateState(s, { realms: s.realms.set(rd, updateRealm(realm, { numRecs: 2 })) }))).toEqual(['num_recs']);
  });

  it('vmid_unique: a VMID in use with no Realm', () => {
    expect(ids(updateState(s, { vmids: s.vmids.set(7, gi(G(204))) }))).toEqual(['vmid_unique']);
  });

  it('rtt_tree: a TABLE entry that points to the wrong level', () => {
    // Entry 1 of the level 2 RTT (IPA 2 MB) points to the level 2 RTT itself.
    expect(ids(setEntry(s, T.l2, 1, packMeta(RttEntryState.TABLE, Ripas.EMPTY), Number(T.l2)))).toContain('rtt_tree');
  });

  it('rtt_live_count: a cached liveness count that disagrees with the entries', () => {
    const t = s.rtts.get(gi(T.l3))!;
    expect(ids(updateState(s, { rtts: s.rtts.set(gi(T.l3), { ...t, live: t.live + 1 }) }))).toEqual(['rtt_live_count']);
  });

  it('hipas_by_ipa: an UNASSIGNED_NS entry at a Protected IPA', () => {
    expect(ids(setEntry(s, T.l3, 5, packMeta(RttEntryState.UNASSIGNED_NS, Ripas.EMPTY), 0))).toEqual(['hipas_by_ipa']);
  });

  it('data_mapped_once: a DATA page mapped twice', () => {
    expect(ids(setEntry(s, T.l3, 5, packMeta(RttEntryState.ASSIGNED, Ripas.RAM), Number(DATA[0]!)))).toEqual(['data_mapped_once']);
  });

  it('contents_owned: an RTT granule holding bytes', () => {
    expect(ids(withGranuleBytes(s, gi(T.l3), new Uint8Array(4096).fill(1)))).toEqual(['contents_owned']);
  });
});

describe('transition invariants', () => {
  it('rim_frozen: the RIM of an active Realm changes', () => {
    const s = ok(built(), 'RMI_REALM_ACTIVATE', R.rd);
    const realm = s.realms.get(rd)!;
    expect(realm.state).toBe(RealmState.REALM_ACTIVE);
    const changed = updateState(s, { realms: s.realms.set(rd, withMeasurement(realm, 0, new Uint8Array(64).fill(9))) });
    expect(transitionViolations(s, changed).map((v) => v.rule.id)).toEqual(['invariant/rim_frozen']);
    expect(transitionViolations(s, s)).toEqual([]);
  });
});
