/**
 * Post-conditions of RMI_RTT_CREATE, RMI_RTT_DESTROY, RMI_RTT_FOLD and RMI_RTT_READ_ENTRY
 * (DEN0137 B4.3.15.3, B4.3.16.3, B4.3.17.3, B4.3.20.3), written from the spec's success tables
 * and contexts. `walk` is evaluated after the command (the contexts' "Before: false"); values the
 * spec takes from before the command (`unfold`, `fold`, the address the parent entry held) are
 * read from the pre-state.
 *
 * @packageDocumentation
 */
import type { PostDefinition, Transition } from '../engine/post.js';
import { GranuleState } from '../model/granule.js';
import { Ripas, RttEntryState, type RttEntry as RttEntryRecord } from '../model/rtt.js';
import type { RmmState } from '../model/state.js';
import {
  levelInput,
  levelOutput,
  RipasToRmi,
  RmiRipas,
  RttAllEntriesAttributes,
  RttAllEntriesContiguous,
  RttAllEntriesRipas,
  RttAllEntriesState,
  RttEntryFromDescriptor,
  RttEntryStateToRmi,
  RttFold,
  RttSkipNonLiveEntries,
} from './rtt-view.js';
import { AddrIsProtected, gi, Granule, Realm, RttEntryIndex, RttWalk, type RttWalkResult } from './view.js';

/** The inputs of the RTT commands that name a level (DEN0137 B4.3.16.1.1). */
type LevelInput = { readonly rd: bigint; readonly ipa: bigint; readonly level: bigint };
/** The inputs of RMI_RTT_CREATE (DEN0137 B4.3.15.1.1). */
type CreateInput = LevelInput & { readonly rtt: bigint };
/** The outputs of RMI_RTT_READ_ENTRY (DEN0137 B4.3.20.1.3). */
type ReadOutput = { readonly walk_level: bigint; readonly state: bigint; readonly desc: bigint; readonly ripas: bigint };
type T<I, O> = Transition<I, O>;

// -------------------------------------------------------------------------------------
// shared
// -------------------------------------------------------------------------------------

/** walk = RttWalk(rd, ipa, level − 1) in `s`: the parent entry of the RTT (B4.3.15.1.2, B4.3.16.1.2, B4.3.17.1.2). */
const parentWalk = (s: RmmState, i: LevelInput): RttWalkResult | undefined => RttWalk(s, i.rd, i.ipa, levelInput(i.level) - 1);

/** AddrIsProtected(ipa, Realm(rd)) before the command. */
const isProtected = <O>(t: T<LevelInput, O>): boolean => {
  const r = Realm(t.pre, t.input.rd);
  return r !== undefined && AddrIsProtected(t.input.ipa, r);
};

/** An entry that maps nothing: UNASSIGNED or UNASSIGNED_NS. */
const unassigned = (e: RttEntryRecord): boolean => e.state === RttEntryState.UNASSIGNED || e.state === RttEntryState.UNASSIGNED_NS;

/** The locators of the footprint entry RttEntry(walk.rtt_addr, entry_idx), with walk to level − 1 (the same before and after). */
const parentEntryLocators = {
  'walk.rtt_addr': <O>(t: T<LevelInput, O>) => {
    const w = parentWalk(t.pre, t.input);
    return w === undefined ? undefined : gi(w.rtt_addr);
  },
  entry_idx: <O>(t: T<LevelInput, O>) => {
    const w = parentWalk(t.pre, t.input);
    return w === undefined ? undefined : RttEntryIndex(t.pre, t.input.ipa, w.level);
  },
};

/** The address walk.rtte held before the command: the RTT that RTT_DESTROY or RTT_FOLD removes. */
const childAddr = <O>(t: T<LevelInput, O>): bigint | undefined => {
  const w = parentWalk(t.pre, t.input);
  return w === undefined || w.rtte.state !== RttEntryState.TABLE ? undefined : BigInt(w.rtte.addr);
};

