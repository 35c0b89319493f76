/**
 * Post-conditions and open results of the PSCI functions (`post/psci.ts`; DEN0137 B6.2, B6.3,
 * A4.3.7; E-PSCI-TARGET, E-PSCI-AFFINITY-SELF, D-PSCI-ARGS, D-PSCI-FEATURES): each holds on the
 * model's transition in the case its `when` names, fails on a doctored state or result, and each
 * `choices` predicate accepts the model's value, another permitted one, and rejects one the spec
 * does not permit. Expected values are written from the spec by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  InternalError,
  psciAffinityInfo,
  psciCpuOff,
  psciCpuOn,
  psciCpuSuspend,
  psciFeatures,
  psciSystemOff,
  psciSystemReset,
  psciVersion,
} from '../../src/index.js';
import { judge } from '../../src/relation/judge.js';
import { realmCallOutcomes } from '../../src/relation/calls.js';
import { REC2_GI, REC_GI, WORLD, enter, neg, patchRec, smcIn } from '../realm/support.js';
import { callFid as call, holds, rows, type Cmd, type T } from './realm-support.js';

const cmd = (c: unknown): Cmd => c as Cmd;

const choice = (command: Cmd, t: T, v: bigint): boolean => command.post!.choices!['result']!(t, v);
const returned = (t: T, x0: bigint): T => ({ ...t, out: { kind: 'return', x0, outputs: {} } });
/** `t` whose PSCI exit has exit.gprs `gprs`, pending flag and result as given (the model's otherwise). */
function exitWith(t: T, patch: { gprs?: bigint[]; pending?: boolean; result?: bigint }): T {
  if (t.out.kind !== 'exit' || t.out.cause.kind !== 'psci') throw new Error('no PSCI exit');
  return { ...t, out: { kind: 'exit', cause: { ...t.out.cause, ...patch } as typeof t.out.cause } };
}
const gprsOf = (t: T): readonly bigint[] => (t.out.kind === 'exit' && t.out.cause.kind === 'psci' ? t.out.cause.gprs : []);

const SMC64_CPU_ON = 0xc400_0003;
const SMC32_CPU_ON = 0x8400_0003;
const NOT_SUPPORTED = neg(-1n);
const HI = 0xdead_beef_0000_0000n;

describe('PSCI_VERSION (B6.3.8, B6.2)', () => {
  const t = call(cmd(psciVersion), 0x8400_0000);

  it('returns 1.1 without an exit; a version below 1.1 or with MBZ bits set, or an exit, fails', () => {
    expect([t.out.kind === 'return' ? t.out.x0 : -1n, rows(cmd(psciVersion), t)]).toEqual([0x1_0001n, { version: true, no_exit: true }]);
    expect(holds(cmd(psciVersion), 'version', returned(t, 0x1_0000n))).toBe(false);
    expect(holds(cmd(psciVersion), 'version', returned(t, (1n << 31n) | 0x1_0001n))).toBe(false);
    expect(holds(cmd(psciVersion), 'no_exit', { ...t, out: { kind: 'exit', cause: { kind: 'psci', gprs: [0x8400_0000n, 0n, 0n, 0n], pending: false, result: undefined } } })).toBe(false);
  });

  it('the version is open: 1.1, 1.2, 2.0 are permitted; 1.0, 0.2 and MBZ bits set are not', () => {
    expect([0x1_0001n, 0x1_0002n, 0x2_0000n].map((v) => choice(cmd(psciVersion), t, v))).toEqual([true, true, true]);
    expect([0x1_0000n, 0x2n, 1n << 31n].map((v) => choice(cmd(psciVersion), t, v))).toEqual([false, false, false]);
  });

  it('judging another RMM: PSCI 1.3 is permitted, 1.0 is not', () => {
    const pre = enter(WORLD);
    const m = smcIn(pre, [0x8400_0000n]);
    const o = realmCallOutcomes(pre, REC_GI, [0x8400_0000n], { regs: m.call!.regs, failure: m.call!.failure, state: m.state });
    expect([judge(o, { x0: 0x1_0001n }).kind, judge(o, { x0: 0x1_0003n }).kind, judge(o, { x0: 0x1_0000n }).kind]).toEqual(['agrees', 'permitted', 'mismatch']);
  });
});

