/**
 * RMI_DATA_CREATE, RMI_DATA_CREATE_UNKNOWN and RMI_DATA_DESTROY: DATA granules mapped at
 * Protected IPAs as level 3 pages (DEN0137 B4.3.1, B4.3.2, B4.3.3, A5.3).
 *
 * @packageDocumentation
 */
import { defineCommand } from '../engine/command.js';
import { established, type Established } from '../engine/refine.js';
import { GRANULE_SIZE, granuleIndex, isGranuleAligned } from '../model/bits.js';
import { GranuleState, realmGranule } from '../model/granule.js';
import { wipeGranule, withGranuleBytes, ZERO_GRANULE } from '../model/memory.js';
import { rimExtendData } from '../model/measurement.js';
import { RealmState, withMeasurement, type Realm } from '../model/realm.js';
import { packMeta, Ripas, rttWithEntry, RttEntryState } from '../model/rtt.js';
import { addrIsProtected, RTT_PAGE_LEVEL, rttSkipNonLiveEntries, type RttWalkResult } from '../model/rtt-walk.js';
import { withGranule, withRealmRecord, type RmmState, updateState } from '../model/state.js';
import { granuleArg, nsGranuleArg, rdArg, realmAt } from './common.js';
import { ipaNumber, onRealm, onWalk, onWalkWithTop, walkContext, walkTo, type Walked, type WalkCtx } from './rtt-args.js';
import { dataCreatePost, dataCreateUnknownPost, dataDestroyPost } from '../post/data.js';

// -------------------------------------------------------------------------------------
// shared
// -------------------------------------------------------------------------------------

/** RmiDataFlags.measure (DEN0137 B4.4.4): bit 0; bits 63:1 SBZ. */
const MEASURE_CONTENT = 1n;

/** Inputs of RMI_DATA_CREATE_UNKNOWN (DEN0137 B4.3.2.1.1). @category RTT */
export interface DataCreateUnknownInput {
  readonly rd: bigint;
  readonly data: bigint;
  readonly ipa: bigint;
}

/** What RMI_DATA_CREATE_UNKNOWN reads (DEN0137 B4.3.2). @category RTT */
export interface DataCreateUnknownCtx extends WalkCtx {
  readonly data: bigint;
}

const dataArgs = {
  ...granuleArg<DataCreateUnknownCtx>('data', (c) => c.data, GranuleState.DELEGATED),
  // Realm(rd).feat_lpa2 == FALSE && data ≥ 2^48 (read before rd is checked: D-WELLFORMED).
  data_bound2: onRealm((r: Realm, c: DataCreateUnknownCtx) => !r.featLpa2 && c.data >= 1n << 48n),
};

/** The ipa_align and ipa_bound rows of the three commands: a granule-aligned Protected IPA. */
const ipaArgs = {
  ipa_align: (c: WalkCtx) => !isGranuleAligned(c.ipa),
  // !AddrIsProtected(ipa, Realm(rd)).
  ipa_bound: onRealm((r: Realm, c: WalkCtx) => !addrIsProtected(r, c.ipa)),
};

/** The rtt_walk row: walk.level < RMM_RTT_PAGE_LEVEL (no level 3 RTT maps ipa). */
const notPage = (w: RttWalkResult): boolean => w.level < RTT_PAGE_LEVEL;

/** `s` with granule `data` a DATA granule mapped by the level 3 entry `w` with RIPAS `ripas`. */
function mapData(s: RmmState, w: RttWalkResult, data: bigint, ripas: Ripas): RmmState {
  const s1 = withGranule(s, granuleIndex(data), realmGranule(GranuleState.DATA));
  return updateState(s1, { rtts: s1.rtts.set(w.rtt, rttWithEntry(w.table, w.index, packMeta(RttEntryState.ASSIGNED, ripas), Number(data))) });
}

// -------------------------------------------------------------------------------------
// RMI_DATA_CREATE
// -------------------------------------------------------------------------------------

/** What RMI_DATA_CREATE reads (DEN0137 B4.3.1.1.2). @category RTT */
export interface DataCreateCtx extends DataCreateUnknownCtx {
  readonly src: bigint;
  readonly flags: bigint;
}

/**
 * DEN0137 B4.3.1 RMI_DATA_CREATE: for a Realm in REALM_NEW, a DELEGATED granule becomes DATA
 * holding a copy of the Non-secure granule `src`, mapped at `ipa` with RIPAS RAM; the RIM is
 * extended with a DATA descriptor (B4.3.1.4), measuring the content when flags.measure is set.
 * @category RTT
 */
export const rmiDataCreate = defineCommand<
  DataCreateUnknownInput & { readonly src: bigint; readonly flags: bigint },
  DataCreateCtx,
  Record<string, never>,
  Established<DataCreateCtx, 'realm' | 'walk'>
