/**
 * State invariants (`spec/invariants.json`): properties every reachable state has, each with an
 * id and a spec section, checked by the model-based tests after every step and by exhaustive
 * exploration at every state (DEN0137 A2.1–A2.3, A5.5, A7.1, B3).
 *
 * @packageDocumentation
 */
import { catalogue, type Rule } from '../catalogue/index.js';
import type { RuleHits } from '../engine/hits.js';
import { hitsOr } from '../engine/checked.js';
import { InternalError } from '../internal/errors.js';
import { GranuleState, type Granule } from '../model/granule.js';
import { Gpt } from '../model/platform.js';
import { RealmState } from '../model/realm.js';
import { rttEntries, rttLevelSize, rttMeta, rttAddr, metaState, RttEntryState, type Geometry, type Rtt } from '../model/rtt.js';
import type { RmmState } from '../model/state.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A violation of an invariant: its catalogue rule and what is wrong, in words. @category Invariants */
export interface InvariantViolation {
  /** The invariant's rule (`invariant/<id>`). */
  readonly rule: Rule;
  /** What is wrong. */
  readonly message: string;
}

type StateCheck = (s: RmmState, bad: (m: string) => void) => void;
type TransitionCheck = (pre: RmmState, post: RmmState, bad: (m: string) => void) => void;

// -------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------

const sorted = (xs: Iterable<number>): number[] => [...xs].sort((a, b) => a - b);

/** Granules by state (only those the state records; untouched granules are UNDELEGATED). */
function byState(s: RmmState): Map<GranuleState, number[]> {
  const m = new Map<GranuleState, number[]>();
  for (const [gi, g] of s.granules.entries()) {
    const list = m.get(g.state) ?? [];
    list.push(gi);
    m.set(g.state, list);
  }
  return m;
}

function stateOf(s: RmmState, gi: number): GranuleState {
  return (s.granules.get(gi) as Granule | undefined)?.state ?? GranuleState.UNDELEGATED;
}

/** What the invariants need from one RTT, found in one pass over its entries. */
interface RttScan {
  /** ASSIGNED or TABLE entries (RttIsLive's count, A5.5.8). */
  readonly live: number;
  /** TABLE entries: index, output granule, the IPA the entry maps. */
  readonly tables: ReadonlyArray<readonly [number, number, number]>;
  /** ASSIGNED entries: index, first output granule. */
  readonly assigned: ReadonlyArray<readonly [number, number]>;
  /** Non-TABLE entries: index, state and IPA, for the HIPAS check. */
  readonly states: ReadonlyArray<readonly [number, RttEntryState, number]>;
}

// RTTs are immutable and shared between states: each is scanned once (a table belongs to the
// states of one platform, so to one geometry).
const scans = new WeakMap<Rtt, RttScan>();

function scan(g: Geometry, t: Rtt): RttScan {
  let r = scans.get(t);
  if (r !== undefined) return r;
  const size = rttLevelSize(g, t.level);
  const n = rttEntries(g, t.level);
  const tables: Array<readonly [number, number, number]> = [];
  const assigned: Array<readonly [number, number]> = [];
  const states: Array<readonly [number, RttEntryState, number]> = [];
  let live = 0;
  for (let i = 0; i < n; i++) {
    const st = metaState(rttMeta(t, i));
    if (st === RttEntryState.TABLE) {
      live++;
      tables.push([i, rttAddr(t, i) / 4096, t.baseIpa + i * size]);
      continue;
    }
    if (st === RttEntryState.ASSIGNED) {
      live++;
      assigned.push([i, rttAddr(t, i) / 4096]);
    }
    // Runs of one state are recorded once, at their first entry and last entry.
    const prev = states[states.length - 1];
    if (prev === undefined || prev[1] !== st || i === n - 1 || metaState(rttMeta(t, i + 1)) !== st) states.push([i, st, t.baseIpa + i * size]);
  }
  r = { live, tables, assigned, states };
  scans.set(t, r);
  return r;
}

// -------------------------------------------------------------------------------------
// invariants
// -------------------------------------------------------------------------------------