/** The rows RTT_DESTROY and RTT_FOLD share: the removed RTT is DELEGATED and is the `rtt` output (B4.3.16.3, B4.3.17.3). */
const removedRtt = {
  rtt_state: <O>(t: T<LevelInput, O>) => {
    const a = childAddr(t);
    return a !== undefined && Granule(t.post, a).state === GranuleState.DELEGATED;
  },
  rtt: <O extends { readonly rtt: bigint }>(t: T<LevelInput, O>) => t.out.rtt === childAddr(t),
};

/** Footprint locator Granule(walk.rtte.addr).state: the address before the command (the catalogue's reading). */
const childLocator = <O>(t: T<LevelInput, O>) => {
  const a = childAddr(t);
  return a === undefined ? undefined : gi(a);
};

// -------------------------------------------------------------------------------------
// RMI_RTT_CREATE
// -------------------------------------------------------------------------------------

/** unfold = RttWalk(rd, ipa, level − 1).rtte before the command (B4.3.15.1.2). */
const unfold = (t: T<CreateInput, unknown>): RttEntryRecord | undefined => parentWalk(t.pre, t.input)?.rtte;

/** The parent entry after the command. */
const parentAfter = <I extends LevelInput, O>(t: T<I, O>): RttEntryRecord | undefined => parentWalk(t.post, t.input)?.rtte;

/** Applies `p` to the unfolded entry, false when there is none. */
const withUnfold = (p: (u: RttEntryRecord, t: T<CreateInput, Record<string, never>>) => boolean) => (t: T<CreateInput, Record<string, never>>): boolean => {
  const u = unfold(t);
  return u !== undefined && p(u, t);
};

/** DEN0137 B4.3.15.3: the granule is an RTT below a TABLE parent entry, unfolding what the parent entry held (A5.5.7). */
export const rttCreatePost: PostDefinition<CreateInput, Record<string, never>> = {
  success: {
    rtt_state: (t) => Granule(t.post, t.input.rtt).state === GranuleState.RTT,
    rtte_state: (t) => parentAfter(t)?.state === RttEntryState.TABLE,
    rtte_addr: (t) => {
      const e = parentAfter(t);
      return e !== undefined && BigInt(e.addr) === t.input.rtt;
    },
    rtte_c_ripas: { when: isProtected, holds: withUnfold((u, t) => RttAllEntriesRipas(t.post, t.input.rtt, levelInput(t.input.level), u.ripas)) },
    rtte_c_state: withUnfold((u, t) => RttAllEntriesState(t.post, t.input.rtt, levelInput(t.input.level), u.state)),
    rtte_c_addr: {
      when: withUnfold((u) => !unassigned(u)),
      holds: withUnfold((u, t) => RttAllEntriesContiguous(t.post, t.input.rtt, BigInt(u.addr), levelInput(t.input.level))),
    },
    // Derived (A5.5.7): an unfolded Unprotected block keeps its Host-controlled attributes.
    rtte_c_attr: {
      when: withUnfold((u) => u.state === RttEntryState.ASSIGNED_NS),
      holds: withUnfold((u, t) => RttAllEntriesAttributes(t.post, t.input.rtt, levelInput(t.input.level), u.memAttr, u.s2ap)),
    },
  },
  locate: { rtt: (t) => gi(t.input.rtt), ...parentEntryLocators },
};

// -------------------------------------------------------------------------------------
// RMI_RTT_DESTROY
// -------------------------------------------------------------------------------------

type DestroyOutput = { readonly rtt: bigint; readonly top: bigint };

/**
 * DEN0137 B4.3.16.3: the parent entry maps nothing (UNASSIGNED with RIPAS DESTROYED for a
 * Protected IPA; UNASSIGNED_NS for an Unprotected one, D-RTT-DESTROY-NS), the RTT is DELEGATED
 * and is the `rtt` output, and `top` is walk_top.
 */
