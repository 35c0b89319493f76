/**
 * Realm IPA space and the RTT mechanisms the RMI commands are built on: Protected and
 * Unprotected IPAs, RTT level predicates and alignment, the RTT walk, the skip functions that
 * compute `walk_top`, homogeneity and folding, and unfolding (DEN0137 A5.2.1, A5.5, B3.4–B3.8,
 * B3.62–B3.78). IPAs are JS numbers here: every IPA of a Realm is below 2^52, so exact.
 *
 * @packageDocumentation
 */
import { GRANULE_SIZE, type GranuleIndex } from './bits.js';
import type { Realm } from './realm.js';
import {
  makeRtt,
  metaRipas,
  metaState,
  packedMeta,
  packMeta,
  Ripas,
  RTT_CHUNK,
  rttAddr,
  rttEntries,
  rttEntry,
  rttLevelSize,
  rttMeta,
  RttEntryState,
  uniformRtt,
  type Geometry,
  type Rtt,
  type RttEntry,
} from './rtt.js';
import type { RmmState } from './state.js';

// -------------------------------------------------------------------------------------
// IPA space
// -------------------------------------------------------------------------------------

/** First Unprotected IPA of `realm`: 2^(ipa_width − 1) (DEN0137 A5.2.1). @category RTT */
export function protectedTop(realm: Realm): number {
  return 2 ** (realm.ipaWidth - 1);
}

/** Size of the IPA space of `realm`: 2^ipa_width (DEN0137 A5.2.1). @category RTT */
export function ipaSpaceTop(realm: Realm): number {
  return 2 ** realm.ipaWidth;
}

/** DEN0137 B3.4 AddrIsProtected: `ipa` is a Protected IPA of `realm` (its top IPA bit is clear). @category RTT */
export function addrIsProtected(realm: Realm, ipa: bigint | number): boolean {
  return ipa < protectedTop(realm);
}

/** DEN0137 A5.2.1: `ipa` is an Unprotected IPA of `realm`, in [2^(w−1), 2^w). @category RTT */
export function addrIsUnprotected(realm: Realm, ipa: bigint | number): boolean {
  return ipa >= protectedTop(realm) && ipa < ipaSpaceTop(realm);
}

/** DEN0137 A5.5.10: `ipa` lies inside the IPA space of `realm` (below 2^ipa_width). @category RTT */
export function addrInIpaSpace(realm: Realm, ipa: bigint | number): boolean {
  return ipa < ipaSpaceTop(realm);
}

// -------------------------------------------------------------------------------------
// levels and alignment
// -------------------------------------------------------------------------------------

/** The lowest RTT level of the architecture: −1, with LPA2 (DEN0137 A5.5.2); only the default geometry has it ({@link Geometry.minLevel}, D-SMALL-SCOPE). @category RTT */
export const RTT_MIN_LEVEL = -1;
/** RMM_RTT_PAGE_LEVEL: the level of 4 KB pages (DEN0137 A5.5.2). @category RTT */
export const RTT_PAGE_LEVEL = 3;

const isLevel = (level: number): boolean => Number.isInteger(level) && level >= RTT_MIN_LEVEL && level <= RTT_PAGE_LEVEL;

/**
 * DEN0137 B3.5 AddrIsRttLevelAligned: `addr` is aligned to the size of a level-`level` entry of
 * geometry `g`; false for a level outside −1..3 (level −1 has an entry size in every geometry,
 * though only the default one has level −1 tables: the alignment is arithmetic, D-SMALL-SCOPE).
 * @category RTT
 */
export function addrIsRttLevelAligned(g: Geometry, addr: bigint, level: number): boolean {
  return isLevel(level) && (addr & (g.masks[level + 1] as bigint)) === 0n;
}

/** DEN0137 B3.7 AlignDownToRttLevel, for an entry of geometry `g`. @category RTT */
export function alignDownToRttLevel(g: Geometry, ipa: number, level: number): number {
  return ipa - (ipa % rttLevelSize(g, level));
}

/** DEN0137 B3.67 RttLevelIsValid: rtt_level_start ≤ level ≤ 3. @category RTT */
export function rttLevelIsValid(realm: Realm, level: number): boolean {
  return Number.isInteger(level) && level >= realm.rttLevelStart && level <= RTT_PAGE_LEVEL;
}

