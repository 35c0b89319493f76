/**
 * 63-bit fingerprints of states modulo symmetry: two states that differ only by a renaming of
 * pool granules get the same fingerprint (up to hash collisions), and states that differ
 * otherwise get different ones.
 *
 * The canonical form is built structurally, not by trying permutations. A state is a forest:
 * each Realm owns its RD, its RTT tree (starting tables at `rtt_base`, children through TABLE
 * entries, DATA granules through ASSIGNED entries) and its RECs (in REC-index order, each with
 * its auxiliary granules in list order). Walking a Realm's tree in that order labels every pool
 * granule it meets 0, 1, 2, … (local labels), and hashes the Realm with labels in place of
 * addresses. The state's form is then: the sorted multiset of its Realm hashes, the sorted
 * multiset of the signatures of the pool granules no Realm owns (state, GPT entry, contents), and
 * everything outside the pool by identity. Equal forms mean there is a renaming of the pool that
 * maps one state onto the other: each Realm's local labelling gives it, on disjoint sets of
 * granules, and granules with equal signatures are interchangeable. A state where a pool granule
 * is reached from two Realms (never in a consistent state) is fingerprinted without symmetry,
 * which is always sound.
 *
 * Cost: one pass over each collection of the state (they hold about the pool and the scratch
 * granules), records hashed once per object (the model shares unchanged records between states,
 * so a transition rehashes only what it built), no allocation per granule. The top bit of lane A
 * is left clear: the visited set uses it as a mark ({@link FingerprintSet.mark}).
 *
 * @packageDocumentation
 */
import type { Realm, Rec, RmmState, Rtt } from '@realmspec/core';
import { bytesHash, Lanes, recordHash, valueHash } from './hash64.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

const REALM_SKIP: ReadonlySet<string> = new Set(['rttBase']);
const REC_SKIP: ReadonlySet<string> = new Set(['owner', 'aux']);
/** Entry states with an output address (ASSIGNED, TABLE, ASSIGNED_NS; DEN0137 C1.29). */
const HAS_ADDR = [false, true, true, false, true, false, false, false];
const TABLE = 2;
const META_SPAN = 1024;
const NONE = -1;

/** An RTT's entries hashed once: addresses in the pool left out, and the list of those references. */
interface RttInfo {
  readonly a: number;
  readonly b: number;
  /** Per pool reference: entry index, entry state, granule index (flattened triples). */
  readonly refs: readonly number[];
}

/** Sorts the first `n` 64-bit pairs stored flat in `xs` (insertion sort: n is a handful). */
function sortPairs(xs: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const a = xs[2 * i] as number;
    const b = xs[2 * i + 1] as number;
    let j = i - 1;
    while (j >= 0 && ((xs[2 * j] as number) > a || ((xs[2 * j] as number) === a && (xs[2 * j + 1] as number) > b))) {
      xs[2 * j + 2] = xs[2 * j] as number;
      xs[2 * j + 3] = xs[2 * j + 1] as number;
      j--;
    }
    xs[2 * j + 2] = a;
    xs[2 * j + 3] = b;
  }
}

/** A growable flat array of 64-bit pairs. */
class Pairs {
  xs = new Float64Array(64);
  n = 0;
  push(a: number, b: number): void {
    if (2 * this.n + 2 > this.xs.length) {
      const bigger = new Float64Array(this.xs.length * 2);
      bigger.set(this.xs);
      this.xs = bigger;
    }
    this.xs[2 * this.n] = a;
    this.xs[2 * this.n + 1] = b;
    this.n++;
  }
}

// -------------------------------------------------------------------------------------
// fingerprints
// -------------------------------------------------------------------------------------

