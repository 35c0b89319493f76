/**
 * RMI_RTT_CREATE, RMI_RTT_DESTROY, RMI_RTT_FOLD and RMI_RTT_READ_ENTRY: the structure of a
 * Realm's translation tables (DEN0137 B4.3.15, B4.3.16, B4.3.17, B4.3.20, A5.5).
 *
 * @packageDocumentation
 */
import { defineCommand } from '../engine/command.js';
import { established, type Established } from '../engine/refine.js';
import { fromInt64, GRANULE_SIZE, granuleIndex } from '../model/bits.js';
import { GranuleState, realmGranule } from '../model/granule.js';
import { wipeGranule } from '../model/memory.js';
import type { Realm } from '../model/realm.js';
import { packMeta, Ripas, rttIsLive, rttWithEntry, RttEntryState, type Rtt, type RttEntry } from '../model/rtt.js';
import {
  addrIsProtected,
  addrIsRttLevelAligned,
  rttEntryDescriptor,
  rttFold,
  rttLevelIsStarting,
  rttLevelIsValid,
  rttSkipNonLiveEntries,
  rttUnfold,
  type RttWalkResult,
} from '../model/rtt-walk.js';
import { withGranule, type RmmState, updateState } from '../model/state.js';
import { granuleArg, rdArg, realmAt } from './common.js';
import { rttCreatePost, rttDestroyPost, rttFoldPost, rttReadEntryPost } from '../post/rtt.js';
import {
  ipaNotLevelAligned,
  ipaNumber,
  ipaOutsideIpaSpace,
  levelArg,
  levelWalkContext,
  onRealm,
  onWalk,
  onWalkWithTop,
  walkTo,
  type LevelWalkCtx,
  type RttLevelInput,
  type Walked,
  type WalkCtx,
} from './rtt-args.js';

export type { RttLevelInput } from './rtt-args.js';

// -------------------------------------------------------------------------------------
// shared
// -------------------------------------------------------------------------------------

/** What RMI_RTT_CREATE, RMI_RTT_DESTROY and RMI_RTT_FOLD read: the walk goes to level − 1, the parent of the RTT (DEN0137 B4.3.16.1.2). @category RTT */
export interface RttStructureCtx extends WalkCtx {
  /** The level input (the level of the child RTT). */
  readonly level: number;
  /** The child RTT, when the walk reached a TABLE entry. */
  readonly child: Rtt | undefined;
}

/** The child RTT of the entry the walk reached, when that entry is TABLE. */
function childOf(s: RmmState, w: RttWalkResult | undefined): Rtt | undefined {
  return w !== undefined && w.entry.state === RttEntryState.TABLE ? s.rtts.get(w.entry.addr / GRANULE_SIZE) : undefined;
}

function structureContext(s: RmmState, i: RttLevelInput): RttStructureCtx {
  const level = levelArg(i.level);
  const realm = realmAt(s, i.rd);
  const ipaN = ipaNumber(i.ipa);
  const walk = walkTo(s, realm, ipaN, level - 1);
  return { s, rd: i.rd, realm, ipa: i.ipa, ipaN, walk, level, child: childOf(s, walk) };
}

/** The level_bound, ipa_align and ipa_bound rows of RTT_CREATE, RTT_DESTROY and RTT_FOLD. */
const structureArgs = {
  // !RttLevelIsValid(rd, level) || RttLevelIsStarting(rd, level): the child is never a starting RTT.
  level_bound: onRealm((r: Realm, c: RttStructureCtx) => !rttLevelIsValid(r, c.level) || rttLevelIsStarting(r, c.level)),
  // !AddrIsRttLevelAligned(ipa, level − 1): ipa is the base of the range one parent entry maps.
  ipa_align: (c: RttStructureCtx) => !addrIsRttLevelAligned(c.s.platform.geometry, c.ipa, c.level - 1),
  ipa_bound: ipaOutsideIpaSpace,
};

const walkStopsAbove = (w: RttWalkResult, c: RttStructureCtx): boolean => w.level < c.level - 1;
const notTable = (w: RttWalkResult): boolean => w.entry.state !== RttEntryState.TABLE;

/** `s` with the RTT `gi` given back as a DELEGATED (wiped) granule. */
function freeRtt(s: RmmState, gi: number): RmmState {
  const s1 = wipeGranule(withGranule(s, gi, realmGranule(GranuleState.DELEGATED)), gi);
  return updateState(s1, { rtts: s1.rtts.delete(gi) });
}

const packEntry = (e: RttEntry): number => packMeta(e.state, e.ripas, e.memAttr, e.s2ap);

// -------------------------------------------------------------------------------------
// RMI_RTT_CREATE
// -------------------------------------------------------------------------------------

/** What RMI_RTT_CREATE reads (DEN0137 B4.3.15.1.2). @category RTT */
export interface RttCreateCtx extends RttStructureCtx {
  readonly rtt: bigint;
}

