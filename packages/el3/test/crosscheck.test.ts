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

describe('GPT cross-check of one step (only the granules the step changed)', () => {
  it('finds what the full sweep finds when the views agreed before the step', () => {
    const s0 = initialState(platform);
    const gpt0 = _.makeGpt(platform);
    const s1 = delegated(s0, 0x8000_0000n);
    expect(_.gptChangedGranules(gpt0, s0, gpt0, s1)).toEqual(new Set([0x80000]));
    expect(_.gptDisagreementsSince(gpt0, s0, gpt0, s1)).toEqual(_.gptDisagreements(gpt0, s1));
    const gpt1 = _.withGpi(gpt0, 0x80000, _.Gpi.REALM);
    expect(_.gptDisagreementsSince(gpt0, s0, gpt1, s1)).toEqual([]);
    const gpt2 = _.withGpi(gpt1, 0x80007, _.Gpi.REALM);
    expect(_.gptChangedGranules(gpt1, s1, gpt2, s1)).toEqual(new Set([0x80007]));
    expect(_.gptDisagreementsSince(gpt1, s1, gpt2, s1).map((d) => d.gi)).toEqual([0x80007]);
  });

  it('does not repeat a disagreement the step did not touch; the full sweep still has it', () => {
    const s0 = delegated(initialState(platform), 0x8000_0000n);
    const gpt0 = _.makeGpt(platform);
    const s1 = delegated(s0, 0x8000_1000n);
    const gpt1 = _.withGpi(gpt0, 0x80001, _.Gpi.REALM);
    expect(_.gptDisagreementsSince(gpt0, s0, gpt1, s1)).toEqual([]);
    expect(_.gptDisagreements(gpt1, s1).map((d) => d.gi)).toEqual([0x80000]);
  });

  it('falls back to the full sweep when the states are not one derived from the other', () => {
    const a = delegated(initialState(platform), 0x8000_0000n);
    const b = delegated(initialState(platform), 0x8000_2000n);
    const gpt = _.makeGpt(platform);
    expect(_.gptChangedGranules(gpt, a, gpt, b)).toBeUndefined();
    expect(_.gptDisagreementsSince(gpt, a, gpt, b)).toEqual(_.gptDisagreements(gpt, b));
    expect(_.gptChangedGranules(gpt, initialState(platform), gpt, initialState(makePlatform()))).toBeUndefined();
  });
});
