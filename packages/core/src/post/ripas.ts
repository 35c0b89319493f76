/**
 * Post-conditions of RMI_RTT_INIT_RIPAS and RMI_RTT_SET_RIPAS (DEN0137 B4.3.18.3, B4.3.21.3,
 * A5.3.5), written from the spec's success tables and contexts, with walk_top as the errata
 * E-INIT-RIPAS-STOP and E-SET-RIPAS-PROGRESS read it, and the RIM extension of B4.3.18.4 as
 * E-INIT-RIPAS-RIM reads it (`post/measure.ts`).
 *
 * `walk` is RttWalk(rd, base, RMM_RTT_PAGE_LEVEL). The commands change only RIPAS values, never a
 * TABLE entry, so the walk reaches the same RTT before and after; the footprint's locator reads
 * it on the pre-state.
 *
 * @packageDocumentation
 */
import type { PostDefinition, Transition } from '../engine/post.js';
import { Ripas, RttEntryState, type RttEntry as RttEntryRecord } from '../model/rtt.js';
import type { RmmState } from '../model/state.js';
import { RimExtendRipasForEntry } from './measure.js';
import { MaxAddress, RttEntriesInRangeRipas, RttOnlyRipasChanged, RttSkipEntriesWithRipas } from './ripas-view.js';
import { AlignDownToRttLevel, bytesEqual, gi, MinAddress, Realm, Rec, RttEntries, RttEntryRange, RttLevelSize, RttSkipEntriesUnless, RttWalk, type RttWalkResult } from './view.js';

/** DEN0137 C1.30: RMM_RTT_PAGE_LEVEL. */
const RTT_PAGE_LEVEL = 3;

/** The inputs of RMI_RTT_INIT_RIPAS (DEN0137 B4.3.18.1.1). */
type InitInput = { readonly rd: bigint; readonly base: bigint; readonly top: bigint };
/** The inputs of RMI_RTT_SET_RIPAS (DEN0137 B4.3.21.1.1). */
type SetInput = InitInput & { readonly rec_ptr: bigint };
/** The output of both commands. */
type Out = { readonly out_top: bigint };
type T<I> = Transition<I, Out>;

/** walk = RttWalk(rd, base, RMM_RTT_PAGE_LEVEL) in `s`. */
const walkIn = (s: RmmState, i: InitInput): RttWalkResult | undefined => RttWalk(s, i.rd, i.base, RTT_PAGE_LEVEL);

/** The footprint's `walk.rtt_addr`: the RTT the walk reaches, before the command. */
const rttLocator = (t: T<InitInput>): number | undefined => {
  const w = walkIn(t.pre, t.input);
  return w === undefined ? undefined : gi(w.rtt_addr);
};

/** The rows both commands share, given walk_top and the RIPAS the range takes. */
function rangeRows<I extends InitInput>(walkTop: (t: T<I>) => bigint | undefined, ripas: (t: T<I>) => Ripas | undefined) {
  return {
    // RttEntriesInRangeRipas(Rtt(walk.rtt_addr), walk.level, base, walk_top, ripas), after the command.
    rtte_ripas: (t: T<I>): boolean => {
      const w = walkIn(t.post, t.input);
      const top = walkTop(t);
      const r = ripas(t);
      return w !== undefined && top !== undefined && r !== undefined && RttEntriesInRangeRipas(t.post, w.rtt_addr, w.level, t.input.base, top, r);
    },
    // Derived (A5.3.5): HIPAS unchanged throughout the RTT, RIPAS unchanged outside [base, walk_top).
    rtte_rest: (t: T<I>): boolean => {
      const w = walkIn(t.pre, t.input);
      const top = walkTop(t);
      if (w === undefined || top === undefined) return false;
      const [from, to] = RttEntryRange(t.pre, w.rtt_addr, w.level, t.input.base, top);
      return RttOnlyRipasChanged(t.pre, t.post, w.rtt_addr, RttEntries(t.pre, w.level), from, to);
    },
  };
}

// -------------------------------------------------------------------------------------
// RMI_RTT_INIT_RIPAS
// -------------------------------------------------------------------------------------

/**
 * walk_top of RMI_RTT_INIT_RIPAS in `s`: B4.3.18.1.2's RttSkipEntriesWithRipas(Rtt(walk.rtt_addr),
 * walk.level, base, top, FALSE), bounded further by the first entry from base that is not
 * UNASSIGNED (ERRATUM E-INIT-RIPAS-STOP: A5.3.5 lets the command change only entries whose HIPAS
 * is UNASSIGNED, whatever their RIPAS), aligned down to the level.
 */
function initWalkTop(s: RmmState, i: InitInput): bigint | undefined {
  const w = walkIn(s, i);
  if (w === undefined) return undefined;
  const spec = RttSkipEntriesWithRipas(s, w.rtt_addr, w.level, i.base, i.top, false);
  const assigned = AlignDownToRttLevel(s, RttSkipEntriesUnless(s, w.rtt_addr, w.level, i.base, (e: RttEntryRecord) => e.state !== RttEntryState.UNASSIGNED), w.level);
  return MinAddress(spec, assigned);
}