/**
 * DEN0137 B4.3.15 RMI_RTT_CREATE: a DELEGATED granule becomes a level-`level` RTT below the
 * entry that maps `ipa` at level − 1, which becomes TABLE; the new RTT unfolds that entry.
 * @category RTT
 */
export const rmiRttCreate = defineCommand<RttLevelInput & { readonly rtt: bigint }, RttCreateCtx, Record<string, never>, Walked<RttCreateCtx>>({
  name: 'RMI_RTT_CREATE',
  context: (s, i) => {
    const c = structureContext(s, i);
    return { s, rd: c.rd, realm: c.realm, ipa: c.ipa, ipaN: c.ipaN, walk: c.walk, level: c.level, child: c.child, rtt: i.rtt };
  },
  failures: {
    ...rdArg<RttCreateCtx>(),
    ...structureArgs,
    ...granuleArg<RttCreateCtx>('rtt', (c) => c.rtt, GranuleState.DELEGATED),
    // Realm(rd).feat_lpa2 == FALSE && rtt ≥ 2^48.
    rtt_bound2: onRealm((r, c: RttCreateCtx) => !r.featLpa2 && c.rtt >= 1n << 48n),
    // walk.level < level − 1: a parent RTT is missing.
    rtt_walk: onWalk(walkStopsAbove),
    // walk.rtte.state == TABLE: the RTT already exists.
    rtte_state: onWalk((w) => w.entry.state === RttEntryState.TABLE),
  },
  checked: established('walk'),
  apply: (c) => {
    const w = c.walk;
    const gi = granuleIndex(c.rtt);
    const child = rttUnfold(c.s.platform.geometry, w.table.realm, c.level, c.ipaN, w.entry);
    const parent = rttWithEntry(w.table, w.index, packMeta(RttEntryState.TABLE, Ripas.EMPTY), Number(c.rtt));
    const s = withGranule(c.s, gi, realmGranule(GranuleState.RTT));
    return [updateState(s, { rtts: s.rtts.set(w.rtt, parent).set(gi, child) }), {}];
  },
  post: rttCreatePost,
});

// -------------------------------------------------------------------------------------
// RMI_RTT_DESTROY
// -------------------------------------------------------------------------------------

/**
 * DEN0137 B4.3.16 RMI_RTT_DESTROY: a non-live, non-starting RTT is unlinked and given back as a
 * DELEGATED granule; its parent entry becomes UNASSIGNED with RIPAS DESTROYED. Outputs the RTT's
 * PA and `top`, the next live entry of the parent RTT (B3.76).
 * @category RTT
 */
export const rmiRttDestroy = defineCommand<RttLevelInput, RttStructureCtx, { readonly rtt: bigint; readonly top: bigint }, Established<RttStructureCtx, 'realm' | 'walk'>>({
  name: 'RMI_RTT_DESTROY',
  context: structureContext,
  failures: {
    ...rdArg<RttStructureCtx>(),
    ...structureArgs,
    rtt_walk: onWalkWithTop(walkStopsAbove),
    rtte_state: onWalkWithTop(notTable),
    // RttIsLive(Rtt(walk.rtte.addr)): an entry of the RTT is ASSIGNED or TABLE.
    rtt_live: { holds: (c) => c.child !== undefined && rttIsLive(c.child), index: (c) => c.level, outputs: (c) => ({ top: c.ipa }) },
  },
  checked: established('realm', 'walk'),
  apply: (c) => {
    const w = c.walk;
    // ERRATUM D-RTT-DESTROY-NS: the parent of an Unprotected range becomes UNASSIGNED_NS, not the
    // spec's UNASSIGNED + DESTROYED (B4.3.16.3, written for Protected IPAs: an UNASSIGNED entry at
    // an Unprotected IPA is not a state A5.5.4 allows); TF-RMM does the same (digest UNSURE item).
    const meta = addrIsProtected(c.realm, c.ipa) ? packMeta(RttEntryState.UNASSIGNED, Ripas.DESTROYED) : packMeta(RttEntryState.UNASSIGNED_NS, Ripas.EMPTY);
    const parent = rttWithEntry(w.table, w.index, meta, 0);
    const s = freeRtt(c.s, w.entry.addr / GRANULE_SIZE);
    // walk_top is evaluated after the command ("Before: false"): the parent entry is no longer live.
    return [updateState(s, { rtts: s.rtts.set(w.rtt, parent) }), { rtt: BigInt(w.entry.addr), top: BigInt(rttSkipNonLiveEntries(s.platform.geometry, parent, c.ipaN)) }];
  },
  post: rttDestroyPost,
});

// -------------------------------------------------------------------------------------
// RMI_RTT_FOLD
// -------------------------------------------------------------------------------------

/** What RMI_RTT_FOLD reads (DEN0137 B4.3.17.1.2). @category RTT */
export interface RttFoldCtx extends RttStructureCtx {
  /** RttFold(child), evaluated before the command; undefined when the child is not homogeneous. */
  readonly fold: RttEntry | undefined;
}

