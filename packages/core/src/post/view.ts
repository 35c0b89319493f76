/**
 * The state as the spec's condition functions read it (DEN0137 chapter B3), for post-conditions.
 * Written from the spec text and independent of the code that `apply` uses: the RTT walk, the
 * skip functions and the address predicates here are second implementations, so that a mistake
 * in one is caught by the other. Only the model's record types and accessors are shared.
 *
 * @internal
 * @packageDocumentation
 */
import { initialGranule, type Granule as GranuleRecord } from '../model/granule.js';
import type { Realm as RealmRecord } from '../model/realm.js';
import type { Rec as RecRecord } from '../model/rec.js';
import { rttEntry, RttEntryState, type RttEntry as RttEntryRecord, type Rtt as RttRecord } from '../model/rtt.js';
import type { RmmState } from '../model/state.js';

// -------------------------------------------------------------------------------------
// granules and objects
// -------------------------------------------------------------------------------------

/** 4 KB, RMM_GRANULE_SIZE. */
export const GRANULE = 4096n;

/** The granule index of address `a` (its PA divided by the granule size). */
export function gi(a: bigint): number {
  return Number(BigInt.asUintN(64, a) / GRANULE);
}

/** B3.3 AddrIsGranuleAligned. */
export function AddrIsGranuleAligned(a: bigint): boolean {
  return a % GRANULE === 0n;
}

/** B3.19 Granule(addr): the granule's attributes (the platform's initial ones when never touched). */
export function Granule(s: RmmState, addr: bigint): GranuleRecord {
  const g = gi(addr);
  return s.granules.get(g) ?? initialGranule(s.platform, g);
}

/** B3.25 PaIsDelegable: the platform's DRAM ranges hold the granule at `addr`. */
export function PaIsDelegable(s: RmmState, addr: bigint): boolean {
  const a = BigInt.asUintN(64, addr) & ~(GRANULE - 1n);
  return s.platform.dram.some((r) => a >= r.base && a + GRANULE <= r.base + r.size);
}

/** B3.29 Realm(rd): the Realm whose RD is the granule at `rd`, if there is one. */
export function Realm(s: RmmState, rd: bigint): RealmRecord | undefined {
  return s.realms.get(gi(rd));
}

/** B3.35 Rec(rec): the REC at `rec`, if there is one. */
export function Rec(s: RmmState, rec: bigint): RecRecord | undefined {
  return s.recs.get(gi(rec));
}

/** B3.51 Rtt(addr): the RTT at `addr`, if there is one. */
export function Rtt(s: RmmState, addr: bigint): RttRecord | undefined {
  return s.rtts.get(gi(addr));
}

/** The PA of the granule with index `g`. */
export function pa(g: number): bigint {
  return BigInt(g) * GRANULE;
}

/** Whether two byte strings are equal. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

// -------------------------------------------------------------------------------------
// addresses
// -------------------------------------------------------------------------------------

/**
 * The IPA bits one RTT level resolves on the platform of `s`: 9 for the 4 KB granule (A5.5.2),
 * fewer in a small-scope geometry (DECISIONS D-SMALL-SCOPE).
 */
export function LevelBits(s: RmmState): number {
  return s.platform.levelBits;
}

/** B3.68 RttLevelSize: the bytes one entry of a level-`level` RTT maps (4 KB at level 3, LevelBits more bits per level up). */
export function RttLevelSize(s: RmmState, level: number): bigint {
  return 1n << BigInt(12 + LevelBits(s) * (3 - level));
}

/** B3.5 AddrIsRttLevelAligned. */
export function AddrIsRttLevelAligned(s: RmmState, a: bigint, level: number): boolean {
  return a % RttLevelSize(s, level) === 0n;
}

/** B3.7 AlignDownToRttLevel. */
export function AlignDownToRttLevel(s: RmmState, a: bigint, level: number): bigint {
  return a - (a % RttLevelSize(s, level));
}

