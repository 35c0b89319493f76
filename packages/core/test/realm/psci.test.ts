/**
 * PSCI for Realms (DEN0137 B6.3, A4.3.7) and RMI_PSCI_COMPLETE (B4.3.7, B3.27): the failure
 * conditions with their codes (PSCI codes sign-extended to 64 bits), the REC exits due to PSCI,
 * and the completion of CPU_ON and AFFINITY_INFO.
 */
import { describe, expect, it } from 'vitest';
import { RealmState, RmiRealmParams, RmiRecParams, encodeStruct, granuleIndex, runRec, type RmmState } from '../../src/index.js';
import { G, OUTSIDE, R, X0, call, delegate, ok, realmParamsFields, recParamsFields, write } from '../support/fixtures.js';
import { failureSuite } from '../support/failures.js';
import { REC2, REC2_GI, REC3, REC_GI, RUN, RUN2, U, WORLD, enter, neg, patchRec, realmFailureSuite, smcIn, world } from './support.js';

const RUNNING = enter(WORLD);
const CPU_ON = 0xc400_0003n;
const CPU_ON_32 = 0x8400_0003n;
const AFFINITY_INFO = 0xc400_0004n;
const INVALID_PARAMETERS = neg(-2n);
const DENIED = neg(-3n);
const ALREADY_ON = neg(-4n);
const INVALID_ADDRESS = neg(-9n);

/** A REC exit due to PSCI of R.rec with the call X0..; the run's result. */
const psci = (s: RmmState, regs: bigint[]) => runRec(s, { rec: R.rec, run_ptr: RUN }, [{ kind: 'call', regs }]);

// ---- PSCI failure conditions (B6.3.3.2, B6.3.1.2) ---------------------------------------

// The Realm has three RECs, indexes 0..2 (rec_index 3). MpidrIsUsed (D-MPIDR): an RmiRecMpidr
// encoding (B4.4.18: Aff0[7:4] and bits 63:32 zero) whose REC index (A2.3.3) is below 3.
realmFailureSuite('PSCI_CPU_ON', [
  { label: 'entry', setup: () => ({ s: RUNNING, regs: [CPU_ON, 1n, U.rw, 0n] }), x0: INVALID_ADDRESS },
  { label: 'mpidr', variant: 'no REC has MPIDR 3', setup: () => ({ s: RUNNING, regs: [CPU_ON, 3n, 0x1000n, 0n] }), x0: INVALID_PARAMETERS },
  { label: 'mpidr', variant: 'Aff1 set', setup: () => ({ s: RUNNING, regs: [CPU_ON, 0x101n, 0x1000n, 0n] }), x0: INVALID_PARAMETERS },
  // Bit 32 (Aff3 = 1 in the MPIDR_EL1 layout) is reserved in an RmiRecMpidr: not REC 1.
  { label: 'mpidr', variant: 'bit 32 set', setup: () => ({ s: RUNNING, regs: [CPU_ON, (1n << 32n) | 1n, 0x1000n, 0n] }), x0: INVALID_PARAMETERS },
  { label: 'mpidr', variant: 'Aff0[7:4] set', setup: () => ({ s: RUNNING, regs: [CPU_ON, 0x11n, 0x1000n, 0n] }), x0: INVALID_PARAMETERS },
  { label: 'mpidr', variant: 'Aff3 set (bits 31:24)', setup: () => ({ s: RUNNING, regs: [CPU_ON, (1n << 24n) | 1n, 0x1000n, 0n] }), x0: INVALID_PARAMETERS },
  // E-PSCI-TARGET: at call time only the caller itself is known to be RUNNABLE.
  { label: 'runnable', variant: 'the caller itself', setup: () => ({ s: RUNNING, regs: [CPU_ON, 0n, 0x1000n, 0n] }), x0: ALREADY_ON },
]);

