import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { Gpt, makePlatform } from '@realmspec/core';
import * as _ from '../src/index.js';

const platform = makePlatform({
  gpt: [
    { base: 0x8100_0000n, size: 0x2000n, gpt: Gpt.SECURE },
    { base: 0x8100_2000n, size: 0x1000n, gpt: Gpt.ROOT },
    { base: 0x8100_3000n, size: 0x1000n, gpt: Gpt.AAP },
  ],
});
const gi = (pa: bigint): number => Number(pa >> 12n);

describe('GPT set-up', () => {
  it('covers 2^48 bytes on the default platform (S2SZ 48) and rounds other widths up to a GPCCR_EL3.PPS value', () => {
    expect(_.ppsFor(makePlatform())).toBe(48);
    expect(_.ppsFor(makePlatform({ features0: (0x283fc104130n & ~0xffn) | 39n }))).toBe(40);
    expect(_.ppsFor(makePlatform({ features0: (0x283fc104130n & ~0xffn) | 52n }))).toBe(52);
  });

  it('gives carve-outs their GPI and every other granule GPI_NS', () => {
    const gpt = _.makeGpt(platform);
    expect(_.gpiAt(gpt, gi(0x8100_0000n))).toBe(0b1000);
    expect(_.gpiAt(gpt, gi(0x8100_1000n))).toBe(0b1000);
    expect(_.gpiAt(gpt, gi(0x8100_2000n))).toBe(0b1010);
    expect(_.gpiAt(gpt, gi(0x8100_3000n))).toBe(0b1111);
    expect(_.gpiAt(gpt, gi(0x8100_4000n))).toBe(0b1001);
    expect(_.gpiAt(gpt, gi(0x80ff_f000n))).toBe(0b1001);
    expect(_.gpiAt(gpt, 0)).toBe(0b1001);
    expect(_.gptChanges(gpt)).toEqual([]);
  });

  it('has no entry at or beyond 2^PPS', () => {
    const gpt = _.makeGpt(makePlatform());
    expect(_.gpiAt(gpt, gi((1n << 48n) - 0x1000n))).toBe(0b1001);
    expect(_.gpiAt(gpt, gi(1n << 48n))).toBeUndefined();
    expect(_.gptLookup(gpt, 1n << 48n)).toEqual({ kind: 'beyond_pps' });
    expect(_.gptLookup(gpt, 0x8000_0fffn)).toEqual({ kind: 'gpi', gi: 0x80000, gpi: 0b1001 });
  });
});

describe('GPT updates', () => {
  it('record a changed granule and drop it again when it returns to its boot GPI', () => {
    const gpt0 = _.makeGpt(platform);
    const gpt1 = _.withGpi(gpt0, 0x80000, _.Gpi.REALM);
    expect(_.gptChanges(gpt1)).toEqual([[0x80000, 0b1011]]);
    expect(_.gpiAt(gpt0, 0x80000)).toBe(0b1001);
    const gpt2 = _.withGpi(gpt1, 0x80000, _.Gpi.NS);
    expect(_.gptChanges(gpt2)).toEqual([]);
  });

  it('agree with a map of the changes for any sequence of updates', () => {
    const granules = [0x80000, 0x80001, gi(0x8100_0000n), gi(0x8100_3000n)];
    const gpis = [_.Gpi.NS, _.Gpi.REALM, _.Gpi.SECURE, _.Gpi.ANY, _.Gpi.NO_ACCESS];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...granules), fc.constantFrom(...gpis)), { maxLength: 30 }), (ops) => {
        let gpt = _.makeGpt(platform);
        const expected = new Map<number, number>();
        for (const [g, v] of ops) {
          gpt = _.withGpi(gpt, g, v);
          expected.set(g, v);
        }
        for (const g of granules) expect(_.gpiAt(gpt, g)).toBe(expected.get(g) ?? _.layoutGpi(gpt, g));
      }),
      { seed: 0x6a7, numRuns: 200 },
    );
  });
});
