/**
 * RMI_REC_ENTER's post-conditions (DEN0137 B4.3.14.3, A4.2, A4.3, A5.4, A6.1): each holds on
 * the model's transition, each can fail (a doctored state after entry, after exit, or a doctored
 * RmiRecExit), and the REC exit fields another RMM may report (recExitFieldPermits). Expected
 * values are written from the spec by hand.
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import {
  InternalError,
  RecState,
  RuleHits,
  catalogue,
  granuleIndex,
  realmStep,
  recExitFieldPermits,
  rmiRecEnter,
  runRec,
  smc,
  stateKey,
  type RealmAction,
  type RecEnterConclusion,
  type RmmState,
  type Transition,
} from '../../src/index.js';
import { R, ok, write } from '../support/fixtures.js';
import { P, REC2_GI, REC_GI, RUN, U, WORLD, fid, patchRec, withEnter } from '../realm/support.js';

type T = Transition<{ readonly rec: bigint; readonly run_ptr: bigint }, RecEnterConclusion>;
const post = rmiRecEnter.post!;
const input = { rec: R.rec, run_ptr: RUN };

/**
 * RMI_REC_ENTER of R.rec with RmiRecEnter `fields`, the Realm then taking `actions` (an IRQ exit
 * when none exits): the transition its post-conditions speak about. Checks that runRec ends in
 * the same state.
 */
function run(s0: RmmState, actions: readonly RealmAction[] = [], fields: Record<string, bigint | bigint[]> = {}): T {
  const pre = withEnter(s0, RUN, fields);
  const c = rmiRecEnter.check(pre, input);
  if (E.isLeft(c)) throw new Error(`entry failed: ${c.left.rule}`);
  const [entered, entry] = rmiRecEnter.apply(c.right);
  let state = entered;
  let exit = entry.exit;
  for (const a of [...actions, { kind: 'exit', reason: 'irq' } as const]) {
    if (exit !== undefined) break;
    const r = realmStep(state, REC_GI, a);
    state = r.state;
    exit = r.exit;
  }
  expect(stateKey(runRec(pre, input, actions).state)).toBe(stateKey(state));
  return { pre, input, post: state, out: { entry, entered, exit } };
}

/** Whether row `label` holds on `t` ('n/a' when its `when` says the case does not apply). */
function holds(label: string, t: T): boolean | 'n/a' {
  const p = post.success[label];
  if (p === undefined) throw new Error(`no post-condition ${label}`);
  if (typeof p === 'function') return p(t);
  return p.when(t) ? p.holds(t) : 'n/a';
}

const recOf = (s: RmmState) => s.recs.get(REC_GI)!;
/** `t` with the state after entry changed by `patch` on R.rec. */
const enteredWith = (t: T, patch: Parameters<typeof patchRec>[2]): T => ({ ...t, out: { ...t.out, entered: patchRec(t.out.entered, REC_GI, patch) } });
/** `t` with the state after exit changed by `patch` on R.rec. */
const postWith = (t: T, patch: Parameters<typeof patchRec>[2]): T => ({ ...t, post: patchRec(t.post, REC_GI, patch) });
/** `t` with the reported exit changed by `patch` (and run.exit left as the model wrote it). */
const exitWith = (t: T, patch: Partial<NonNullable<RecEnterConclusion['exit']>>): T => ({ ...t, out: { ...t.out, exit: { ...t.out.exit!, ...patch } } });

const EXIT = { SYNC: 0, IRQ: 1, FIQ: 2, PSCI: 3, RIPAS_CHANGE: 4, HOST_CALL: 5, SERROR: 6 } as const;

// ---- scenarios -----------------------------------------------------------------------------