realmFailureSuite('PSCI_AFFINITY_INFO', [
  { label: 'target_bound', setup: () => ({ s: RUNNING, regs: [AFFINITY_INFO, 1n, 1n] }), x0: INVALID_PARAMETERS },
  { label: 'target_match', setup: () => ({ s: RUNNING, regs: [AFFINITY_INFO, 7n, 0n] }), x0: INVALID_PARAMETERS },
  { label: 'target_match', variant: 'bit 32 set', setup: () => ({ s: RUNNING, regs: [AFFINITY_INFO, 1n << 32n, 0n] }), x0: INVALID_PARAMETERS },
  { label: 'target_match', variant: 'Aff0[7:4] set', setup: () => ({ s: RUNNING, regs: [AFFINITY_INFO, 0x12n, 0n] }), x0: INVALID_PARAMETERS },
]);

describe('the target REC is resolved by RMI_PSCI_COMPLETE, not at call time (A4.3.7, B4.3.7; E-PSCI-TARGET)', () => {
  it('CPU_ON of another REC that is RUNNABLE exits to the Host; completion gives the caller PSCI_ALREADY_ON (on_already)', () => {
    const s0 = enter(world({ rec2Runnable: true }));
    const r = smcIn(s0, [CPU_ON, 1n, 0x1000n, 0x55n]);
    expect(r.call?.failure).toBeUndefined();
    expect(r.exit).toMatchObject({ exit_reason: 3, gprs: [CPU_ON, 1n, 0x1000n, 0x55n, ...new Array(27).fill(0n)] });
    expect(r.state.recs.get(REC_GI)!.psciPending).toBe(true);
    const done = ok(r.state, 'RMI_PSCI_COMPLETE', R.rec, REC2, 0n);
    expect(done.recs.get(REC_GI)!.gprs.slice(0, 4)).toEqual([ALREADY_ON, 0n, 0n, 0n]);
    expect(done.recs.get(REC2_GI)).toBe(r.state.recs.get(REC2_GI));
  });

  it('the MPIDR of a destroyed REC is still below rec_index: the call exits, and no REC the Host names completes it', () => {
    const s0 = enter(ok(WORLD, 'RMI_REC_DESTROY', REC3));
    const r = smcIn(s0, [AFFINITY_INFO, 2n, 0n]);
    expect([r.call?.failure, r.exit?.exit_reason, r.state.recs.get(REC_GI)!.psciPending]).toEqual([undefined, 3, true]);
    const done = call(r.state, 'RMI_PSCI_COMPLETE', [R.rec, REC2, 0n]);
    expect([done.regs[0], done.failure?.rule]).toEqual([X0.INPUT, 'RMI_PSCI_COMPLETE/target']);
  });

  it('an SMC32 call drops bits 63:32 first, so bit 32 of X1 names REC 1 there (D-PSCI-ARGS)', () => {
    const r = smcIn(RUNNING, [0x8400_0004n, (1n << 32n) | 1n, 0n]);
    expect(r.exit?.gprs.slice(0, 3)).toEqual([0x8400_0004n, 1n, 0n]);
  });
});

// ---- RMI_PSCI_COMPLETE failure conditions (B4.3.7.2) ---------------------------------------

/** R.rec asked PSCI_CPU_ON of MPIDR 1 (REC2, not runnable): a request is pending. */
const ON_PENDING = psci(WORLD, [CPU_ON, 1n, 0x8000n, 0x1234n]).state;
/** R.rec asked PSCI_AFFINITY_INFO about MPIDR 1. */
const AFF_PENDING = psci(WORLD, [AFFINITY_INFO, 1n, 0n]).state;

/** `s` with a second Realm (RD G(300)) holding one REC at G(303). */
function withOtherRealm(s: RmmState): RmmState {
  s = delegate(s, G(300), G(301));
  s = write(s, G(302), encodeStruct(RmiRealmParams, realmParamsFields({ rtt_base: G(301), vmid: 2n })));
  s = ok(s, 'RMI_REALM_CREATE', G(300), G(302));
  const aux = Array.from({ length: 16 }, (_, k) => G(320 + k));
  s = delegate(s, G(303), ...aux);
  s = write(s, G(304), encodeStruct(RmiRecParams, recParamsFields(0, aux)));
  s = ok(s, 'RMI_REC_CREATE', G(300), G(303), G(304));
  return s;
}

