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
 * One RTT granule. Each entry is one number, `(addr / 4096) * 1024 + meta`, where `meta` packs
 * the state (bits 2:0), RIPAS (4:3), MemAttr (7:5) and S2AP (9:8) and `addr` is the 4 KB-aligned
 * output address (so the number stays below 2^50, exact). Entries are stored in chunks of 32:
 * changing one entry copies one chunk and the chunk list (about 400 bytes) instead of the table
 * (8 KB), which keeps RTT commands out of the garbage collector's way. Tables are immutable; a
 * uniform table (Realm creation, unfolding a non-block entry) shares one cached chunk.
 */
export interface Rtt {
  /** Granule index of the RD of the owning Realm. */
  readonly realm: GranuleIndex;
  /** Level of this table (−1..3). */
  readonly level: number;
  /** IPA that entry 0 maps. */
  readonly baseIpa: number;
  /** @internal Packed entries in chunks of {@link RTT_CHUNK}. */
  readonly chunks: ReadonlyArray<readonly number[]>;
  /** Number of live entries in the RttIsLive sense: ASSIGNED or TABLE (DEN0137 A5.5.8). */
  readonly live: number;
  /** @internal Content hash. */
  readonly h: number;
}

/** Entries per chunk of an {@link Rtt}. @internal */
export const RTT_CHUNK = 32;

/** One past the largest packed attributes value: the attributes are bits 9:0 of a stored entry. */
const META_SPAN = 1024;

const pack = (meta: number, addr: number): number => (addr / 4096) * META_SPAN + meta;

/** The packed attributes (state, RIPAS, MemAttr, S2AP: DEN0137 C1.30 fields) of a stored entry value `v`. @internal */
export function packedMeta(v: number): number {
  return v % META_SPAN;
}

/** Packed attributes of entry `i` (state, RIPAS, MemAttr, S2AP). @internal */
export function rttMeta(rtt: Rtt, i: number): number {
  return packedMeta((rtt.chunks[i >> 5] as readonly number[])[i & 31] as number);
}

