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

/** RmmRttEntryState (DEN0137 A5.5.4, C1.29): HIPAS of an entry, or TABLE. @category RTT */
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
/** An RTT entry state (DEN0137 C1.29). @category RTT */
export type RttEntryState = (typeof RttEntryState)[keyof typeof RttEntryState];
/** Names of {@link RttEntryState} values, for reports. @category RTT */
export const rttEntryStateName: Readonly<Record<RttEntryState, string>> = [
  'UNASSIGNED',
  'ASSIGNED',
  'TABLE',
  'UNASSIGNED_NS',
  'ASSIGNED_NS',
];

/** RmmRipas, the Realm IPA state of a Protected IPA (DEN0137 A5.2.2, C1.26). @category RTT */
export const Ripas = {
  /** No Realm resources: a Realm access takes a synchronous external abort. */
  EMPTY: 0,
  /** Private Realm code or data. */
  RAM: 1,
  /** Made inaccessible by the Host: a Realm access exits to the Host and never progresses. */
  DESTROYED: 2,
} as const;
/** A RIPAS value (DEN0137 C1.26). @category RTT */
export type Ripas = (typeof Ripas)[keyof typeof Ripas];
/** Names of {@link Ripas} values, for reports. @category RTT */
export const ripasName: Readonly<Record<Ripas, string>> = ['EMPTY', 'RAM', 'DESTROYED'];

/** One RTT entry as the spec describes it (DEN0137 C1.30 RmmRttEntry). @category RTT */
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
 * @category RTT
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

/**
 * The shape of a platform's RTTs (DEN0137 A5.5.2; DECISIONS D-SMALL-SCOPE): each of levels 0..3
 * resolves `levelBits` IPA bits, so an RTT at those levels has 2^levelBits entries, a level-3
 * entry maps one 4 KB granule and a level-`l` entry 2^(12 + levelBits·(3 − l)) bytes. The
 * architecture's 4 KB granule is `levelBits` 9 (512 entries), where level −1 (FEAT_LPA2) has 16
 * entries; smaller values give the small-scope configurations of exhaustive exploration, which
 * have no level −1. Obtain one with {@link geometryOf}; the platform carries it.
 * @category RTT
 */
export interface Geometry {
  /** IPA bits resolved per level: 9 for the architecture's 4 KB granule, 1..8 for small scope. */
  readonly levelBits: number;
  /** The lowest RTT level that exists: −1 (FEAT_LPA2) with 9 level bits, 0 otherwise. */
  readonly minLevel: number;
  /** @internal Bytes one entry maps, by level + 1 (levels −1..3). */
  readonly sizes: readonly number[];
  /** @internal Entries per RTT, by level + 1 (levels −1..3; 0 for a level that does not exist). */
  readonly entries: readonly number[];
  /** @internal Offset masks below one entry's size, by level + 1 (levels −1..3). */
  readonly masks: readonly bigint[];
}

/** The fewest IPA bits per level a geometry may resolve (2 entries per RTT; D-SMALL-SCOPE). @category RTT */
export const MIN_LEVEL_BITS = 1;
/** The most IPA bits per level: 9, the architecture's 4 KB granule (512 entries per RTT). @category RTT */
export const MAX_LEVEL_BITS = 9;

function makeGeometry(levelBits: number): Geometry {
  const levels = [-1, 0, 1, 2, 3];
  const shift = (l: number): number => 12 + levelBits * (3 - l);
  return {
    levelBits,
    // DECISION D-SMALL-SCOPE: level −1 exists only in the architecture's geometry (16 entries,
    // 52-bit IPA with FEAT_LPA2); a small geometry reaches its widest IPA by concatenation at level 0.
    minLevel: levelBits === MAX_LEVEL_BITS ? -1 : 0,
    sizes: levels.map((l) => 2 ** shift(l)),
    entries: levels.map((l) => (l >= 0 ? 2 ** levelBits : levelBits === MAX_LEVEL_BITS ? 16 : 0)),
    masks: levels.map((l) => (1n << BigInt(shift(l))) - 1n),
  };
}

/** Every geometry, by level bits; built once, immutable, so a geometry is compared by identity. */
const GEOMETRIES: ReadonlyArray<Geometry | undefined> = Array.from({ length: MAX_LEVEL_BITS + 1 }, (_, b) => (b >= MIN_LEVEL_BITS ? makeGeometry(b) : undefined));