failureSuite('RMI_PSCI_COMPLETE', [
  { label: 'alias', setup: () => ({ s: ON_PENDING, args: [R.rec, R.rec, 0n] }), x0: X0.INPUT },
  { label: 'calling_align', setup: () => ({ s: ON_PENDING, args: [R.rec + 8n, REC2, 0n] }), x0: X0.INPUT },
  { label: 'calling_bound', setup: () => ({ s: ON_PENDING, args: [OUTSIDE, REC2, 0n] }), x0: X0.INPUT },
  { label: 'calling_state', setup: () => ({ s: ON_PENDING, args: [R.rd, REC2, 0n] }), x0: X0.INPUT },
  { label: 'target_align', setup: () => ({ s: ON_PENDING, args: [R.rec, REC2 + 8n, 0n] }), x0: X0.INPUT },
  { label: 'target_bound', setup: () => ({ s: ON_PENDING, args: [R.rec, OUTSIDE, 0n] }), x0: X0.INPUT },
  { label: 'target_state', setup: () => ({ s: ON_PENDING, args: [R.rec, R.aux[0]!, 0n] }), x0: X0.INPUT },
  { label: 'pending', variant: 'no PSCI call made', setup: () => ({ s: WORLD, args: [R.rec, REC2, 0n] }), x0: X0.INPUT },
  { label: 'pending', variant: 'already completed', setup: () => ({ s: ok(ON_PENDING, 'RMI_PSCI_COMPLETE', R.rec, REC2, 0n), args: [R.rec, REC2, 0n] }), x0: X0.INPUT },
  { label: 'owner', setup: () => ({ s: withOtherRealm(ON_PENDING), args: [R.rec, G(303), 0n] }), x0: X0.INPUT },
  { label: 'target', setup: () => ({ s: ON_PENDING, args: [R.rec, REC3, 0n] }), x0: X0.INPUT },
  { label: 'status', variant: 'PSCI_ALREADY_ON', setup: () => ({ s: ON_PENDING, args: [R.rec, REC2, ALREADY_ON] }), x0: X0.INPUT },
  { label: 'status', variant: 'PSCI_DENIED for AFFINITY_INFO', setup: () => ({ s: AFF_PENDING, args: [R.rec, REC2, DENIED] }), x0: X0.INPUT },
  {
    label: 'status',
    variant: 'PSCI_DENIED for CPU_ON of a runnable target (D-PSCI-DENIED)',
    setup: () => ({ s: patchRec(ON_PENDING, REC2_GI, { runnable: true }), args: [R.rec, REC2, DENIED] }),
    x0: X0.INPUT,
  },
]);

// ---- success ------------------------------------------------------------------------------

