/**
 * RMI_RTT_INIT_RIPAS and RMI_RTT_SET_RIPAS: RIPAS changes the Host makes on the entries of one
 * RTT per call, before activation (measured) and at a Realm's request (DEN0137 B4.3.18,
 * B4.3.21, A5.2.4, A5.4).
 *
 * @packageDocumentation
 */
import { defineCommand } from '../engine/command.js';
import { established, type Established } from '../engine/refine.js';
import { granuleAddr, granuleIndex, isGranuleAligned, GRANULE_SIZE, U64_MAX } from '../model/bits.js';
import { GranuleState } from '../model/granule.js';
import { rimExtendRipas } from '../model/measurement.js';
import { RealmState, withMeasurement } from '../model/realm.js';
import { updateRec, type Rec } from '../model/rec.js';
import { metaState, Ripas, rttLevelSize, rttWithRipas, RttEntryState, type Geometry, type Rtt } from '../model/rtt.js';
import { updateState, withRealmRecord, withRec } from '../model/state.js';
import {
  addrIsProtected,
  addrIsRttLevelAligned,
  alignDownToRttLevel,
  RTT_PAGE_LEVEL,
  rttEntryIndex,
  rttSkipEntriesUnless,
  rttSkipEntriesWithRipas,
  type RttWalkResult,
} from '../model/rtt-walk.js';
import { granuleArg, onRec, rdArg, realmAt, recAt, recRunning } from './common.js';
import { ipaNumber, onRealm, onWalk, walkTo, type WalkCtx } from './rtt-args.js';
import { rttInitRipasPost, rttSetRipasPost } from '../post/ripas.js';

// -------------------------------------------------------------------------------------
// shared
// -------------------------------------------------------------------------------------

/** What RMI_RTT_INIT_RIPAS reads: `ipa` is the base of the range, the walk goes to level 3 (DEN0137 B4.3.18.1.2). @category RTT */
export interface RipasRangeCtx extends WalkCtx {
  /** The top input. */
  readonly top: bigint;
  /** walk_top; NaN when it cannot be evaluated (no walk, or no REC for SET_RIPAS). */
  readonly walkTop: number;
}

/** `top` as a number for comparisons against table IPAs (values beyond 2^53 only need to stay large). */
const topNumber = (top: bigint): number => Number(top);

/** The entries of `t` (geometry `g`) in [base, walkTop) as an index range (empty when walkTop ≤ base). */
function entryRange(g: Geometry, t: Rtt, from: number, base: number, walkTop: number): readonly [number, number] {
  return walkTop > base ? [from, rttEntryIndex(g, t, walkTop)] : [from, from];
}

// -------------------------------------------------------------------------------------
// RMI_RTT_INIT_RIPAS
// -------------------------------------------------------------------------------------

const notUnassigned = (m: number): boolean => metaState(m) !== RttEntryState.UNASSIGNED;

/** walk_top of RMI_RTT_INIT_RIPAS: the end of the run of UNASSIGNED entries from base, at most top, aligned down to the walk level. */
function initWalkTop(g: Geometry, w: RttWalkResult, base: number, top: number): number {
  // The spec's walk_top is RttSkipEntriesWithRipas(Rtt(walk.rtt_addr), walk.level, base, top, FALSE):
  // the first TABLE entry from base, at most top, aligned down to the level (B3.75).
  // ERRATUM E-INIT-RIPAS-STOP: the range also ends at the first entry that is not UNASSIGNED (an
  // ASSIGNED page or block). Taken literally, B4.3.18.3 would give ASSIGNED entries in the range
  // RIPAS RAM, which A5.3.5 forbids (INIT_RIPAS applies where HIPAS is UNASSIGNED, whatever the
  // RIPAS); rtte_state already applies that rule to the first entry. UNASSIGNED entries with
  // RIPAS DESTROYED are no stop (A5.3.5: no dependency on RIPAS; TF-RMM stops there).
  // One scan gives both: every TABLE entry is not UNASSIGNED, so the first entry that is not
  // UNASSIGNED comes no later than the first TABLE entry; both are level-aligned, so
  // min(AlignDownToRttLevel(min(first TABLE, top)), stop) == AlignDownToRttLevel(min(stop, top)).
  return alignDownToRttLevel(g, Math.min(rttSkipEntriesUnless(g, w.table, base, notUnassigned), top), w.level);
}

/**
 * DEN0137 B4.3.18 RMI_RTT_INIT_RIPAS: for a Realm in REALM_NEW, the run of UNASSIGNED entries of
 * one RTT from `base` up to walk_top gets RIPAS RAM, and the RIM is extended with one RIPAS
 * descriptor per entry (B4.3.18.4). Outputs walk_top.
 * @category RTT
 */
