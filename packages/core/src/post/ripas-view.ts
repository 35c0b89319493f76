/**
 * The spec functions the post-conditions of RMI_RTT_INIT_RIPAS and RMI_RTT_SET_RIPAS read
 * (DEN0137 B3.57, B3.73–B3.75), written from the spec text, independently of the code `apply`
 * runs: scans of one RTT from an IPA for an entry in a given state or with a given RIPAS, the
 * range a RIPAS change covers, and whether every entry of a range has one RIPAS.
 *
 * @internal
 * @packageDocumentation
 */
import { Ripas, RttEntryState, type RttEntry as RttEntryRecord } from '../model/rtt.js';
import type { RmmState } from '../model/state.js';
import { AlignDownToRttLevel, MinAddress, RttEntry, RttEntryRange, RttSkipEntriesUnless } from './view.js';

/** DEN0137 B3.22 (by symmetry): the larger of two addresses. */
export function MaxAddress(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/**
 * DEN0137 B3.74 RttSkipEntriesUnlessState(Rtt(rtt), level, ipa, state): scanning the RTT at
 * `rtt` from the entry of `ipa`, the IPA of the first entry whose state is `state`, or the IPA
 * after its last entry; aligned down to the level.
 */
export function RttSkipEntriesUnlessState(s: RmmState, rtt: bigint, level: number, ipa: bigint, state: RttEntryState): bigint {
  return AlignDownToRttLevel(s, RttSkipEntriesUnless(s, rtt, level, ipa, (e) => e.state === state), level);
}

/**
 * DEN0137 B3.73 RttSkipEntriesUnlessRipas(Rtt(rtt), level, ipa, ripas): scanning the RTT at
 * `rtt` from the entry of `ipa`, the IPA of the first entry whose RIPAS is `ripas`, or the IPA
 * after its last entry; aligned down to the level.
 */
export function RttSkipEntriesUnlessRipas(s: RmmState, rtt: bigint, level: number, ipa: bigint, ripas: Ripas): bigint {
  return AlignDownToRttLevel(s, RttSkipEntriesUnless(s, rtt, level, ipa, (e) => e.ripas === ripas), level);
}

/**
 * DEN0137 B3.75 RttSkipEntriesWithRipas(Rtt(rtt), level, base, top, stop_at_destroyed), as its
 * body says: the smallest of the first TABLE entry from `base`, the first entry with RIPAS
 * DESTROYED when `stopAtDestroyed`, and `top`, aligned down to the level (the end of the RTT
 * when no entry stops the scan; D-CONCAT: the end of that granule's entries).
 */
export function RttSkipEntriesWithRipas(s: RmmState, rtt: bigint, level: number, base: bigint, top: bigint, stopAtDestroyed: boolean): bigint {
  let result = RttSkipEntriesUnlessState(s, rtt, level, base, RttEntryState.TABLE);
  if (stopAtDestroyed) result = MinAddress(result, RttSkipEntriesUnlessRipas(s, rtt, level, base, Ripas.DESTROYED));
  result = MinAddress(result, top);
  return AlignDownToRttLevel(s, result, level);
}

/**
 * DEN0137 B3.57 RttEntriesInRangeRipas(Rtt(rtt), level, base, top, ripas): every entry of the RTT
 * at `rtt` that maps some of [base, top) has RIPAS `ripas` (true for an empty range; false when
 * there is no RTT at `rtt`).
 */
export function RttEntriesInRangeRipas(s: RmmState, rtt: bigint, level: number, base: bigint, top: bigint, ripas: Ripas): boolean {
  if (RttEntry(s, rtt, 0) === undefined) return false;
  const [from, to] = RttEntryRange(s, rtt, level, base, top);
  for (let i = from; i < to; i++) if ((RttEntry(s, rtt, i) as RttEntryRecord).ripas !== ripas) return false;
  return true;
}

/**
 * DEN0137 A5.3.5 (the derived `rtte_rest` rows): every entry of the RTT at `rtt` in `post` has
 * the state, output address and attributes it had in `pre` (its HIPAS and what the HIPAS maps),
 * and every entry outside the index range [from, to) also its RIPAS. False when the RTT is
 * missing from either state.
 */
export function RttOnlyRipasChanged(pre: RmmState, post: RmmState, rtt: bigint, entries: number, from: number, to: number): boolean {
  if (RttEntry(pre, rtt, 0) === undefined || RttEntry(post, rtt, 0) === undefined) return false;
  for (let i = 0; i < entries; i++) {
    const a = RttEntry(pre, rtt, i) as RttEntryRecord;
    const b = RttEntry(post, rtt, i) as RttEntryRecord;
    if (a.state !== b.state || a.addr !== b.addr || a.memAttr !== b.memAttr || a.s2ap !== b.s2ap) return false;
    if ((i < from || i >= to) && a.ripas !== b.ripas) return false;
  }
  return true;
}