describe('PSCI_CPU_ON and RMI_PSCI_COMPLETE (B6.3.3, B4.3.7.3)', () => {
  it('CPU_ON exits due to PSCI with a request pending; the REC keeps the FID and arguments in X0..X3', () => {
    const r = psci(WORLD, [CPU_ON, 1n, 0x8000n, 0x1234n, 0x44n]);
    expect(r.exit).toMatchObject({ exit_reason: 3, gprs: [CPU_ON, 1n, 0x8000n, 0x1234n, ...new Array(27).fill(0n)] });
    const rec = r.state.recs.get(REC_GI)!;
    expect([rec.psciPending, ...rec.gprs.slice(0, 5)]).toEqual([true, CPU_ON, 1n, 0x8000n, 0x1234n, 0x44n]);
    expect(call(r.state, 'RMI_REC_ENTER', [R.rec, RUN]).failure?.rule).toBe('RMI_REC_ENTER/rec_psci');
  });

  it('PSCI_SUCCESS starts the target: pc = entry, X0 = context id, X1..X30 zero, RUNNABLE; the caller gets PSCI_SUCCESS', () => {
    const s = ok(ON_PENDING, 'RMI_PSCI_COMPLETE', R.rec, REC2, 0n);
    const target = s.recs.get(REC2_GI)!;
    expect([target.runnable, target.pc, ...target.gprs]).toEqual([true, 0x8000n, 0x1234n, ...new Array(30).fill(0n)]);
    const caller = s.recs.get(REC_GI)!;
    expect([caller.psciPending, ...caller.gprs.slice(0, 4)]).toEqual([false, 0n, 0n, 0n, 0n]);
    // Both RECs can now be entered; the caller sees X0 = PSCI_SUCCESS.
    expect(enter(s).recs.get(REC_GI)!.gprs[0]).toBe(0n);
    expect(call(s, 'RMI_REC_ENTER', [REC2, RUN2]).regs[0]).toBe(0n);
  });

  it('PSCI_DENIED: the caller gets PSCI_DENIED and the target stays off', () => {
    const s = ok(ON_PENDING, 'RMI_PSCI_COMPLETE', R.rec, REC2, DENIED);
    expect(s.recs.get(REC_GI)!.gprs.slice(0, 4)).toEqual([DENIED, 0n, 0n, 0n]);
    expect(s.recs.get(REC2_GI)).toBe(ON_PENDING.recs.get(REC2_GI));
  });

  it('PSCI_SUCCESS for a target that became runnable meanwhile: PSCI_ALREADY_ON, target untouched', () => {
    const on = patchRec(ON_PENDING, REC2_GI, { runnable: true });
    const s = ok(on, 'RMI_PSCI_COMPLETE', R.rec, REC2, 0n);
    expect(s.recs.get(REC_GI)!.gprs[0]).toBe(ALREADY_ON);
    expect(s.recs.get(REC2_GI)).toBe(on.recs.get(REC2_GI));
  });

  it('an SMC32 CPU_ON reads 32-bit arguments; context_id keeps bits 31:0 (D-PSCI-ARGS)', () => {
    const r = psci(WORLD, [CPU_ON_32, (1n << 32n) | 1n, (1n << 40n) | 0x8000n, 0xffff_ffff_0000_1234n]);
    expect(r.exit?.gprs.slice(0, 4)).toEqual([CPU_ON_32, 1n, 0x8000n, 0x1234n]);
    const s = ok(r.state, 'RMI_PSCI_COMPLETE', R.rec, REC2, 0n);
    expect([s.recs.get(REC2_GI)!.pc, s.recs.get(REC2_GI)!.gprs[0]]).toEqual([0x8000n, 0x1234n]);
  });
});

describe('PSCI_AFFINITY_INFO (B6.3.1)', () => {
  it('exits with a request pending; completion gives PSCI_OFF for a target that is off, PSCI_SUCCESS (ON) for one that is on', () => {
    expect(psci(WORLD, [AFFINITY_INFO, 1n, 0n]).exit).toMatchObject({ exit_reason: 3, gprs: [AFFINITY_INFO, 1n, 0n, 0n, ...new Array(27).fill(0n)] });
    expect(ok(AFF_PENDING, 'RMI_PSCI_COMPLETE', R.rec, REC2, 0n).recs.get(REC_GI)!.gprs.slice(0, 4)).toEqual([1n, 0n, 0n, 0n]);
    const on = patchRec(AFF_PENDING, REC2_GI, { runnable: true });
    expect(ok(on, 'RMI_PSCI_COMPLETE', R.rec, REC2, 0n).recs.get(REC_GI)!.gprs.slice(0, 4)).toEqual([0n, 0n, 0n, 0n]);
  });

  it('a query about the caller itself is answered at once: ON, no exit (E-PSCI-AFFINITY-SELF)', () => {
    const r = smcIn(RUNNING, [AFFINITY_INFO, 0n, 0n]);
    expect(r.exit).toBeUndefined();
    expect(r.call?.regs.slice(0, 4)).toEqual([0n, 0n, 0n, 0n]);
  });
});