/** B3.22 MinAddress. */
export function MinAddress(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** B3.4 AddrIsProtected: `ipa` lies in the lower half of the Realm's IPA space. */
export function AddrIsProtected(ipa: bigint, realm: RealmRecord): boolean {
  return ipa < 1n << BigInt(realm.ipaWidth - 1);
}

/** `ipa` lies inside the Realm's IPA space (below 2^ipa_width). */
export function AddrIsInIpaSpace(ipa: bigint, realm: RealmRecord): boolean {
  return ipa < 1n << BigInt(realm.ipaWidth);
}

// -------------------------------------------------------------------------------------
// RTTs
// -------------------------------------------------------------------------------------

/**
 * Entries in an RTT at `level`: 16 for the level −1 table of a 52-bit IPA space, 2^LevelBits
 * (512) otherwise; only the 9-bit geometry has level −1 (D-SMALL-SCOPE).
 */
export function RttEntries(s: RmmState, level: number): number {
  return level === -1 ? 16 : 2 ** LevelBits(s);
}

/** B3.58 RttEntry(rtt, i): entry `i` of the RTT at `rtt`. */
export function RttEntry(s: RmmState, rtt: bigint, i: number): RttEntryRecord | undefined {
  const t = Rtt(s, rtt);
  return t === undefined ? undefined : rttEntry(t, i);
}

/** B3.60 RttEntryIndex(addr, level): the index of `addr`'s entry in a level-`level` RTT. */
export function RttEntryIndex(s: RmmState, addr: bigint, level: number): number {
  return Number((addr / RttLevelSize(s, level)) % BigInt(RttEntries(s, level)));
}

/** B3.78 RttWalk's result (C1.31 RmmRttWalkResult): where the walk stopped. */
export interface RttWalkResult {
  /** The level of the RTT the walk stopped in. */
  readonly level: number;
  /** PA of that RTT. */
  readonly rtt_addr: bigint;
  /** The entry for the IPA in that RTT. */
  readonly rtte: RttEntryRecord;
  /** That entry's index in the RTT (entry_idx). */
  readonly index: number;
}

/**
 * B3.78 RttWalk(rd, ipa, level): from the starting-level RTTs of the Realm, follow TABLE
 * entries until `level` is reached or the entry for `ipa` is not TABLE. Undefined when `rd` is
 * no Realm or `ipa` lies outside its IPA space.
 */
export function RttWalk(s: RmmState, rd: bigint, ipa: bigint, level: number): RttWalkResult | undefined {
  const realm = Realm(s, rd);
  if (realm === undefined || ipa < 0n || !AddrIsInIpaSpace(ipa, realm)) return undefined;
  const start = realm.rttLevelStart;
  // The starting level is rtt_num_start concatenated RTTs: RTT k maps the k-th slice of the IPA space.
  const span = RttLevelSize(s, start) * BigInt(RttEntries(s, start));
  let rtt = pa(realm.rttBase) + GRANULE * (ipa / span);
  let l = start;
  for (;;) {
    const index = RttEntryIndex(s, ipa, l);
    const rtte = RttEntry(s, rtt, index);
    if (rtte === undefined) return undefined;
    if (l >= level || rtte.state !== RttEntryState.TABLE) return { level: l, rtt_addr: rtt, rtte, index };
    rtt = BigInt(rtte.addr);
    l++;
  }
}

/** The IPA that entry 0 of the RTT at `rtt` maps (from its record). */
export function RttBaseIpa(s: RmmState, rtt: bigint): bigint {
  return BigInt((Rtt(s, rtt) as RttRecord).baseIpa);
}

/**
 * B3.74 RttSkipEntriesUnlessState / B3.73 RttSkipEntriesUnlessRipas, generalised: scanning the
 * RTT at `rtt` (level `level`) from the entry of `ipa`, the IPA of the first entry for which
 * `stop` holds, or the IPA after its last entry; aligned down to the level.
 */
export function RttSkipEntriesUnless(s: RmmState, rtt: bigint, level: number, ipa: bigint, stop: (e: RttEntryRecord) => boolean): bigint {
  const size = RttLevelSize(s, level);
  const base = RttBaseIpa(s, rtt);
  const n = RttEntries(s, level);
  for (let i = RttEntryIndex(s, ipa, level); i < n; i++) if (stop(RttEntry(s, rtt, i) as RttEntryRecord)) return base + BigInt(i) * size;
  return base + BigInt(n) * size;
}

/**
 * The entries of the RTT at `rtt` (level `level`) that map some of [base, top), as index range
 * [from, to) with 0 ≤ from ≤ to ≤ the number of entries (empty when the ranges do not meet): the
 * entries DEN0137 B3.57 RttEntriesInRangeRipas reads.
 */
export function RttEntryRange(s: RmmState, rtt: bigint, level: number, base: bigint, top: bigint): readonly [number, number] {
  const size = RttLevelSize(s, level);
  const first = RttBaseIpa(s, rtt);
  const n = RttEntries(s, level);
  const clamp = (x: bigint, lo: number): number => (x <= BigInt(lo) ? lo : x >= BigInt(n) ? n : Number(x));
  // Offsets below the RTT clamp to 0, so truncating division rounds the right way for the rest.
  const from = clamp(base <= first ? 0n : (base - first) / size, 0);
  const to = clamp(top <= first ? 0n : (top - first + size - 1n) / size, from);
  return [from, to];
}
