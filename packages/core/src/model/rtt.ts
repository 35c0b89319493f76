/**
 * Realm Translation Tables: entry states, RIPAS, levels, and the compact table representation
 * (DEN0137 A5.2–A5.5, C1.26–C1.30).
 *
 * @packageDocumentation
 */
import type { GranuleIndex } from './bits.js';
import { mix32 } from '../internal/pmap.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** RmmRttEntryState (DEN0137 A5.5.4, C1.29): HIPAS of an entry, or TABLE. */
export const RttEntryState = {
  /** Protected IPA, no DATA granule (HIPAS UNASSIGNED). */
  UNASSIGNED: 0,
  /** Protected IPA mapped to a DATA granule, page or block (HIPAS ASSIGNED). */
  ASSIGNED: 1,
  /** Points to the next-level RTT. */
  TABLE: 2,
  /** Unprotected IPA, not mapped (HIPAS UNASSIGNED_NS). */
  UNASSIGNED_NS: 3,
  /** Unprotected IPA mapped to a Host-chosen NS PA (HIPAS ASSIGNED_NS). */
  ASSIGNED_NS: 4,
} as const;
/** An RTT entry state (DEN0137 C1.29). */
export type RttEntryState = (typeof RttEntryState)[keyof typeof RttEntryState];
/** Names of {@link RttEntryState} values, for reports. */
export const rttEntryStateName: Readonly<Record<RttEntryState, string>> = [
  'UNASSIGNED',
  'ASSIGNED',
  'TABLE',
  'UNASSIGNED_NS',
  'ASSIGNED_NS',
];

/** RmmRipas, the Realm IPA state of a Protected IPA (DEN0137 A5.2.2, C1.26). */
export const Ripas = {
  /** No Realm resources: a Realm access takes a synchronous external abort. */
  EMPTY: 0,
  /** Private Realm code or data. */
  RAM: 1,
  /** Made inaccessible by the Host: a Realm access exits to the Host and never progresses. */
  DESTROYED: 2,
} as const;
/** A RIPAS value (DEN0137 C1.26). */
export type Ripas = (typeof Ripas)[keyof typeof Ripas];
/** Names of {@link Ripas} values, for reports. */
export const ripasName: Readonly<Record<Ripas, string>> = ['EMPTY', 'RAM', 'DESTROYED'];

/** One RTT entry as the spec describes it (DEN0137 C1.30 RmmRttEntry). */
export interface RttEntry {
  /** Entry state. */
  readonly state: RttEntryState;
  /** RIPAS (meaningful for Protected IPAs only; EMPTY otherwise). */
  readonly ripas: Ripas;
  /** Output address: DATA granule, next-level RTT or NS PA; 0 when there is none. */
  readonly addr: number;
  /** MemAttr[2:0] of an ASSIGNED_NS entry (Host-controlled). */
  readonly memAttr: number;
  /** S2AP[1:0] of an ASSIGNED_NS entry (Host-controlled). */
  readonly s2ap: number;
}

/**
 * One RTT granule. Entries live in two typed arrays: `meta` packs state (bits 2:0), RIPAS
 * (4:3), MemAttr (7:5) and S2AP (9:8); `addr` holds the output address. Tables are immutable
 * values: a change makes a new table with copied arrays (5 KB), which is cheaper than any
 * per-entry structure for 512 entries.
 */
export interface Rtt {
  /** Granule index of the RD of the owning Realm. */
  readonly realm: GranuleIndex;
  /** Level of this table (−1..3). */
  readonly level: number;
  /** IPA that entry 0 maps. */
  readonly baseIpa: number;
  /** @internal Packed entry attributes. */
  readonly meta: Uint16Array;
  /** @internal Entry output addresses. */
  readonly addr: Float64Array;
  /** Number of live entries in the RttIsLive sense: ASSIGNED or TABLE (DEN0137 A5.5.8). */
  readonly live: number;
  /** @internal Content hash. */
  readonly h: number;
}

// -------------------------------------------------------------------------------------
// geometry
// -------------------------------------------------------------------------------------

/** DEN0137 A5.5.2 RttLevelSize: bytes one entry of a level-`level` RTT maps (4 KB granule). */
export function rttLevelSize(level: number): number {
  return 2 ** rttLevelShift(level);
}

/** log2 of {@link rttLevelSize}: 12 at level 3, +9 per level up. */
export function rttLevelShift(level: number): number {
  return 12 + 9 * (3 - level);
}

