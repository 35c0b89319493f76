/**
 * RMI_REALM_CREATE, RMI_REALM_ACTIVATE and RMI_REALM_DESTROY: the Realm lifecycle
 * (DEN0137 B4.3.9, B4.3.8, B4.3.10, A2.1).
 *
 * @packageDocumentation
 */
import { defineCommand } from '../engine/command.js';
import { established, type Established, type Refinement } from '../engine/refine.js';
import { GRANULE_SIZE, granuleIndex, isGranuleAligned, type GranuleIndex } from '../model/bits.js';
import { GranuleState, realmGranule } from '../model/granule.js';
import { granuleView } from '../model/memory.js';
import { rimInit, ZERO_MEASUREMENT } from '../model/measurement.js';
import { isDelegableGranule } from '../model/platform.js';
import { decodeRealmParams, realmParamsAreValid, realmParamsSupported, rttConfigIsValid, type RealmParams } from '../model/realm-params.js';
import { HashAlgorithm, RealmState, updateRealm, type Realm } from '../model/realm.js';
import { packMeta, rttEntries, rttIsLive, rttLevelSize, RttEntryState, Ripas, uniformRtt } from '../model/rtt.js';
import { granuleAt, updateState, withGranule, withRealmRecord, type RmmState } from '../model/state.js';
import { granuleArg, nsAccessible, nsGranuleArg, rdArg, realmAt, withRealm, isDelegable } from './common.js';
import { realmActivatePost, realmCreatePost, realmDestroyPost } from '../post/realm.js';

// -------------------------------------------------------------------------------------
// RMI_REALM_CREATE
// -------------------------------------------------------------------------------------

/** What RMI_REALM_CREATE reads (DEN0137 B4.3.9). @category Realm */
export interface RealmCreateCtx {
  readonly s: RmmState;
  readonly rd: bigint;
  readonly paramsPtr: bigint;
  /** The params granule's bytes; undefined unless params_ptr is an aligned, delegable, NS-accessible PA. */
  readonly bytes: Uint8Array | undefined;
  /** RealmParams(params_ptr), decoded from `bytes`. */
  readonly params: RealmParams | undefined;
  /** RmiRealmParamsIsValid(params) (false when unreadable). */
  readonly valid: boolean;
}

// Decoded params per granule contents: the state's memory is never changed in place (a write
// makes a new granule), so the same contents decode to the same params (exploration reads one
// params granule in every state).
const decoded = new WeakMap<Uint8Array, { readonly params: RealmParams; readonly valid: boolean }>();

function createContext(s: RmmState, i: { readonly rd: bigint; readonly params_ptr: bigint }): RealmCreateCtx {
  const p = i.params_ptr;
  const readable = isGranuleAligned(p) && isDelegable(s, p) && nsAccessible(s, p);
  const bytes = readable ? granuleView(s, granuleIndex(p)) : undefined;
  if (bytes === undefined) return { s, rd: i.rd, paramsPtr: p, bytes, params: undefined, valid: false };
  let d = decoded.get(bytes);
  if (d === undefined) {
    const params = decodeRealmParams(bytes);
    decoded.set(bytes, (d = { params, valid: realmParamsAreValid(bytes, params) }));
  }
  return { s, rd: i.rd, paramsPtr: p, bytes, params: d.params, valid: d.valid };
}

/**
 * RealmCreateCtx once no failure condition holds: the params were read (params_pas and the rows
 * before it) and name a hash algorithm the model knows (params_valid: hash_algo is 0 or 1,
 * DEN0137 B4.4.7 RmmHashAlgorithm).
 */
export type CheckedRealmCreateCtx = RealmCreateCtx & { readonly params: RealmParams & { readonly hashAlgo: HashAlgorithm } };

const paramsRead: Refinement<RealmCreateCtx, CheckedRealmCreateCtx> = {
  establishes: 'params read, with hash_algo SHA-256 or SHA-512',
  holds: (c): c is CheckedRealmCreateCtx => c.params !== undefined && (c.params.hashAlgo === HashAlgorithm.SHA_256 || c.params.hashAlgo === HashAlgorithm.SHA_512),
};

/** A check on the decoded params: false when they could not be read (well-formedness). */
function onParams(p: (params: RealmParams, c: RealmCreateCtx) => boolean): (c: RealmCreateCtx) => boolean {
  return (c) => c.params !== undefined && p(c.params, c);
}