/** DEN0137 B3.66 RttLevelIsStarting: `level` is the Realm's starting level. @category RTT */
export function rttLevelIsStarting(realm: Realm, level: number): boolean {
  return level === realm.rttLevelStart;
}

/**
 * DEN0137 B3.65 RttLevelIsBlockOrPage: a block or page can be mapped at `level` in this Realm:
 * level 1, 2 or 3, and not above the Realm's starting level.
 * @category RTT
 */
export function rttLevelIsBlockOrPage(realm: Realm, level: number): boolean {
  // DECISION D-BLOCK-LEVEL: 1 ≤ level ≤ 3 as TF-RMM (S2TT_MIN_BLOCK_LEVEL), and also
  // level ≥ rtt_level_start. The function takes rd, and a level above the Realm's starting level
  // is not a level of its RTT tree: TF-RMM would walk to it and assert (level ≥ start level).
  return Number.isInteger(level) && level >= 1 && level >= realm.rttLevelStart && level <= RTT_PAGE_LEVEL;
}

// -------------------------------------------------------------------------------------
// entries
// -------------------------------------------------------------------------------------

/** DEN0137 A5.5.8: an entry is live if a PA is stored in it (ASSIGNED, ASSIGNED_NS or TABLE). */
export function rttEntryIsLive(state: RttEntryState): boolean {
  return state === RttEntryState.ASSIGNED || state === RttEntryState.ASSIGNED_NS || state === RttEntryState.TABLE;
}

/** The IPA that entry `index` of `rtt` (geometry `g`) maps (DEN0137 A5.5.4). */
export function rttEntryIpa(g: Geometry, rtt: Rtt, index: number): number {
  return rtt.baseIpa + index * rttLevelSize(g, rtt.level);
}

/** DEN0137 B3.60 RttEntryIndex: the entry of `rtt` (geometry `g`) that maps `ipa` (which must lie in the table's range). */
export function rttEntryIndex(g: Geometry, rtt: Rtt, ipa: number): number {
  return Math.floor((ipa - rtt.baseIpa) / rttLevelSize(g, rtt.level));
}

/** The IPA just past the last entry of `rtt` (geometry `g`): the end of its range (DEN0137 B3.73 "next IPA after the last entry"). */
export function rttTopIpa(g: Geometry, rtt: Rtt): number {
  return rtt.baseIpa + rttEntries(g, rtt.level) * rttLevelSize(g, rtt.level);
}

// -------------------------------------------------------------------------------------
// descriptors
// -------------------------------------------------------------------------------------

/** MemAttr[2:0] of a stage 2 descriptor: bits 4:2. */
const DESC_MEMATTR_SHIFT = 2n;
/** S2AP[1:0]: bits 7:6. */
const DESC_S2AP_SHIFT = 6n;
/** OA[49:12] in place (the 4 KB granule's OA field, LPA2 layout). */
const DESC_OA_MASK = ((1n << 50n) - 1n) & ~0xfffn;
/** OA[51:50] in bits 9:8 (LPA2 layout). */
const DESC_OA_HI_SHIFT = 8n;
/** Every Host-controlled field of a descriptor: MemAttr[2:0], S2AP, OA[51:50] and OA[49:12]. */
const DESC_HOST_MASK = (7n << DESC_MEMATTR_SHIFT) | (3n << DESC_S2AP_SHIFT) | (3n << DESC_OA_HI_SHIFT) | DESC_OA_MASK;
/** MemAttr[2:0] = 0b100 is reserved with FEAT_S2FWB. */
const MEMATTR_RESERVED = 4n;

/**
 * DEN0137 B3.56 RttDescriptorIsValidForUnprotected: no bit outside the Host-controlled fields
 * (MemAttr[2:0], S2AP, output address) is set, and MemAttr is not the reserved 0b100
 * (data.md §9; TF-RMM host_ns_s2tte_is_valid).
 * @category RTT
 */
export function rttDescriptorIsValidForUnprotected(desc: bigint): boolean {
  // DECISION D-NS-DESC: the output address field is read in the LPA2 layout (OA[49:12] in place,
  // OA[51:50] in bits 9:8) whatever the Realm, because this condition comes before rd is known;
  // for a Realm without LPA2 an address that uses bits 49:48 or 9:8 fails addr_bound instead.
  return (desc & ~DESC_HOST_MASK) === 0n && ((desc >> DESC_MEMATTR_SHIFT) & 7n) !== MEMATTR_RESERVED;
}

