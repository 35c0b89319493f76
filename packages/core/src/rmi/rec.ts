/**
 * RMI_REC_AUX_COUNT, RMI_REC_CREATE and RMI_REC_DESTROY: the REC lifecycle
 * (DEN0137 B4.3.11, B4.3.12, B4.3.13, A2.3).
 *
 * @packageDocumentation
 */
import { defineCommand } from '../engine/command.js';
import { established, type Established } from '../engine/refine.js';
import { granuleIndex, isGranuleAligned, type GranuleIndex } from '../model/bits.js';
import { GranuleState, realmGranule } from '../model/granule.js';
import { decodeStruct, hasZeroReservedBits, type StructValue } from '../model/layout.js';
import { granuleView } from '../model/memory.js';
import { rimExtendRec } from '../model/measurement.js';
import { RealmState, updateRealm, withMeasurement, type Realm } from '../model/realm.js';
import { AttestState, RecState, REC_GPRS, REC_RUN_INITIAL, recIndexOfMpidr, type Rec } from '../model/rec.js';
import { RmiRecParams } from '../model/structs.js';
import { granuleAt, updateState, withGranule, withRealmRecord, withRec, type RmmState } from '../model/state.js';
import { granuleArg, isDelegable, nsAccessible, nsGranuleArg, onRec, rdArg, realmAt, recAt, recRunning, withRealm } from './common.js';
import { recAuxCountPost, recCreatePost, recDestroyPost } from '../post/rec.js';

// -------------------------------------------------------------------------------------
// RMI_REC_AUX_COUNT
// -------------------------------------------------------------------------------------

/** What RMI_REC_AUX_COUNT reads (DEN0137 B4.3.11). @category REC */
export interface RecAuxCountCtx {
  readonly s: RmmState;
  readonly rd: bigint;
}

/** DEN0137 B3 RecAuxCount: auxiliary granules a REC of this Realm needs (the platform's value, ≤ 16). @category REC */
export function recAuxCount(s: RmmState): number {
  // DECISION D-RECAUX: the platform's value for every Realm, as TF-RMM returns 16.
  return s.platform.recAuxCount;
}

/** DEN0137 B4.3.11 RMI_REC_AUX_COUNT: how many auxiliary granules RMI_REC_CREATE needs for this Realm. @category REC */
export const rmiRecAuxCount = defineCommand<{ readonly rd: bigint }, RecAuxCountCtx, { readonly aux_count: bigint }>({
  name: 'RMI_REC_AUX_COUNT',
  context: (s, i) => ({ s, rd: i.rd }),
  failures: rdArg<RecAuxCountCtx>(),
  apply: (c) => [c.s, { aux_count: BigInt(recAuxCount(c.s)) }],
  post: recAuxCountPost,
});

// -------------------------------------------------------------------------------------
// RMI_REC_CREATE
// -------------------------------------------------------------------------------------

/** What RMI_REC_CREATE reads (DEN0137 B4.3.12). @category REC */
export interface RecCreateCtx {
  readonly s: RmmState;
  readonly rd: bigint;
  readonly rec: bigint;
  readonly paramsPtr: bigint;
  readonly realm: Realm | undefined;
  /** The params granule's bytes; undefined unless params_ptr is an aligned, delegable, NS-accessible PA. */
  readonly bytes: Uint8Array | undefined;
  /** RecParams(params_ptr). */
  readonly params: StructValue | undefined;
  /** params.aux[0..num_aux-1], when num_aux is at most 16. */
  readonly aux: readonly bigint[];
  /** Whether the params granule's reserved bits are zero (false when unreadable). */
  readonly zeroReserved: boolean;
}

// Decoded params per granule contents: the state's memory is never changed in place (a write
// makes a new granule), so the same contents decode to the same params.
const decoded = new WeakMap<Uint8Array, { readonly params: StructValue; readonly zeroReserved: boolean }>();

