/**
 * State invariants that hold in every reachable state (DEN0137 A2.2.3 ownership, C1.5–C1.7,
 * A2.1, A2.3). Returns the violations as text so that a property test can print them.
 */
import { Gpt, GranuleState, type RmmState } from '../../src/index.js';

/** Every invariant violation of `s`, as text; empty when the state is consistent. */
export function invariantViolations(s: RmmState): string[] {
  const bad: string[] = [];
  const state = new Map<number, GranuleState>();
  // Granule state vs GPT: delegated (any state but UNDELEGATED) if and only if GPT_REALM.
  for (const [gi, g] of s.granules.entries()) {
    state.set(gi, g.state);
    if ((g.state !== GranuleState.UNDELEGATED) !== (g.gpt === Gpt.REALM)) bad.push(`granule ${gi}: state ${g.state} with GPT ${g.gpt}`);
  }
  const inState = (st: GranuleState): number[] => [...state].filter(([, x]) => x === st).map(([gi]) => gi).sort((a, b) => a - b);
  const keys = (m: { entries(): Array<[number, unknown]> }): number[] => m.entries().map(([k]) => k);
  const same = (a: number[], b: number[], what: string): void => {
    if (a.join() !== b.join()) bad.push(`${what}: records [${a.join()}] vs granules [${b.join()}]`);
  };
  // Each RD, REC and RTT granule has exactly one record, and each record one granule.
  same(keys(s.realms), inState(GranuleState.RD), 'RD');
  same(keys(s.recs), inState(GranuleState.REC), 'REC');
  same(keys(s.rtts), inState(GranuleState.RTT), 'RTT');
  // Each REC belongs to a live Realm, and each REC_AUX granule to exactly one REC.
  const auxOwners = new Map<number, number>();
  const recsOf = new Map<number, number>();
  for (const [gi, rec] of s.recs.entries()) {
    if (!s.realms.has(rec.owner)) bad.push(`REC ${gi}: owner ${rec.owner} is not a Realm`);
    recsOf.set(rec.owner, (recsOf.get(rec.owner) ?? 0) + 1);
    for (const a of rec.aux) {
      if (auxOwners.has(a)) bad.push(`REC_AUX ${a}: listed by RECs ${auxOwners.get(a)} and ${gi}`);
      auxOwners.set(a, gi);
      if (state.get(a) !== GranuleState.REC_AUX) bad.push(`REC ${gi}: aux ${a} is not REC_AUX`);
    }
  }
  same([...auxOwners.keys()].sort((a, b) => a - b), inState(GranuleState.REC_AUX), 'REC_AUX');
  // num_recs counts the Realm's RECs; the VMID map and the starting RTTs agree with the Realm.
  for (const [rd, realm] of s.realms.entries()) {
    if (realm.numRecs !== (recsOf.get(rd) ?? 0)) bad.push(`Realm ${rd}: num_recs ${realm.numRecs}, RECs ${recsOf.get(rd) ?? 0}`);
    if (s.vmids.get(realm.vmid) !== rd) bad.push(`Realm ${rd}: VMID ${realm.vmid} not recorded`);
    for (let k = 0; k < realm.rttNumStart; k++) {
      const t = s.rtts.get(realm.rttBase + k);
      if (t === undefined || t.realm !== rd || t.level !== realm.rttLevelStart) bad.push(`Realm ${rd}: starting RTT ${realm.rttBase + k} missing`);
    }
  }
  if (s.vmids.size !== s.realms.size) bad.push(`${s.vmids.size} VMIDs in use for ${s.realms.size} Realms`);
  // Only Non-secure granules and DATA granules hold bytes.
  for (const [gi] of s.memory.entries()) {
    const st = state.get(gi) ?? GranuleState.UNDELEGATED;
    if (st !== GranuleState.UNDELEGATED && st !== GranuleState.DATA) bad.push(`granule ${gi} in state ${st} holds bytes`);
  }
  return bad;
}