/** Entered with nothing pending; the REC exits due to IRQ. */
const PLAIN = run(WORLD);
/** The Realm reads 4 bytes at an Unprotected IPA (UNASSIGNED_NS) into X5: an emulatable Data Abort. */
const MMIO_READ_EXIT = run(WORLD, [{ kind: 'access', ipa: U.unassigned + 0x18n, access: 'read', size: 4, reg: 5 }]);
/** The Host completes it: emul_mmio with enter.gprs[0]. */
const MMIO_READ = run(MMIO_READ_EXIT.post, [], { flags: 1n, gprs: [0x1122_3344_5566_7788n] });
/** The Realm asked for RAM on [0x3000, 0x6000); the Host applied part; it rejects the rest. */
const RIPAS_ASKED = run(WORLD, [{ kind: 'call', regs: [fid('RSI_IPA_STATE_SET'), P.empty, P.empty + 0x3000n, 1n, 0n] }]);
const RIPAS_ANSWERED = run(ok(RIPAS_ASKED.post, 'RMI_RTT_SET_RIPAS', R.rd, R.rec, P.empty, P.empty + 0x3000n), [], { flags: 1n << 4n });
/** A Host call with its RsiHostCall at P.hostCall + 0x100; the Host answers with `ANSWER`. */
const HC_ADDR = P.hostCall + 0x100n;
const HC_CALLED = run(WORLD, [{ kind: 'call', regs: [fid('RSI_HOST_CALL'), HC_ADDR] }]);
const ANSWER = Array.from({ length: 31 }, (_, i) => 0xa000n + BigInt(i));
const HC_DONE = run(HC_CALLED.post, [], { gprs: ANSWER });
/** The Host destroyed the structure's page before answering: the entry exits at once. */
const HC_ABORT = run(ok(HC_CALLED.post, 'RMI_DATA_DESTROY', R.rd, P.hostCall), [], { gprs: ANSWER });
/** PSCI_CPU_SUSPEND exits due to PSCI and the RMM completes it; the next entry restores X0..X30. */
const SUSPENDED = run(WORLD, [{ kind: 'call', regs: [fid('PSCI_CPU_SUSPEND'), 0n, 0x1000n, 7n] }]);
const RESUMED = run(SUSPENDED.post);
/** After a Data Abort at an Unprotected IPA the Host asks for an SEA (and emul_mmio, ignored). */
const SEA = run(MMIO_READ_EXIT.post, [], { flags: 3n, gprs: [0x1234n] });
/** WFI trapped; list registers and ICH_HCR_EL2 bits given (one LR implemented by the platform). */
const LR0 = (1n << 62n) | (1n << 60n) | (0xa0n << 48n) | 27n;
const TRAPPED = run(WORLD, [{ kind: 'wfx', instr: 'wfit', timeout: 0x55n }], { flags: 1n << 2n, gicv3_hcr: 0b110n | (1n << 14n), gicv3_lrs: [LR0] });

describe('RMI_REC_ENTER post-conditions hold on the model (B4.3.14.3)', () => {
  const cases: Array<[string, T, Record<string, boolean | 'n/a'>]> = [
    ['a plain entry and IRQ exit', PLAIN, { mmio_read: 'n/a', host_call: 'n/a', inject_sea: 'n/a' }],
    ['an emulated MMIO read', MMIO_READ, { mmio_read: true, mmio_return: true }],
    ['a RIPAS change answered', RIPAS_ANSWERED, { ripas_response: true }],
    ['a Host call answered', HC_DONE, { host_call: true, host_call_abort: 'n/a' }],
    ['a Host call whose structure is gone', HC_ABORT, { host_call: 'n/a', host_call_abort: true }],
    ['an entry after a PSCI exit', RESUMED, { psci_result: true }],
    ['an SEA injected', SEA, { inject_sea: true, mmio_return: 'n/a' }],
    ['a trapped WFIT with GIC state', TRAPPED, { trap_wfx: true, gic_state: true }],
  ];
  for (const [name, t, expected] of cases) {
    it(`${name}: every row holds, and the case rows apply as expected`, () => {
      for (const label of Object.keys(post.success)) expect([label, holds(label, t)]).not.toEqual([label, false]);
      for (const [label, want] of Object.entries(expected)) expect([label, holds(label, t)]).toEqual([label, want]);
    });
  }

  it('counts each case row in hits only when it applies, through runRec and smc', () => {
    const hits = new RuleHits();
    runRec(RIPAS_ANSWERED.pre, input, [], hits);
    const n = (label: string) => catalogue.byId.get(`RMI_REC_ENTER/success/${label}`)!;
    expect([hits.reached[n('ripas_response').n], hits.heldCount(n('ripas_response'))]).toEqual([1, 1]);
    expect(hits.reached[n('host_call').n]).toBe(0);
    expect(hits.heldCount(n('rec_exit'))).toBe(1);
    const viaSmc = new RuleHits();
    smc(WORLD, [fid('RMI_REC_ENTER'), R.rec, RUN], viaSmc);
    expect(viaSmc.heldCount(n('rec_exit'))).toBe(1);
  });
});