describe('PSCI functions that do not need RMI_PSCI_COMPLETE (B6.3, A4.3.7)', () => {
  it('PSCI_VERSION is 1.1 with no exit', () => {
    const r = smcIn(RUNNING, [0x8400_0000n]);
    expect([r.exit, r.call?.regs[0]]).toEqual([undefined, 0x1_0001n]);
  });

  it('PSCI_FEATURES: PSCI_SUCCESS for the functions the RMM implements and SMCCC_VERSION, PSCI_NOT_SUPPORTED otherwise', () => {
    const f = (id: bigint): bigint => smcIn(RUNNING, [0x8400_000an, id]).call!.regs[0] as bigint;
    for (const id of [0x8400_0000n, 0x8400_0001n, 0xc400_0001n, 0x8400_0002n, 0x8400_0003n, 0xc400_0003n, 0x8400_0004n, 0xc400_0004n, 0x8400_0008n, 0x8400_0009n, 0x8400_000an, 0x8000_0000n]) {
      expect(f(id)).toBe(0n);
    }
    for (const id of [0x8400_0005n, 0x8400_0006n, 0xc400_0190n, 0x8400_000cn]) expect(f(id)).toBe(neg(-1n));
    // psci_func_id is X1[31:0].
    expect(f((1n << 40n) | 0x8400_0002n)).toBe(0n);
  });

  it('an unknown PSCI function gives PSCI_NOT_SUPPORTED', () => {
    expect(smcIn(RUNNING, [0x8400_0005n]).call!.regs[0]).toBe(neg(-1n));
  });

  it('PSCI_CPU_SUSPEND exits with no request pending; on re-entry the Realm sees PSCI_SUCCESS', () => {
    const r = psci(WORLD, [0xc400_0001n, 0x1_0000_0002n, 0x3000n, 0x77n]);
    expect(r.exit).toMatchObject({ exit_reason: 3, gprs: [0xc400_0001n, 2n, 0x3000n, 0x77n, ...new Array(27).fill(0n)] });
    expect(r.state.recs.get(REC_GI)!.psciPending).toBe(false);
    expect(enter(r.state).recs.get(REC_GI)!.gprs.slice(0, 4)).toEqual([0n, 0n, 0n, 0n]);
  });

  it('PSCI_CPU_OFF makes the REC not runnable: it cannot be entered again until a CPU_ON', () => {
    const r = psci(WORLD, [0x8400_0002n]);
    expect(r.exit).toMatchObject({ exit_reason: 3, gprs: [0x8400_0002n, ...new Array(30).fill(0n)] });
    expect(r.state.recs.get(REC_GI)!.runnable).toBe(false);
    expect(call(r.state, 'RMI_REC_ENTER', [R.rec, RUN]).failure?.rule).toBe('RMI_REC_ENTER/rec_runnable');
  });

  it('PSCI_SYSTEM_OFF and PSCI_SYSTEM_RESET put the Realm in REALM_SYSTEM_OFF: no REC can be entered', () => {
    for (const f of [0x8400_0008n, 0x8400_0009n]) {
      const r = psci(world({ rec2Runnable: true }), [f, 5n]);
      expect(r.exit).toMatchObject({ exit_reason: 3, gprs: [f, ...new Array(30).fill(0n)] });
      expect(r.state.realms.get(granuleIndex(R.rd))!.state).toBe(RealmState.REALM_SYSTEM_OFF);
      expect(r.state.recs.get(REC_GI)!.psciPending).toBe(false);
      expect(call(r.state, 'RMI_REC_ENTER', [REC2, RUN2]).regs[0]).toBe(X0.REALM(1));
    }
  });
});