/**
 * The geometry whose RTTs resolve `levelBits` IPA bits per level (an integer in
 * [{@link MIN_LEVEL_BITS}, {@link MAX_LEVEL_BITS}]; D-SMALL-SCOPE). The same object for the same value.
 * @category RTT
 */
export function geometryOf(levelBits: number): Geometry {
  if (!Number.isInteger(levelBits) || levelBits < MIN_LEVEL_BITS || levelBits > MAX_LEVEL_BITS) throw new RangeError(`levelBits ${levelBits} is outside ${MIN_LEVEL_BITS}..${MAX_LEVEL_BITS}`);
  return GEOMETRIES[levelBits] as Geometry;
}

/** The architecture's geometry for a 4 KB granule: 9 bits per level, 512 entries per RTT, 16 at level −1. @category RTT */
export const DEFAULT_GEOMETRY: Geometry = geometryOf(MAX_LEVEL_BITS);

/** DEN0137 A5.5.2 RttLevelSize: bytes one entry of a level-`level` RTT maps in geometry `g` (4 KB at level 3). @category RTT */
export function rttLevelSize(g: Geometry, level: number): number {
  return g.sizes[level + 1] ?? 2 ** rttLevelShift(g, level);
}

/** log2 of {@link rttLevelSize}: 12 at level 3, + `g.levelBits` per level up. @category RTT */
export function rttLevelShift(g: Geometry, level: number): number {
  return 12 + g.levelBits * (3 - level);
}

/** Entries in one RTT granule at `level` in geometry `g`: 2^levelBits at levels 0..3 (512 by default); 16 at level −1, which only the default geometry has. @category RTT */
export function rttEntries(g: Geometry, level: number): number {
  return g.entries[level + 1] ?? 0;
}

/**
 * The widest IPA space (s2sz) geometry `g` maps: one level-0 table resolves 12 + 4·levelBits
 * bits (48 by default), and FEAT_LPA2 adds 4 (52: level −1 in the default geometry, 16
 * concatenated level-0 tables in a small one). DEN0137 A5.5.3; DECISIONS D-RTTCFG, D-SMALL-SCOPE.
 * @category RTT
 */
export function maxIpaWidth(g: Geometry, lpa2: boolean): number {
  return 12 + 4 * g.levelBits + (lpa2 ? 4 : 0);
}

/**
 * The narrowest IPA space (s2sz) a Realm may have in geometry `g`: 32 in the default geometry
 * (TF-RMM's RMI_FEATURE_MIN_IPA_SIZE, D-PARAMS); in a small geometry what one level-3 starting
 * table maps, 12 + levelBits bits (one Protected and one Unprotected granule with 1 level bit).
 * DECISIONS D-SMALL-SCOPE.
 * @category RTT
 */
export function minIpaWidth(g: Geometry): number {
  // DECISION D-SMALL-SCOPE: TF-RMM's 32 does not scale; one level-3 table is the least a Realm can have.
  return g.levelBits === MAX_LEVEL_BITS ? 32 : 12 + g.levelBits;
}

/** The number of entries `rtt` holds (2^levelBits, or 16 at level −1), read from the table itself. @internal */
export function rttLength(rtt: Rtt): number {
  const c = rtt.chunks;
  return (c.length - 1) * RTT_CHUNK + (c[c.length - 1] as readonly number[]).length;
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
  return Array.from({ length: rttLength(rtt) }, (_, i) => rttMeta(rtt, i));
}

/** The output address of every entry, in order (a fresh array). @internal */
export function rttAddrs(rtt: Rtt): number[] {
  return Array.from({ length: rttLength(rtt) }, (_, i) => rttAddr(rtt, i));
}

/**
 * A table whose every entry is the same: used for starting-level tables at Realm creation and
 * for unfolding. Entries at or above `protectedTop` get `upper` instead of `lower`; `g` gives
 * the number of entries and the size each maps.
 * @internal
 */
export function uniformRtt(g: Geometry, realm: GranuleIndex, level: number, baseIpa: number, lower: number, upper: number, protectedTop: number): Rtt {
  const n = rttEntries(g, level);
  const size = rttLevelSize(g, level);
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

/** Entry `i` of `rtt` in spec terms. @category RTT */
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

/** DEN0137 A5.5.8 RttIsLive: the table has an ASSIGNED or TABLE entry. @category RTT */
export function rttIsLive(rtt: Rtt): boolean {
  return rtt.live > 0;
}