/** Computes fingerprints for one pool (granule indexes `base`..`base + count − 1`). */
export class Fingerprinter {
  /** Lane A of the last fingerprint (31 bits, never 0). */
  hi = 0;
  /** Lane B of the last fingerprint (never 0). */
  lo = 0;
  /** How many fingerprints fell back to identity (a pool granule reached from two Realms). */
  fallbacks = 0;
  private readonly realmCache = new WeakMap<object, Float64Array>();
  private readonly recCache = new WeakMap<object, Float64Array>();
  private readonly valueCache = new WeakMap<object, Float64Array>();
  private readonly rttCache = new WeakMap<Rtt, RttInfo>();
  private readonly rttRawCache = new WeakMap<Rtt, RttInfo>();
  private readonly chunkCache = new WeakMap<readonly number[], RttInfo>();
  private readonly chunkRawCache = new WeakMap<readonly number[], RttInfo>();
  // Per pool granule (index − base), filled by one pass over the state's collections.
  private readonly gAttr: Int32Array;
  private readonly memA: Float64Array;
  private readonly memB: Float64Array;
  private readonly rtt: Array<Rtt | undefined>;
  private readonly rec: Array<Rec | undefined>;
  // Labelling.
  private readonly stamp: Int32Array;
  private readonly label: Int32Array;
  private readonly owner: Int32Array;
  private epoch = 0;
  private symmetric = true;
  private conflict = false;
  private realmNo = 0;
  private next = 0;
  private readonly h = new Lanes(0);
  private readonly realms = new Pairs();
  private readonly free = new Pairs();
  // RECs of the state: granule, owner, index (flattened), sorted by owner then index.
  private recList: number[] = [];
  private recObjs: Rec[] = [];
  private rd = 0;
  private fa = 0;
  private fb = 0;
  private readonly e = new Lanes(1);
  private s!: RmmState;

  /** A fingerprinter for the pool `base`..`base + count − 1`; with `symmetry` false, every granule keeps its identity. */
  constructor(
    private readonly base: number,
    private readonly count: number,
    private readonly symmetry: boolean,
  ) {
    this.stamp = new Int32Array(count);
    this.label = new Int32Array(count);
    this.owner = new Int32Array(count);
    this.gAttr = new Int32Array(count);
    this.memA = new Float64Array(count);
    this.memB = new Float64Array(count);
    this.rtt = new Array<Rtt | undefined>(count).fill(undefined);
    this.rec = new Array<Rec | undefined>(count).fill(undefined);
  }

  /** Sets {@link hi} and {@link lo} to the fingerprint of `s`. */
  fingerprint(s: RmmState): void {
    this.symmetric = this.symmetry;
    this.compute(s);
    if (this.conflict) {
      this.fallbacks++;
      this.symmetric = false;
      this.compute(s);
    }
  }

  private inPool(gi: number): boolean {
    return this.symmetric && gi >= this.base && gi < this.base + this.count;
  }

  /** Adds one entry outside the pool (by identity) to the order-independent fixed part. */
  private entry(tag: number, k: number, a: number, b: number): void {
    const e = this.e;
    e.a = 0x3c6ef372 ^ tag;
    e.b = 0xa54ff53a ^ tag;
    e.addNumber(k);
    e.addPair(a, b);
    this.fa = (this.fa + e.finalA()) | 0;
    this.fb = (this.fb + e.finalB()) | 0;
  }