export const rttDestroyPost: PostDefinition<LevelInput, DestroyOutput> = {
  success: {
    rtte_state: { when: isProtected, holds: (t) => parentAfter(t)?.state === RttEntryState.UNASSIGNED },
    ripas: { when: isProtected, holds: (t) => parentAfter(t)?.ripas === Ripas.DESTROYED },
    // D-RTT-DESTROY-NS (derived row, A5.5.4): the entry of an Unprotected IPA that maps nothing is UNASSIGNED_NS.
    rtte_state_ns: { when: (t) => Realm(t.pre, t.input.rd) !== undefined && !isProtected(t), holds: (t) => parentAfter(t)?.state === RttEntryState.UNASSIGNED_NS },
    ...removedRtt,
    // walk_top = RttSkipNonLiveEntries(Rtt(walk.rtt_addr), walk.level, ipa), after the command (E-SKIP-LIVE, D-CONCAT).
    top: (t) => {
      const w = parentWalk(t.post, t.input);
      return w !== undefined && t.out.top === RttSkipNonLiveEntries(t.post, w.rtt_addr, w.level, t.input.ipa);
    },
  },
  locate: { 'walk.rtte.addr': childLocator, ...parentEntryLocators },
};

// -------------------------------------------------------------------------------------
// RMI_RTT_FOLD
// -------------------------------------------------------------------------------------

const folds = new WeakMap<object, RttEntryRecord | null>();

/** fold = RttFold(Rtt(walk.rtte.addr)) before the command (B4.3.17.1.2), once per transition. */
function fold(t: T<LevelInput, unknown>): RttEntryRecord | undefined {
  let f = folds.get(t);
  if (f === undefined) {
    const a = childAddr(t);
    f = (a === undefined ? undefined : RttFold(t.pre, a, levelInput(t.input.level))) ?? null;
    folds.set(t, f);
  }
  return f ?? undefined;
}

/** Applies `p` to fold and the parent entry after the command, false when either is missing. */
const withFold = (p: (f: RttEntryRecord, e: RttEntryRecord) => boolean) => (t: T<LevelInput, { readonly rtt: bigint }>): boolean => {
  const f = fold(t);
  const e = parentAfter(t);
  return f !== undefined && e !== undefined && p(f, e);
};

/** DEN0137 B4.3.17.3: the parent entry takes the folded entry's state, address, attributes and RIPAS (A5.5.6); the RTT is DELEGATED and is the `rtt` output. */
export const rttFoldPost: PostDefinition<LevelInput, { readonly rtt: bigint }> = {
  success: {
    rtte_state: withFold((f, e) => e.state === f.state),
    rtte_addr: { when: (t) => fold(t) !== undefined && !unassigned(fold(t) as RttEntryRecord), holds: withFold((f, e) => e.addr === f.addr) },
    rtte_attr: {
      when: (t) => fold(t)?.state === RttEntryState.ASSIGNED || fold(t)?.state === RttEntryState.ASSIGNED_NS,
      holds: withFold((f, e) => e.memAttr === f.memAttr && e.s2ap === f.s2ap),
    },
    rtte_ripas: { when: isProtected, holds: withFold((f, e) => e.ripas === f.ripas) },
    ...removedRtt,
  },
  locate: { 'walk.rtte.addr': childLocator, ...parentEntryLocators },
};

// -------------------------------------------------------------------------------------
// RMI_RTT_READ_ENTRY
// -------------------------------------------------------------------------------------

/** walk = RttWalk(rd, ipa, level) (B4.3.20.1.2); the command changes nothing. */
const readWalk = (t: T<LevelInput, ReadOutput>): RttWalkResult | undefined => RttWalk(t.post, t.input.rd, t.input.ipa, levelInput(t.input.level));

/** Whether walk.rtte is in one of `states`. */
const readIn = (...states: RttEntryState[]) => (t: T<LevelInput, ReadOutput>): boolean => {
  const w = readWalk(t);
  return w !== undefined && states.includes(w.rtte.state);
};

