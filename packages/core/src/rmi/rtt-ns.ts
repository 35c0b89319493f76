/**
 * RMI_RTT_MAP_UNPROTECTED and RMI_RTT_UNMAP_UNPROTECTED: the Host maps and unmaps Non-secure
 * memory at Unprotected IPAs of a Realm (DEN0137 B4.3.19, B4.3.22, A5.5.11).
 *
 * @packageDocumentation
 */
import { defineCommand } from '../engine/command.js';
import { established } from '../engine/refine.js';
import type { Realm } from '../model/realm.js';
import { packMeta, Ripas, rttWithEntry, RttEntryState } from '../model/rtt.js';
import {
  addrInIpaSpace,
  addrIsProtected,
  addrIsRttLevelAligned,
  rttDescriptorFields,
  rttDescriptorIsValidForUnprotected,
  rttLevelIsBlockOrPage,
  rttSkipNonLiveEntries,
  type RttWalkResult,
} from '../model/rtt-walk.js';
import { updateState } from '../model/state.js';
import { rdArg, realmAt } from './common.js';
import { rttMapUnprotectedPost, rttUnmapUnprotectedPost } from '../post/rtt-ns.js';
import {
  ipaNotLevelAligned,
  ipaNumber,
  levelArg,
  levelWalkContext,
  onRealm,
  onWalk,
  onWalkWithTop,
  walkTo,
  type LevelWalkCtx,
  type RttLevelInput,
  type Walked,
} from './rtt-args.js';

// -------------------------------------------------------------------------------------
// shared
// -------------------------------------------------------------------------------------

/** Inputs of RMI_RTT_UNMAP_UNPROTECTED (DEN0137 B4.3.22.1.1): those of every command that names a level. @category RTT */
export type RttUnmapInput = RttLevelInput;

/** Inputs of RMI_RTT_MAP_UNPROTECTED (DEN0137 B4.3.19.1.1). @category RTT */
export interface RttMapInput extends RttLevelInput {
  readonly desc: bigint;
}

/** What RMI_RTT_UNMAP_UNPROTECTED reads: the walk goes to `level`, the level of the block or page (DEN0137 B4.3.22.1.2). @category RTT */
export type RttNsCtx = LevelWalkCtx;

/** The level_bound, ipa_align and ipa_bound rows of both commands. */
const nsArgs = {
  // !RttLevelIsBlockOrPage(rd, level).
  level_bound: onRealm((r: Realm, c: RttNsCtx) => !rttLevelIsBlockOrPage(r, c.level)),
  // !AddrIsRttLevelAligned(ipa, level).
  ipa_align: ipaNotLevelAligned,
  // ipa ≥ 2^ipa_width || AddrIsProtected(ipa, Realm(rd)): ipa must be an Unprotected IPA.
  ipa_bound: onRealm((r: Realm, c: RttNsCtx) => !addrInIpaSpace(r, c.ipa) || addrIsProtected(r, c.ipa)),
};

const walkStopsAbove = (w: RttWalkResult, c: RttNsCtx): boolean => w.level < c.level;

// -------------------------------------------------------------------------------------
// RMI_RTT_MAP_UNPROTECTED
// -------------------------------------------------------------------------------------

/** What RMI_RTT_MAP_UNPROTECTED reads (DEN0137 B4.3.19.1.2). @category RTT */
export interface RttMapCtx extends RttNsCtx {
  readonly desc: bigint;
  /** RttEntryFromDescriptor(desc). */
  readonly rtte: ReturnType<typeof rttDescriptorFields>;
}

/**
 * DEN0137 B4.3.19 RMI_RTT_MAP_UNPROTECTED: the UNASSIGNED_NS entry that maps `ipa` at `level`
 * becomes ASSIGNED_NS with the output address, MemAttr and S2AP of `desc`. The PA's GPT entry is
 * not checked and no granule changes state.
 * @category RTT
 */
export const rmiRttMapUnprotected = defineCommand<RttMapInput, RttMapCtx, Record<string, never>, Walked<RttMapCtx>>({
  name: 'RMI_RTT_MAP_UNPROTECTED',
  context: (s, i) => {
    const level = levelArg(i.level);
    const realm = realmAt(s, i.rd);
    const ipaN = ipaNumber(i.ipa);
    return { s, rd: i.rd, realm, ipa: i.ipa, ipaN, walk: walkTo(s, realm, ipaN, level), level, desc: i.desc, rtte: rttDescriptorFields(i.desc) };
  },
  failures: {
    // !RttDescriptorIsValidForUnprotected(desc).
    attr_valid: (c) => !rttDescriptorIsValidForUnprotected(c.desc),
    ...rdArg<RttMapCtx>(),
    level_bound: nsArgs.level_bound,
    // !AddrIsRttLevelAligned(rtte.addr, level).
    addr_align: (c) => !addrIsRttLevelAligned(c.s.platform.geometry, c.rtte.addr, c.level),
    // Realm(rd).feat_lpa2 == FALSE && rtte.addr ≥ 2^48.
    addr_bound: onRealm((r, c: RttMapCtx) => !r.featLpa2 && c.rtte.addr >= 1n << 48n),
    ipa_align: nsArgs.ipa_align,
    ipa_bound: nsArgs.ipa_bound,
    rtt_walk: onWalk(walkStopsAbove),
    // walk.rtte.state != UNASSIGNED_NS.
    rtte_state: onWalk((w) => w.entry.state !== RttEntryState.UNASSIGNED_NS),
  },
  checked: established('walk'),
  apply: (c) => {
    const w = c.walk;
    const t = rttWithEntry(w.table, w.index, packMeta(RttEntryState.ASSIGNED_NS, Ripas.EMPTY, c.rtte.memAttr, c.rtte.s2ap), Number(c.rtte.addr));
    return [updateState(c.s, { rtts: c.s.rtts.set(w.rtt, t) }), {}];
  },
  post: rttMapUnprotectedPost,
});

// -------------------------------------------------------------------------------------
// RMI_RTT_UNMAP_UNPROTECTED
// -------------------------------------------------------------------------------------

/**
 * DEN0137 B4.3.22 RMI_RTT_UNMAP_UNPROTECTED: the ASSIGNED_NS entry that maps `ipa` at `level`
 * becomes UNASSIGNED_NS. Outputs `top`, the next live entry of that RTT (B3.76).
 * @category RTT
 */
export const rmiRttUnmapUnprotected = defineCommand<RttUnmapInput, RttNsCtx, { readonly top: bigint }, Walked<RttNsCtx>>({
  name: 'RMI_RTT_UNMAP_UNPROTECTED',
  context: levelWalkContext,
  failures: {
    ...rdArg<RttNsCtx>(),
    ...nsArgs,
    rtt_walk: onWalkWithTop(walkStopsAbove),
    // walk.rtte.state != ASSIGNED_NS.
    rtte_state: onWalkWithTop((w) => w.entry.state !== RttEntryState.ASSIGNED_NS),
  },
  checked: established('walk'),
  apply: (c) => {
    const w = c.walk;
    const t = rttWithEntry(w.table, w.index, packMeta(RttEntryState.UNASSIGNED_NS, Ripas.EMPTY), 0);
    // walk_top is evaluated after the command: the entry is no longer live.
    return [updateState(c.s, { rtts: c.s.rtts.set(w.rtt, t) }), { top: BigInt(rttSkipNonLiveEntries(c.s.platform.geometry, t, c.ipaN)) }];
  },
  post: rttUnmapUnprotectedPost,
});