function createContext(s: RmmState, i: { readonly rd: bigint; readonly rec: bigint; readonly params_ptr: bigint }): RecCreateCtx {
  const p = i.params_ptr;
  const readable = isGranuleAligned(p) && isDelegable(s, p) && nsAccessible(s, p);
  const bytes = readable ? granuleView(s, granuleIndex(p)) : undefined;
  let d = bytes === undefined ? undefined : decoded.get(bytes);
  if (bytes !== undefined && d === undefined) decoded.set(bytes, (d = { params: decodeStruct(RmiRecParams, bytes), zeroReserved: hasZeroReservedBits(RmiRecParams, bytes) }));
  const params = d?.params;
  const numAux = params === undefined ? 0n : (params.num_aux as bigint);
  const aux = params !== undefined && numAux <= 16n ? (params.aux as readonly bigint[]).slice(0, Number(numAux)) : [];
  return { s, rd: i.rd, rec: i.rec, paramsPtr: p, realm: realmAt(s, i.rd), bytes, params, aux, zeroReserved: d?.zeroReserved ?? false };
}

const realmOf = (c: RecCreateCtx): Realm | undefined => c.realm;

/** RecCreateCtx once no failure condition holds: the params were read (params_pas) and Realm(rd) exists (rd_state). */
export type CheckedRecCreateCtx = Established<RecCreateCtx, 'params' | 'realm'>;

/**
 * DEN0137 B4.3.12 RMI_REC_CREATE: creates a REC with the next REC index of a Realm in REALM_NEW,
 * with its auxiliary granules; a runnable REC extends the RIM.
 * @category REC
 */
export const rmiRecCreate = defineCommand<{ readonly rd: bigint; readonly rec: bigint; readonly params_ptr: bigint }, RecCreateCtx, Record<string, never>, CheckedRecCreateCtx>({
  name: 'RMI_REC_CREATE',
  context: createContext,
  failures: {
    ...nsGranuleArg<RecCreateCtx>('params', (c) => c.paramsPtr),
    // DECISION D-ENCODING: an invalid RmiRecParams encoding is checked once the granule is readable.
    // B4.2: reserved flags and MPIDR bits and every other byte outside the fields are SBZ.
    params_valid: (c) => c.bytes !== undefined && !c.zeroReserved,
    ...granuleArg<RecCreateCtx>('rec', (c) => c.rec, GranuleState.DELEGATED),
    ...rdArg<RecCreateCtx>(),
    realm_state: withRealm(realmOf, (r) => r.state !== RealmState.REALM_NEW),
    // DECISION D-NUMRECS: num_recs against 2^MAX_RECS_ORDER - 1 from RmiFeatureRegister0.
    num_recs: withRealm(realmOf, (r, c) => r.numRecs === 2 ** c.s.platform.features.maxRecsOrder - 1),
    mpidr_index: withRealm(realmOf, (r, c) => c.params !== undefined && recIndexOfMpidr(c.params.mpidr as bigint) !== r.recIndex),
    num_aux: (c) => c.params !== undefined && c.params.num_aux !== BigInt(recAuxCount(c.s)),
    aux_align: (c) => c.aux.some((a) => !isGranuleAligned(a)),
    aux_alias: (c) => c.aux.some((a, k) => a === c.rec || c.aux.indexOf(a) !== k),
    aux_state: (c) => c.aux.some((a) => !isDelegable(c.s, a) || granuleAt(c.s, granuleIndex(a)).state !== GranuleState.DELEGATED),
  },
  checked: established('params', 'realm'),
  apply: (c) => {
    const p = c.params;
    const realm = c.realm;
    const rdGi = granuleIndex(c.rd);
    const recGi = granuleIndex(c.rec);
    const runnable = ((p.flags as bigint) & 1n) === 1n;
    const aux: GranuleIndex[] = c.aux.map(granuleIndex);
    const gprs = [...(p.gprs as readonly bigint[]), ...new Array<bigint>(REC_GPRS - 8).fill(0n)];
    const rec: Rec = {
      owner: rdGi,
      state: RecState.REC_READY,
      runnable,
      mpidr: p.mpidr as bigint,
      index: realm.recIndex,
      pc: p.pc as bigint,
      gprs,
      aux,
      psciPending: false,
      emulatableAbort: false,
      attestState: AttestState.NO_ATTEST_IN_PROGRESS,
      attestChallenge: new Uint8Array(64),
      ripasAddr: 0n,
      ripasTop: 0n,
      ripasValue: 0,
      ripasDestroyed: false,
      ripasResponse: 0,
      hostCallPending: false,
      // Realm-execution attributes: not entered yet, no exit, no token (model/rec.ts).
      ...REC_RUN_INITIAL,
    };
    // B4.3.12.4: only a runnable REC contributes to the RIM.
    const measured = runnable ? withMeasurement(realm, 0, rimExtendRec(c.s.platform.digest, realm.hashAlgo, realm.measurements[0] as Uint8Array, p)) : realm;
    let s = withGranule(c.s, recGi, realmGranule(GranuleState.REC));
    for (const gi of aux) s = withGranule(s, gi, realmGranule(GranuleState.REC_AUX));
    s = withRealmRecord(s, rdGi, updateRealm(measured, { recIndex: realm.recIndex + 1, numRecs: realm.numRecs + 1 }));
    return [withRec(s, recGi, rec), {}];
  },
  post: recCreatePost,
});

