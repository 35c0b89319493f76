/**
 * The spec functions the post-conditions of the RTT commands read (DEN0137 chapter B3, A5.5,
 * B4.4.23–24), written from the spec text and the decisions that read it, independently of the
 * code `apply` uses: RTTE liveness and RttSkipNonLiveEntries (A5.5.8, B3.76), folding (A5.5.6,
 * B3.62–63), the RttAllEntries* predicates of unfolding (A5.5.7, B3.52–54), the stage 2
 * descriptor fields a Host reads and writes (B3.56, B3.59) and the RMI encodings of RTTE state
 * and RIPAS (B3.49, B3.61).
 *
 * @internal
 * @packageDocumentation
 */
import { toInt64 } from '../model/bits.js';
import { Ripas, rttEntry, RttEntryState, type RttEntry as RttEntryRecord } from '../model/rtt.js';
import type { RmmState } from '../model/state.js';
import { AlignDownToRttLevel, Rtt, RttEntries, RttEntry, RttEntryIndex, RttLevelSize, RttSkipEntriesUnless } from './view.js';

// -------------------------------------------------------------------------------------
// levels
// -------------------------------------------------------------------------------------

/** DEN0137 B4.3.15.1.1: an Int64 `level` input register as a number (values beyond 2^53 stay invalid). */
export function levelInput(v: bigint): number {
  return Number(toInt64(v));
}

/** DEN0137 B4.3.20.1.3 walk_level: a level as its 64-bit register value; −1 is 0xFFFF_FFFF_FFFF_FFFF (D-LEVEL-M1). */
export function levelOutput(level: number): bigint {
  return BigInt.asUintN(64, BigInt(level));
}

// -------------------------------------------------------------------------------------
// liveness
// -------------------------------------------------------------------------------------

/** DEN0137 A5.5.8: an RTTE is live if its state is ASSIGNED, ASSIGNED_NS or TABLE. */
export function RttEntryIsLive(e: RttEntryRecord): boolean {
  return e.state === RttEntryState.ASSIGNED || e.state === RttEntryState.ASSIGNED_NS || e.state === RttEntryState.TABLE;
}

/**
 * DEN0137 B3.76 RttSkipNonLiveEntries(Rtt(rtt), level, ipa): scanning the RTT at `rtt` from the
 * entry of `ipa`, the IPA of the first live entry, or the IPA after its last entry (D-CONCAT:
 * the end of that granule's entries). E-SKIP-LIVE: when the entry of `ipa` is itself live, `ipa`
 * (not aligned down). Undefined when there is no RTT at `rtt`.
 */
export function RttSkipNonLiveEntries(s: RmmState, rtt: bigint, level: number, ipa: bigint): bigint | undefined {
  const t = Rtt(s, rtt);
  if (t === undefined) return undefined;
  const here = RttEntry(s, rtt, RttEntryIndex(s, ipa, level)) as RttEntryRecord;
  if (RttEntryIsLive(here)) return ipa;
  // B3.76: the minimum of the three RttSkipEntriesUnlessState scans is one scan that stops at any live state.
  return AlignDownToRttLevel(s, RttSkipEntriesUnless(s, rtt, level, ipa, RttEntryIsLive), level);
}

// -------------------------------------------------------------------------------------
// folding and unfolding
// -------------------------------------------------------------------------------------

/** The entries of the RTT at `rtt` (level `level`), or undefined when there is none. */
function entriesOf(s: RmmState, rtt: bigint, level: number): RttEntryRecord[] | undefined {
  const t = Rtt(s, rtt);
  if (t === undefined) return undefined;
  // RttEntry(s, rtt, i) for each i, with the RTT looked up once.
  return Array.from({ length: RttEntries(s, level) }, (_, i) => rttEntry(t, i));
}

/** Whether every entry of the RTT at `rtt` (level `level`) satisfies `p`; false when there is none. As `entriesOf(...).every(p)`, without the array. */
function everyEntry(s: RmmState, rtt: bigint, level: number, p: (e: RttEntryRecord) => boolean): boolean {
  const t = Rtt(s, rtt);
  if (t === undefined) return false;
  const n = RttEntries(s, level);
  for (let i = 0; i < n; i++) if (!p(rttEntry(t, i))) return false;
  return true;
}