export const rmiRttInitRipas = defineCommand<
  { readonly rd: bigint; readonly base: bigint; readonly top: bigint },
  RipasRangeCtx,
  { readonly out_top: bigint },
  Established<RipasRangeCtx, 'realm' | 'walk'>
>({
  name: 'RMI_RTT_INIT_RIPAS',
  context: (s, i) => {
    const realm = realmAt(s, i.rd);
    const ipaN = ipaNumber(i.base);
    const walk = walkTo(s, realm, ipaN, RTT_PAGE_LEVEL);
    const walkTop = walk === undefined ? NaN : initWalkTop(s.platform.geometry, walk, ipaN, topNumber(i.top));
    return { s, rd: i.rd, realm, ipa: i.base, ipaN, walk, top: i.top, walkTop };
  },
  failures: {
    ...rdArg<RipasRangeCtx>(),
    size_valid: (c) => c.top <= c.ipa,
    // !AddrIsProtected(ToAddress(UInt(top) − RMM_GRANULE_SIZE), realm): the last granule of the range.
    top_bound: onRealm((r, c: RipasRangeCtx) => !addrIsProtected(r, (c.top - BigInt(GRANULE_SIZE)) & U64_MAX)),
    realm_state: onRealm((r) => r.state !== RealmState.REALM_NEW),
    // DECISION D-RIPAS-BASE-ALIGN: a base that is not granule aligned fails here with
    // RTT(walk.level), as the spec's table says; TF-RMM returns RMI_ERROR_INPUT.
    base_align: onWalk((w, c: RipasRangeCtx) => !addrIsRttLevelAligned(c.s.platform.geometry, c.ipa, w.level)),
    rtte_state: onWalk((w) => w.entry.state !== RttEntryState.UNASSIGNED),
    // DECISION D-RIPAS-TOP-ALIGN: checked where the spec lists it (after rtte_state); TF-RMM
    // checks top's alignment together with base's, before the walk.
    top_gran_align: (c) => !isGranuleAligned(c.top),
    no_progress: onWalk((_w, c: RipasRangeCtx) => c.ipaN === c.walkTop),
  },
  // rd_state makes Realm(rd) exist; top_bound (ipa < top, top − 1 Protected) puts base under the starting tables.
  checked: established('realm', 'walk'),
  apply: (c) => {
    const w = c.walk;
    const g = c.s.platform.geometry;
    const realm = c.realm;
    const size = rttLevelSize(g, w.level);
    const top = topNumber(c.top);
    // RimExtendRipas(realm, base, walk_top, walk.level): one descriptor per entry, in IPA order.
    // ERRATUM E-INIT-RIPAS-RIM: the entries of [base, walk_top) (B4.3.18.3), not of [base, top) as
    // B4.3.18.4 words it; each descriptor's top, Min(ipa + size, top), is then ipa + size.
    let rim = realm.measurements[0] as Uint8Array;
    for (let ipa = c.ipaN; ipa < c.walkTop; ipa += size) rim = rimExtendRipas(c.s.platform.digest, realm.hashAlgo, rim, BigInt(ipa), BigInt(Math.min(ipa + size, top)));
    const [from, to] = entryRange(g, w.table, w.index, c.ipaN, c.walkTop);
    const s = updateState(c.s, { rtts: c.s.rtts.set(w.rtt, rttWithRipas(w.table, from, to, Ripas.RAM)) });
    return [withRealmRecord(s, w.table.realm, withMeasurement(realm, 0, rim)), { out_top: BigInt(c.walkTop) }];
  },
  post: rttInitRipasPost,
});

// -------------------------------------------------------------------------------------
// RMI_RTT_SET_RIPAS
// -------------------------------------------------------------------------------------

/** What RMI_RTT_SET_RIPAS reads (DEN0137 B4.3.21.1.2). @category RTT */
export interface SetRipasCtx extends RipasRangeCtx {
  readonly recPtr: bigint;
  /** Rec(rec_ptr), read whatever rec_ptr is (D-WELLFORMED). */
  readonly rec: Rec | undefined;
}

const recOf = (c: SetRipasCtx): Rec | undefined => c.rec;

/** base_align and no_progress hold only when the entry's RIPAS (before) differs from rec.ripas_value. */
function ripasDiffers(w: RttWalkResult, c: SetRipasCtx): boolean {
  // ERRATUM E-SET-RIPAS-PROGRESS: the spec's qualifier "ripas != rec.ripas_value" is kept
  // (TF-RMM ignores it): an entry that already has the requested RIPAS is no error.
  return c.rec !== undefined && w.entry.ripas !== c.rec.ripasValue;
}

/**
 * walk_top of RMI_RTT_SET_RIPAS: RttSkipEntriesWithRipas(Rtt(walk.rtt_addr), walk.level, base,
 * top, rec.ripas_destroyed != CHANGE_DESTROYED) (DEN0137 B4.3.21.1.2, B3.75), at least the end of
 * the entry at base when that entry already has rec.ripas_value (E-SET-RIPAS-PROGRESS).
 */
