/**
 * Post-conditions of RMI_DATA_CREATE, RMI_DATA_CREATE_UNKNOWN and RMI_DATA_DESTROY (DEN0137
 * B4.3.1.3, B4.3.2.3, B4.3.3.3), written from the spec's success tables; the RIM from
 * `post/measure.ts` (B4.3.1.4).
 *
 * The walk is `RttWalk(rd, ipa, RMM_RTT_PAGE_LEVEL)`; the spec evaluates it after the command
 * (Before: false), so the success conditions read it on the post-state. The footprint's locators
 * read it on the pre-state: the commands change one entry's state and address, never a TABLE
 * entry, so both walks reach the same entry.
 *
 * @packageDocumentation
 */
import type { PostDefinition, Transition } from '../engine/post.js';
import { GranuleState } from '../model/granule.js';
import { Ripas, RttEntryState, type RttEntry as RttEntryRecord } from '../model/rtt.js';
import { Contents, ContentsAreZero, RttSkipNonLiveEntries } from './lifecycle-view.js';
import { RimExtendData } from './measure.js';
import { bytesEqual, gi, Granule, Realm, RttWalk, type RttWalkResult } from './view.js';

/** B3.78, C1.30: RMM_RTT_PAGE_LEVEL, the level of the RTTs that map pages. */
const RTT_PAGE_LEVEL = 3;

type DataUnknownInput = { readonly rd: bigint; readonly data: bigint; readonly ipa: bigint };
type DataInput = DataUnknownInput & { readonly src: bigint; readonly flags: bigint };
type DestroyInput = { readonly rd: bigint; readonly ipa: bigint };
type NoOutputs = Record<string, never>;
type DestroyOutputs = { readonly data: bigint; readonly top: bigint };

/** Any transition of the three commands: rd and ipa are inputs. */
type WithWalk = Transition<{ readonly rd: bigint; readonly ipa: bigint }, unknown>;

/** walk = RttWalk(rd, ipa, RMM_RTT_PAGE_LEVEL) before the command. */
const walkPre = (t: WithWalk): RttWalkResult | undefined => RttWalk(t.pre, t.input.rd, t.input.ipa, RTT_PAGE_LEVEL);
/** walk = RttWalk(rd, ipa, RMM_RTT_PAGE_LEVEL) after the command (the spec's context, Before: false). */
const walkPost = (t: WithWalk): RttWalkResult | undefined => RttWalk(t.post, t.input.rd, t.input.ipa, RTT_PAGE_LEVEL);

/** A check on walk.rtte after the command: false when the walk finds nothing. */
function onRtte<T extends WithWalk>(p: (e: RttEntryRecord, t: T) => boolean): (t: T) => boolean {
  return (t) => {
    const w = walkPost(t);
    return w !== undefined && p(w.rtte, t);
  };
}

/** The footprint's locators: walk.rtt_addr and entry_idx = RttEntryIndex(ipa, walk.level). */
const walkLocators = {
  'walk.rtt_addr': (t: WithWalk) => {
    const w = walkPre(t);
    return w === undefined ? undefined : gi(w.rtt_addr);
  },
  // Stryker disable next-line OptionalChaining: equivalent; locators are evaluated on successes only, where rtt_walk passed and the walk exists.
  entry_idx: (t: WithWalk) => walkPre(t)?.index,
};

/** The success rows both creations share: the granule is DATA, mapped by an ASSIGNED page entry (B4.3.1.3, B4.3.2.3). */
const mapped = {
  data_state: (t: Transition<DataUnknownInput, NoOutputs>) => Granule(t.post, t.input.data).state === GranuleState.DATA,
  rtte_state: onRtte((e) => e.state === RttEntryState.ASSIGNED),
  rtte_addr: onRtte((e, t: Transition<DataUnknownInput, NoOutputs>) => BigInt(e.addr) === t.input.data),
};

