/**
 * The abstract state of an RMM and the machine state it depends on: granules with their GPT
 * entries, Realms, RECs, RTTs, and the contents of memory the Host hands over.
 *
 * @packageDocumentation
 */
import { PMap } from '../internal/pmap.js';
import { canonical, hashBytes, hashValue } from '../internal/canon.js';
import type { GranuleIndex } from './bits.js';
import { defaultPlatform, type Platform } from './platform.js';
import { initialGranule, type Granule } from './granule.js';
import type { Realm } from './realm.js';
import type { Rec } from './rec.js';
import { DEFAULT_GEOMETRY, type Rtt } from './rtt.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A model state. Values are immutable: every command returns a new state that shares all
 * unchanged parts with the old one. Collections are keyed by granule index (PA >> 12).
 * @category State
 */
export interface RmmState {
  /** The platform: delegable memory, features, implementation choices. */
  readonly platform: Platform;
  /** Granules whose attributes differ from the platform's initial ones (UNDELEGATED, initial GPT). */
  readonly granules: PMap<Granule>;
  /** Realms, by the granule index of their RD. */
  readonly realms: PMap<Realm>;
  /** RECs, by the granule index of the REC granule. */
  readonly recs: PMap<Rec>;
  /** RTTs, by the granule index of the RTT granule. */
  readonly rtts: PMap<Rtt>;
  /** Granule contents that are not all zero: Non-secure memory the Host wrote, and DATA granules. */
  readonly memory: PMap<Uint8Array>;
  /** VMIDs in use, each to the granule index of its Realm's RD (DEN0137 B3 VmidIsFree). */
  readonly vmids: PMap<GranuleIndex>;
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

const byH = (v: { readonly h: number }): number => v.h;

/** The state of a freshly booted RMM on `platform`: every granule UNDELEGATED, memory zero. @category State */
export function initialState(platform: Platform = defaultPlatform): RmmState {
  return {
    platform,
    granules: PMap.empty<Granule>(byH),
    realms: PMap.empty<Realm>(hashValue),
    recs: PMap.empty<Rec>(hashValue),
    rtts: PMap.empty<Rtt>(byH),
    memory: PMap.empty<Uint8Array>(hashBytes),
    vmids: PMap.empty<GranuleIndex>(hashValue),
  };
}

/**
 * `s` with the collections in `patch` replaced. The only way states are updated: an explicit
 * object literal is some thirty times faster than object spread in V8, and every command builds
 * at least one new state. @internal
 */
export function updateState(s: RmmState, patch: Partial<Omit<RmmState, 'platform'>>): RmmState {
  return {
    platform: s.platform,
    granules: patch.granules ?? s.granules,
    realms: patch.realms ?? s.realms,
    recs: patch.recs ?? s.recs,
    rtts: patch.rtts ?? s.rtts,
    memory: patch.memory ?? s.memory,
    vmids: patch.vmids ?? s.vmids,
  };
}

// -------------------------------------------------------------------------------------
// granules, Realms and RECs
// -------------------------------------------------------------------------------------

/** The attributes of granule `gi` (DEN0137 B3 Granule()). @category State */
export function granuleAt(s: RmmState, gi: GranuleIndex): Granule {
  return s.granules.get(gi) ?? initialGranule(s.platform, gi);
}

/** `s` with granule `gi` set to `g`; an entry equal to the initial one is dropped so equal states stay equal. @internal */
export function withGranule(s: RmmState, gi: GranuleIndex, g: Granule): RmmState {
  const granules = g === initialGranule(s.platform, gi) ? s.granules.delete(gi) : s.granules.set(gi, g);
  return updateState(s, { granules });
}

/** `s` with REC `gi` replaced by `rec` (DEN0137 A2.3, C1.19). @internal */
export function withRec(s: RmmState, gi: GranuleIndex, rec: Rec): RmmState {
  return updateState(s, { recs: s.recs.set(gi, rec) });
}

/** `s` with the Realm whose RD is granule `gi` replaced by `realm` (DEN0137 A2.1, C1.16). @internal */
export function withRealmRecord(s: RmmState, gi: GranuleIndex, realm: Realm): RmmState {
  return updateState(s, { realms: s.realms.set(gi, realm) });
}

// -------------------------------------------------------------------------------------
// identity
// -------------------------------------------------------------------------------------

const platformKeys = new WeakMap<Platform, string>();

function platformKey(p: Platform): string {
  let k = platformKeys.get(p);
  if (k === undefined) {
    // The attestation port is identified by its RAK public key (the platform token is bound to it).
    // The geometry and the measurement mode enter only when they are not the defaults
    // (D-SMALL-SCOPE, D-SYMBOLIC-MEASURE), so default keys are as before.
    const small = p.levelBits === DEFAULT_GEOMETRY.levelBits ? {} : { levelBits: p.levelBits };
    const symbolic = p.measurement === 'sha' ? {} : { measurement: p.measurement };
    k = canonical({ dram: p.dram, features0: p.features0, recAuxCount: p.recAuxCount, vmid16: p.vmid16, hpmn0: p.hpmn0, gpt: p.gpt, rak: p.attestation?.rakPublicKey, ...small, ...symbolic });
    platformKeys.set(p, k);
  }
  return k;
}

/** A 53-bit hash of a state, in O(1): equal states hash equally. @category State */
export function stateHash(s: RmmState): number {
  let h = hashValue(platformKey(s.platform));
  for (const m of [s.granules, s.realms, s.recs, s.rtts, s.memory, s.vmids]) h = (h * 31 + m.hash) % 9007199254740881;
  return h;
}

function rttCanonical(r: Rtt): string {
  return canonical({ realm: r.realm, level: r.level, baseIpa: r.baseIpa, entries: r.chunks.flat() });
}

/**
 * The canonical key of a state: equal states give equal keys and different states different
 * keys. Linear in the size of the state; meant for exhaustive exploration of small configurations.
 * @category State
 */
export function stateKey(s: RmmState): string {
  const part = <V>(m: PMap<V>, f: (v: V) => string): string => m.entries().map(([k, v]) => k + '=' + f(v)).join(';');
  return [
    platformKey(s.platform),
    part(s.granules, (g) => `${g.state}/${g.gpt}`),
    part(s.realms, canonical),
    part(s.recs, canonical),
    part(s.rtts, rttCanonical),
    part(s.memory, canonical),
    part(s.vmids, String),
  ].join('|');
}

/** Whether two states are equal (DEN0137 leaves no attribute out: granules, Realms, RECs, RTTs, memory). @category State */
export function stateEquals(a: RmmState, b: RmmState): boolean {
  return a === b || (stateHash(a) === stateHash(b) && stateKey(a) === stateKey(b));
}