>({
  name: 'RMI_DATA_CREATE',
  context: (s, i) => {
    const realm = realmAt(s, i.rd);
    const ipaN = ipaNumber(i.ipa);
    return { s, rd: i.rd, realm, ipa: i.ipa, ipaN, walk: walkTo(s, realm, ipaN, RTT_PAGE_LEVEL), data: i.data, src: i.src, flags: i.flags };
  },
  failures: {
    // D-ENCODING: RmiDataFlags bits 63:1 are SBZ.
    flags_valid: (c) => c.flags >> 1n !== 0n,
    ...nsGranuleArg<DataCreateCtx>('src', (c) => c.src),
    ...dataArgs,
    ...rdArg<DataCreateCtx>(),
    ...ipaArgs,
    realm_state: onRealm((r) => r.state !== RealmState.REALM_NEW),
    rtt_walk: onWalk(notPage),
    // walk.rtte.state != UNASSIGNED (any RIPAS).
    rtte_state: onWalk((w) => w.entry.state !== RttEntryState.UNASSIGNED),
  },
  checked: established('realm', 'walk'),
  apply: (c) => {
    const w = c.walk;
    const realm = c.realm;
    // Granule contents are immutable values: DATA shares the source's bytes (a zero source has none).
    const bytes = c.s.memory.get(granuleIndex(c.src));
    const measured = (c.flags & MEASURE_CONTENT) === MEASURE_CONTENT ? (bytes ?? ZERO_GRANULE) : undefined;
    const rim = rimExtendData(c.s.platform.digest, realm.hashAlgo, realm.measurements[0] as Uint8Array, c.ipa, c.flags, measured);
    let s = mapData(c.s, w, c.data, Ripas.RAM);
    if (bytes !== undefined) s = withGranuleBytes(s, granuleIndex(c.data), bytes);
    return [withRealmRecord(s, w.table.realm, withMeasurement(realm, 0, rim)), {}];
  },
  post: dataCreatePost,
});

// -------------------------------------------------------------------------------------
// RMI_DATA_CREATE_UNKNOWN
// -------------------------------------------------------------------------------------

/**
 * DEN0137 B4.3.2 RMI_DATA_CREATE_UNKNOWN: in any Realm state, a DELEGATED granule becomes DATA
 * with wiped (unknown) contents, mapped at `ipa`; the entry keeps its RIPAS and the RIM is unchanged.
 * @category RTT
 */
export const rmiDataCreateUnknown = defineCommand<DataCreateUnknownInput, DataCreateUnknownCtx, Record<string, never>, Walked<DataCreateUnknownCtx>>({
  name: 'RMI_DATA_CREATE_UNKNOWN',
  context: (s, i) => {
    const realm = realmAt(s, i.rd);
    const ipaN = ipaNumber(i.ipa);
    return { s, rd: i.rd, realm, ipa: i.ipa, ipaN, walk: walkTo(s, realm, ipaN, RTT_PAGE_LEVEL), data: i.data };
  },
  failures: {
    ...dataArgs,
    ...rdArg<DataCreateUnknownCtx>(),
    ...ipaArgs,
    rtt_walk: onWalk(notPage),
    rtte_state: onWalk((w) => w.entry.state !== RttEntryState.UNASSIGNED),
  },
  checked: established('walk'),
  apply: (c) => {
    const w = c.walk;
    // DELEGATED granules hold no bytes (D-WIPE): the DATA granule's contents are the wiped value.
    return [wipeGranule(mapData(c.s, w, c.data, w.entry.ripas), granuleIndex(c.data)), {}];
  },
  post: dataCreateUnknownPost,
});

// -------------------------------------------------------------------------------------
// RMI_DATA_DESTROY
// -------------------------------------------------------------------------------------

/** RIPAS after DATA_DESTROY (B4.3.3.3 ripas_ram): RAM becomes DESTROYED, EMPTY and DESTROYED stay. */
const destroyedRipas = (r: Ripas): Ripas => (r === Ripas.RAM ? Ripas.DESTROYED : r);

/**
 * DEN0137 B4.3.3 RMI_DATA_DESTROY: the DATA granule mapped at `ipa` is unmapped and given back as
 * a DELEGATED (wiped) granule. Outputs its PA and `top`, the next live entry of the RTT (B3.76).
 * @category RTT
 */
export const rmiDataDestroy = defineCommand<{ readonly rd: bigint; readonly ipa: bigint }, WalkCtx, { readonly data: bigint; readonly top: bigint }, Walked<WalkCtx>>({
  name: 'RMI_DATA_DESTROY',
  context: (s, i) => walkContext(s, i.rd, i.ipa, RTT_PAGE_LEVEL),
  failures: {
    ...rdArg<WalkCtx>(),
    ...ipaArgs,
    rtt_walk: onWalkWithTop(notPage),
    // walk.rtte.state != ASSIGNED.
    rtte_state: onWalkWithTop((w) => w.entry.state !== RttEntryState.ASSIGNED),
  },
  checked: established('walk'),
  apply: (c) => {
    const w = c.walk;
    const gi = w.entry.addr / GRANULE_SIZE;
    const t = rttWithEntry(w.table, w.index, packMeta(RttEntryState.UNASSIGNED, destroyedRipas(w.entry.ripas)), 0);
    const s = wipeGranule(withGranule(c.s, gi, realmGranule(GranuleState.DELEGATED)), gi);
    // walk_top is evaluated after the command: the entry is no longer live.
    return [updateState(s, { rtts: s.rtts.set(w.rtt, t) }), { data: BigInt(w.entry.addr), top: BigInt(rttSkipNonLiveEntries(s.platform.geometry, t, c.ipaN)) }];
  },
  post: dataDestroyPost,
});