/** B4.3.20.3 state_invalid, state_prot, state_unprot: what rtte = RttEntryFromDescriptor(desc) must hold for entry `e`. */
function descHolds(e: RttEntryRecord, desc: bigint): boolean {
  const r = RttEntryFromDescriptor(desc);
  switch (e.state) {
    case RttEntryState.UNASSIGNED:
    case RttEntryState.UNASSIGNED_NS:
      return r.MemAttr === 0 && r.S2AP === 0 && r.addr === 0n;
    case RttEntryState.ASSIGNED:
    case RttEntryState.TABLE:
      // D-READ-DESTROYED: whatever the RIPAS of an ASSIGNED entry.
      return r.MemAttr === 0 && r.S2AP === 0 && r.addr === BigInt(e.addr);
    case RttEntryState.ASSIGNED_NS:
      return r.MemAttr === e.memAttr && r.S2AP === e.s2ap && r.addr === BigInt(e.addr);
  }
}

/** B4.3.20.3 ripas_prot, ripas_unprot: the `ripas` values permitted for entry `e`; for TABLE the spec says nothing (D-READ-TABLE-RIPAS), so any RmiRipas value. */
function ripasPermitted(e: RttEntryRecord, ripas: bigint): boolean {
  switch (e.state) {
    case RttEntryState.UNASSIGNED:
    case RttEntryState.ASSIGNED:
      return ripas === RipasToRmi(e.ripas);
    case RttEntryState.UNASSIGNED_NS:
    case RttEntryState.ASSIGNED_NS:
      return ripas === RmiRipas.RMI_EMPTY;
    case RttEntryState.TABLE:
      return ripas === RmiRipas.RMI_EMPTY || ripas === RmiRipas.RMI_RAM || ripas === RmiRipas.RMI_DESTROYED;
  }
}

/** The `desc` output describes the entry the walk reached (state_invalid, state_prot, state_unprot). */
const descRow = (t: T<LevelInput, ReadOutput>): boolean => {
  const w = readWalk(t);
  return w !== undefined && descHolds(w.rtte, t.out.desc);
};

/** The `ripas` output is the RIPAS of the entry the walk reached (ripas_prot, ripas_unprot). */
const ripasRow = (t: T<LevelInput, ReadOutput>): boolean => {
  const w = readWalk(t);
  return w !== undefined && ripasPermitted(w.rtte, t.out.ripas);
};

/**
 * DEN0137 B4.3.20.3: walk_level, state, desc and ripas describe the entry RttWalk(rd, ipa, level)
 * reaches. Open outputs: `desc` is constrained only through the fields RttEntryFromDescriptor
 * reads (its other bits are left to the implementation, B4.3.20.1.3), and `ripas` of a TABLE
 * entry is not specified.
 */
export const rttReadEntryPost: PostDefinition<LevelInput, ReadOutput> = {
  success: {
    // D-LEVEL-M1: level −1 is returned as 0xFFFF_FFFF_FFFF_FFFF.
    walk_level: (t) => {
      const w = readWalk(t);
      return w !== undefined && t.out.walk_level === levelOutput(w.level);
    },
    state: (t) => {
      const w = readWalk(t);
      return w !== undefined && t.out.state === RttEntryStateToRmi(w.rtte.state);
    },
    state_invalid: { when: readIn(RttEntryState.UNASSIGNED, RttEntryState.UNASSIGNED_NS), holds: descRow },
    state_prot: { when: readIn(RttEntryState.ASSIGNED, RttEntryState.TABLE), holds: descRow },
    state_unprot: { when: readIn(RttEntryState.ASSIGNED_NS), holds: descRow },
    ripas_prot: { when: readIn(RttEntryState.UNASSIGNED, RttEntryState.ASSIGNED), holds: ripasRow },
    ripas_unprot: { when: readIn(RttEntryState.UNASSIGNED_NS, RttEntryState.ASSIGNED_NS), holds: ripasRow },
  },
  locate: {},
  choices: {
    desc: (t, v) => {
      const w = readWalk(t);
      return w !== undefined && descHolds(w.rtte, v);
    },
    ripas: (t, v) => {
      const w = readWalk(t);
      return w !== undefined && ripasPermitted(w.rtte, v);
    },
  },
};
