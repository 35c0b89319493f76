/**
 * The frame check: every part of the state that a successful command changed must be named by
 * its footprint (DEN0137 B4.3.x.4), and nothing else may change. The diff walks only what the
 * persistent maps record as updated between the two states, so it costs O(changes).
 *
 * @packageDocumentation
 */
import type { FootprintItem, RealmField, RecField } from '../catalogue/index.js';
import type { PMap } from '../internal/pmap.js';
import type { GranuleIndex } from '../model/bits.js';
import { initialGranule } from '../model/granule.js';
import type { Realm } from '../model/realm.js';
import type { Rec } from '../model/rec.js';
import type { Rtt } from '../model/rtt.js';
import type { RmmState } from '../model/state.js';
import type { Locator } from './post.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One change between two states, named as footprints name state (DEN0137 C1.6, C1.16, C1.19, C1.28). @category State */
export type Change =
  /** Granule(gi).state or .gpt changed. */
  | { readonly kind: 'granule'; readonly gi: GranuleIndex; readonly field: 'state' | 'gpt' }
  /** The object record kept at granule gi (a Realm, REC or RTT) came into being or went away. */
  | { readonly kind: 'object'; readonly gi: GranuleIndex; readonly what: 'Realm' | 'Rec' | 'Rtt' }
  /** An attribute of the Realm whose RD is gi (`index`: the measurement slot). */
  | { readonly kind: 'realm'; readonly gi: GranuleIndex; readonly field: RealmField; readonly index?: number }
  /** An attribute of the REC at gi. */
  | { readonly kind: 'rec'; readonly gi: GranuleIndex; readonly field: RecField }
  /** Entry `entry` of the RTT at gi. */
  | { readonly kind: 'rtt'; readonly gi: GranuleIndex; readonly entry: number }
  /** The contents of granule gi. */
  | { readonly kind: 'memory'; readonly gi: GranuleIndex }
  /** VMID `vmid` was taken or freed by the Realm whose RD is `rd`. */
  | { readonly kind: 'vmid'; readonly vmid: number; readonly rd: GranuleIndex };

/** Spec names of the Realm record's fields (DEN0137 C1.16); the implementation parameters are `params`. */
const REALM_FIELD_OF: Readonly<Record<Exclude<keyof Realm, 'measurements'>, RealmField>> = {
  state: 'state',
  featLpa2: 'feat_lpa2',
  ipaWidth: 'ipa_width',
  hashAlgo: 'hash_algo',
  recIndex: 'rec_index',
  numRecs: 'num_recs',
  rttBase: 'rtt_base',
  rttLevelStart: 'rtt_level_start',
  rttNumStart: 'rtt_num_start',
  vmid: 'vmid',
  rpv: 'rpv',
  sve: 'params',
  sveVl: 'params',
  pmu: 'params',
  pmuNumCtrs: 'params',
  numBps: 'params',
  numWps: 'params',
};

/** Spec names of the REC record's fields (DEN0137 C1.19), and the model's groups `enter`, `exit`, `attest_token`. */
const REC_FIELD_OF: Readonly<Record<keyof Rec, RecField>> = {
  owner: 'owner',
  state: 'state',
  runnable: 'flags',
  mpidr: 'mpidr',
  index: 'mpidr',
  pc: 'pc',
  gprs: 'gprs',
  aux: 'aux',
  psciPending: 'psci_pending',
  emulatableAbort: 'emulatable_abort',
  attestState: 'attest_state',
  attestChallenge: 'attest_challenge',
  ripasAddr: 'ripas_addr',
  ripasTop: 'ripas_top',
  ripasValue: 'ripas_value',
  ripasDestroyed: 'ripas_destroyed',
  ripasResponse: 'ripas_response',
  hostCallPending: 'host_call_pending',
  runPtr: 'enter',
  trapWfi: 'enter',
  trapWfe: 'enter',
  gicv3Hcr: 'enter',
  gicv3Lrs: 'enter',
  lastExitReason: 'exit',
  lastEsr: 'exit',
  lastAbortUnprotected: 'exit',
  attestToken: 'attest_token',
  attestOffset: 'attest_token',
};

// -------------------------------------------------------------------------------------
// diff
// -------------------------------------------------------------------------------------