describe('PSCI_FEATURES (B6.3.5.3, A4.3.7, D-PSCI-FEATURES)', () => {
  const features = (id: bigint): T => call(cmd(psciFeatures), 0x8400_000a, { psci_func_id: id });
  const F = cmd(psciFeatures);

  it('a listed function (CPU_ON, SMC64) is supported: func_ok applies and holds; NOT_SUPPORTED fails it', () => {
    const t = features(BigInt(SMC64_CPU_ON));
    expect(rows(F, t)).toEqual({ func_ok: true });
    expect(holds(F, 'func_ok', returned(t, NOT_SUPPORTED))).toBe(false);
  });

  it('X1[63:32] are not part of psci_func_id (B6.3.5.1.1: bits 31:0)', () => {
    expect(rows(F, features(HI | BigInt(SMC64_CPU_ON)))).toEqual({ func_ok: true });
  });

  it('CPU_FREEZE (0x8400000B), not in A4.3.7: func_not_ok applies and holds; PSCI_SUCCESS fails it', () => {
    const t = features(0x8400_000bn);
    expect(rows(F, t)).toEqual({ func_not_ok: true });
    expect(holds(F, 'func_not_ok', returned(t, 0n))).toBe(false);
  });

  it('the model supports the SMC32 CPU_ON and SMCCC_VERSION (D-PSCI-FEATURES)', () => {
    expect([rows(F, features(BigInt(SMC32_CPU_ON))), rows(F, features(0x8000_0000n))]).toEqual([{ func_ok: true }, { func_ok: true }]);
  });

  it('result is open only for the SMC32 ids of functions listed by their SMC64 id, and SMCCC_VERSION', () => {
    const listed = features(BigInt(SMC64_CPU_ON));
    expect([choice(F, listed, 0n), choice(F, listed, NOT_SUPPORTED)]).toEqual([true, false]);
    for (const id of [SMC32_CPU_ON, 0x8400_0001, 0x8400_0004, 0x8000_0000]) {
      const t = features(BigInt(id));
      expect([choice(F, t, 0n), choice(F, t, NOT_SUPPORTED), choice(F, t, 1n)]).toEqual([true, true, false]);
    }
    const other = features(0x8400_000bn);
    expect([choice(F, other, NOT_SUPPORTED), choice(F, other, 0n)]).toEqual([true, false]);
    // PSCI_VERSION, CPU_OFF, SYSTEM_OFF, SYSTEM_RESET and PSCI_FEATURES have one id, listed: always supported.
    for (const id of [0x8400_0000, 0x8400_0002, 0x8400_0008, 0x8400_0009, 0x8400_000a]) expect(choice(F, features(BigInt(id)), NOT_SUPPORTED)).toBe(false);
  });
});

describe('PSCI_CPU_SUSPEND (B6.3.4, A4.3.7, D-PSCI-ARGS, D-PSCI-REGS)', () => {
  const S = cmd(psciCpuSuspend);
  const regs = { power_state: HI | 0x1n, entry_point_address: HI | 0x8000n, context_id: HI | 0x42n };

  it('SMC64: exit.gprs = FID, power_state[31:0], entry_point_address, context_id (64 bits); no request pending; result PSCI_SUCCESS', () => {
    const t = call(S, 0xc400_0001, regs);
    expect(gprsOf(t)).toEqual([0xc400_0001n, 0x1n, HI | 0x8000n, HI | 0x42n]);
    expect(rows(S, t)).toEqual({ exit: true, psci_pending: true, result: true });
  });

  it('SMC32: every argument is cut to 31:0', () => {
    const t = call(S, 0x8400_0001, regs);
    expect([gprsOf(t), holds(S, 'exit', t)]).toEqual([[0x8400_0001n, 0x1n, 0x8000n, 0x42n], true]);
  });

  it('each row fails: an argument not sanitised, a request left pending, another result', () => {
    const t = call(S, 0x8400_0001, regs);
    expect(holds(S, 'exit', exitWith(t, { gprs: [0x8400_0001n, HI | 0x1n, 0x8000n, 0x42n] }))).toBe(false);
    expect(holds(S, 'psci_pending', exitWith(t, { pending: true }))).toBe(false);
    expect(holds(S, 'result', exitWith(t, { result: 1n }))).toBe(false);
  });
});

describe('PSCI_CPU_OFF (B6.3.2, A2.3.2, A4.3.7)', () => {
  const O = cmd(psciCpuOff);
  const t = call(O, 0x8400_0002);

  it('the REC becomes NOT_RUNNABLE; exit.gprs = FID, 0, 0, 0; no request pending', () => {
    expect([gprsOf(t), rows(O, t)]).toEqual([[0x8400_0002n, 0n, 0n, 0n], { runnable: true, exit: true, psci_pending: true }]);
  });

  it('each row fails: the REC still runnable, an argument in exit.gprs, a request pending', () => {
    expect(holds(O, 'runnable', { ...t, post: patchRec(t.post, REC_GI, { runnable: true }) })).toBe(false);
    expect(holds(O, 'exit', exitWith(t, { gprs: [0x8400_0002n, 1n, 0n, 0n] }))).toBe(false);
    expect(holds(O, 'psci_pending', exitWith(t, { pending: true }))).toBe(false);
  });
});

