/**
 * A persistent map from numbers to values with O(1) updates on the newest version.
 *
 * This is Baker's "rerooting" representation of persistent arrays (H. Baker, "Shallow binding
 * makes functional arrays fast", 1991; S. Conchon and J.-C. Filliâtre, "A persistent union-find
 * data structure", 2007). Exactly one version, the root, owns a mutable `Map`; every other version
 * is a one-entry diff pointing towards the root. Updating the root costs one `Map.set` and one
 * small object; reading an older version first moves the root to it by replaying the diffs on the
 * path (each diff is reversed, so the move is undone just as cheaply). The observable value of a
 * version never changes, so the structure is purely functional from the outside.
 *
 * Why not a path-copying trie: the model is stepped millions of times in a mostly linear fashion
 * (replay, property tests, benchmarks), where the root is always the version being extended. A
 * 32-ary trie copies four to five 32-slot arrays per update; this structure copies nothing.
 * Exploration that jumps between distant versions pays the length of the path between them.
 *
 * Each version also carries its size and a 53-bit order-independent hash. The hash is computed
 * on first request (O(n)) and from then on maintained per update in O(1): workloads that never ask
 * for hashes (replay, property tests) never pay for hashing values.
 *
 * @packageDocumentation
 */

const ABSENT: unique symbol = Symbol('absent');
type Slot<V> = V | typeof ABSENT;

/** Hashes a value to an unsigned 32-bit integer. Equal values must hash equally. @category State */
export type ValueHasher<V> = (v: V) => number;

/** 32-bit mixer (murmur3 finaliser). */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of one (key, value-hash) entry in lane A. */
function laneA(k: number, vh: number): number {
  return mix32((Math.imul(k | 0, 0x9e3779b1) ^ Math.imul((k / 4294967296) | 0, 0x7feb352d) ^ vh) >>> 0);
}
/** Hash of one (key, value-hash) entry in lane B: independent of lane A. */
function laneB(k: number, vh: number): number {
  return mix32((Math.imul(k | 0, 0x846ca68b) + Math.imul(vh, 0x165667b1) + ((k / 4294967296) | 0)) >>> 0);
}

class Node<V> {
  /** The live map when this version is the root; null for a diff. */
  map: Map<number, V> | null;
  /** For a diff: the key whose value differs from `next`. */
  key: number;
  /** For a diff: the value of `key` in this version (ABSENT when the key is absent). */
  val: Slot<V>;
  /** For a diff: the neighbouring version closer to the root. */
  next: Node<V> | null;

  constructor(
    map: Map<number, V> | null,
    readonly size: number,
    /** Lane A of the content hash; meaningful only when `hashed`. */
    public hashA: number,
    /** Lane B of the content hash; meaningful only when `hashed`. */
    public hashB: number,
    /** Whether the hash lanes hold this version's hash (they are a cache, filled on demand). */
    public hashed: boolean,
  ) {
    this.map = map;
    this.key = 0;
    this.val = ABSENT;
    this.next = null;
  }
}

/** Makes `node` the root: replays the diffs on its path to the current root. */
function reroot<V>(node: Node<V>): Map<number, V> {
  if (node.map !== null) return node.map;
  const path: Node<V>[] = [];
  let n: Node<V> = node;
  while (n.map === null) {
    path.push(n);
    n = n.next as Node<V>;
  }
  let map = n.map;
  for (let i = path.length - 1; i >= 0; i--) {
    const d = path[i] as Node<V>;
    const r = d.next as Node<V>;
    const k = d.key;
    const old: Slot<V> = map.has(k) ? (map.get(k) as V) : ABSENT;
    if (d.val === ABSENT) map.delete(k);
    else map.set(k, d.val);
    r.map = null;
    r.key = k;
    r.val = old;
    r.next = d;
    d.map = map;
    d.val = ABSENT;
    d.next = null;
  }
  return map;
}

/**
 * A persistent map from numbers (integers below 2^53) to values, with O(1) updates of the newest
 * version (Baker's rerooting; see the module comment). Used for every collection in the model state.
 * @category State
 */
export class PMap<V> {
  private constructor(
    private readonly node: Node<V>,
    private readonly hasher: ValueHasher<V>,
  ) {}