/** Output address of entry `i` (0 when the entry has none). @internal */
export function rttAddr(rtt: Rtt, i: number): number {
  return Math.floor(((rtt.chunks[i >> 5] as readonly number[])[i & 31] as number) / META_SPAN) * 4096;
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

/** Packs an entry's attributes: state bits 2:0, RIPAS 4:3, MemAttr 7:5, S2AP 9:8 (DEN0137 C1.30 fields). @internal */
export function packMeta(state: RttEntryState, ripas: Ripas, memAttr = 0, s2ap = 0): number {
  return state | (ripas << 3) | (memAttr << 5) | (s2ap << 8);
}

/** State of packed attributes `m` (DEN0137 C1.29). @internal */
export const metaState = (m: number): RttEntryState => (m & 7) as RttEntryState;
/** RIPAS of packed attributes `m` (DEN0137 C1.26). @internal */
export const metaRipas = (m: number): Ripas => ((m >> 3) & 3) as Ripas;
/** Packed attributes `m` with the RIPAS field set to `ripas`. */
const metaWithRipas = (m: number, ripas: Ripas): number => (m & ~(3 << 3)) | (ripas << 3);
/** MemAttr[2:0] of packed attributes `m`. */
const metaMemAttr = (m: number): number => (m >> 5) & 7;
/** S2AP[1:0] of packed attributes `m`. */
const metaS2ap = (m: number): number => (m >> 8) & 3;

/** Hash contribution of entry `i` (meta `m`, address `a`); a table's hash is the sum over its entries, so one entry's change rehashes in O(1). */
function entryHash(i: number, m: number, a: number): number {
  return mix32((Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(m + 0x10001, 0x85ebca6b) ^ Math.imul((a / 4096) | 0, 0xc2b2ae35) ^ ((a / 17592186044416) | 0)) >>> 0);
}

function headerHash(level: number, baseIpa: number): number {
  return mix32((Math.imul(level + 2, 0x27d4eb2d) ^ Math.imul((baseIpa / 4096) | 0, 0x165667b1) ^ ((baseIpa / 17592186044416) | 0)) >>> 0);
}

/**
 * 1 when packed attributes `m` count towards {@link Rtt.live}, the RttIsLive count: ASSIGNED or
 * TABLE (DEN0137 A5.5.8). Not the entry liveness of the skip functions, which adds ASSIGNED_NS.
 */
const countsForRttIsLive = (m: number): number => {
  const st = metaState(m);
  return st === RttEntryState.ASSIGNED || st === RttEntryState.TABLE ? 1 : 0;
};

function chunked(values: readonly number[]): number[][] {
  const out: number[][] = [];
  for (let k = 0; k < values.length; k += RTT_CHUNK) out.push(values.slice(k, k + RTT_CHUNK));
  return out;
}

/** Builds a table from flat arrays of packed attributes and addresses, computing liveness and hash. @internal */
export function makeRtt(realm: GranuleIndex, level: number, baseIpa: number, meta: readonly number[], addr: readonly number[]): Rtt {
  let live = 0;
  let h = headerHash(level, baseIpa);
  const values: number[] = [];
  for (let i = 0; i < meta.length; i++) {
    const m = meta[i] as number;
    const a = addr[i] as number;
    live += countsForRttIsLive(m);
    h += entryHash(i, m, a);
    values.push(pack(m, a));
  }
  return { realm, level, baseIpa, chunks: chunked(values), live, h: h >>> 0 };
}

/** The packed attributes of every entry, in order (a fresh array). @internal */
export function rttMetas(rtt: Rtt): number[] {
  return Array.from({ length: rttEntries(rtt.level) }, (_, i) => rttMeta(rtt, i));
}

/** The output address of every entry, in order (a fresh array). @internal */
export function rttAddrs(rtt: Rtt): number[] {
  return Array.from({ length: rttEntries(rtt.level) }, (_, i) => rttAddr(rtt, i));
}

/**
 * A table whose every entry is the same: used for starting-level tables at Realm creation and
 * for unfolding. Entries at or above `protectedTop` get `upper` instead of `lower`.
 * @internal
 */
export function uniformRtt(realm: GranuleIndex, level: number, baseIpa: number, lower: number, upper: number, protectedTop: number): Rtt {
  const n = rttEntries(level);
  const size = rttLevelSize(level);
  // Entries [0, split) get `lower`, the rest `upper`.
  const split = Math.max(0, Math.min(n, Math.ceil((protectedTop - baseIpa) / size)));
  const u = split >= n ? uniformParts(n, lower, lower, n) : split <= 0 ? uniformParts(n, upper, upper, n) : uniformParts(n, lower, upper, split);
  return { realm, level, baseIpa, chunks: u.chunks, live: u.live, h: (headerHash(level, baseIpa) + u.sum) >>> 0 };
}

interface UniformParts {
  readonly chunks: ReadonlyArray<readonly number[]>;
  readonly live: number;
  /** Sum of the entry hashes. */
  readonly sum: number;
}

const uniformCache = new Map<string, UniformParts>();

/** Shared chunks (and their liveness and hash sum) of a table whose first `split` entries are `lower` and the rest `upper`, all with address 0. */
function uniformParts(n: number, lower: number, upper: number, split: number): UniformParts {
  const key = `${n}:${lower}:${upper}:${split}`;
  let u = uniformCache.get(key);
  if (u === undefined) {
    const chunkOf = new Map<string, number[]>();
    const chunks: number[][] = [];
    let live = 0;
    let sum = 0;
    for (let k = 0; k < n; k += RTT_CHUNK) {
      const c = Array.from({ length: Math.min(RTT_CHUNK, n - k) }, (_, j) => (k + j < split ? lower : upper));
      // Identical chunks are one shared array.
      const ck = c.join();
      const shared = chunkOf.get(ck) ?? c;
      chunkOf.set(ck, shared);
      chunks.push(shared);
    }
    for (let i = 0; i < n; i++) {
      const m = i < split ? lower : upper;
      live += countsForRttIsLive(m);
      sum += entryHash(i, m, 0);
    }
    u = { chunks, live, sum: sum >>> 0 };
    uniformCache.set(key, u);
  }
  return u;
}

// -------------------------------------------------------------------------------------
// updates
// -------------------------------------------------------------------------------------

/**
 * `rtt` with entry `i` set to packed `meta` and output address `addr`. Copies one chunk and the
 * chunk list; liveness and hash are updated in O(1).
 * @internal
 */
export function rttWithEntry(rtt: Rtt, i: number, meta: number, addr: number): Rtt {
  const m0 = rttMeta(rtt, i);
  const a0 = rttAddr(rtt, i);
  const chunks = rtt.chunks.slice();
  const c = (chunks[i >> 5] as readonly number[]).slice();
  c[i & 31] = pack(meta, addr);
  chunks[i >> 5] = c;
  const live = rtt.live - countsForRttIsLive(m0) + countsForRttIsLive(meta);
  const h = (rtt.h - entryHash(i, m0, a0) + entryHash(i, meta, addr)) >>> 0;
  return { realm: rtt.realm, level: rtt.level, baseIpa: rtt.baseIpa, chunks, live, h };
}

/** `rtt` with the RIPAS of entries `[from, to)` set to `ripas`; states and addresses are kept. @internal */
export function rttWithRipas(rtt: Rtt, from: number, to: number, ripas: Ripas): Rtt {
  const chunks = rtt.chunks.slice();
  let h = rtt.h;
  let copied = -1;
  let c: number[] = [];
  for (let i = from; i < to; i++) {
    const m0 = rttMeta(rtt, i);
    const m1 = metaWithRipas(m0, ripas);
    if (m1 === m0) continue;
    if (i >> 5 !== copied) {
      copied = i >> 5;
      c = (chunks[copied] as readonly number[]).slice();
      chunks[copied] = c;
    }
    const a = rttAddr(rtt, i);
    c[i & 31] = pack(m1, a);
    h = h - entryHash(i, m0, a) + entryHash(i, m1, a);
  }
  return { realm: rtt.realm, level: rtt.level, baseIpa: rtt.baseIpa, chunks, live: rtt.live, h: h >>> 0 };
}

// -------------------------------------------------------------------------------------
// queries
// -------------------------------------------------------------------------------------

/** Entry `i` of `rtt` in spec terms. */
export function rttEntry(rtt: Rtt, i: number): RttEntry {
  const m = rttMeta(rtt, i);
  return {
    state: metaState(m),
    ripas: metaRipas(m),
    addr: rttAddr(rtt, i),
    memAttr: metaMemAttr(m),
    s2ap: metaS2ap(m),
  };
}

/** DEN0137 A5.5.8 RttIsLive: the table has an ASSIGNED or TABLE entry. */
export function rttIsLive(rtt: Rtt): boolean {
  return rtt.live > 0;
}