const starts = new WeakMap<RealmParams, readonly GranuleIndex[]>();

/** Granule indexes of the starting-level RTTs the params name (empty when rtt_num_start is absurd); remembered per params. */
function startRtts(p: RealmParams): readonly GranuleIndex[] {
  let gis = starts.get(p);
  if (gis !== undefined) return gis;
  if (p.rttNumStart > 16n || !isGranuleAligned(p.rttBase)) gis = [];
  else {
    const first = granuleIndex(p.rttBase);
    gis = Array.from({ length: Number(p.rttNumStart) }, (_, k) => first + k);
  }
  starts.set(p, gis);
  return gis;
}

/** DEN0137 B3 VmidIsValid: 8-bit VMIDs unless the platform has FEAT_VMID16. */
function vmidIsValid(s: RmmState, vmid: number): boolean {
  // DECISION D-VMID: the platform's VMID width; VMID 0 is allowed.
  return s.platform.vmid16 || vmid < 256;
}

/** The starting-level RTTs of a new Realm: Protected entries UNASSIGNED/EMPTY, Unprotected ones UNASSIGNED_NS (B4.3.9.3). */
function addStartingRtts(s: RmmState, rdGi: GranuleIndex, p: RealmParams): RmmState {
  const g = s.platform.geometry;
  const level = Number(p.rttLevelStart);
  const span = rttEntries(g, level) * rttLevelSize(g, level);
  const protectedTop = 2 ** (p.s2sz - 1);
  let out = s;
  let rtts = s.rtts;
  startRtts(p).forEach((gi, k) => {
    out = withGranule(out, gi, realmGranule(GranuleState.RTT));
    rtts = rtts.set(gi, uniformRtt(g, rdGi, level, k * span, packMeta(RttEntryState.UNASSIGNED, Ripas.EMPTY), packMeta(RttEntryState.UNASSIGNED_NS, Ripas.EMPTY), protectedTop));
  });
  return updateState(out, { rtts });
}

/**
 * DEN0137 B4.3.9 RMI_REALM_CREATE: creates a Realm in REALM_NEW from the RmiRealmParams the Host
 * left in a Non-secure granule, with its starting-level RTTs, its VMID and its initial RIM.
 * @category Realm
 */
export const rmiRealmCreate = defineCommand<{ readonly rd: bigint; readonly params_ptr: bigint }, RealmCreateCtx, Record<string, never>, CheckedRealmCreateCtx>({
  name: 'RMI_REALM_CREATE',
  context: createContext,
  failures: {
    ...nsGranuleArg<RealmCreateCtx>('params', (c) => c.paramsPtr),
    params_valid: (c) => c.bytes !== undefined && c.params !== undefined && !c.valid,
    params_supp: onParams((p, c) => !realmParamsSupported(c.s.platform, p)),
    // B4.3.9.2 alias: rd is one of the starting-level RTT granules.
    alias: onParams((p, c) => c.rd >= p.rttBase && c.rd <= p.rttBase + (p.rttNumStart - 1n) * BigInt(GRANULE_SIZE)),
    ...granuleArg<RealmCreateCtx>('rd', (c) => c.rd, GranuleState.DELEGATED),
    rtt_align: onParams((p) => p.rttNumStart === 0n || p.rttBase % (p.rttNumStart * BigInt(GRANULE_SIZE)) !== 0n),
    rtt_num_level: onParams((p, c) => !rttConfigIsValid(c.s.platform, p)),
    rtt_state: onParams((p, c) => {
      const gis = startRtts(p);
      if (gis.length === 0) return true;
      return gis.some((gi) => !isDelegableGranule(c.s.platform, gi) || granuleAt(c.s, gi).state !== GranuleState.DELEGATED);
    }),
    vmid_valid: onParams((p, c) => !vmidIsValid(c.s, p.vmid) || c.s.vmids.has(p.vmid)),
  },
  checked: paramsRead,
  apply: (c) => {
    const p = c.params;
    const rdGi = granuleIndex(c.rd);
    const hashAlgo = p.hashAlgo;
    const realm: Realm = {
      state: RealmState.REALM_NEW,
      featLpa2: p.lpa2,
      ipaWidth: p.s2sz,
      hashAlgo,
      measurements: [rimInit(c.s.platform.digest, hashAlgo, p.raw), ZERO_MEASUREMENT, ZERO_MEASUREMENT, ZERO_MEASUREMENT, ZERO_MEASUREMENT],
      recIndex: 0,
      numRecs: 0,
      rttBase: granuleIndex(p.rttBase),
      rttLevelStart: Number(p.rttLevelStart),
      rttNumStart: Number(p.rttNumStart),
      vmid: p.vmid,
      rpv: p.rpv,
      sve: p.sve,
      sveVl: p.sveVl,
      pmu: p.pmu,
      pmuNumCtrs: p.pmuNumCtrs,
      numBps: p.numBps,
      numWps: p.numWps,
    };
    const s1 = addStartingRtts(withGranule(c.s, rdGi, realmGranule(GranuleState.RD)), rdGi, p);
    return [updateState(s1, { realms: s1.realms.set(rdGi, realm), vmids: s1.vmids.set(p.vmid, rdGi) }), {}];
  },
  post: realmCreatePost,
});

