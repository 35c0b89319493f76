/**
 * The post-conditions of RMI_VERSION and RMI_FEATURES (post/features.ts; DEN0137 B4.3.23, B2,
 * B4.3.4.3) and RMI_VERSION's open output `higher`. Expected values by hand from B4.4.9
 * (RmiInterfaceVersion: minor 15:0, major 30:16, 63:31 MBZ) and the B2 scenario table.
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { DEFAULT_FEATURES0, initialState, makePlatform, rmiFeatures, rmiVersion, smc, type Command, type RmmState, type Transition } from '../../src/index.js';
import { judge } from '../../src/relation/judge.js';
import { rmiCallOutcomes } from '../../src/relation/calls.js';
import { fidOf } from '../support/fixtures.js';

/** The transition of a command that must succeed. */
function run<I, C, O>(cmd: Command<I, C, O>, pre: RmmState, input: I): Transition<I, O> {
  const r = cmd(pre, input);
  if (E.isLeft(r)) throw new Error(`${cmd.entry.name} failed: ${r.left.rule}`);
  return { pre, input, post: r.right[0], out: r.right[1] };
}

/** Success row `label` of `cmd` as `{ when, holds }` (`when` always true for an unconditional row). */
function row<I, C, O>(cmd: Command<I, C, O>, label: string): { when: (t: Transition<I, O>) => boolean; holds: (t: Transition<I, O>) => boolean } {
  const p = cmd.post?.success[label];
  if (p === undefined) throw new Error(`${cmd.entry.name} has no post-condition ${label}`);
  return typeof p === 'function' ? { when: () => true, holds: p } : p;
}

const V = (major: number, minor: number): bigint => (BigInt(major) << 16n) | BigInt(minor);

describe('RMI_VERSION post-conditions (B4.3.23)', () => {
  const t = run(rmiVersion, initialState(), { req: V(1, 0) });

  it('lower is the requested revision and higher 1.0 on the model', () => {
    expect(t.out).toEqual({ lower: V(1, 0), higher: V(1, 0) });
    expect([row(rmiVersion, 'lower').holds(t), row(rmiVersion, 'higher').holds(t)]).toEqual([true, true]);
  });

  it('lower fails for any other value: it is not open', () => {
    expect(row(rmiVersion, 'lower').holds({ ...t, out: { ...t.out, lower: V(1, 1) } })).toBe(false);
    expect(row(rmiVersion, 'lower').holds({ ...t, out: { ...t.out, lower: V(0, 9) } })).toBe(false);
    expect(rmiVersion.post!.choices!.lower).toBeUndefined();
  });

  it('higher fails on the model for anything but 1.0 (D-VERSION: 1.0 only)', () => {
    expect(row(rmiVersion, 'higher').holds({ ...t, out: { ...t.out, higher: V(1, 1) } })).toBe(false);
  });

  it('the choice for higher accepts 1.0, 1.1 and 2.0 (B2 scenarios 1–3) and rejects 0.9 and MBZ bits', () => {
    const permits = (v: bigint): boolean => rmiVersion.post!.choices!.higher!(t, v);
    expect([permits(V(1, 0)), permits(V(1, 1)), permits(V(2, 0)), permits(V(0x7fff, 0xffff))]).toEqual([true, true, true, true]);
    expect([permits(V(0, 9)), permits(0n), permits(1n << 31n), permits((1n << 63n) | V(1, 0))]).toEqual([false, false, false, false]);
  });

  it('a judged RMM that also implements 1.1 answers higher = 1.1: permitted, not the model', () => {
    const regs = [fidOf('RMI_VERSION'), V(1, 0)];
    const pre = initialState();
    const m = smc(pre, regs);
    const o = rmiCallOutcomes(pre, regs, { regs: m.regs, failure: m.failure, state: m.state });
    expect(judge(o, { x0: 0n, out: [V(1, 0), V(1, 1)] }).kind).toBe('permitted');
    expect(judge(o, { x0: 0n, out: [V(1, 0), V(1, 0)] }).kind).toBe('agrees');
    expect(judge(o, { x0: 0n, out: [V(1, 1), V(1, 1)] }).kind).toBe('mismatch');
    expect(judge(o, { x0: 0n, out: [V(1, 0), V(0, 1)] }).kind).toBe('mismatch');
  });
});

describe('RMI_FEATURES post-conditions (B4.3.4.3)', () => {
  const t0 = run(rmiFeatures, initialState(), { index: 0n });
  const t5 = run(rmiFeatures, initialState(), { index: 5n });

  it('index applies to indexes other than 0 and holds for value 0; it fails for any other value', () => {
    const r = row(rmiFeatures, 'index');
    expect([r.when(t0), r.when(t5)]).toEqual([false, true]);
    expect(r.holds(t5)).toBe(true);
    expect(r.holds({ ...t5, out: { value: 1n } })).toBe(false);
  });

  it('value applies to index 0: the platform RmiFeatureRegister0, exactly', () => {
    const r = row(rmiFeatures, 'value');
    expect([r.when(t0), r.when(t5)]).toEqual([true, false]);
    expect(t0.out.value).toBe(DEFAULT_FEATURES0);
    expect(r.holds(t0)).toBe(true);
    // One bit off (HASH_SHA_512, bit 33) breaks it.
    expect(r.holds({ ...t0, out: { value: DEFAULT_FEATURES0 ^ (1n << 33n) } })).toBe(false);
    const other = run(rmiFeatures, initialState(makePlatform({ features0: 0x1_0000_0130n })), { index: 0n });
    expect(r.holds(other)).toBe(true);
    expect(r.holds({ ...other, out: { value: DEFAULT_FEATURES0 } })).toBe(false);
    expect(rmiFeatures.post!.choices).toBeUndefined();
  });
});
