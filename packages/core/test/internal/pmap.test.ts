import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PMap } from '../../src/index.js';
import { runs } from '../support/runs.js';

/** A reference model: a plain Map copied on every update. */
type Op = { k: number; v: number | null };

const hasher = (v: number): number => Math.imul(v, 0x9e3779b1) >>> 0;

describe('PMap (rerooting persistent map)', () => {
  it('every version keeps its own contents, whatever order versions are read in', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ k: fc.nat(20), v: fc.option(fc.nat(5), { nil: null }) }), { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 60 }), (ops: Op[], reads) => {
        const versions: PMap<number>[] = [PMap.empty(hasher)];
        const models: Map<number, number>[] = [new Map()];
        for (const op of ops) {
          const prev = versions[versions.length - 1]!;
          const m = new Map(models[models.length - 1]!);
          if (op.v === null) m.delete(op.k);
          else m.set(op.k, op.v);
          versions.push(op.v === null ? prev.delete(op.k) : prev.set(op.k, op.v));
          models.push(m);
        }
        // Read versions in a random order: each read may move the root.
        for (const r of reads) {
          const i = r % versions.length;
          const v = versions[i]!;
          expect(v.entries()).toEqual([...models[i]!.entries()].sort((a, b) => a[0] - b[0]));
          expect(v.size).toBe(models[i]!.size);
        }
      }),
      { seed: 7, numRuns: runs(300) },
    );
  });

  it('hashes equal contents equally, however they were built, lazily or incrementally', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(30), fc.nat(9)), { maxLength: 40 }), fc.boolean(), (pairs, early) => {
        let a = PMap.empty<number>(hasher);
        if (early) void a.hash; // hash maintained incrementally from here on
        for (const [k, v] of pairs) a = a.set(k, v);
        let b = PMap.empty<number>(hasher);
        const last = new Map(pairs);
        for (const [k, v] of [...last].reverse()) b = b.set(k, v);
        expect(a.hash).toBe(b.hash);
        // Deleting and restoring an entry returns to the same hash.
        const [k0] = [...last.keys()];
        if (k0 !== undefined) expect(a.delete(k0).set(k0, last.get(k0)!).hash).toBe(a.hash);
      }),
      { seed: 8, numRuns: runs(300) },
    );
  });

  it('names the keys changed since an older version it was derived from', () => {
    const a = PMap.empty<number>(hasher).set(1, 1).set(2, 2);
    const b = a.set(3, 3).delete(1).set(2, 20);
    expect(new Set(b.changedSince(a))).toEqual(new Set([1, 2, 3]));
    expect(a.changedSince(a)).toEqual([]);
    // Not derived from b (b came after a): unknown, the caller compares everything.
    expect(a.changedSince(b)).toBeUndefined();
    expect(b.set(9, 9).set(8, 8).changedSince(a, 2)).toBeUndefined();
  });

  it('returns the same map when an update changes nothing', () => {
    const m = PMap.empty<number>(hasher).set(1, 2);
    expect(m.set(1, 2)).toBe(m);
    expect(m.delete(5)).toBe(m);
  });
});