  /** The empty map whose values hash with `hasher`. */
  static empty<V>(hasher: ValueHasher<V>): PMap<V> {
    return new PMap(new Node<V>(new Map(), 0, 0, 0, false), hasher);
  }

  /** Number of entries. */
  get size(): number {
    return this.node.size;
  }

  /** A 53-bit hash of the contents, independent of insertion order. */
  get hash(): number {
    const node = this.node;
    if (!node.hashed) {
      let a = 0;
      let b = 0;
      for (const [k, v] of node.map ?? reroot(node)) {
        const vh = this.hasher(v);
        a += laneA(k, vh);
        b += laneB(k, vh);
      }
      node.hashA = a >>> 0;
      node.hashB = b >>> 0;
      node.hashed = true;
    }
    return node.hashA * 2097152 + (node.hashB & 0x1fffff);
  }

  /** The value at `k`, or undefined. */
  get(k: number): V | undefined {
    const node = this.node;
    return (node.map ?? reroot(node)).get(k);
  }

  /** Whether `k` has a value. */
  has(k: number): boolean {
    const node = this.node;
    return (node.map ?? reroot(node)).has(k);
  }

  /** This map with `k` bound to `v`. Returns this map itself when nothing changes. */
  set(k: number, v: V): PMap<V> {
    const node = this.node;
    const map = node.map ?? reroot(node);
    const had = map.has(k);
    const old: Slot<V> = had ? (map.get(k) as V) : ABSENT;
    if (old === v) return this;
    let a = 0;
    let b = 0;
    if (node.hashed) {
      const vh = this.hasher(v);
      a = node.hashA + laneA(k, vh);
      b = node.hashB + laneB(k, vh);
      if (old !== ABSENT) {
        const oh = this.hasher(old);
        a -= laneA(k, oh);
        b -= laneB(k, oh);
      }
    }
    map.set(k, v);
    const fresh = new Node<V>(map, had ? node.size : node.size + 1, a >>> 0, b >>> 0, node.hashed);
    node.map = null;
    node.key = k;
    node.val = old;
    node.next = fresh;
    return new PMap(fresh, this.hasher);
  }

  /** This map without `k`. Returns this map itself when `k` is absent. */
  delete(k: number): PMap<V> {
    const node = this.node;
    const map = node.map ?? reroot(node);
    if (!map.has(k)) return this;
    const old = map.get(k) as V;
    let a = 0;
    let b = 0;
    if (node.hashed) {
      const oh = this.hasher(old);
      a = node.hashA - laneA(k, oh);
      b = node.hashB - laneB(k, oh);
    }
    map.delete(k);
    const fresh = new Node<V>(map, node.size - 1, a >>> 0, b >>> 0, node.hashed);
    node.map = null;
    node.key = k;
    node.val = old;
    node.next = fresh;
    return new PMap(fresh, this.hasher);
  }

  /**
   * The keys whose values may differ between `older` and this map, when this map was derived
   * from `older` by at most `limit` updates (and nothing since moved the root back to `older`):
   * the keys of the diffs on the path between them, in O(updates). Undefined otherwise; a caller
   * then compares everything. Keys may repeat.
   */
  changedSince(older: PMap<V>, limit = 1024): number[] | undefined {
    const keys: number[] = [];
    let n: Node<V> | null = older.node;
    while (n !== this.node) {
      if (n === null || n.map !== null || keys.length >= limit) return undefined;
      keys.push(n.key);
      n = n.next;
    }
    return keys;
  }

  /** The entries in ascending key order (a fresh array). */
  entries(): Array<[number, V]> {
    const node = this.node;
    const map = node.map ?? reroot(node);
    return [...map.entries()].sort((x, y) => x[0] - y[0]);
  }

  /**
   * Whether `f` holds for some entry (entries visited in no particular order). `f` must not read
   * other versions of this map: that would move the root during the iteration.
   */
  some(f: (k: number, v: V) => boolean): boolean {
    const node = this.node;
    const map = node.map ?? reroot(node);
    for (const [k, v] of map) if (f(k, v)) return true;
    return false;
  }
}
