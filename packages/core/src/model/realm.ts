/**
 * Realms: the attributes the RMM keeps in a Realm Descriptor (DEN0137 A2.1, C1.16).
 *
 * @packageDocumentation
 */
import type { GranuleIndex } from './bits.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** RmmRealmState (DEN0137 A2.1.5, C1.18). @category Realm */
export const RealmState = {
  /** Under construction: the Host can add content; RECs cannot run. */
  REALM_NEW: 0,
  /** Eligible for execution; the RIM is final. */
  REALM_ACTIVE: 1,
  /** The Realm powered off (PSCI_SYSTEM_OFF or PSCI_SYSTEM_RESET); RECs cannot run again. */
  REALM_SYSTEM_OFF: 2,
} as const;
/** A Realm lifecycle state (DEN0137 A2.1.5). @category Realm */
export type RealmState = (typeof RealmState)[keyof typeof RealmState];
/** Names of {@link RealmState} values, for reports. @category Realm */
export const realmStateName: Readonly<Record<RealmState, string>> = ['REALM_NEW', 'REALM_ACTIVE', 'REALM_SYSTEM_OFF'];

/** RmmHashAlgorithm, the Realm hash algorithm RHA (DEN0137 A7.1, B4.4.7). @category Realm */
export const HashAlgorithm = {
  /** SHA-256. */
  SHA_256: 0,
  /** SHA-512. */
  SHA_512: 1,
} as const;
/** A Realm hash algorithm (DEN0137 B4.4.7). @category Realm */
export type HashAlgorithm = (typeof HashAlgorithm)[keyof typeof HashAlgorithm];

/** The attributes of a Realm (DEN0137 C1.16 RmmRealm), plus the parameters that later commands use. @category Realm */
export interface Realm {
  /** Lifecycle state. */
  readonly state: RealmState;
  /** feat_lpa2: the Realm uses 52-bit addresses (FEAT_LPA2). */
  readonly featLpa2: boolean;
  /** ipa_width: IPA width in bits (params.s2sz). */
  readonly ipaWidth: number;
  /** hash_algo: the Realm hash algorithm (RHA). */
  readonly hashAlgo: HashAlgorithm;
  /** measurements[0..4]: RIM then REM[0..3], each 64 bytes (hash output, zero-filled). */
  readonly measurements: readonly Uint8Array[];
  /** rec_index: the index the next REC must have. */
  readonly recIndex: number;
  /** num_recs: RECs the Realm owns now. */
  readonly numRecs: number;
  /** rtt_base: granule index of the first starting-level RTT. */
  readonly rttBase: GranuleIndex;
  /** rtt_level_start: level of the starting-level RTTs (−1..3). */
  readonly rttLevelStart: number;
  /** rtt_num_start: number of concatenated starting-level RTTs. */
  readonly rttNumStart: number;
  /** vmid: the Realm's VMID. */
  readonly vmid: number;
  /** rpv: Realm Personalization Value, 64 bytes. */
  readonly rpv: Uint8Array;
  /** params.flags.sve: SVE enabled for the Realm (implementation parameter). */
  readonly sve: boolean;
  /** params.sve_vl: requested SVE vector length (implementation parameter). */
  readonly sveVl: number;
  /** params.flags.pmu: PMU enabled for the Realm (implementation parameter). */
  readonly pmu: boolean;
  /** params.pmu_num_ctrs (implementation parameter). */
  readonly pmuNumCtrs: number;
  /** params.num_bps (implementation parameter). */
  readonly numBps: number;
  /** params.num_wps (implementation parameter). */
  readonly numWps: number;
}

/** Number of measurement slots: RIM and four REMs (DEN0137 A7.1). @category Realm */
export const MEASUREMENT_SLOTS = 5;
/** Bytes in one measurement slot (RmmRealmMeasurement, 512 bits). @category Realm */
export const MEASUREMENT_BYTES = 64;

/** Digest size of a Realm hash algorithm in bytes. @category Realm */
export function hashSize(a: HashAlgorithm): number {
  return a === HashAlgorithm.SHA_256 ? 32 : 64;
}

/**
 * The Realm with `patch` applied; the only way Realm records are updated, so their key order
 * stays fixed (canonical hashing) and no object spread runs on the hot path. @internal
 */
export function updateRealm(r: Realm, patch: Partial<Realm>): Realm {
  return {
    state: patch.state ?? r.state,
    featLpa2: patch.featLpa2 ?? r.featLpa2,
    ipaWidth: patch.ipaWidth ?? r.ipaWidth,
    hashAlgo: patch.hashAlgo ?? r.hashAlgo,
    measurements: patch.measurements ?? r.measurements,
    recIndex: patch.recIndex ?? r.recIndex,
    numRecs: patch.numRecs ?? r.numRecs,
    rttBase: patch.rttBase ?? r.rttBase,
    rttLevelStart: patch.rttLevelStart ?? r.rttLevelStart,
    rttNumStart: patch.rttNumStart ?? r.rttNumStart,
    vmid: patch.vmid ?? r.vmid,
    rpv: patch.rpv ?? r.rpv,
    sve: patch.sve ?? r.sve,
    sveVl: patch.sveVl ?? r.sveVl,
    pmu: patch.pmu ?? r.pmu,
    pmuNumCtrs: patch.pmuNumCtrs ?? r.pmuNumCtrs,
    numBps: patch.numBps ?? r.numBps,
    numWps: patch.numWps ?? r.numWps,
  };
}

/** `r` with measurement `k` (0 the RIM, 1..4 the REMs) replaced by `m` (DEN0137 A7.1). @internal */
export function withMeasurement(r: Realm, k: number, m: Uint8Array): Realm {
  const measurements = r.measurements.slice();
  measurements[k] = m;
  return updateRealm(r, { measurements });
}