/** Whether the entries' output addresses run contiguously from `addr` in steps of a level-`level` entry on the platform of `s`. */
function contiguous(s: RmmState, es: readonly RttEntryRecord[], addr: bigint, level: number): boolean {
  const size = RttLevelSize(s, level);
  return es.every((e, i) => BigInt(e.addr) === addr + BigInt(i) * size);
}

/**
 * DEN0137 B3.63 RttIsHomogeneous, from the table of A5.5.6: the level-`level` RTT at `rtt` is
 * all UNASSIGNED with one RIPAS; or all UNASSIGNED_NS; or, at level 2 or 3, all ASSIGNED with one
 * RIPAS, or all ASSIGNED_NS with identical MemAttr and S2AP, with contiguous output addresses
 * from one aligned to the size of a parent (level − 1) entry. False when there is no RTT there.
 */
export function RttIsHomogeneous(s: RmmState, rtt: bigint, level: number): boolean {
  const es = entriesOf(s, rtt, level);
  if (es === undefined) return false;
  const first = es[0] as RttEntryRecord;
  const all = (p: (e: RttEntryRecord) => boolean): boolean => es.every(p);
  const sameRipas = (e: RttEntryRecord): boolean => e.ripas === first.ripas;
  switch (first.state) {
    case RttEntryState.UNASSIGNED:
      return all((e) => e.state === RttEntryState.UNASSIGNED && sameRipas(e));
    case RttEntryState.UNASSIGNED_NS:
      return all((e) => e.state === RttEntryState.UNASSIGNED_NS);
    case RttEntryState.ASSIGNED:
    case RttEntryState.ASSIGNED_NS: {
      if (level !== 2 && level !== 3) return false;
      const addr = BigInt(first.addr);
      if (addr % RttLevelSize(s, level - 1) !== 0n || !contiguous(s, es, addr, level)) return false;
      if (first.state === RttEntryState.ASSIGNED) return all((e) => e.state === RttEntryState.ASSIGNED && sameRipas(e));
      return all((e) => e.state === RttEntryState.ASSIGNED_NS && e.memAttr === first.memAttr && e.s2ap === first.s2ap);
    }
    default:
      return false;
  }
}

/**
 * DEN0137 B3.62 RttFold: the parent RTTE that folding the homogeneous level-`level` RTT at `rtt`
 * gives (A5.5.6): the common state, RIPAS and attributes of its entries and the output address of
 * its first entry. Undefined when the RTT is not homogeneous.
 */
export function RttFold(s: RmmState, rtt: bigint, level: number): RttEntryRecord | undefined {
  if (!RttIsHomogeneous(s, rtt, level)) return undefined;
  const e = RttEntry(s, rtt, 0) as RttEntryRecord;
  return { state: e.state, ripas: e.ripas, addr: e.addr, memAttr: e.memAttr, s2ap: e.s2ap };
}

/** DEN0137 B3.54 RttAllEntriesState: every entry of the level-`level` RTT at `rtt` has state `state`. */
export function RttAllEntriesState(s: RmmState, rtt: bigint, level: number, state: RttEntryState): boolean {
  return everyEntry(s, rtt, level, (e) => e.state === state);
}

/** DEN0137 B3.53 RttAllEntriesRipas: every entry of the level-`level` RTT at `rtt` has RIPAS `ripas`. */
export function RttAllEntriesRipas(s: RmmState, rtt: bigint, level: number, ripas: Ripas): boolean {
  return everyEntry(s, rtt, level, (e) => e.ripas === ripas);
}

/** DEN0137 B3.52 RttAllEntriesContiguous: the entries of the level-`level` RTT at `rtt` map contiguous output addresses from `addr`. */
export function RttAllEntriesContiguous(s: RmmState, rtt: bigint, addr: bigint, level: number): boolean {
  const es = entriesOf(s, rtt, level);
  return es !== undefined && contiguous(s, es, addr, level);
}