describe('RMI_REC_ENTER post-conditions can fail', () => {
  it('rec_exit: run.exit must hold the exit reported (A4.3.1)', () => {
    const g = new Uint8Array(PLAIN.post.memory.get(granuleIndex(RUN))!);
    g[0x800] = EXIT.FIQ;
    expect(holds('rec_exit', { ...PLAIN, post: write(PLAIN.post, RUN, g) })).toBe(false);
  });

  it('rec_exit: fields A4.3 fixes for the reason (zero gprs and esr on IRQ; ESR fields of the cause; far of an emulatable abort)', () => {
    expect(holds('rec_exit', exitWith(PLAIN, { gprs: [1n, ...new Array(30).fill(0n)] }))).toBe(false);
    expect(holds('rec_exit', exitWith(PLAIN, { esr: 0x2n }))).toBe(false);
    expect(holds('rec_exit', exitWith(PLAIN, { exit_reason: 9 }))).toBe(false);
    // The emulatable read's exit: EC 0x24, ISV, SAS = 2 (4 bytes); SRT and SSE are never shown.
    const x = MMIO_READ_EXIT.out.exit!;
    expect(x.esr).toBe((0x24n << 26n) | (1n << 24n) | (2n << 22n) | 0x7n);
    expect(holds('rec_exit', exitWith(MMIO_READ_EXIT, { esr: x.esr | (5n << 16n) }))).toBe(false);
    expect(holds('rec_exit', exitWith(MMIO_READ_EXIT, { far: 0x1018n }))).toBe(false);
    // WFIT gives its timeout in exit.gprs[0] (A4.3.4.1); anything in gprs[1] is wrong.
    expect(TRAPPED.out.exit!.gprs[0]).toBe(0x55n);
    expect(holds('rec_exit', exitWith(TRAPPED, { gprs: [0x55n, 1n, ...new Array(29).fill(0n)] }))).toBe(false);
  });

  it('rec_exit: RIPAS change and Host call exits agree with the REC (A4.3.8, A4.3.9)', () => {
    expect(holds('rec_exit', exitWith(RIPAS_ASKED, { ripas_top: P.empty + 0x2000n }))).toBe(false);
    expect(holds('rec_exit', postWith(HC_CALLED, { hostCallPending: false }))).toBe(false);
  });

  it('rec_exit: GIC, timer and PMU fields are the model\'s (D-EXIT-GIC): the entered LRs and hcr, zeros', () => {
    expect(TRAPPED.out.exit!.gicv3_lrs[0]).toBe(LR0);
    expect(holds('rec_exit', exitWith(TRAPPED, { gicv3_lrs: new Array(16).fill(0n) }))).toBe(false);
    expect(holds('rec_exit', exitWith(TRAPPED, { gicv3_hcr: 1n }))).toBe(false);
    expect(holds('rec_exit', exitWith(TRAPPED, { cntv_ctl: 1n }))).toBe(false);
  });

  it('rec_emul_abt: EMULATABLE_ABORT exactly after an emulatable Data Abort (A4.3.4.3)', () => {
    expect(recOf(MMIO_READ_EXIT.post).emulatableAbort).toBe(true);
    expect(holds('rec_emul_abt', postWith(MMIO_READ_EXIT, { emulatableAbort: false }))).toBe(false);
    expect(holds('rec_emul_abt', postWith(PLAIN, { emulatableAbort: true }))).toBe(false);
  });

  it('rec_state: REC_READY after the exit (A2.3.4)', () => {
    expect(holds('rec_state', postWith(PLAIN, { state: RecState.REC_RUNNING }))).toBe(false);
  });

  it('ripas_clear: an exit not due to RIPAS change leaves ripas_addr and ripas_top zero (A4.3.8)', () => {
    expect(holds('ripas_clear', postWith(RIPAS_ANSWERED, { ripasTop: P.empty + 0x3000n }))).toBe(false);
    expect(holds('ripas_clear', RIPAS_ASKED)).toBe(true);
  });

  it('mmio_read: X5 gets enter.gprs[0] cut to 4 bytes (A4.2.3, D-MMIO-READ)', () => {
    expect(recOf(MMIO_READ.out.entered).gprs[5]).toBe(0x5566_7788n);
    expect(holds('mmio_read', enteredWith(MMIO_READ, { gprs: recOf(MMIO_READ.out.entered).gprs.map((v, i) => (i === 5 ? 0x1122_3344_5566_7788n : v)) }))).toBe(false);
  });

  it('mmio_return: pc moves 4 on (A4.2.3)', () => {
    expect(holds('mmio_return', enteredWith(MMIO_READ, { pc: recOf(MMIO_READ.pre).pc }))).toBe(false);
  });

  it('ripas_response: rec.ripas_response and X0..X2 (A5.4, B3.40)', () => {
    // The Host applied [0x3000, 0x4000) and stopped at DESTROYED 0x4000, then rejected: X1 = 0x4000, X2 = RSI_REJECT.
    expect(recOf(RIPAS_ANSWERED.out.entered).gprs.slice(0, 3)).toEqual([0n, 0x4000n, 1n]);
    const gprs = recOf(RIPAS_ANSWERED.out.entered).gprs;
    expect(holds('ripas_response', enteredWith(RIPAS_ANSWERED, { gprs: [0n, 0x4000n, 0n, ...gprs.slice(3)] }))).toBe(false);
    expect(holds('ripas_response', enteredWith(RIPAS_ANSWERED, { gprs: [0n, P.empty, 1n, ...gprs.slice(3)] }))).toBe(false);
    expect(holds('ripas_response', enteredWith(RIPAS_ANSWERED, { ripasResponse: 0 }))).toBe(false);
  });

  it('host_call: enter.gprs copied into the RsiHostCall, X0 = RSI_SUCCESS, no longer pending (A4.2.2)', () => {
    expect(holds('host_call', enteredWith(HC_DONE, { hostCallPending: true }))).toBe(false);
    const gprs = recOf(HC_DONE.out.entered).gprs;
    expect(holds('host_call', enteredWith(HC_DONE, { gprs: [1n, ...gprs.slice(1)] }))).toBe(false);
    // The structure in memory as it was before the entry: nothing copied.
    const stale = { ...HC_DONE, out: { ...HC_DONE.out, entered: { ...HC_DONE.out.entered, memory: HC_DONE.pre.memory } } };
    expect(holds('host_call', stale)).toBe(false);
  });

  it('host_call with the structure at a RIPAS EMPTY IPA: nothing is written, and the call completes (D-RSI-MEM)', () => {
    const t = run(patchRec(WORLD, REC_GI, { hostCallPending: true, gprs: [0n, P.empty, ...new Array(29).fill(0n)] }));
    expect([holds('host_call', t), holds('host_call_abort', t)]).toEqual([true, 'n/a']);
  });

  it('host_call_abort: the entry ends in a Data Abort at the structure\'s IPA and the call stays pending (A4.2.2, D-RSI-MEM)', () => {
    // EC 0x24, DFSC translation fault level 3 (0x07); HPFAR = IPA[55:12] << 4; FAR 0.
    expect(HC_ABORT.out.exit).toMatchObject({ exit_reason: EXIT.SYNC, esr: (0x24n << 26n) | 0x7n, far: 0n, hpfar: (HC_ADDR >> 12n) << 4n });
    expect(holds('host_call_abort', exitWith(HC_ABORT, { hpfar: 0n }))).toBe(false);
    expect(holds('host_call_abort', exitWith(HC_ABORT, { esr: (0x24n << 26n) | 0x6n }))).toBe(false);
    expect(holds('host_call_abort', enteredWith(HC_ABORT, { hostCallPending: false }))).toBe(false);
  });

  it('psci_result: X0..X30 as the REC holds them after the PSCI call completed (A4.2.2, D-PSCI-REGS)', () => {
    expect(recOf(RESUMED.out.entered).gprs.slice(0, 4)).toEqual([0n, 0n, 0n, 0n]);
    expect(holds('psci_result', enteredWith(RESUMED, { gprs: [fid('PSCI_CPU_SUSPEND'), ...recOf(RESUMED.out.entered).gprs.slice(1)] }))).toBe(false);
  });

  it('trap_wfx: the REC runs with enter.flags.trap_wfi / trap_wfe (A4.3.4.1)', () => {
    expect(holds('trap_wfx', enteredWith(TRAPPED, { trapWfi: false }))).toBe(false);
    expect(holds('trap_wfx', enteredWith(PLAIN, { trapWfe: true }))).toBe(false);
    expect(holds('trap_wfx', enteredWith(PLAIN, { state: RecState.REC_READY }))).toBe(false);
  });

  it('gic_state: the REC runs with enter.gicv3_lrs and the Host bits of enter.gicv3_hcr (A6.1)', () => {
    expect(holds('gic_state', enteredWith(TRAPPED, { gicv3Lrs: [0n] }))).toBe(false);
    expect(holds('gic_state', enteredWith(TRAPPED, { gicv3Hcr: 0n }))).toBe(false);
  });

  it('inject_sea: an SEA is taken and emul_mmio ignored (A4.2.3)', () => {
    expect(holds('inject_sea', { ...SEA, out: { ...SEA.out, entry: { ...SEA.out.entry, seaInjected: false } } })).toBe(false);
    expect(holds('inject_sea', enteredWith(SEA, { pc: recOf(SEA.pre).pc + 4n }))).toBe(false);
  });
});