const stateChecks: Readonly<Record<string, StateCheck>> = {
  gpt_ownership: (s, bad) => {
    for (const [gi, g] of s.granules.entries()) {
      if ((g.state !== GranuleState.UNDELEGATED) !== (g.gpt === Gpt.REALM)) bad(`granule ${gi}: state ${g.state} with GPT ${g.gpt}`);
    }
  },
  object_records: (s, bad) => {
    const states = byState(s);
    const same = (records: number[], st: GranuleState, what: string): void => {
      const granules = sorted(states.get(st) ?? []);
      if (records.join() !== granules.join()) bad(`${what}: records at [${records.join()}], granules in that state [${granules.join()}]`);
    };
    same(s.realms.entries().map(([k]) => k), GranuleState.RD, 'RD');
    same(s.recs.entries().map(([k]) => k), GranuleState.REC, 'REC');
    same(s.rtts.entries().map(([k]) => k), GranuleState.RTT, 'RTT');
  },
  aux_ownership: (s, bad) => {
    const owner = new Map<number, number>();
    for (const [gi, rec] of s.recs.entries()) {
      for (const a of rec.aux) {
        if (owner.has(a)) bad(`REC_AUX ${a}: auxiliary granule of RECs ${owner.get(a)} and ${gi}`);
        owner.set(a, gi);
        if (stateOf(s, a) !== GranuleState.REC_AUX) bad(`REC ${gi}: auxiliary granule ${a} is not REC_AUX`);
      }
    }
    const aux = sorted(byState(s).get(GranuleState.REC_AUX) ?? []);
    if (sorted(owner.keys()).join() !== aux.join()) bad(`REC_AUX granules [${aux.join()}], auxiliary granules of RECs [${sorted(owner.keys()).join()}]`);
  },
  objects_owned: (s, bad) => {
    for (const [gi, rec] of s.recs.entries()) if (!s.realms.has(rec.owner)) bad(`REC ${gi}: owner ${rec.owner} is not a Realm`);
    for (const [gi, t] of s.rtts.entries()) if (!s.realms.has(t.realm)) bad(`RTT ${gi}: Realm ${t.realm} does not exist`);
  },
  num_recs: (s, bad) => {
    const count = new Map<number, number>();
    for (const [, rec] of s.recs.entries()) count.set(rec.owner, (count.get(rec.owner) ?? 0) + 1);
    for (const [rd, realm] of s.realms.entries()) if (realm.numRecs !== (count.get(rd) ?? 0)) bad(`Realm ${rd}: num_recs ${realm.numRecs}, RECs ${count.get(rd) ?? 0}`);
  },
  vmid_unique: (s, bad) => {
    for (const [rd, realm] of s.realms.entries()) if (s.vmids.get(realm.vmid) !== rd) bad(`Realm ${rd}: VMID ${realm.vmid} is not recorded as its own`);
    if (s.vmids.size !== s.realms.size) bad(`${s.vmids.size} VMIDs in use for ${s.realms.size} Realms`);
  },
  rtt_tree: (s, bad) => {
    const refs = new Map<number, number>();
    const starting = new Set<number>();
    for (const [rd, realm] of s.realms.entries()) {
      const span = rttLevelSize(s.platform.geometry, realm.rttLevelStart) * rttEntries(s.platform.geometry, realm.rttLevelStart);
      for (let k = 0; k < realm.rttNumStart; k++) {
        const gi = realm.rttBase + k;
        starting.add(gi);
        const t = s.rtts.get(gi);
        if (t === undefined || t.realm !== rd || t.level !== realm.rttLevelStart || t.baseIpa !== k * span) bad(`Realm ${rd}: starting RTT ${k} (granule ${gi}) is missing or misplaced`);
      }
    }
    for (const [gi, t] of s.rtts.entries()) {
      for (const [i, out, ipa] of scan(s.platform.geometry, t).tables) {
        const child = s.rtts.get(out);
        if (child === undefined || child.realm !== t.realm || child.level !== t.level + 1 || child.baseIpa !== ipa) bad(`RTT ${gi} entry ${i}: TABLE entry to granule ${out}, which is not the next-level RTT of its Realm at IPA ${ipa}`);
        refs.set(out, (refs.get(out) ?? 0) + 1);
      }
    }
    for (const [gi] of s.rtts.entries()) {
      const n = refs.get(gi) ?? 0;
      if (starting.has(gi) ? n !== 0 : n !== 1) bad(`RTT ${gi}: referenced by ${n} TABLE entries`);
    }
  },
  rtt_live_count: (s, bad) => {
    for (const [gi, t] of s.rtts.entries()) {
      const live = scan(s.platform.geometry, t).live;
      if (live !== t.live) bad(`RTT ${gi}: ${live} ASSIGNED or TABLE entries, liveness count ${t.live}`);
    }
  },
  hipas_by_ipa: (s, bad) => {
    for (const [gi, t] of s.rtts.entries()) {
      const realm = s.realms.get(t.realm);
      if (realm === undefined) continue;
      const top = 2 ** (realm.ipaWidth - 1);
      for (const [i, state, ipa] of scan(s.platform.geometry, t).states) {
        const okP = state === RttEntryState.UNASSIGNED || state === RttEntryState.ASSIGNED;
        if (ipa < top !== okP) bad(`RTT ${gi} entry ${i}: state ${state} at ${ipa < top ? 'a Protected' : 'an Unprotected'} IPA`);
      }
    }
  },
  data_mapped_once: (s, bad) => {
    const refs = new Map<number, number>();
    for (const [gi, t] of s.rtts.entries()) {
      const n = rttLevelSize(s.platform.geometry, t.level) / 4096;
      for (const [i, out] of scan(s.platform.geometry, t).assigned) {
        for (let k = 0; k < n; k++) {
          if (stateOf(s, out + k) !== GranuleState.DATA) bad(`RTT ${gi} entry ${i}: maps granule ${out + k}, which is not DATA`);
          refs.set(out + k, (refs.get(out + k) ?? 0) + 1);
        }
      }
    }
    for (const gi of byState(s).get(GranuleState.DATA) ?? []) if (refs.get(gi) !== 1) bad(`DATA granule ${gi}: mapped by ${refs.get(gi) ?? 0} ASSIGNED entries`);
  },
  contents_owned: (s, bad) => {
    for (const [gi] of s.memory.entries()) {
      const st = stateOf(s, gi);
      if (st !== GranuleState.UNDELEGATED && st !== GranuleState.DATA) bad(`granule ${gi} in state ${st} holds contents`);
    }
  },
};