/**
 * DEN0137 B4.3.17 RMI_RTT_FOLD: a homogeneous non-starting RTT is destroyed and its parent entry
 * takes the folded state, RIPAS, output address and attributes (A5.5.6). Outputs the RTT's PA.
 * @category RTT
 */
export const rmiRttFold = defineCommand<RttLevelInput, RttFoldCtx, { readonly rtt: bigint }, Established<RttFoldCtx, 'walk' | 'fold'>>({
  name: 'RMI_RTT_FOLD',
  context: (s, i) => {
    const c = structureContext(s, i);
    const fold = c.child === undefined ? undefined : rttFold(s.platform.geometry, c.child);
    return { s, rd: c.rd, realm: c.realm, ipa: c.ipa, ipaN: c.ipaN, walk: c.walk, level: c.level, child: c.child, fold };
  },
  failures: {
    ...rdArg<RttFoldCtx>(),
    ...structureArgs,
    rtt_walk: onWalk(walkStopsAbove),
    rtte_state: onWalk(notTable),
    // !RttIsHomogeneous(Rtt(walk.rtte.addr)).
    // DECISION D-FOLD-BLOCK: an RTT of ASSIGNED or ASSIGNED_NS entries at a level other than 2 or 3
    // is not homogeneous (A5.5.6), so it fails here with RTT(level), as the spec says; TF-RMM
    // reports RTT(level − 1) for that case.
    rtt_homo: { holds: (c) => c.child !== undefined && c.fold === undefined, index: (c) => c.level },
  },
  // rtt_homo: the child RTT is homogeneous, so RttFold gave its entry.
  checked: established('walk', 'fold'),
  apply: (c) => {
    const w = c.walk;
    const fold = c.fold;
    const parent = rttWithEntry(w.table, w.index, packEntry(fold), fold.addr);
    const s = freeRtt(c.s, w.entry.addr / GRANULE_SIZE);
    return [updateState(s, { rtts: s.rtts.set(w.rtt, parent) }), { rtt: BigInt(w.entry.addr) }];
  },
  post: rttFoldPost,
});

// -------------------------------------------------------------------------------------
// RMI_RTT_READ_ENTRY
// -------------------------------------------------------------------------------------

/** What RMI_RTT_READ_ENTRY reads: the walk goes to `level` (DEN0137 B4.3.20.1.2). @category RTT */
export type RttReadCtx = LevelWalkCtx;

/** RmiRttEntryState (DEN0137 B3.61 RttEntryState): UNASSIGNED(_NS) 0, ASSIGNED(_NS) 1, TABLE 2. */
const RMI_ENTRY_STATE: Readonly<Record<RttEntryState, bigint>> = [0n, 1n, 2n, 0n, 1n];

/** The outputs of RMI_RTT_READ_ENTRY (DEN0137 B4.3.20.1.3). @category RTT */
export interface RttReadOutput {
  readonly walk_level: bigint;
  readonly state: bigint;
  readonly desc: bigint;
  readonly ripas: bigint;
}

/**
 * DEN0137 B4.3.20 RMI_RTT_READ_ENTRY: the level the walk to `ipa` reached and the state,
 * descriptor and RIPAS of the entry there. Changes nothing.
 * @category RTT
 */
export const rmiRttReadEntry = defineCommand<RttLevelInput, RttReadCtx, RttReadOutput, Walked<RttReadCtx>>({
  name: 'RMI_RTT_READ_ENTRY',
  context: levelWalkContext,
  failures: {
    ...rdArg<RttReadCtx>(),
    // !RttLevelIsValid(rd, level): level ∉ [rtt_level_start, 3].
    level_bound: onRealm((r, c: RttReadCtx) => !rttLevelIsValid(r, c.level)),
    ipa_align: ipaNotLevelAligned,
    ipa_bound: ipaOutsideIpaSpace,
  },
  checked: established('walk'),
  apply: (c) => {
    const w = c.walk;
    const e = w.entry;
    // DECISION D-READ-DESTROYED: an ASSIGNED entry returns its address whatever its RIPAS, as
    // B4.3.20.3 state_prot says; TF-RMM returns desc 0 for ASSIGNED with RIPAS DESTROYED.
    const desc = rttEntryDescriptor(e);
    // DECISION D-READ-TABLE-RIPAS: the spec does not define ripas for a TABLE entry; the model
    // returns RMI_EMPTY (0), as TF-RMM does. Unprotected entries give RMI_EMPTY (ripas_unprot).
    const ripas = e.state === RttEntryState.UNASSIGNED || e.state === RttEntryState.ASSIGNED ? BigInt(e.ripas) : 0n;
    // DECISION D-LEVEL-M1: walk_level is a UInt64 register; level −1 is returned as its 64-bit
    // two's complement (0xFFFF_FFFF_FFFF_FFFF), the encoding of the Int64 level inputs.
    return [c.s, { walk_level: fromInt64(w.level), state: RMI_ENTRY_STATE[e.state], desc, ripas }];
  },
  post: rttReadEntryPost,
});