/** Equality of model field values: numbers, bigints, booleans, byte arrays and arrays of those. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  return false;
}

/** Pairs of (before, after) values for every key that may differ, reading each version once (rerooting twice). */
function pairs<V>(pre: PMap<V>, post: PMap<V>): Array<[number, V | undefined, V | undefined]> {
  const keys = post.changedSince(pre) ?? [...new Set([...pre.entries().map(([k]) => k), ...post.entries().map(([k]) => k)])];
  const unique = [...new Set(keys)];
  const before = unique.map((k) => pre.get(k));
  const after = unique.map((k) => post.get(k));
  return unique.map((k, i) => [k, before[i], after[i]]);
}

function realmChanges(gi: GranuleIndex, a: Realm, b: Realm, out: Change[]): void {
  for (const k of Object.keys(REALM_FIELD_OF) as Array<keyof typeof REALM_FIELD_OF>) {
    if (!same(a[k], b[k])) out.push({ kind: 'realm', gi, field: REALM_FIELD_OF[k] });
  }
  a.measurements.forEach((m, index) => {
    if (!same(m, b.measurements[index])) out.push({ kind: 'realm', gi, field: 'measurements', index });
  });
}

function recChanges(gi: GranuleIndex, a: Rec, b: Rec, out: Change[]): void {
  for (const k of Object.keys(REC_FIELD_OF) as Array<keyof Rec>) if (!same(a[k], b[k])) out.push({ kind: 'rec', gi, field: REC_FIELD_OF[k] });
}

function rttChanges(gi: GranuleIndex, a: Rtt, b: Rtt, out: Change[]): void {
  if (a.realm !== b.realm || a.level !== b.level || a.baseIpa !== b.baseIpa) {
    out.push({ kind: 'object', gi, what: 'Rtt' });
    return;
  }
  a.chunks.forEach((ca, c) => {
    const cb = b.chunks[c] as readonly number[];
    if (ca === cb) return;
    ca.forEach((v, i) => {
      if (v !== cb[i]) out.push({ kind: 'rtt', gi, entry: c * ca.length + i });
    });
  });
}

/** Every change from `pre` to `post` (which must share a platform). @category State */
export function stateChanges(pre: RmmState, post: RmmState): Change[] {
  const out: Change[] = [];
  if (pre === post) return out;
  for (const [gi, a, b] of pairs(pre.granules, post.granules)) {
    const ga = a ?? initialGranule(pre.platform, gi);
    const gb = b ?? initialGranule(post.platform, gi);
    if (ga.state !== gb.state) out.push({ kind: 'granule', gi, field: 'state' });
    if (ga.gpt !== gb.gpt) out.push({ kind: 'granule', gi, field: 'gpt' });
  }
  const objects = <V>(what: 'Realm' | 'Rec' | 'Rtt', pm: PMap<V>, qm: PMap<V>, fields: (gi: number, a: V, b: V, out: Change[]) => void): void => {
    for (const [gi, a, b] of pairs(pm, qm)) {
      if (a === b) continue;
      if (a === undefined || b === undefined) out.push({ kind: 'object', gi, what });
      else fields(gi, a, b, out);
    }
  };
  objects('Realm', pre.realms, post.realms, realmChanges);
  objects('Rec', pre.recs, post.recs, recChanges);
  objects('Rtt', pre.rtts, post.rtts, rttChanges);
  for (const [gi, a, b] of pairs(pre.memory, post.memory)) if (!same(a, b)) out.push({ kind: 'memory', gi });
  for (const [vmid, a, b] of pairs(pre.vmids, post.vmids)) if (a !== b) out.push({ kind: 'vmid', vmid, rd: (a ?? b) as number });
  return out;
}

// -------------------------------------------------------------------------------------
// footprint
// -------------------------------------------------------------------------------------

/** Text of a change, for reports. @category State */
export function showChange(c: Change): string {
  switch (c.kind) {
    case 'granule':
      return `Granule(${c.gi}).${c.field}`;
    case 'object':
      return `${c.what} record at granule ${c.gi} created or destroyed`;
    case 'realm':
      return `Realm(${c.gi}).${c.field}${c.index !== undefined ? `[${c.index}]` : ''}`;
    case 'rec':
      return `Rec(${c.gi}).${c.field}`;
    case 'rtt':
      return `RttEntry(${c.gi}, ${c.entry})`;
    case 'memory':
      return `Memory(${c.gi})`;
    case 'vmid':
      return `VMID ${c.vmid} of Realm ${c.rd}`;
  }
}