const transitionChecks: Readonly<Record<string, TransitionCheck>> = {
  rim_frozen: (pre, post, bad) => {
    const changed = post.realms.changedSince(pre.realms) ?? pre.realms.entries().map(([k]) => k);
    const before = changed.map((rd) => pre.realms.get(rd));
    const after = changed.map((rd) => post.realms.get(rd));
    changed.forEach((rd, k) => {
      const a = before[k];
      const b = after[k];
      if (a === undefined || b === undefined || a.state === RealmState.REALM_NEW) return;
      const ra = a.measurements[0] as Uint8Array;
      const rb = b.measurements[0] as Uint8Array;
      if (ra.length !== rb.length || ra.some((x, i) => x !== rb[i])) bad(`Realm ${rd}: the RIM changed after activation`);
    });
  },
};

// The code and the catalogue agree invariant for invariant (a mismatch is a model bug at load).
for (const r of catalogue.invariants) {
  const impl = r.transition === true ? transitionChecks[r.label] : stateChecks[r.label];
  if (impl === undefined) throw new InternalError(`${r.id}: listed in the catalogue but not checked by the code`);
}
for (const k of [...Object.keys(stateChecks), ...Object.keys(transitionChecks)]) {
  if (!catalogue.invariants.some((r) => r.label === k)) throw new InternalError(`invariant ${k} is checked by the code but not in the catalogue`);
}

// -------------------------------------------------------------------------------------
// checking
// -------------------------------------------------------------------------------------

function run(rules: readonly Rule[], given: RuleHits | undefined, check: (r: Rule, bad: (m: string) => void) => void): InvariantViolation[] {
  const out: InvariantViolation[] = [];
  const hits = hitsOr(given);
  for (const rule of rules) {
    let held = true;
    check(rule, (message) => {
      held = false;
      out.push({ rule, message });
    });
    if (hits !== undefined) {
      hits.reached[rule.n] = (hits.reached[rule.n] as number) + 1;
      if (held) hits.held[rule.n] = (hits.held[rule.n] as number) + 1;
    }
  }
  return out;
}

const stateRules = catalogue.invariants.filter((r) => r.transition !== true);
const transitionRules = catalogue.invariants.filter((r) => r.transition === true);

/** Every violation of a state invariant in `s` (empty when `s` is consistent); each check is counted in `hits`. @category Invariants */
export function invariantViolations(s: RmmState, hits?: RuleHits): InvariantViolation[] {
  return run(stateRules, hits, (r, bad) => (stateChecks[r.label] as StateCheck)(s, bad));
}

/** Every violation of a transition invariant from `pre` to `post` (DEN0137 A7.1.1 and the like). @category Invariants */
export function transitionViolations(pre: RmmState, post: RmmState, hits?: RuleHits): InvariantViolation[] {
  return run(transitionRules, hits, (r, bad) => (transitionChecks[r.label] as TransitionCheck)(pre, post, bad));
}

/** The violations as lines of text (`invariant/<id>: message`), for test failures and reports. @category Invariants */
export function showViolations(v: readonly InvariantViolation[]): string[] {
  return v.map((x) => `${x.rule.id}: ${x.message}`);
}