/** DEN0137 A5.5.7: every entry of the level-`level` RTT at `rtt` has MemAttr `memAttr` and S2AP `s2ap` (the RMI_RTT_CREATE rtte_c_attr row). */
export function RttAllEntriesAttributes(s: RmmState, rtt: bigint, level: number, memAttr: number, s2ap: number): boolean {
  return entriesOf(s, rtt, level)?.every((e) => e.memAttr === memAttr && e.s2ap === s2ap) ?? false;
}

// -------------------------------------------------------------------------------------
// descriptors
// -------------------------------------------------------------------------------------

/** The fields of a stage 2 block or page descriptor that an RmmRttEntry holds (DEN0137 C1.29). */
export interface DescriptorFields {
  /** Output address. */
  readonly addr: bigint;
  /** MemAttr[2:0]. */
  readonly MemAttr: number;
  /** S2AP[1:0]. */
  readonly S2AP: number;
}

/** Bits 49:12 of a descriptor: OA[49:12] in the LPA2 layout. */
const OA_LOW = ((1n << 50n) - 1n) & ~0xfffn;

/**
 * DEN0137 B3.59 RttEntryFromDescriptor: the output address, MemAttr and S2AP of a stage 2 block
 * or page descriptor, read in the LPA2 layout whatever the Realm (D-NS-DESC): OA[49:12] in bits
 * 49:12, OA[51:50] in bits 9:8, MemAttr[2:0] in bits 4:2, S2AP in bits 7:6.
 */
export function RttEntryFromDescriptor(desc: bigint): DescriptorFields {
  const d = BigInt.asUintN(64, desc);
  return {
    addr: (d & OA_LOW) | (((d >> 8n) & 3n) << 50n),
    MemAttr: Number((d >> 2n) & 7n),
    S2AP: Number((d >> 6n) & 3n),
  };
}

/**
 * DEN0137 B3.56 RttDescriptorIsValidForUnprotected: only the Host-controlled fields of A5.5.11
 * (the output address, MemAttr[2:0], S2AP) are set, and MemAttr[2:0] is not 0b100, reserved with
 * FEAT_S2FWB (D-NS-DESC).
 */
export function RttDescriptorIsValidForUnprotected(desc: bigint): boolean {
  const d = BigInt.asUintN(64, desc);
  const host = OA_LOW | (3n << 8n) | (3n << 6n) | (7n << 2n);
  return (d & ~host) === 0n && ((d >> 2n) & 7n) !== 4n;
}

// -------------------------------------------------------------------------------------
// RMI encodings
// -------------------------------------------------------------------------------------

/** DEN0137 B4.4.24 RmiRttEntryState encodings. */
export const RmiRttEntryState = { RMI_UNASSIGNED: 0n, RMI_ASSIGNED: 1n, RMI_TABLE: 2n } as const;

/** DEN0137 B4.4.23 RmiRipas encodings. */
export const RmiRipas = { RMI_EMPTY: 0n, RMI_RAM: 1n, RMI_DESTROYED: 2n } as const;

/** DEN0137 B3.61 RttEntryState: the RMI encoding of an RTTE state. */
export function RttEntryStateToRmi(state: RttEntryState): bigint {
  switch (state) {
    case RttEntryState.UNASSIGNED:
    case RttEntryState.UNASSIGNED_NS:
      return RmiRttEntryState.RMI_UNASSIGNED;
    case RttEntryState.ASSIGNED:
    case RttEntryState.ASSIGNED_NS:
      return RmiRttEntryState.RMI_ASSIGNED;
    case RttEntryState.TABLE:
      return RmiRttEntryState.RMI_TABLE;
  }
}

/** DEN0137 B3.49 RipasToRmi: the RMI encoding of a RIPAS value. */
export function RipasToRmi(ripas: Ripas): bigint {
  switch (ripas) {
    case Ripas.EMPTY:
      return RmiRipas.RMI_EMPTY;
    case Ripas.RAM:
      return RmiRipas.RMI_RAM;
    case Ripas.DESTROYED:
      return RmiRipas.RMI_DESTROYED;
  }
}
