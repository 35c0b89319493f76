/**
 * 64-bit fingerprints of states modulo symmetry: two states that differ only by a renaming of
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
 * is reached from two places (never in a consistent state) is fingerprinted without symmetry,
 * which is always sound.
 *
 * Records are hashed once per object (the model shares unchanged records between states), so a
 * fingerprint costs about the number of Realms, RECs, RTT tables and pool granules.
 *
 * @packageDocumentation
 */
import type { Granule, Realm, Rec, RmmState, Rtt } from '@realmspec/core';
import { Lanes, recordHash, valueHash } from './hash64.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

const REALM_SKIP: ReadonlySet<string> = new Set(['rttBase']);
const REC_SKIP: ReadonlySet<string> = new Set(['owner', 'aux']);
/** Entry states with an output address (ASSIGNED, TABLE, ASSIGNED_NS; DEN0137 C1.29). */
const HAS_ADDR = [false, true, true, false, true, false, false, false];
const TABLE = 2;
const META_SPAN = 1024;

/** An RTT's entries hashed once: addresses in the pool left out, and the list of those references. */
interface RttInfo {
  readonly a: number;
  readonly b: number;
  /** Per pool reference: entry index, entry state, granule index (flattened triples). */
  readonly refs: readonly number[];
}

/** Orders 64-bit pairs stored flat in an array. */
function sortPairs(xs: number[]): number[] {
  const n = xs.length / 2;
  if (n <= 1) return xs;
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((i, j) => (xs[2 * i] as number) - (xs[2 * j] as number) || (xs[2 * i + 1] as number) - (xs[2 * j + 1] as number));
  return idx.flatMap((i) => [xs[2 * i] as number, xs[2 * i + 1] as number]);
}

// -------------------------------------------------------------------------------------
// fingerprints
// -------------------------------------------------------------------------------------

/** Computes fingerprints for one pool (granule indexes `base`..`base + count − 1`). */
export class Fingerprinter {
  /** Lane A of the last fingerprint. */
  hi = 0;
  /** Lane B of the last fingerprint. */
  lo = 0;
  /** How many fingerprints fell back to identity (a pool granule reached twice). */
  fallbacks = 0;
  private readonly realmCache = new WeakMap<object, Float64Array>();
  private readonly recCache = new WeakMap<object, Float64Array>();
  private readonly valueCache = new WeakMap<object, Float64Array>();
  private readonly rttCache = new WeakMap<Rtt, RttInfo>();
  private readonly rttRawCache = new WeakMap<Rtt, RttInfo>();
  private readonly stamp: Int32Array;
  private readonly label: Int32Array;
  private readonly owner: Int32Array;
  private epoch = 0;
  private symmetric = true;
  private conflict = false;
  private realmNo = 0;
  private next = 0;
  private s!: RmmState;
  private recsByOwner = new Map<number, number[]>();

  /** A fingerprinter for the pool `base`..`base + count − 1`; with `symmetry` false, every granule keeps its identity. */
  constructor(
    private readonly base: number,
    private readonly count: number,
    private readonly symmetry: boolean,
  ) {
    this.stamp = new Int32Array(count);
    this.label = new Int32Array(count);
    this.owner = new Int32Array(count);
  }

  private inPool(gi: number): boolean {
    return this.symmetric && gi >= this.base && gi < this.base + this.count;
  }

  /** Sets {@link hi} and {@link lo} to the fingerprint of `s` (never 0 in either lane). */
  fingerprint(s: RmmState): void {
    this.symmetric = this.symmetry;
    this.compute(s);
    if (this.conflict) {
      this.fallbacks++;
      this.symmetric = false;
      this.compute(s);
    }
  }

  private compute(s: RmmState): void {
    this.s = s;
    this.conflict = false;
    this.epoch++;
    this.realmNo = 0;
    // Everything outside the pool, by identity: order-independent sums of per-entry hashes.
    let fa = 0;
    let fb = 0;
    const e = new Lanes(1);
    const entry = (tag: number, k: number, p: ArrayLike<number>): void => {
      e.a = 0x3c6ef372 ^ tag;
      e.b = 0xa54ff53a ^ tag;
      e.addNumber(k);
      e.addPair(p[0] as number, p[1] as number);
      fa = (fa + e.finalA()) | 0;
      fb = (fb + e.finalB()) | 0;
    };
    const one = new Float64Array(2);
    s.granules.some((gi, g) => {
      if (!this.inPool(gi)) {
        one[0] = g.state;
        one[1] = g.gpt;
        entry(1, gi, one);
      }
      return false;
    });
    s.memory.some((gi, m) => {
      if (!this.inPool(gi)) entry(2, gi, valueHash(m, this.valueCache));
      return false;
    });
    s.rtts.some((gi, t) => {
      if (!this.inPool(gi)) {
        const i = this.rttInfo(t, false);
        one[0] = i.a;
        one[1] = i.b;
        entry(3, gi, one);
      }
      return false;
    });
    this.recsByOwner = new Map();
    s.recs.some((gi, r) => {
      if (!this.inPool(gi)) entry(4, gi, this.recRaw(r));
      const list = this.recsByOwner.get(r.owner);
      if (list === undefined) this.recsByOwner.set(r.owner, [gi]);
      else list.push(gi);
      return false;
    });
    s.vmids.some((vmid, rd) => {
      const realm = s.realms.get(rd);
      if (realm === undefined || realm.vmid !== vmid) {
        one[0] = rd;
        one[1] = 0;
        entry(5, vmid, one);
      }
      return false;
    });
    // Realms, each hashed with local labels, then sorted.
    const realms: number[] = [];
    s.realms.some((rd, realm) => {
      const h = this.realmHash(rd, realm);
      realms.push(h.finalA(), h.finalB());
      return false;
    });
    // Pool granules no Realm owns, by signature, sorted.
    const free: number[] = [];
    if (this.symmetric) {
      for (let k = 0; k < this.count; k++) {
        if (this.stamp[k] === this.epoch) continue;
        const h = new Lanes(6);
        this.addGranule(h, this.base + k);
        const t = s.rtts.get(this.base + k);
        if (t !== undefined) {
          const i = this.rttInfo(t, false);
          h.addPair(i.a, i.b);
        }
        const r = s.recs.get(this.base + k);
        if (r !== undefined) {
          const p = this.recRaw(r);
          h.addPair(p[0] as number, p[1] as number);
        }
        free.push(h.finalA(), h.finalB());
      }
    }
    const out = new Lanes(7);
    out.addPair(fa, fb);
    out.add(realms.length);
    for (const x of sortPairs(realms)) out.add(x);
    for (const x of sortPairs(free)) out.add(x);
    this.hi = out.finalA() || 1;
    this.lo = out.finalB() || 1;
  }