/** walk_top is evaluated after the command (B4.3.18.1.2, Before: false). */
const initTop = (t: T<InitInput>): bigint | undefined => initWalkTop(t.post, t.input);

/**
 * DEN0137 B3.46 RimExtendRipas(realm, base, walk_top, walk.level) with the descriptors of
 * B4.3.18.4: from realm.measurements[0] before the command, one RimExtendRipasForEntry per entry
 * of [base, walk_top) in IPA order, with base the entry's IPA and top ipa + size (ERRATUM
 * E-INIT-RIPAS-RIM: the entries of [base, walk_top), not of [base, top); walk_top ≤ top is entry
 * aligned, so Min(ipa + size, top) = ipa + size).
 */
function initRim(t: T<InitInput>): Uint8Array | undefined {
  const realm = Realm(t.pre, t.input.rd);
  const w = walkIn(t.pre, t.input);
  const top = initTop(t);
  if (realm === undefined || w === undefined || top === undefined) return undefined;
  const size = RttLevelSize(t.pre, w.level);
  let rim = realm.measurements[0] as Uint8Array;
  for (let ipa = t.input.base; ipa < top; ipa += size) rim = RimExtendRipasForEntry(t.pre.platform.digest, realm.hashAlgo, rim, ipa, ipa + size);
  return rim;
}

/**
 * DEN0137 B4.3.18.3: every entry of [base, walk_top) in the walked RTT has RIPAS RAM, the RIM is
 * extended with one RIPAS descriptor per entry (B4.3.18.4), out_top is walk_top; nothing else of
 * the RTT changes (A5.3.5).
 */
export const rttInitRipasPost: PostDefinition<InitInput, Out> = {
  success: {
    ...rangeRows<InitInput>(initTop, () => Ripas.RAM),
    rim: (t) => {
      const want = initRim(t);
      const got = Realm(t.post, t.input.rd)?.measurements[0];
      return want !== undefined && got !== undefined && bytesEqual(got, want);
    },
    out_top: (t) => t.out.out_top === initTop(t),
  },
  locate: {
    'walk.rtt_addr': rttLocator,
    rd: (t) => gi(t.input.rd),
  },
};

// -------------------------------------------------------------------------------------
// RMI_RTT_SET_RIPAS
// -------------------------------------------------------------------------------------

/**
 * walk_top of RMI_RTT_SET_RIPAS, before the command (B4.3.21.1.2, Before: true):
 * RttSkipEntriesWithRipas(Rtt(walk.rtt_addr), walk.level, base, top, rec.ripas_destroyed !=
 * CHANGE_DESTROYED). ERRATUM E-SET-RIPAS-PROGRESS: when the entry at base already has
 * rec.ripas_value, at least the end of that entry, so that every success advances
 * (base < rec.ripas_addr ≤ top, A5.4, B5.3.6).
 */
function setTop(t: T<SetInput>): bigint | undefined {
  const w = walkIn(t.pre, t.input);
  const rec = Rec(t.pre, t.input.rec_ptr);
  if (w === undefined || rec === undefined) return undefined;
  const spec = RttSkipEntriesWithRipas(t.pre, w.rtt_addr, w.level, t.input.base, t.input.top, !rec.ripasDestroyed);
  if (w.rtte.ripas !== rec.ripasValue) return spec;
  return MaxAddress(spec, AlignDownToRttLevel(t.pre, t.input.base, w.level) + RttLevelSize(t.pre, w.level));
}

/** MinAddress(top, walk_top). */
const progress = (t: T<SetInput>): bigint | undefined => {
  const top = setTop(t);
  return top === undefined ? undefined : MinAddress(t.input.top, top);
};

/**
 * DEN0137 B4.3.21.3: every entry of [base, walk_top) in the walked RTT has rec.ripas_value;
 * rec.ripas_addr and out_top are MinAddress(top, walk_top) (E-SET-RIPAS-PROGRESS); nothing else
 * of the RTT changes (A5.3.5).
 */
export const rttSetRipasPost: PostDefinition<SetInput, Out> = {
  success: {
    // rec (Before: false) gives the RIPAS; the command does not change ripas_value.
    ...rangeRows<SetInput>(setTop, (t) => Rec(t.post, t.input.rec_ptr)?.ripasValue as Ripas | undefined),
    ripas_addr: (t) => {
      const p = progress(t);
      return p !== undefined && Rec(t.post, t.input.rec_ptr)?.ripasAddr === p;
    },
    out_top: (t) => t.out.out_top === progress(t),
  },
  locate: {
    'walk.rtt_addr': rttLocator,
    rec_ptr: (t) => gi(t.input.rec_ptr),
  },
};