/** Entries in one RTT granule at `level`: 16 at level −1 (52-bit IPA), 512 otherwise. */
export function rttEntries(level: number): number {
  return level === -1 ? 16 : 512;
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** Packs an entry's attributes. @internal */
export function packMeta(state: RttEntryState, ripas: Ripas, memAttr = 0, s2ap = 0): number {
  return state | (ripas << 3) | (memAttr << 5) | (s2ap << 8);
}

/** Hash contribution of entry `i` (meta `m`, address `a`); a table's hash is the sum over its entries, so one entry's change rehashes in O(1). */
function entryHash(i: number, m: number, a: number): number {
  return mix32((Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(m + 0x10001, 0x85ebca6b) ^ Math.imul((a / 4096) | 0, 0xc2b2ae35) ^ ((a / 17592186044416) | 0)) >>> 0);
}

function headerHash(level: number, baseIpa: number): number {
  return mix32((Math.imul(level + 2, 0x27d4eb2d) ^ Math.imul((baseIpa / 4096) | 0, 0x165667b1) ^ ((baseIpa / 17592186044416) | 0)) >>> 0);
}

function rttHash(meta: Uint16Array, addr: Float64Array, level: number, baseIpa: number): number {
  let h = headerHash(level, baseIpa);
  for (let i = 0; i < meta.length; i++) h += entryHash(i, meta[i] as number, addr[i] as number);
  return h >>> 0;
}

const isLiveMeta = (m: number): number => {
  const s = m & 7;
  return s === RttEntryState.ASSIGNED || s === RttEntryState.TABLE ? 1 : 0;
};

/** Builds a table from its parts, computing liveness and hash. @internal */
export function makeRtt(realm: GranuleIndex, level: number, baseIpa: number, meta: Uint16Array, addr: Float64Array): Rtt {
  let live = 0;
  for (let i = 0; i < meta.length; i++) live += isLiveMeta(meta[i] as number);
  return { realm, level, baseIpa, meta, addr, live, h: rttHash(meta, addr, level, baseIpa) };
}

/**
 * A table whose every entry is the same: used for starting-level tables at Realm creation and
 * for unfolding. Entries at or above `protectedTop` get `upper` instead of `lower`.
 * @internal
 */
export function uniformRtt(realm: GranuleIndex, level: number, baseIpa: number, lower: number, upper: number, protectedTop: number): Rtt {
  const n = rttEntries(level);
  const size = rttLevelSize(level);
  const meta = new Uint16Array(n);
  for (let i = 0; i < n; i++) meta[i] = baseIpa + i * size < protectedTop ? lower : upper;
  return makeRtt(realm, level, baseIpa, meta, new Float64Array(n));
}

// -------------------------------------------------------------------------------------
// updates
// -------------------------------------------------------------------------------------

/**
 * `rtt` with entry `i` set to packed `meta` and output address `addr`. Copies the table's arrays
 * (the address array only when the address changes); liveness and hash are updated in O(1).
 * @internal
 */
export function rttWithEntry(rtt: Rtt, i: number, meta: number, addr: number): Rtt {
  const m0 = rtt.meta[i] as number;
  const a0 = rtt.addr[i] as number;
  const m = rtt.meta.slice();
  m[i] = meta;
  let a = rtt.addr;
  if (a0 !== addr) {
    a = a.slice();
    a[i] = addr;
  }
  const live = rtt.live - isLiveMeta(m0) + isLiveMeta(meta);
  const h = (rtt.h - entryHash(i, m0, a0) + entryHash(i, meta, addr)) >>> 0;
  return { realm: rtt.realm, level: rtt.level, baseIpa: rtt.baseIpa, meta: m, addr: a, live, h };
}

/** `rtt` with the RIPAS of entries `[from, to)` set to `ripas`; states and addresses are shared. @internal */
export function rttWithRipas(rtt: Rtt, from: number, to: number, ripas: Ripas): Rtt {
  const m = rtt.meta.slice();
  let h = rtt.h;
  for (let i = from; i < to; i++) {
    const m0 = m[i] as number;
    const m1 = (m0 & ~0x18) | (ripas << 3);
    if (m1 === m0) continue;
    m[i] = m1;
    const a = rtt.addr[i] as number;
    h = h - entryHash(i, m0, a) + entryHash(i, m1, a);
  }
  return { realm: rtt.realm, level: rtt.level, baseIpa: rtt.baseIpa, meta: m, addr: rtt.addr, live: rtt.live, h: h >>> 0 };
}

// -------------------------------------------------------------------------------------
// queries
// -------------------------------------------------------------------------------------

/** Entry `i` of `rtt` in spec terms. */
export function rttEntry(rtt: Rtt, i: number): RttEntry {
  const m = rtt.meta[i] as number;
  return {
    state: (m & 7) as RttEntryState,
    ripas: ((m >> 3) & 3) as Ripas,
    addr: rtt.addr[i] as number,
    memAttr: (m >> 5) & 7,
    s2ap: (m >> 8) & 3,
  };
}

/** DEN0137 A5.5.8 RttIsLive: the table has an ASSIGNED or TABLE entry. */
export function rttIsLive(rtt: Rtt): boolean {
  return rtt.live > 0;
}
