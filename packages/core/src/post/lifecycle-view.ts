/**
 * More of the spec's condition functions (DEN0137 chapter B3) for the post-conditions of the
 * Realm, REC and DATA lifecycle commands: the in-memory parameter structures, the starting-level
 * RTT predicates, the auxiliary-granule predicates, MpidrEqual, VmidIsFree, RecAuxCount and
 * RttSkipNonLiveEntries. Written from the spec text, like `post/view.ts`, and independent of the
 * code that `apply` uses.
 *
 * @internal
 * @packageDocumentation
 */
import type { GranuleState } from '../model/granule.js';
import { decodeStruct, type StructValue } from '../model/layout.js';
import type { Realm as RealmRecord } from '../model/realm.js';
import { rttEntry, RttEntryState, type Ripas, type RttEntry as RttEntryRecord } from '../model/rtt.js';
import type { RmmState } from '../model/state.js';
import { RmiRealmParams, RmiRecParams } from '../model/structs.js';
import { AddrIsProtected, AlignDownToRttLevel, gi, Granule, GRANULE, PaIsDelegable, pa, Rtt, RttEntries, RttLevelSize, RttSkipEntriesUnless } from './view.js';

// -------------------------------------------------------------------------------------
// memory and parameters
// -------------------------------------------------------------------------------------

/** A granule of zeros, for memory nothing was written to. Never written. */
const ZEROS = new Uint8Array(Number(GRANULE));

/** B3.28 ReadMemory, a granule at a time: the 4096 bytes of the granule at `addr` (zeros when the model keeps none: D-WIPE). */
export function Contents(s: RmmState, addr: bigint): Uint8Array {
  return s.memory.get(gi(addr)) ?? ZEROS;
}

/** Whether the granule at `addr` holds only zeros (A2.2.4 wiping, as D-WIPE makes it). */
export function ContentsAreZero(s: RmmState, addr: bigint): boolean {
  const b = s.memory.get(gi(addr));
  return b === undefined || b.every((x) => x === 0);
}

/** B3.33 RealmParams(addr): the RmiRealmParams (B4.4.12) the Host left at `addr`. */
export function RealmParams(s: RmmState, addr: bigint): StructValue {
  return decodeStruct(RmiRealmParams, Contents(s, addr));
}

/** B3.39 RecParams(addr): the RmiRecParams (B4.4.19) the Host left at `addr`. */
export function RecParams(s: RmmState, addr: bigint): StructValue {
  return decodeStruct(RmiRecParams, Contents(s, addr));
}

/** B4.4.12, B4.4.19: a scalar member of a decoded parameter structure (0 when absent). */
export function field(v: StructValue, name: string): bigint {
  const x = v[name];
  return typeof x === 'bigint' ? x : 0n;
}

/** B4.4.12, B4.4.19: an array member of a decoded parameter structure (empty when absent). */
export function fields(v: StructValue, name: string): readonly bigint[] {
  const x = v[name];
  return Array.isArray(x) ? (x as readonly bigint[]) : [];
}

// -------------------------------------------------------------------------------------
// Realms and VMIDs
// -------------------------------------------------------------------------------------

/** B3.81 VmidIsFree: no Realm uses `vmid`. */
export function VmidIsFree(s: RmmState, vmid: number): boolean {
  return !s.vmids.has(vmid);
}

/** B3.36 RecAuxCount(rd): IMPLEMENTATION DEFINED; D-RECAUX: the platform's value for every Realm (at most 16). */
export function RecAuxCount(s: RmmState): number {
  return s.platform.recAuxCount;
}

/** B3.77 RttsStateEqual: each of the `n` granules from `base` is delegable and in state `state`. */
export function RttsStateEqual(s: RmmState, base: bigint, n: number, state: GranuleState): boolean {
  for (let i = 0; i < n; i++) {
    const addr = base + BigInt(i) * GRANULE;
    if (!PaIsDelegable(s, addr) || Granule(s, addr).state !== state) return false;
  }
  return true;
}

/**
 * Every entry of the Realm's starting-level RTTs with `p(ipa is Protected, entry)`: the base of
 * B3.69–B3.71. The `n` tables from `base` are concatenated: table k maps the k-th slice of the IPA
 * space, entry i of it the IPA k·span + i·RttLevelSize(level). False when a table is missing.
 */