// -------------------------------------------------------------------------------------
// RMI_REC_DESTROY
// -------------------------------------------------------------------------------------

/** What RMI_REC_DESTROY reads (DEN0137 B4.3.13). @category REC */
export interface RecDestroyCtx {
  readonly s: RmmState;
  readonly recPtr: bigint;
  /** Rec(rec_ptr), read whatever rec_ptr is (D-WELLFORMED). */
  readonly rec: Rec | undefined;
  /** Realm(Rec(rec_ptr).owner). */
  readonly owner: Realm | undefined;
}

/** RecDestroyCtx once no failure condition holds: Rec(rec_ptr) exists (rec_gran_state), and so does its owner Realm. */
export type CheckedRecDestroyCtx = Established<RecDestroyCtx, 'rec' | 'owner'>;

function destroyContext(s: RmmState, i: { readonly rec_ptr: bigint }): RecDestroyCtx {
  const rec = recAt(s, i.rec_ptr);
  return { s, recPtr: i.rec_ptr, rec, owner: rec === undefined ? undefined : s.realms.get(rec.owner) };
}

/** DEN0137 B4.3.13 RMI_REC_DESTROY: a REC that is not running is destroyed with its auxiliary granules. @category REC */
export const rmiRecDestroy = defineCommand<{ readonly rec_ptr: bigint }, RecDestroyCtx, Record<string, never>, CheckedRecDestroyCtx>({
  name: 'RMI_REC_DESTROY',
  context: destroyContext,
  failures: {
    ...granuleArg<RecDestroyCtx>('rec', (c) => c.recPtr, GranuleState.REC, 'rec_gran_state'),
    rec_state: onRec((c: RecDestroyCtx) => c.rec, recRunning),
  },
  checked: established('rec', 'owner'),
  apply: (c) => {
    const rec = c.rec;
    const recGi = granuleIndex(c.recPtr);
    let s = withGranule(c.s, recGi, realmGranule(GranuleState.DELEGATED));
    for (const gi of rec.aux) s = withGranule(s, gi, realmGranule(GranuleState.DELEGATED));
    s = withRealmRecord(s, rec.owner, updateRealm(c.owner, { numRecs: c.owner.numRecs - 1 }));
    return [updateState(s, { recs: s.recs.delete(recGi) }), {}];
  },
  post: recDestroyPost,
});
