import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import * as fc from 'fast-check';
import { Gpt, granuleBytes, initialState, makePlatform, stateKey } from '@realmspec/core';
import { Gpi, makeGpt, withGpi } from '@realmspec/el3';
import * as _ from '../src/index.js';
import { gptOf } from './support.js';
import { D, WORLD } from '../../core/test/realm/support.js';

const P = _.Pas;
const platform = makePlatform({
  gpt: [
    { base: 0x8100_0000n, size: 0x1000n, gpt: Gpt.SECURE },
    { base: 0x8100_1000n, size: 0x1000n, gpt: Gpt.AAP },
  ],
});
const s0 = initialState(platform);
const gpt0 = makeGpt(platform);
const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(JSON.stringify(e.left, (_k, v) => (typeof v === 'bigint' ? v.toString(16) : v)));
  return e.right;
};

describe('physical reads and writes', () => {
  it('a Non-secure write lands in the RMM model state and reads back, across a granule boundary', () => {
    const bytes = Uint8Array.from({ length: 32 }, (_v, i) => i + 1);
    const s = right(_.physWrite(s0, gpt0, P.NON_SECURE, 0x8000_0ff0n, bytes));
    expect(right(_.physRead(s, gpt0, P.NON_SECURE, 0x8000_0ff0n, 32))).toEqual(bytes);
    expect(granuleBytes(s, 0x80001).subarray(0, 16)).toEqual(bytes.subarray(16));
  });

  it('a write that leaves a granule all zero drops its bytes; a read may span several granules', () => {
    const s1 = right(_.physWrite(s0, gpt0, P.NON_SECURE, 0x8000_0ffcn, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)));
    expect(s1.memory.has(0x80000) && s1.memory.has(0x80001)).toBe(true);
    const s2 = right(_.physWrite(s1, gpt0, P.NON_SECURE, 0x8000_0ffcn, new Uint8Array(8)));
    expect(s2.memory.has(0x80000) || s2.memory.has(0x80001)).toBe(false);
    expect(stateKey(s2)).toBe(stateKey(s0));
    const big = Uint8Array.from({ length: 2 * 4096 + 16 }, (_v, i) => (i % 251) + 1);
    const s3 = right(_.physWrite(s0, gpt0, P.NON_SECURE, 0x8000_0ff8n, big));
    expect(right(_.physRead(s3, gpt0, P.NON_SECURE, 0x8000_0ff8n, big.length))).toEqual(big);
    expect(right(_.physRead(s3, gpt0, P.NON_SECURE, 0x8000_0000n, 0))).toEqual(new Uint8Array(0));
  });

  it('a refused write writes nothing, even to the granules the check allowed', () => {
    const gpt = withGpi(gpt0, 0x80001, Gpi.REALM);
    const key = stateKey(s0);
    const r = _.physWrite(s0, gpt, P.NON_SECURE, 0x8000_0ff0n, new Uint8Array(32).fill(7));
    expect(E.isLeft(r) && r.left.kind === 'gpf' && r.left.pa).toBe(0x8000_1000n);
    expect(stateKey(s0)).toBe(key);
  });

  it('carve-outs: Secure memory for the Secure PAS only, GPI_ANY for every PAS', () => {
    const s = right(_.physWrite(s0, gpt0, P.SECURE, 0x8100_0000n, Uint8Array.of(1, 2)));
    expect(right(_.physRead(s, gpt0, P.SECURE, 0x8100_0000n, 2))).toEqual(Uint8Array.of(1, 2));
    expect(E.isLeft(_.physRead(s, gpt0, P.NON_SECURE, 0x8100_0000n, 2))).toBe(true);
    for (const pas of [P.SECURE, P.NON_SECURE, P.ROOT]) expect(E.isRight(_.physWrite(s0, gpt0, pas, 0x8100_1000n, Uint8Array.of(9)))).toBe(true);
  });

  it('Realm-PAS accesses reach DATA granules; the RMM records (RD, REC, RTT) have no bytes here', () => {
    const gpt = gptOf(WORLD);
    const page = right(_.physRead(WORLD, gpt, P.REALM, D.d0, 4096));
    expect(page).toEqual(granuleBytes(WORLD, Number(D.d0 >> 12n)));
    expect(page[1]).toBe(8); // pattern(1): (1 * 7 + 1) % 251
    expect(E.isLeft(_.physRead(WORLD, gpt, P.NON_SECURE, D.d0, 8))).toBe(true);
    const rd = _.physRead(WORLD, gpt, P.REALM, 0x8000_0000n, 8);
    expect(E.isLeft(rd) && rd.left).toEqual({ kind: 'rmm-private', pa: 0x8000_0000n, state: 'RD' });
  });

  it('what the Non-secure PAS writes, it reads back (any offset and length in two granules)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8191 }), fc.uint8Array({ minLength: 1, maxLength: 300 }), (off, bytes) => {
        const pa = 0x8000_0000n + BigInt(off);
        const s = right(_.physWrite(s0, gpt0, P.NON_SECURE, pa, bytes));
        expect(right(_.physRead(s, gpt0, P.NON_SECURE, pa, bytes.length))).toEqual(bytes);
      }),
      { seed: 0x9a5, numRuns: 150 },
    );
  });
});

describe('scrubbing', () => {
  it('finds written bytes, wipes them, and reports whether it had to', () => {
    const s = right(_.physWrite(s0, gpt0, P.NON_SECURE, 0x8000_0010n, Uint8Array.of(0xaa)));
    expect(_.isScrubbed(s, 0x80000)).toBe(false);
    const r = _.scrubGranule(s, 0x80000);
    expect(r.changed).toBe(true);
    expect(_.isScrubbed(r.state, 0x80000)).toBe(true);
    expect(_.scrubGranule(r.state, 0x80000)).toEqual({ state: r.state, changed: false });
  });
});