/** DEN0137 B3.59 RttEntryFromDescriptor: the output address, MemAttr and S2AP a Host descriptor gives. @category RTT */
export function rttDescriptorFields(desc: bigint): { readonly addr: bigint; readonly memAttr: number; readonly s2ap: number } {
  return {
    addr: (desc & DESC_OA_MASK) | (((desc >> DESC_OA_HI_SHIFT) & 3n) << 50n),
    memAttr: Number((desc >> DESC_MEMATTR_SHIFT) & 7n),
    s2ap: Number((desc >> DESC_S2AP_SHIFT) & 3n),
  };
}

/**
 * DEN0137 B4.3.20.3: the `desc` output of RMI_RTT_READ_ENTRY: zero for an UNASSIGNED or
 * UNASSIGNED_NS entry; the output address for ASSIGNED and TABLE; the output address, MemAttr
 * and S2AP for ASSIGNED_NS, in the stage 2 descriptor layout.
 * @category RTT
 */
export function rttEntryDescriptor(e: RttEntry): bigint {
  if (e.state === RttEntryState.UNASSIGNED || e.state === RttEntryState.UNASSIGNED_NS) return 0n;
  const a = BigInt(e.addr);
  const oa = (a & DESC_OA_MASK) | ((a >> 50n) << DESC_OA_HI_SHIFT);
  if (e.state !== RttEntryState.ASSIGNED_NS) return oa;
  return oa | (BigInt(e.memAttr) << DESC_MEMATTR_SHIFT) | (BigInt(e.s2ap) << DESC_S2AP_SHIFT);
}

// -------------------------------------------------------------------------------------
// walk
// -------------------------------------------------------------------------------------

/** DEN0137 C1.31 RmmRttWalkResult, with the table the walk reached and the entry's index in it. @category RTT */
export interface RttWalkResult {
  /** level: the RTT level the walk reached. */
  readonly level: number;
  /** rtt_addr: granule index of the RTT the walk reached. */
  readonly rtt: GranuleIndex;
  /** That RTT. */
  readonly table: Rtt;
  /** Index of the entry in that RTT. */
  readonly index: number;
  /** rtte: the entry the walk reached. */
  readonly entry: RttEntry;
  /** Bytes that entry maps: RttLevelSize(level) in the platform's geometry (DEN0137 A5.5.2). */
  readonly size: number;
}

/**
 * DEN0137 A5.5.10, B3.78 RttWalk(rd, ipa, level): from the starting-level RTTs, descend while the
 * entry is TABLE and the level is below `level`. The rtt_num_start concatenated starting tables
 * act as one; the result names the granule and index that hold the entry (as TF-RMM does).
 * Undefined when `ipa` lies beyond the starting tables (or `realm` is unknown by RD index).
 * @category RTT
 */
export function rttWalk(s: RmmState, realm: Realm | GranuleIndex, ipa: number, level: number): RttWalkResult | undefined {
  const r = typeof realm === 'number' ? s.realms.get(realm) : realm;
  if (r === undefined) return undefined;
  const g = s.platform.geometry;
  let l = r.rttLevelStart;
  const n = rttEntries(g, l);
  let size = rttLevelSize(g, l);
  if (!(ipa >= 0 && ipa < r.rttNumStart * n * size)) return undefined;
  // DECISION D-CONCAT: the starting RTTs are indexed as one table (ipa >> log2(size)), but the walk
  // reaches the granule that holds the entry, as TF-RMM's walk does: Rtt(walk.rtt_addr) in the
  // skip functions is that one RTT, so walk_top ends at its end, not at the end of the last one.
  const k = Math.floor(ipa / size);
  let gi = r.rttBase + Math.floor(k / n);
  let index = k % n;
  let t = s.rtts.get(gi);
  if (t === undefined) return undefined;
  while (l < level && metaState(rttMeta(t, index)) === RttEntryState.TABLE) {
    gi = rttAddr(t, index) / GRANULE_SIZE;
    const next = s.rtts.get(gi);
    if (next === undefined) return undefined;
    t = next;
    l++;
    size = rttLevelSize(g, l);
    index = Math.floor(ipa / size) % rttEntries(g, l);
  }
  return { level: l, rtt: gi, table: t, index, entry: rttEntry(t, index), size };
}