  private compute(s: RmmState): void {
    this.s = s;
    this.conflict = false;
    this.epoch++;
    this.realmNo = 0;
    this.fa = 0;
    this.fb = 0;
    const base = this.base;
    const count = this.symmetric ? this.count : 0;
    this.gAttr.fill(NONE);
    this.memA.fill(0);
    this.memB.fill(0);
    this.rtt.fill(undefined);
    this.rec.fill(undefined);
    // One pass per collection: pool granules into the per-granule tables, the rest by identity.
    s.granules.some((gi, g) => {
      const k = gi - base;
      if (k >= 0 && k < count) this.gAttr[k] = g.state * 8 + g.gpt;
      else this.entry(1, gi, g.state, g.gpt);
      return false;
    });
    s.memory.some((gi, m) => {
      const p = bytesHash(m);
      const k = gi - base;
      if (k >= 0 && k < count) {
        this.memA[k] = p[0] as number;
        this.memB[k] = p[1] as number;
      } else this.entry(2, gi, p[0] as number, p[1] as number);
      return false;
    });
    s.rtts.some((gi, t) => {
      const k = gi - base;
      if (k >= 0 && k < count) this.rtt[k] = t;
      else {
        const i = this.rttInfo(t, false);
        this.entry(3, gi, i.a, i.b);
      }
      return false;
    });
    const recList = this.recList;
    const recObjs = this.recObjs;
    recList.length = 0;
    recObjs.length = 0;
    s.recs.some((gi, r) => {
      const k = gi - base;
      if (k >= 0 && k < count) this.rec[k] = r;
      else {
        const p = this.recRaw(r);
        this.entry(4, gi, p[0] as number, p[1] as number);
      }
      recList.push(gi, r.owner, r.index, recObjs.length);
      recObjs.push(r);
      return false;
    });
    s.vmids.some((vmid, rd) => {
      const realm = s.realms.get(rd);
      if (realm === undefined || realm.vmid !== vmid) this.entry(5, vmid, rd, 0);
      return false;
    });
    // Realms, each hashed with local labels, then sorted.
    const realms = this.realms;
    realms.n = 0;
    s.realms.some((rd, realm) => {
      this.realmHash(rd, realm);
      realms.push(this.h.finalA(), this.h.finalB());
      return false;
    });
    sortPairs(realms.xs, realms.n);
    // Pool granules no Realm owns, by signature, sorted.
    const free = this.free;
    free.n = 0;
    const h = this.h;
    for (let k = 0; k < count; k++) {
      if (this.stamp[k] === this.epoch) continue;
      h.a = 0x1b873593;
      h.b = 0x85ebca6b;
      h.add(this.gAttr[k] as number);
      h.addPair(this.memA[k] as number, this.memB[k] as number);
      const t = this.rtt[k];
      if (t !== undefined) {
        const i = this.rttInfo(t, false);
        h.addPair(i.a, i.b);
      }
      const r = this.rec[k];
      if (r !== undefined) {
        const p = this.recRaw(r);
        h.addPair(p[0] as number, p[1] as number);
      }
      free.push(h.finalA(), h.finalB());
    }
    sortPairs(free.xs, free.n);
    h.a = 0x6a09e667;
    h.b = 0xbb67ae85;
    h.addPair(this.fa, this.fb);
    h.add(realms.n);
    for (let i = 0; i < 2 * realms.n; i++) h.add(realms.xs[i] as number);
    h.add(free.n);
    for (let i = 0; i < 2 * free.n; i++) h.add(free.xs[i] as number);
    this.hi = h.finalA() & 0x7fffffff || 1;
    this.lo = h.finalB() || 1;
  }

  /** A REC record with its owner and aux granules as identities. */
  private recRaw(r: Rec): Float64Array {
    return valueHash(r, this.valueCache);
  }

  /**
   * Mixes in a reference to granule `gi` from the current Realm: its local label (labelling it
   * if new, with its attributes and contents, and for an RTT its subtree) or, outside the pool,
   * its identity.
   */
  private ref(gi: number, tree: boolean): void {
    const h = this.h;
    if (!this.inPool(gi)) {
      h.add(-2);
      h.addNumber(gi);
      if (tree) this.rttTree(gi);
      return;
    }
    const k = gi - this.base;
    if (this.stamp[k] === this.epoch) {
      if (this.owner[k] !== this.realmNo) this.conflict = true;
      h.add(this.label[k] as number);
      return;
    }
    this.stamp[k] = this.epoch;
    this.owner[k] = this.realmNo;
    this.label[k] = this.next++;
    h.add(this.label[k] as number);
    h.add(this.gAttr[k] as number);
    h.addPair(this.memA[k] as number, this.memB[k] as number);
    if (tree) this.rttTree(gi);
  }

