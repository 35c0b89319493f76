/**
 * Post-conditions of RMI_RTT_MAP_UNPROTECTED and RMI_RTT_UNMAP_UNPROTECTED (DEN0137 B4.3.19.3,
 * B4.3.22.3), written from the spec's success tables. `walk` = RttWalk(rd, ipa, level) is
 * evaluated after the command (the contexts' "Before: false"); it reaches the same RTT before.
 *
 * @packageDocumentation
 */
import type { PostDefinition, Transition } from '../engine/post.js';
import { RttEntryState } from '../model/rtt.js';
import type { RmmState } from '../model/state.js';
import { levelInput, RttEntryFromDescriptor, RttSkipNonLiveEntries } from './rtt-view.js';
import { gi, RttEntryIndex, RttWalk, type RttWalkResult } from './view.js';

/** The inputs of RMI_RTT_UNMAP_UNPROTECTED (DEN0137 B4.3.22.1.1). */
type LevelInput = { readonly rd: bigint; readonly ipa: bigint; readonly level: bigint };
/** The inputs of RMI_RTT_MAP_UNPROTECTED (DEN0137 B4.3.19.1.1). */
type MapInput = LevelInput & { readonly desc: bigint };
type T<I, O> = Transition<I, O>;

/** walk = RttWalk(rd, ipa, level) in `s` (B4.3.19.1.2, B4.3.22.1.2). */
const walkIn = (s: RmmState, i: LevelInput): RttWalkResult | undefined => RttWalk(s, i.rd, i.ipa, levelInput(i.level));

/** The locators of the footprint entry RttEntry(walk.rtt_addr, entry_idx). */
const entryLocators = {
  'walk.rtt_addr': <O>(t: T<LevelInput, O>) => {
    const w = walkIn(t.pre, t.input);
    return w === undefined ? undefined : gi(w.rtt_addr);
  },
  entry_idx: <O>(t: T<LevelInput, O>) => {
    const w = walkIn(t.pre, t.input);
    return w === undefined ? undefined : RttEntryIndex(t.pre, t.input.ipa, w.level);
  },
};

/** DEN0137 B4.3.19.3: the entry is ASSIGNED_NS with the output address, MemAttr and S2AP of `desc` (RttEntryFromDescriptor, D-NS-DESC). */
export const rttMapUnprotectedPost: PostDefinition<MapInput, Record<string, never>> = {
  success: {
    rtte_state: (t) => walkIn(t.post, t.input)?.rtte.state === RttEntryState.ASSIGNED_NS,
    rtte_contents: (t) => {
      const e = walkIn(t.post, t.input)?.rtte;
      const r = RttEntryFromDescriptor(t.input.desc);
      return e !== undefined && e.memAttr === r.MemAttr && e.s2ap === r.S2AP && BigInt(e.addr) === r.addr;
    },
  },
  locate: entryLocators,
};

/** DEN0137 B4.3.22.3: the entry is UNASSIGNED_NS and `top` is walk_top, RttSkipNonLiveEntries after the command (E-SKIP-LIVE, D-CONCAT). */
export const rttUnmapUnprotectedPost: PostDefinition<LevelInput, { readonly top: bigint }> = {
  success: {
    rtte_state: (t) => walkIn(t.post, t.input)?.rtte.state === RttEntryState.UNASSIGNED_NS,
    top: (t) => {
      const w = walkIn(t.post, t.input);
      return w !== undefined && t.out.top === RttSkipNonLiveEntries(t.post, w.rtt_addr, w.level, t.input.ipa);
    },
  },
  locate: entryLocators,
};