function setWalkTop(g: Geometry, w: RttWalkResult, rec: Rec, base: number, top: number): number {
  const skipped = rttSkipEntriesWithRipas(g, w.table, base, top, !rec.ripasDestroyed);
  if (w.entry.ripas !== rec.ripasValue) return skipped;
  // ERRATUM E-SET-RIPAS-PROGRESS: an entry that already has the requested RIPAS counts as done
  // whole. The spec's walk_top is aligned down to the walk level, so with base and top inside one
  // such entry it is at most base, and B4.3.21.3 would set ripas_addr to base (no progress: the
  // Host and the Realm repeat the same calls forever) or, for an unaligned base, below base;
  // A5.4 and B5.3.6 allow only base ≤ new_base ≤ top, advancing. With the end of the entry as a
  // lower bound every success leaves base < ripas_addr ≤ top. When the RIPAS differs the
  // exemption does not apply and the spec's value stands (base_align / no_progress catch the rest).
  const entryEnd = alignDownToRttLevel(g, base, w.level) + rttLevelSize(g, w.level);
  return Math.max(skipped, entryEnd);
}

/**
 * DEN0137 B4.3.21 RMI_RTT_SET_RIPAS: completes part of a RIPAS change the Realm requested
 * (RSI_IPA_STATE_SET): the entries of one RTT from `base` up to walk_top get rec.ripas_value,
 * and rec.ripas_addr advances to min(top, walk_top), which is also the output. HIPAS and the
 * RIM are unchanged.
 * @category RTT
 */
export const rmiRttSetRipas = defineCommand<
  { readonly rd: bigint; readonly rec_ptr: bigint; readonly base: bigint; readonly top: bigint },
  SetRipasCtx,
  { readonly out_top: bigint },
  Established<SetRipasCtx, 'walk' | 'rec'>
>({
  name: 'RMI_RTT_SET_RIPAS',
  context: (s, i) => {
    const realm = realmAt(s, i.rd);
    const ipaN = ipaNumber(i.base);
    const walk = walkTo(s, realm, ipaN, RTT_PAGE_LEVEL);
    const rec = recAt(s, i.rec_ptr);
    const walkTop = walk === undefined || rec === undefined ? NaN : setWalkTop(s.platform.geometry, walk, rec, ipaN, topNumber(i.top));
    return { s, rd: i.rd, realm, ipa: i.base, ipaN, walk, top: i.top, walkTop, recPtr: i.rec_ptr, rec };
  },
  failures: {
    ...rdArg<SetRipasCtx>(),
    ...granuleArg<SetRipasCtx>('rec', (c) => c.recPtr, GranuleState.REC, 'rec_gran_state'),
    rec_state: onRec(recOf, recRunning),
    // rec.owner != rd.
    rec_owner: onRec(recOf, (r, c) => granuleAddr(r.owner) !== c.rd),
    size_valid: (c) => c.top <= c.ipa,
    // base != rec.ripas_addr: the call continues the pending request where it stopped.
    base_bound: onRec(recOf, (r, c) => c.ipa !== r.ripasAddr),
    top_bound: onRec(recOf, (r, c) => c.top > r.ripasTop),
    base_align: onWalk((w, c: SetRipasCtx) => !addrIsRttLevelAligned(c.s.platform.geometry, c.ipa, w.level) && ripasDiffers(w, c)),
    // D-RIPAS-TOP-ALIGN: the spec's explicit check (TF-RMM has none).
    top_gran_align: (c) => !isGranuleAligned(c.top),
    no_progress: onWalk((w, c: SetRipasCtx) => c.ipaN === c.walkTop && ripasDiffers(w, c)),
  },
  // rec_gran_state makes Rec(rec_ptr) exist; rec_owner and base_bound / top_bound put base in the
  // Realm's Protected IPA space, under its starting tables.
  checked: established('walk', 'rec'),
  apply: (c) => {
    const w = c.walk;
    const rec = c.rec;
    const [from, to] = entryRange(c.s.platform.geometry, w.table, w.index, c.ipaN, c.walkTop);
    const t = to > from ? rttWithRipas(w.table, from, to, rec.ripasValue as Ripas) : w.table;
    // rec.ripas_addr = MinAddress(top, walk_top), above base on every success (E-SET-RIPAS-PROGRESS).
    const walkTop = BigInt(c.walkTop);
    const next = c.top < walkTop ? c.top : walkTop;
    const s = t === w.table ? c.s : updateState(c.s, { rtts: c.s.rtts.set(w.rtt, t) });
    return [withRec(s, granuleIndex(c.recPtr), updateRec(rec, { ripasAddr: next })), { out_top: next }];
  },
  post: rttSetRipasPost,
});