/** DEN0137 A5.5.10: the output address `ipa` translates to through the ASSIGNED or ASSIGNED_NS entry `w` reached; undefined otherwise. @category RTT */
export function rttOutputAddress(w: RttWalkResult, ipa: number): number | undefined {
  const st = w.entry.state;
  if (st !== RttEntryState.ASSIGNED && st !== RttEntryState.ASSIGNED_NS) return undefined;
  // The entry's IPA is aligned to the size it maps, so the offset into it is ipa modulo that size.
  return w.entry.addr + (ipa % w.size);
}

// -------------------------------------------------------------------------------------
// skip functions
// -------------------------------------------------------------------------------------

/**
 * The IPA of the first entry of `rtt` (geometry `g`), scanning from the entry that maps `ipa`,
 * whose packed attributes satisfy `stop`; the IPA just past the table when none does (DEN0137
 * B3.73, B3.74). The result is level-aligned.
 */
export function rttSkipEntriesUnless(g: Geometry, rtt: Rtt, ipa: number, stop: (meta: number) => boolean): number {
  const from = rttEntryIndex(g, rtt, ipa);
  const chunks = rtt.chunks;
  // Scan chunk by chunk; a chunk already known to hold no stopping entry is skipped whole
  // (chunks are immutable and shared between versions, so the answer can be remembered).
  for (let k = from >> 5; k < chunks.length; k++) {
    const c = chunks[k] as readonly number[];
    const start = k === from >> 5 ? from & 31 : 0;
    if (start === 0 && chunkHasNo(c, stop)) continue;
    // Stryker disable next-line EqualityOperator: equivalent; one step past the chunk reads undefined, whose NaN attributes no stop predicate (state comparisons) accepts.
    for (let j = start; j < c.length; j++) if (stop(packedMeta(c[j] as number))) return rttEntryIpa(g, rtt, k * RTT_CHUNK + j);
    if (start === 0) rememberHasNo(c, stop);
  }
  return rttTopIpa(g, rtt);
}

const noStop = new WeakMap<readonly number[], Set<(meta: number) => boolean>>();

function chunkHasNo(c: readonly number[], stop: (meta: number) => boolean): boolean {
  return noStop.get(c)?.has(stop) === true;
}

function rememberHasNo(c: readonly number[], stop: (meta: number) => boolean): void {
  let set = noStop.get(c);
  if (set === undefined) {
    set = new Set();
    noStop.set(c, set);
  }
  set.add(stop);
}

/** The entry is live in the skip functions' sense (A5.5.8): ASSIGNED, ASSIGNED_NS or TABLE. */
const isLiveMeta = (m: number): boolean => rttEntryIsLive(metaState(m));
const isTableMeta = (m: number): boolean => metaState(m) === RttEntryState.TABLE;
const isTableOrDestroyedMeta = (m: number): boolean => metaState(m) === RttEntryState.TABLE || metaRipas(m) === Ripas.DESTROYED;

/**
 * DEN0137 B3.76 RttSkipNonLiveEntries(rtt, level, ipa): the IPA of the first live entry of `rtt`
 * (geometry `g`) from the entry that maps `ipa`, or the IPA just past the table. The `top` output
 * of DATA_DESTROY, RTT_DESTROY and RTT_UNMAP_UNPROTECTED.
 */
export function rttSkipNonLiveEntries(g: Geometry, rtt: Rtt, ipa: number): number {
  // ERRATUM E-SKIP-LIVE: when the entry that maps `ipa` is itself live the result is `ipa`, not
  // ipa aligned down to the level as B3.76 says: the outcome tables of DATA_DESTROY, RTT_DESTROY
  // and RTT_UNMAP_UNPROTECTED (B4.3.3.1.3, B4.3.16.1.3, B4.3.22.1.3) give top == ipa there, and
  // TF-RMM's s2tt_skip_non_live_entries returns ipa. The two differ whenever the walk ends at a
  // live block that ipa is not aligned to, which all three commands can reach.
  if (isLiveMeta(rttMeta(rtt, rttEntryIndex(g, rtt, ipa)))) return ipa;
  return rttSkipEntriesUnless(g, rtt, ipa, isLiveMeta);
}

/**
 * DEN0137 B3.75 RttSkipEntriesWithRipas(rtt, level, base, top, stop_at_destroyed): the first
 * TABLE entry (or, with `stopAtDestroyed`, the first entry whose RIPAS is DESTROYED) of `rtt`
 * (geometry `g`) from the entry that maps `base`, at most `top` and the end of the table,
 * aligned down to the level.
 */