  /** Leaves the hash of the Realm whose RD is `rd` in {@link h}. */
  private realmHash(rd: number, realm: Realm): void {
    this.realmNo++;
    this.next = 0;
    this.rd = rd;
    const h = this.h;
    h.a = 0x510e527f;
    h.b = 0x9b05688c;
    this.ref(rd, false);
    const p = recordHash(realm, REALM_SKIP, this.realmCache);
    h.addPair(p[0] as number, p[1] as number);
    h.add(this.s.vmids.get(realm.vmid) === rd ? 1 : 0);
    for (let k = 0; k < realm.rttNumStart; k++) this.ref(realm.rttBase + k, true);
    // This Realm's RECs in REC-index order (a handful: selection by scanning).
    const list = this.recList;
    let n = 0;
    for (let j = 0; j < list.length; j += 4) if (list[j + 1] === rd) n++;
    h.add(n);
    let last = -1;
    for (let m = 0; m < n; m++) {
      let best = -1;
      for (let j = 0; j < list.length; j += 4) {
        if (list[j + 1] !== rd) continue;
        const idx = list[j + 2] as number;
        if (idx > last && (best < 0 || idx < (list[best + 2] as number))) best = j;
      }
      if (best < 0) break;
      last = list[best + 2] as number;
      const r = this.recObjs[list[best + 3] as number] as Rec;
      this.ref(list[best] as number, false);
      const q = recordHash(r, REC_SKIP, this.recCache);
      h.addPair(q[0] as number, q[1] as number);
      h.add(r.aux.length);
      for (const a of r.aux) this.ref(a, false);
    }
  }

  /** The RTT at `gi` and, through its references, its subtree (the reference itself is already mixed in). */
  private rttTree(gi: number): void {
    const h = this.h;
    const k = gi - this.base;
    const t = this.inPool(gi) ? this.rtt[k] : this.s.rtts.get(gi);
    if (t === undefined) {
      h.add(-3);
      return;
    }
    // Which Realm owns it: whether it is this walk's.
    h.add(t.realm === this.rd ? 1 : 0);
    const info = this.rttInfo(t, true);
    h.addPair(info.a, info.b);
    const refs = info.refs;
    for (let j = 0; j < refs.length; j += 3) {
      h.add(refs[j] as number);
      this.ref(refs[j + 2] as number, refs[j + 1] === TABLE);
    }
  }

  /** The entries of `t` hashed, with pool addresses left out and listed when `relabel` (else every address kept). */
  private rttInfo(t: Rtt, relabel: boolean): RttInfo {
    const symmetric = relabel && this.symmetric;
    const cache = symmetric ? this.rttCache : this.rttRawCache;
    let info = cache.get(t);
    if (info !== undefined) return info;
    // Chunk by chunk: a new table shares all but one of its chunks with the version it was
    // made from (and a uniform table is one chunk repeated), so only new chunks are hashed.
    const h = new Lanes(9);
    h.add(t.level);
    h.addNumber(t.baseIpa);
    const refs: number[] = [];
    let i = 0;
    for (const chunk of t.chunks) {
      const c = this.chunkInfo(chunk, symmetric);
      h.addPair(c.a, c.b);
      for (let j = 0; j < c.refs.length; j += 3) refs.push(i + (c.refs[j] as number), c.refs[j + 1] as number, c.refs[j + 2] as number);
      i += chunk.length;
    }
    h.add(i);
    info = { a: h.finalA(), b: h.finalB(), refs };
    cache.set(t, info);
    return info;
  }

  /** One chunk of RTT entries hashed (as {@link rttInfo}, entry positions within the chunk), remembered per chunk array. */
  private chunkInfo(chunk: readonly number[], symmetric: boolean): RttInfo {
    const cache = symmetric ? this.chunkCache : this.chunkRawCache;
    let info = cache.get(chunk);
    if (info !== undefined) return info;
    const h = new Lanes(10);
    const refs: number[] = [];
    for (let j = 0; j < chunk.length; j++) {
      const v = chunk[j] as number;
      const meta = v % META_SPAN;
      const gi = Math.floor(v / META_SPAN);
      h.add(meta);
      if (symmetric && HAS_ADDR[meta & 7] === true && this.inPool(gi)) refs.push(j, meta & 7, gi);
      else h.addNumber(gi);
    }
    h.add(chunk.length);
    info = { a: h.finalA(), b: h.finalB(), refs };
    cache.set(chunk, info);
    return info;
  }
}