/** Keys of the changes a footprint allows, given its locators' values. */
function allowedKeys(items: readonly FootprintItem[], value: (name: string) => Locator | undefined): Set<string> {
  const keys = new Set<string>();
  const num = (name: string): number | undefined => {
    if (/^[0-9]+$/.test(name)) return Number(name);
    const v = value(name);
    return typeof v === 'number' ? v : undefined;
  };
  const owned = (gi: number): void => {
    keys.add(`g:${gi}:state`);
    keys.add(`o:${gi}`);
    keys.add(`m:${gi}`);
    keys.add(`v:${gi}`);
  };
  for (const { target: t } of items) {
    switch (t.object) {
      case 'Granule': {
        const gi = num(t.at);
        if (gi === undefined) break;
        if (t.field === 'state') owned(gi);
        else keys.add(`g:${gi}:gpt`);
        break;
      }
      case 'Realm': {
        const gi = num(t.at);
        if (gi === undefined) break;
        // The footprint grammar gives an index to measurements only (catalogue/footprint.ts).
        if (t.index !== undefined) {
          const k = num(t.index);
          if (k !== undefined) keys.add(`r:${gi}:measurements:${k}`);
        } else keys.add(`r:${gi}:${t.field}`);
        if (t.field === 'vmid') keys.add(`v:${gi}`);
        break;
      }
      case 'Rec': {
        const gi = num(t.at);
        if (gi !== undefined) keys.add(`c:${gi}:${t.field}`);
        break;
      }
      case 'RttEntry': {
        const gi = num(t.rtt);
        const e = num(t.entry);
        if (gi !== undefined && e !== undefined) keys.add(`t:${gi}:${e}`);
        break;
      }
      case 'Rtt': {
        const gi = num(t.rtt);
        if (gi !== undefined) keys.add(`t:${gi}:*`);
        break;
      }
      case 'RttsGranuleState': {
        const base = num(t.base);
        const n = num(t.count);
        if (base !== undefined && n !== undefined) for (let k = 0; k < n; k++) owned(base + k);
        break;
      }
      case 'AuxStates': {
        const list = value(t.list);
        const n = num(t.count);
        if (Array.isArray(list) && n !== undefined) for (const gi of list.slice(0, n)) owned(gi as number);
        break;
      }
      case 'Memory': {
        const gi = num(t.at);
        if (gi !== undefined) keys.add(`m:${gi}`);
        break;
      }
    }
  }
  return keys;
}

function allowed(c: Change, keys: ReadonlySet<string>): boolean {
  switch (c.kind) {
    case 'granule':
      return keys.has(`g:${c.gi}:${c.field}`);
    case 'object':
      return keys.has(`o:${c.gi}`);
    case 'realm':
      return keys.has(`o:${c.gi}`) || keys.has(`r:${c.gi}:${c.field}`) || (c.index !== undefined && keys.has(`r:${c.gi}:measurements:${c.index}`));
    case 'rec':
      return keys.has(`o:${c.gi}`) || keys.has(`c:${c.gi}:${c.field}`);
    case 'rtt':
      return keys.has(`o:${c.gi}`) || keys.has(`t:${c.gi}:*`) || keys.has(`t:${c.gi}:${c.entry}`);
    case 'memory':
      return keys.has(`m:${c.gi}`);
    case 'vmid':
      return keys.has(`v:${c.rd}`);
  }
}

/**
 * The changes from `pre` to `post` that footprint `items` does not allow, with each locator's
 * value from `value` (empty when the frame holds).
 */
export function frameViolations(items: readonly FootprintItem[], value: (name: string) => Locator | undefined, pre: RmmState, post: RmmState): Change[] {
  const changes = stateChanges(pre, post);
  if (changes.length === 0) return changes;
  const keys = allowedKeys(items, value);
  return changes.filter((c) => !allowed(c, keys));
}
