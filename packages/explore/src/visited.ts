/**
 * The visited set: an open-addressing hash set of 64-bit fingerprints in one typed array (8
 * bytes a slot, linear probing, load at most 1/2). Over a SharedArrayBuffer several worker
 * threads insert at once: a slot is claimed with one 64-bit compare-and-swap, so each
 * fingerprint is new to exactly one inserter. Fingerprints have 63 bits (lane A's top bit is
 * clear); that bit of a slot is a mark, set with an atomic OR: the teardown check marks the
 * states from which the Host has been shown to tear everything down.
 *
 * @packageDocumentation
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

const MARK = -0x80000000;
const FP = 0x7fffffff;

/** A set of 63-bit fingerprints (`hi` below 2^31, neither half zero), each with a mark bit, with a fixed capacity. */
export class FingerprintSet {
  /** The slots: `[hi, lo]` pairs; `[0, 0]` is empty. */
  private readonly words: Int32Array;
  private readonly big: BigInt64Array;
  private readonly mask: number;
  private readonly shared: boolean;
  /** Fingerprints this instance inserted (other threads count their own). */
  inserted = 0;

  /** A set over `buffer` (from {@link FingerprintSet.allocate}); shared buffers use atomic inserts. */
  constructor(readonly buffer: ArrayBuffer | SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
    this.big = new BigInt64Array(buffer);
    this.mask = this.big.length - 1;
    this.shared = typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer;
  }

  /** A buffer with room for `capacity` fingerprints at load 1/2 (a power of two of slots). */
  static allocate(capacity: number, shared: boolean): ArrayBuffer | SharedArrayBuffer {
    let slots = 1024;
    while (slots < capacity * 2) slots *= 2;
    return shared ? new SharedArrayBuffer(slots * 8) : new ArrayBuffer(slots * 8);
  }

  /** Slots in the table. */
  get slots(): number {
    return this.mask + 1;
  }

  /** Adds the fingerprint `(hi, lo)`; true when it was not there. */
  add(hi: number, lo: number): boolean {
    hi &= FP;
    lo |= 0;
    const w = this.words;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (let probes = 0; probes <= this.mask; probes++) {
      // Little-endian: the low word of slot i is words[2i].
      const l = w[2 * i] as number;
      const h = (w[2 * i + 1] as number) & FP;
      if (l === lo && h === hi) return false;
      if (l === 0 || h === 0) {
        if (!this.shared) {
          w[2 * i] = lo;
          w[2 * i + 1] = hi;
          this.inserted++;
          return true;
        }
        // Empty, or being written by another thread: settle it with one 64-bit CAS.
        const want = (BigInt(hi) << 32n) | BigInt(lo >>> 0);
        const got = Atomics.compareExchange(this.big, i, 0n, want);
        if (got === 0n) {
          this.inserted++;
          return true;
        }
        if ((got & 0x7fffffffffffffffn) === want) return false;
      }
      i = (i + 1) & this.mask;
    }
    throw new Error('fingerprint set full');
  }

  /** The slot of `(hi, lo)`, or −1. */
  private find(hi: number, lo: number): number {
    hi &= FP;
    lo |= 0;
    const w = this.words;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (let probes = 0; probes <= this.mask; probes++) {
      const l = w[2 * i] as number;
      const h = (w[2 * i + 1] as number) & FP;
      if (l === lo && h === hi) return i;
      if (l === 0 && h === 0) return -1;
      i = (i + 1) & this.mask;
    }
    return -1;
  }

  /** Whether `(hi, lo)` is in the set. */
  has(hi: number, lo: number): boolean {
    return this.find(hi, lo) >= 0;
  }

  /** Sets the mark of `(hi, lo)`, which must be in the set; false if it is not. */
  mark(hi: number, lo: number): boolean {
    const i = this.find(hi, lo);
    if (i < 0) return false;
    if (this.shared) Atomics.or(this.words, 2 * i + 1, MARK);
    else this.words[2 * i + 1] = (this.words[2 * i + 1] as number) | MARK;
    return true;
  }

  /** Whether `(hi, lo)` is in the set and marked. */
  marked(hi: number, lo: number): boolean {
    const i = this.find(hi, lo);
    return i >= 0 && ((this.words[2 * i + 1] as number) & MARK) !== 0;
  }

  /** Every fingerprint in the set, as `[hi, lo]` pairs in slot order (for shard files). */
  *entries(): Generator<readonly [number, number]> {
    const w = this.words;
    for (let i = 0; i <= this.mask; i++) {
      const l = w[2 * i] as number;
      const h = (w[2 * i + 1] as number) & FP;
      if (l !== 0 || h !== 0) yield [h, l >>> 0];
    }
  }
}