describe('PSCI_CPU_ON (B6.3.3, A4.3.7, E-PSCI-TARGET)', () => {
  const C = cmd(psciCpuOn);
  const regs = { target_cpu: 1n, entry_point_address: 0x8000n, context_id: HI | 0x1234n };
  const t = call(C, SMC64_CPU_ON, regs);

  it('exit.gprs = FID, target_cpu, entry_point_address, context_id[31:0]; the request is pending; no REC is resolved (target_rec names nothing)', () => {
    expect([gprsOf(t), rows(C, t)]).toEqual([[BigInt(SMC64_CPU_ON), 1n, 0x8000n, 0x1234n], { exit: true, psci_pending: true }]);
    expect([C.post!.locate['rec']!(t), C.post!.locate['target_rec']!(t)]).toEqual([REC_GI, undefined]);
  });

  it('each row fails: context_id not cut to 31:0, another FID, no request pending', () => {
    expect(holds(C, 'exit', exitWith(t, { gprs: [BigInt(SMC64_CPU_ON), 1n, 0x8000n, HI | 0x1234n] }))).toBe(false);
    expect(holds(C, 'exit', exitWith(t, { gprs: [BigInt(SMC32_CPU_ON), 1n, 0x8000n, 0x1234n] }))).toBe(false);
    expect(holds(C, 'psci_pending', exitWith(t, { pending: false }))).toBe(false);
  });

  it('the frame: starting the target REC now is outside the footprint (RMI_PSCI_COMPLETE does it)', () => {
    const bad = { ...t, post: patchRec(t.post, REC2_GI, { runnable: true }) };
    expect(() => C.verify(bad)).toThrow(InternalError);
  });
});

describe('PSCI_AFFINITY_INFO (B6.3.1, A4.3.7, E-PSCI-AFFINITY-SELF, E-PSCI-TARGET)', () => {
  const A = cmd(psciAffinityInfo);

  it('about the caller (MPIDR 0): PSCI_SUCCESS at once; only runnable applies; PSCI_OFF fails it', () => {
    const t = call(A, 0xc400_0004, { target_affinity: 0n, lowest_affinity_level: 0n });
    expect([t.out.kind, rows(A, t)]).toEqual(['return', { runnable: true }]);
    expect(holds(A, 'runnable', returned(t, 1n))).toBe(false);
  });

  it('about REC 1: a REC exit with target_affinity and lowest_affinity_level, the request pending; runnable does not apply', () => {
    const t = call(A, 0x8400_0004, { target_affinity: HI | 1n, lowest_affinity_level: 0n });
    expect([gprsOf(t), rows(A, t)]).toEqual([[0x8400_0004n, 1n, 0n, 0n], { exit: true, psci_pending: true }]);
    expect(holds(A, 'exit', exitWith(t, { gprs: [0x8400_0004n, 2n, 0n, 0n] }))).toBe(false);
    expect(holds(A, 'psci_pending', exitWith(t, { pending: false }))).toBe(false);
    expect(holds(A, 'runnable', t)).toBe(false);
  });
});

describe('PSCI_SYSTEM_OFF and PSCI_SYSTEM_RESET (B6.3.6.3, B6.3.7.3)', () => {
  for (const [name, c, fid] of [
    ['PSCI_SYSTEM_OFF', cmd(psciSystemOff), 0x8400_0008],
    ['PSCI_SYSTEM_RESET', cmd(psciSystemReset), 0x8400_0009],
  ] as const) {
    it(`${name}: the Realm is REALM_SYSTEM_OFF; exit.gprs = FID, 0, 0, 0; no request pending; each row can fail`, () => {
      const t = call(c, fid);
      expect([gprsOf(t), rows(c, t)]).toEqual([[BigInt(fid), 0n, 0n, 0n], { state: true, exit: true, psci_pending: true }]);
      expect(holds(c, 'state', { ...t, post: t.pre })).toBe(false);
      expect(holds(c, 'exit', exitWith(t, { gprs: [0x8400_0002n, 0n, 0n, 0n] }))).toBe(false);
      expect(holds(c, 'psci_pending', exitWith(t, { pending: true }))).toBe(false);
    });
  }
});