// -------------------------------------------------------------------------------------
// RMI_REALM_ACTIVATE, RMI_REALM_DESTROY
// -------------------------------------------------------------------------------------

/** What RMI_REALM_ACTIVATE and RMI_REALM_DESTROY read (DEN0137 B4.3.8, B4.3.10). @category Realm */
export interface RealmCtx {
  readonly s: RmmState;
  readonly rd: bigint;
  readonly realm: Realm | undefined;
}

const rdContext = (s: RmmState, i: { readonly rd: bigint }): RealmCtx => ({ s, rd: i.rd, realm: realmAt(s, i.rd) });

/** RealmCtx once no failure condition holds: Realm(rd) exists (rd_state: rd is an RD). */
export type CheckedRealmCtx = Established<RealmCtx, 'realm'>;

/** DEN0137 B4.3.8 RMI_REALM_ACTIVATE: a Realm in REALM_NEW becomes REALM_ACTIVE; its RIM is final. @category Realm */
export const rmiRealmActivate = defineCommand<{ readonly rd: bigint }, RealmCtx, Record<string, never>, CheckedRealmCtx>({
  name: 'RMI_REALM_ACTIVATE',
  context: rdContext,
  failures: {
    ...rdArg<RealmCtx>(),
    realm_state: withRealm((c: RealmCtx) => c.realm, (r) => r.state !== RealmState.REALM_NEW),
  },
  checked: established('realm'),
  apply: (c) => [withRealmRecord(c.s, granuleIndex(c.rd), updateRealm(c.realm, { state: RealmState.REALM_ACTIVE })), {}],
  post: realmActivatePost,
});

/** Granule indexes of a Realm's starting-level RTTs. @internal */
export function startingRtts(r: Realm): GranuleIndex[] {
  return Array.from({ length: r.rttNumStart }, (_, k) => r.rttBase + k);
}

/** DEN0137 A2.1.4 RealmIsLive: the Realm owns a REC, or a starting-level RTT has an ASSIGNED or TABLE entry. @category Realm */
export function realmIsLive(s: RmmState, r: Realm): boolean {
  return r.numRecs !== 0 || startingRtts(r).some((gi) => {
    const t = s.rtts.get(gi);
    return t !== undefined && rttIsLive(t);
  });
}

/**
 * DEN0137 B4.3.10 RMI_REALM_DESTROY: a Realm that is not live is destroyed; its RD and
 * starting-level RTT granules become DELEGATED and its VMID is freed.
 * @category Realm
 */
export const rmiRealmDestroy = defineCommand<{ readonly rd: bigint }, RealmCtx, Record<string, never>, CheckedRealmCtx>({
  name: 'RMI_REALM_DESTROY',
  context: rdContext,
  failures: {
    ...rdArg<RealmCtx>(),
    realm_live: withRealm((c: RealmCtx) => c.realm, (r, c) => realmIsLive(c.s, r)),
  },
  checked: established('realm'),
  apply: (c) => {
    const r = c.realm;
    const rdGi = granuleIndex(c.rd);
    let s = withGranule(c.s, rdGi, realmGranule(GranuleState.DELEGATED));
    let rtts = s.rtts;
    for (const gi of startingRtts(r)) {
      s = withGranule(s, gi, realmGranule(GranuleState.DELEGATED));
      rtts = rtts.delete(gi);
    }
    return [updateState(s, { rtts, realms: s.realms.delete(rdGi), vmids: s.vmids.delete(r.vmid) }), {}];
  },
  post: realmDestroyPost,
});