  /** A REC record with its owner and aux granules as identities. */
  private recRaw(r: Rec): Float64Array {
    return valueHash(r, this.valueCache);
  }

  /** Mixes in granule `gi`'s attributes and contents (for pool granules, which the fixed part leaves out). */
  private addGranule(h: Lanes, gi: number): void {
    if (!this.inPool(gi)) return;
    const g: Granule | undefined = this.s.granules.get(gi);
    h.add(g === undefined ? -1 : g.state * 8 + g.gpt);
    const m = this.s.memory.get(gi);
    if (m === undefined) h.add(-1);
    else {
      const p = valueHash(m, this.valueCache);
      h.addPair(p[0] as number, p[1] as number);
    }
  }

  /**
   * Mixes in a reference to granule `gi` from the current Realm: its local label (labelling it
   * if new; then `fresh` is called to describe it) or, outside the pool, its identity.
   */
  private ref(h: Lanes, gi: number, fresh: (gi: number) => void): void {
    if (!this.inPool(gi)) {
      h.add(-2);
      h.addNumber(gi);
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
    this.addGranule(h, gi);
    fresh(gi);
  }

  private realmHash(rd: number, realm: Realm): Lanes {
    this.realmNo++;
    this.next = 0;
    const h = new Lanes(8);
    const none = (): void => {};
    this.ref(h, rd, none);
    const p = recordHash(realm, REALM_SKIP, this.realmCache);
    h.addPair(p[0] as number, p[1] as number);
    h.add(this.s.vmids.get(realm.vmid) === rd ? 1 : 0);
    const tree = (gi: number): void => this.rttTree(h, rd, gi);
    for (let k = 0; k < realm.rttNumStart; k++) this.ref(h, realm.rttBase + k, tree);
    const recs = (this.recsByOwner.get(rd) ?? []).map((gi) => [gi, (this.s.recs.get(gi) as Rec).index] as const).sort((x, y) => x[1] - y[1]);
    h.add(recs.length);
    for (const [gi] of recs) {
      const r = this.s.recs.get(gi) as Rec;
      this.ref(h, gi, none);
      const q = recordHash(r, REC_SKIP, this.recCache);
      h.addPair(q[0] as number, q[1] as number);
      h.add(r.aux.length);
      for (const a of r.aux) this.ref(h, a, none);
    }
    return h;
  }

  /** The RTT at `gi` and, through its pool references, its subtree (the reference itself is already mixed in). */
  private rttTree(h: Lanes, rd: number, gi: number): void {
    const t = this.s.rtts.get(gi);
    if (t === undefined) {
      h.add(-3);
      return;
    }
    h.add(t.realm === rd ? 1 : 0);
    const info = this.rttInfo(t, true);
    h.addPair(info.a, info.b);
    const refs = info.refs;
    const tree = (g: number): void => this.rttTree(h, rd, g);
    const none = (): void => {};
    for (let j = 0; j < refs.length; j += 3) {
      h.add(refs[j] as number);
      this.ref(h, refs[j + 2] as number, refs[j + 1] === TABLE ? tree : none);
    }
  }

  /** The entries of `t` hashed, with pool addresses left out and listed when `relabel` (else every address kept). */
  private rttInfo(t: Rtt, relabel: boolean): RttInfo {
    const cache = relabel && this.symmetric ? this.rttCache : this.rttRawCache;
    let info = cache.get(t);
    if (info !== undefined) return info;
    const h = new Lanes(9);
    h.add(t.level);
    h.addNumber(t.baseIpa);
    const refs: number[] = [];
    let i = 0;
    for (const chunk of (t as unknown as { readonly chunks: ReadonlyArray<readonly number[]> }).chunks) {
      for (const v of chunk) {
        const meta = v % META_SPAN;
        const gi = Math.floor(v / META_SPAN);
        h.add(meta);
        if (HAS_ADDR[meta & 7] === true && cache === this.rttCache && this.inPool(gi)) refs.push(i, meta & 7, gi);
        else h.addNumber(gi);
        i++;
      }
    }
    h.add(i);
    info = { a: h.finalA(), b: h.finalB(), refs };
    cache.set(t, info);
    return info;
  }
}