describe('RMI_REC_ENTER in checked mode', () => {
  it('the frame check covers the entry half: a change to another REC at entry is caught', () => {
    const bad = patchRec(PLAIN.out.entered, REC2_GI, { pc: 0x42n });
    expect(() => rmiRecEnter.verify(PLAIN, undefined, { pre: PLAIN.pre, post: bad })).toThrow(InternalError);
    expect(() => rmiRecEnter.verify(PLAIN, undefined, { pre: PLAIN.pre, post: PLAIN.out.entered })).not.toThrow();
  });

  it('a row that does not hold is a model bug naming the rule', () => {
    expect(() => rmiRecEnter.verify(postWith(PLAIN, { state: RecState.REC_RUNNING }))).toThrow(/RMI_REC_ENTER\/success\/rec_state does not hold/);
  });
});

describe('recExitFieldPermits: the RmiRecExit another RMM may report (A4.3, A6.1, A6.2, A8.1)', () => {
  it('fields the exit fixes must equal the model\'s', () => {
    for (const f of ['exit_reason', 'esr', 'far', 'hpfar', 'gprs[0]', 'gprs[30]', 'ripas_base', 'ripas_top', 'ripas_value', 'imm']) {
      expect([f, recExitFieldPermits(f, 5n, 5n)]).toEqual([f, true]);
      expect([f, recExitFieldPermits(f, 6n, 5n)]).toEqual([f, false]);
    }
  });

  it('GIC, timer and PMU fields reflect the hardware: any value within their encodings', () => {
    for (const f of ['gicv3_lrs[0]', 'gicv3_lrs[15]', 'gicv3_lrs', 'gicv3_misr', 'gicv3_vmcr', 'cntp_ctl', 'cntp_cval', 'cntv_ctl', 'cntv_cval']) {
      expect([f, recExitFieldPermits(f, 0xdead_beefn, 0n)]).toEqual([f, true]);
    }
    // ICH_HCR_EL2: EOIcount (31:27) and the Host bits may show; En (bit 0) and others are zero (A6.1).
    expect(recExitFieldPermits('gicv3_hcr', (3n << 27n) | 0b10n | (1n << 14n), 0n)).toBe(true);
    expect(recExitFieldPermits('gicv3_hcr', 1n, 0n)).toBe(false);
    expect(recExitFieldPermits('gicv3_hcr', 1n << 10n, 0n)).toBe(false);
    // RmiPmuOverflowStatus: NOT_ACTIVE (0) or ACTIVE (1); other encodings reserved (B4.4.10).
    expect([recExitFieldPermits('pmu_ovf_status', 1n, 0n), recExitFieldPermits('pmu_ovf_status', 2n, 0n)]).toEqual([true, false]);
  });
});