/** DEN0137 B4.3.1.3: a DATA granule with the contents of src, mapped at ipa with RIPAS RAM; the RIM extended (B4.3.1.4). */
export const dataCreatePost: PostDefinition<DataInput, NoOutputs> = {
  success: {
    ...mapped,
    rtte_ripas: onRtte((e) => e.ripas === Ripas.RAM),
    // RimExtendData(realm, ipa, data, flags), realm being Realm(rd) before the command; the
    // content hash is of the DATA granule as the command leaves it.
    rim: (t) => {
      const pre = Realm(t.pre, t.input.rd);
      const rim = pre?.measurements[0];
      const after = Realm(t.post, t.input.rd)?.measurements[0];
      return pre !== undefined && rim !== undefined && after !== undefined && bytesEqual(after, RimExtendData(t.pre.platform.digest, pre.hashAlgo, rim, t.input.ipa, t.input.flags, Contents(t.post, t.input.data)));
    },
    // Derived (B4.3.1): the DATA granule is a copy of the Non-secure granule src.
    data_content: (t) => bytesEqual(Contents(t.post, t.input.data), Contents(t.pre, t.input.src)),
  },
  locate: {
    data: (t) => gi(t.input.data),
    rd: (t) => gi(t.input.rd),
    ...walkLocators,
  },
};

/** DEN0137 B4.3.2.3: a wiped DATA granule mapped at ipa; the RIPAS and the RIM are unchanged (A5.3.5, A7.1.1). */
export const dataCreateUnknownPost: PostDefinition<DataUnknownInput, NoOutputs> = {
  success: {
    ...mapped,
    // A2.2.4: wiped; D-WIPE: the model's wiped value is zero.
    data_content: (t) => ContentsAreZero(t.post, t.input.data),
    // Derived (A5.3.5): the entry keeps the RIPAS it had.
    rtte_ripas: (t) => {
      const [pre, post] = [walkPre(t), walkPost(t)];
      return pre !== undefined && post !== undefined && post.rtte.ripas === pre.rtte.ripas;
    },
    // Derived (A7.1.1): not an operation that extends the RIM.
    rim: (t) => {
      const [pre, post] = [Realm(t.pre, t.input.rd)?.measurements[0], Realm(t.post, t.input.rd)?.measurements[0]];
      return pre !== undefined && post !== undefined && bytesEqual(pre, post);
    },
  },
  locate: {
    data: (t) => gi(t.input.data),
    ...walkLocators,
  },
};

/** The RIPAS of walk.rtte before the command. */
const ripasBefore = (t: WithWalk): Ripas | undefined => walkPre(t)?.rtte.ripas;

/** DEN0137 B4.3.3.3: the DATA granule is DELEGATED, the entry UNASSIGNED (RAM becomes DESTROYED); outputs data and walk_top. */
export const dataDestroyPost: PostDefinition<DestroyInput, DestroyOutputs> = {
  success: {
    // walk.rtte.addr is the address the entry held before the command.
    data_state: (t) => {
      const w = walkPre(t);
      return w !== undefined && Granule(t.post, BigInt(w.rtte.addr)).state === GranuleState.DELEGATED;
    },
    rtte_state: onRtte((e) => e.state === RttEntryState.UNASSIGNED),
    ripas_ram: { when: (t) => ripasBefore(t) === Ripas.RAM, holds: onRtte((e) => e.ripas === Ripas.DESTROYED) },
    // Derived (A5.3.5): only RAM changes.
    ripas_unchanged: {
      when: (t) => ripasBefore(t) === Ripas.EMPTY || ripasBefore(t) === Ripas.DESTROYED,
      holds: (t) => {
        const before = ripasBefore(t);
        return onRtte((e) => e.ripas === before)(t);
      },
    },
    data: (t) => {
      const w = walkPre(t);
      return w !== undefined && t.out.data === BigInt(w.rtte.addr);
    },
    // walk_top = RttSkipNonLiveEntries(Rtt(walk.rtt_addr), walk.level, ipa), after the command (E-SKIP-LIVE, D-CONCAT).
    top: (t) => {
      const w = walkPost(t);
      return w !== undefined && t.out.top === RttSkipNonLiveEntries(t.post, w.rtt_addr, w.level, t.input.ipa);
    },
  },
  locate: {
    'walk.rtte.addr': (t) => {
      const w = walkPre(t);
      return w === undefined ? undefined : gi(BigInt(w.rtte.addr));
    },
    ...walkLocators,
  },
};
