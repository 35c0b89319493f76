import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { Gpt, initialState, makePlatform, rmiGranuleDelegate, type RmmState } from '@realmspec/core';
import * as _ from '../src/index.js';

const platform = makePlatform({ gpt: [{ base: 0x8100_0000n, size: 0x2000n, gpt: Gpt.SECURE }] });

function delegated(s: RmmState, pa: bigint): RmmState {
  const r = rmiGranuleDelegate(s, { addr: pa });
  if (E.isLeft(r)) throw new Error(r.left.rule);
  return r.right[0];
}

describe('GPT cross-check (EL3 GPT against the RMM view, DEN0137 A2.2.2)', () => {
  it('agrees at boot, carve-outs included', () => {
    expect(_.gptDisagreements(_.makeGpt(platform), initialState(platform))).toEqual([]);
  });

  it('names a granule the RMM delegated without EL3 making the transition', () => {
    const s = delegated(initialState(platform), 0x8000_0000n);
    const gpt = _.makeGpt(platform);
    const d = _.gptDisagreements(gpt, s);
    expect(d).toEqual([{ gi: 0x80000, el3: 0b1001, rmm: Gpt.REALM }]);
    expect(_.describeDisagreement(d[0] as _.GptDisagreement)).toBe('granule 0x80000000: EL3 GPI_NS, RMM GPT_REALM');
    expect(_.gptDisagreements(_.withGpi(gpt, 0x80000, _.Gpi.REALM), s)).toEqual([]);
  });

  it('names a granule EL3 moved on its own, and boot layouts that differ', () => {
    const s = initialState(platform);
    expect(_.gptDisagreements(_.withGpi(_.makeGpt(platform), 0x80005, _.Gpi.REALM), s).map((d) => d.gi)).toEqual([0x80005]);
    const other = _.makeGpt(makePlatform());
    expect(_.gptDisagreements(other, s).map((d) => d.gi)).toEqual([0x81000, 0x81001]);
  });

  it('reports DRAM beyond the PPS', () => {
    const s = initialState(makePlatform({ dram: [{ base: 1n << 48n, size: 0x1000n }] }));
    expect(_.gptDisagreements(_.makeGpt(s.platform), s)).toEqual([{ gi: 2 ** 36, el3: undefined, rmm: Gpt.NS }]);
  });
});