export function rttSkipEntriesWithRipas(g: Geometry, rtt: Rtt, base: number, top: number, stopAtDestroyed: boolean): number {
  const first = rttSkipEntriesUnless(g, rtt, base, stopAtDestroyed ? isTableOrDestroyedMeta : isTableMeta);
  return alignDownToRttLevel(g, Math.min(first, top), rtt.level);
}

// -------------------------------------------------------------------------------------
// folding and unfolding
// -------------------------------------------------------------------------------------

/**
 * DEN0137 A5.5.6, B3.62 RttFold and B3.63 RttIsHomogeneous: the entry a parent takes when the
 * child `rtt` (geometry `g`) is folded, or undefined when `rtt` is not homogeneous. Homogeneous: all
 * UNASSIGNED with one RIPAS; all UNASSIGNED_NS; or, at level 2 or 3, all ASSIGNED with one
 * RIPAS (or all ASSIGNED_NS with one MemAttr and S2AP) mapping contiguous output addresses
 * from one aligned to the parent entry's size.
 */
export function rttFold(g: Geometry, rtt: Rtt): RttEntry | undefined {
  const m0 = rttMeta(rtt, 0);
  const st = metaState(m0);
  const n = rttEntries(g, rtt.level);
  switch (st) {
    case RttEntryState.UNASSIGNED:
    case RttEntryState.ASSIGNED: {
      // Same state and RIPAS in every entry (MemAttr and S2AP are zero in Protected entries).
      for (let i = 1; i < n; i++) if ((rttMeta(rtt, i) & 0x1f) !== (m0 & 0x1f)) return undefined;
      break;
    }
    case RttEntryState.UNASSIGNED_NS:
      for (let i = 1; i < n; i++) if (metaState(rttMeta(rtt, i)) !== st) return undefined;
      return { state: st, ripas: 0, addr: 0, memAttr: 0, s2ap: 0 };
    case RttEntryState.ASSIGNED_NS:
      // Same state, MemAttr and S2AP in every entry.
      for (let i = 1; i < n; i++) if ((rttMeta(rtt, i) & 0x3e7) !== (m0 & 0x3e7)) return undefined;
      break;
    default:
      return undefined;
  }
  if (st === RttEntryState.UNASSIGNED) return { state: st, ripas: metaRipas(m0), addr: 0, memAttr: 0, s2ap: 0 };
  // A block can only be made at level 1 or 2: the child is a level 2 or 3 RTT.
  if (rtt.level !== 2 && rtt.level !== 3) return undefined;
  const first = rttAddr(rtt, 0);
  const size = rttLevelSize(g, rtt.level);
  // The first output address is aligned to the parent entry's size; the rest are contiguous.
  if (first % rttLevelSize(g, rtt.level - 1) !== 0) return undefined;
  for (let i = 1; i < n; i++) if (rttAddr(rtt, i) !== first + i * size) return undefined;
  const e = rttEntry(rtt, 0);
  return st === RttEntryState.ASSIGNED ? { ...e, memAttr: 0, s2ap: 0 } : { ...e, ripas: 0 };
}

/** DEN0137 B3.63 RttIsHomogeneous, for `rtt` in geometry `g`. */
export function rttIsHomogeneous(g: Geometry, rtt: Rtt): boolean {
  return rttFold(g, rtt) !== undefined;
}

/**
 * DEN0137 A5.5.7 RTT unfolding: a level-`level` RTT (geometry `g`) of Realm `realm` covering IPAs
 * from `baseIpa`, every entry taking the state, RIPAS and attributes of `parent`; below an
 * ASSIGNED or ASSIGNED_NS block the entries map contiguous addresses from the block's address.
 */
export function rttUnfold(g: Geometry, realm: GranuleIndex, level: number, baseIpa: number, parent: RttEntry): Rtt {
  const m = packMeta(parent.state, parent.ripas, parent.memAttr, parent.s2ap);
  if (parent.state !== RttEntryState.ASSIGNED && parent.state !== RttEntryState.ASSIGNED_NS) {
    // No output addresses: every entry is the same, and the arrays can be shared.
    return uniformRtt(g, realm, level, baseIpa, m, m, baseIpa);
  }
  const n = rttEntries(g, level);
  const size = rttLevelSize(g, level);
  const addr = Array.from({ length: n }, (_, i) => parent.addr + i * size);
  return makeRtt(realm, level, baseIpa, new Array<number>(n).fill(m), addr);
}