function everyStartingEntry(s: RmmState, realm: RealmRecord, p: (prot: boolean, e: RttEntryRecord) => boolean): boolean {
  const level = realm.rttLevelStart;
  const size = RttLevelSize(s, level);
  const entries = RttEntries(s, level);
  const span = size * BigInt(entries);
  for (let k = 0; k < realm.rttNumStart; k++) {
    const table = Rtt(s, pa(realm.rttBase) + BigInt(k) * GRANULE);
    if (table === undefined) return false;
    for (let i = 0; i < entries; i++) {
      if (!p(AddrIsProtected(BigInt(k) * span + BigInt(i) * size, realm), rttEntry(table, i))) return false;
    }
  }
  return true;
}

/** B3.70 RttsAllProtectedEntriesState: every starting-level entry for a Protected IPA is in `state`. */
export function RttsAllProtectedEntriesState(s: RmmState, realm: RealmRecord, state: RttEntryState): boolean {
  return everyStartingEntry(s, realm, (prot, e) => !prot || e.state === state);
}

/** B3.71 RttsAllUnprotectedEntriesState: every starting-level entry for an Unprotected IPA is in `state`. */
export function RttsAllUnprotectedEntriesState(s: RmmState, realm: RealmRecord, state: RttEntryState): boolean {
  return everyStartingEntry(s, realm, (prot, e) => prot || e.state === state);
}

/** B3.69 RttsAllProtectedEntriesRipas: every starting-level entry for a Protected IPA has RIPAS `ripas`. */
export function RttsAllProtectedEntriesRipas(s: RmmState, realm: RealmRecord, ripas: Ripas): boolean {
  return everyStartingEntry(s, realm, (prot, e) => !prot || e.ripas === ripas);
}

// -------------------------------------------------------------------------------------
// RECs
// -------------------------------------------------------------------------------------

/** B3.11 AuxEqual: the first `count` entries of two lists of auxiliary granule addresses are equal. */
export function AuxEqual(aux1: readonly bigint[], aux2: readonly bigint[], count: number): boolean {
  if (count < 0 || count > 16) return false;
  for (let i = 0; i < count; i++) if (aux1[i] === undefined || aux1[i] !== aux2[i]) return false;
  return true;
}

/** B3.13 AuxStateEqual: each of the first `count` auxiliary granules is delegable and in `state`. */
export function AuxStateEqual(s: RmmState, aux: readonly bigint[], count: number, state: GranuleState): boolean {
  if (count < 0 || count > 16) return false;
  for (let i = 0; i < count; i++) {
    const a = aux[i];
    if (a === undefined || !PaIsDelegable(s, a) || Granule(s, a).state !== state) return false;
  }
  return true;
}

/** B3.23 MpidrEqual: Aff0 (bits 3:0), Aff1 (15:8), Aff2 (23:16) and Aff3 (31:24) agree (D-MPIDR). */
export function MpidrEqual(rmmMpidr: bigint, rmiMpidr: bigint): boolean {
  const mask = 0xffff_ff0fn;
  return (rmmMpidr & mask) === (rmiMpidr & mask);
}

// -------------------------------------------------------------------------------------
// RTTs
// -------------------------------------------------------------------------------------

/** A5.5.8: an entry is live when it is ASSIGNED, ASSIGNED_NS or TABLE. */
export function RttEntryIsLive(e: RttEntryRecord): boolean {
  return e.state === RttEntryState.ASSIGNED || e.state === RttEntryState.ASSIGNED_NS || e.state === RttEntryState.TABLE;
}

/**
 * B3.76 RttSkipNonLiveEntries(Rtt(rtt), level, ipa): the IPA of the first live entry of the RTT
 * at `rtt` from the entry of `ipa` (the minimum of RttSkipEntriesUnlessState for ASSIGNED,
 * ASSIGNED_NS and TABLE), or the IPA after its last entry, aligned down to the level (D-CONCAT:
 * the scan ends with the granule). Undefined when there is no RTT at `rtt`.
 */
export function RttSkipNonLiveEntries(s: RmmState, rtt: bigint, level: number, ipa: bigint): bigint | undefined {
  if (!s.rtts.has(gi(rtt))) return undefined;
  return AlignDownToRttLevel(s, RttSkipEntriesUnless(s, rtt, level, ipa, RttEntryIsLive), level);
}
