/**
 * RMI_REC_ENTER (DEN0137 B4.3.14, A4.2, A6.1): every failure condition, the ordering constraint,
 * and the entry effects: emulated MMIO completion, RIPAS change response, Host call round trip
 * through Realm memory, WFx trapping, SEA injection.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  RuleHits,
  catalogue,
  encodeRmiResult,
  Gpt,
  RealmState,
  RecState,
  RmiRecEnter,
  encodeStruct,
  granuleIndex,
  recEnterConcluded,
  rmiRecEnter,
  runRec,
  type RmmState,
} from '../../src/index.js';
import { updateRealm, updateState } from '../../src/internal.js';
import { G, OUTSIDE, R, X0, call, ok } from '../support/fixtures.js';
import { failureSuite } from '../support/failures.js';
import { orderingSuite } from '../support/ordering.js';
import { P, REC2, REC2_GI, REC_GI, RUN, U, WORLD, enter, fid, patchRec, smcIn, step, withEnter, world } from './support.js';

/** A platform with 4 GICv3 list registers (GICV3_NUM_LRS = 3) for the multi-LR cases. */
const LRS4 = world({ platform: { features0: 0x283fc104130n | (3n << 34n) } });
/** ICH_LR<n>_EL2 Pending (State 01), Group 1, priority 0xa0, vINTID `id`. */
const lr = (id: bigint): bigint => (1n << 62n) | (1n << 60n) | (0xa0n << 48n) | id;

/** WORLD after a PSCI_SYSTEM_OFF from REC R.rec. */
const SYSTEM_OFF = runRec(WORLD, { rec: R.rec, run_ptr: RUN }, [{ kind: 'call', regs: [0x8400_0008n] }]).state;
/** WORLD after a PSCI_CPU_ON of REC2 from R.rec: a PSCI request is pending on R.rec. */
const PSCI_PENDING = runRec(WORLD, { rec: R.rec, run_ptr: RUN }, [{ kind: 'call', regs: [fid('PSCI_CPU_ON'), 1n, 0x1000n, 7n] }]).state;

// DEN0137 B4.3.14.2 (and the derived enter_valid, D-ENCODING).
failureSuite('RMI_REC_ENTER', [
  { label: 'run_align', setup: () => ({ s: WORLD, args: [R.rec, RUN + 8n] }), x0: X0.INPUT },
  { label: 'run_bound', setup: () => ({ s: WORLD, args: [R.rec, OUTSIDE] }), x0: X0.INPUT },
  { label: 'run_pas', variant: 'a delegated granule', setup: () => ({ s: WORLD, args: [R.rec, G(9)] }), x0: X0.INPUT },
  {
    label: 'run_pas',
    variant: 'a Secure granule',
    setup: () => ({ s: world({ platform: { gpt: [{ base: G(200), size: 0x1000n, gpt: Gpt.SECURE }] } }), args: [R.rec, G(200)] }),
    x0: X0.INPUT,
  },
  { label: 'rec_align', setup: () => ({ s: WORLD, args: [R.rec + 0x10n, RUN] }), x0: X0.INPUT },
  { label: 'rec_bound', setup: () => ({ s: WORLD, args: [OUTSIDE, RUN] }), x0: X0.INPUT },
  { label: 'rec_gran_state', variant: 'an RD', setup: () => ({ s: WORLD, args: [R.rd, RUN] }), x0: X0.INPUT },
  { label: 'rec_gran_state', variant: 'a REC_AUX granule', setup: () => ({ s: WORLD, args: [R.aux[3]!, RUN] }), x0: X0.INPUT },
  { label: 'enter_valid', variant: 'flags bit 5', setup: () => ({ s: withEnter(WORLD, RUN, { flags: 1n << 5n }), args: [R.rec, RUN] }), x0: X0.INPUT },
  { label: 'enter_valid', variant: 'flags bit 63', setup: () => ({ s: withEnter(WORLD, RUN, { flags: 1n << 63n }), args: [R.rec, RUN] }), x0: X0.INPUT },
  { label: 'realm_new', setup: () => ({ s: world({ inactive: true }), args: [R.rec, RUN] }), x0: X0.REALM(0) },
  { label: 'system_off', setup: () => ({ s: SYSTEM_OFF, args: [R.rec, RUN] }), x0: X0.REALM(1) },
  { label: 'rec_state', setup: () => ({ s: enter(WORLD), args: [R.rec, RUN] }), x0: X0.REC },
  { label: 'rec_runnable', setup: () => ({ s: WORLD, args: [REC2, RUN] }), x0: X0.REC },
  { label: 'rec_mmio', variant: 'no exit yet', setup: () => ({ s: withEnter(WORLD, RUN, { flags: 1n }), args: [R.rec, RUN] }), x0: X0.REC },
  {
    label: 'rec_mmio',
    variant: 'after a Data Abort at a Protected IPA',
    setup: () => ({ s: withEnter(step(enter(WORLD), { kind: 'access', ipa: P.ram, access: 'read' }).state, RUN, { flags: 1n }), args: [R.rec, RUN] }),
    x0: X0.REC,
  },
  { label: 'rec_gicv3', variant: 'gicv3_hcr.En', setup: () => ({ s: withEnter(WORLD, RUN, { gicv3_hcr: 1n }), args: [R.rec, RUN] }), x0: X0.REC },
  { label: 'rec_gicv3', variant: 'gicv3_hcr bit 8 (TC)', setup: () => ({ s: withEnter(WORLD, RUN, { gicv3_hcr: 1n << 8n }), args: [R.rec, RUN] }), x0: X0.REC },
  { label: 'rec_gicv3', variant: 'LR with HW = 1', setup: () => ({ s: withEnter(WORLD, RUN, { gicv3_lrs: [lr(27n) | (1n << 61n)] }), args: [R.rec, RUN] }), x0: X0.REC },
  { label: 'rec_gicv3', variant: 'LR vINTID 1020', setup: () => ({ s: withEnter(WORLD, RUN, { gicv3_lrs: [lr(1020n)] }), args: [R.rec, RUN] }), x0: X0.REC },
  { label: 'rec_gicv3', variant: 'LR priority RES0 bit', setup: () => ({ s: withEnter(WORLD, RUN, { gicv3_lrs: [lr(27n) | (1n << 48n)] }), args: [R.rec, RUN] }), x0: X0.REC },
  { label: 'rec_gicv3', variant: 'LR pINTID bit other than EOI', setup: () => ({ s: withEnter(WORLD, RUN, { gicv3_lrs: [lr(27n) | (1n << 32n)] }), args: [R.rec, RUN] }), x0: X0.REC },
  { label: 'rec_gicv3', variant: 'two LRs with one vINTID', setup: () => ({ s: withEnter(LRS4, RUN, { gicv3_lrs: [lr(27n), 0n, lr(27n)] }), args: [R.rec, RUN] }), x0: X0.REC },
  { label: 'rec_psci', setup: () => ({ s: PSCI_PENDING, args: [R.rec, RUN] }), x0: X0.REC },
], { elsewhere: ['exit_pas'] });

describe('RMI_REC_ENTER GICv3 configurations that are valid (A6.1)', () => {
  it('accepts the Host-controlled hcr bits, an LR with EOI, LPIs, and ignores Invalid and unimplemented LRs', () => {
    const valid = (s: RmmState, f: Record<string, bigint | bigint[]>): bigint => runRec(withEnter(s, RUN, f), { rec: R.rec, run_ptr: RUN }, []).x0;
    expect(valid(WORLD, { gicv3_hcr: 0b1111_1110n | (1n << 14n) })).toBe(0n);
    expect(valid(WORLD, { gicv3_lrs: [lr(27n) | (1n << 41n)] })).toBe(0n);
    expect(valid(WORLD, { gicv3_lrs: [lr(8192n)] })).toBe(0n);
    // State Invalid: the rest of the LR is not checked; LR1 is not implemented with one LR.
    expect(valid(WORLD, { gicv3_lrs: [(1n << 61n) | 1020n, (1n << 61n) | lr(27n)] })).toBe(0n);
    expect(valid(LRS4, { gicv3_lrs: [lr(27n), lr(28n), 0n, lr(29n), lr(27n) | (1n << 61n)] })).toBe(0n);
  });
});

// ---- ordering (B4.3.14.2.1) ------------------------------------------------------------

/** A granule inside DRAM whose GPT entry is Secure, holding an RmiRecEnter (built directly). */
const SECURE = G(200);
const ORDER_BASE = world({ platform: { gpt: [{ base: SECURE, size: 0x1000n, gpt: Gpt.SECURE }] } });

const enterCall = fc
  .record({
    rec: fc.constantFrom(R.rec, R.rec + 8n, OUTSIDE, R.rd),
    run: fc.constantFrom(RUN, RUN + 8n, OUTSIDE, SECURE),
    bad: fc.boolean(),
    rec_: fc.constantFrom('none', 'running', 'not_runnable', 'psci'),
    realm: fc.constantFrom(RealmState.REALM_ACTIVE, RealmState.REALM_NEW, RealmState.REALM_SYSTEM_OFF),
  })
  .map(({ rec, run, bad, rec_, realm }) => {
    let s = ORDER_BASE;
    // An RmiRecEnter with emul_mmio set and an invalid gicv3_hcr, in whatever granule run names,
    // as an arbitrary state may hold it (D-WELLFORMED: run.enter is read whatever run_ptr is).
    if (bad) s = updateState(s, { memory: s.memory.set(granuleIndex(run), encodeStruct(RmiRecEnter, { flags: 1n, gicv3_hcr: 1n })) });
    // An arbitrary REC record at the granule rec names, owned by the Realm.
    const model = s.recs.get(REC_GI)!;
    s = patchRec(updateState(s, { recs: s.recs.set(granuleIndex(rec), model) }), granuleIndex(rec), {
      state: rec_ === 'running' ? RecState.REC_RUNNING : RecState.REC_READY,
      runnable: rec_ !== 'not_runnable',
      psciPending: rec_ === 'psci',
    });
    const rd = granuleIndex(R.rd);
    s = updateState(s, { realms: s.realms.set(rd, updateRealm(s.realms.get(rd)!, { state: realm })) });
    return { s, input: { rec, run_ptr: run } };
  });

orderingSuite(rmiRecEnter, enterCall, 1000);

// ---- entry effects (A4.2) --------------------------------------------------------------

/** Runs RMI_REC_ENTER of R.rec with RmiRecEnter `fields` and no Realm step. */
const reenter = (s: RmmState, fields: Record<string, bigint | bigint[]> = {}) => runRec(withEnter(s, RUN, fields), { rec: R.rec, run_ptr: RUN }, []);

describe('REC entry after an emulatable Data Abort (A4.2.3, A4.4)', () => {
  const before = enter(WORLD);
  const pc = before.recs.get(REC_GI)!.pc;
  const read = (size: 1 | 2 | 4 | 8, reg: number) => step(before, { kind: 'access', ipa: U.unassigned + 0x18n, access: 'read', size, reg }).state;

  it('emul_mmio completes a read: the register gets enter.gprs[0] cut to the access size, and pc moves 4 on', () => {
    for (const [size, want] of [[1, 0x88n], [2, 0x7788n], [4, 0x5566_7788n], [8, 0x1122_3344_5566_7788n]] as const) {
      const r = reenter(read(size, 5), { flags: 1n, gprs: [0x1122_3344_5566_7788n] });
      expect(r.x0).toBe(0n);
      expect(r.entry?.mmio).toBe('read');
      const rec = r.state.recs.get(REC_GI)!;
      expect(rec.gprs[5]).toBe(want);
      expect(rec.pc).toBe(pc + 4n);
    }
  });

  it('a read to XZR loads nothing but still moves pc', () => {
    const rec = reenter(read(8, 31), { flags: 1n, gprs: [0x99n] }).state.recs.get(REC_GI)!;
    expect(rec.gprs).toEqual(before.recs.get(REC_GI)!.gprs);
    expect(rec.pc).toBe(pc + 4n);
  });

  it('an emulated write only moves pc', () => {
    const s = step(before, { kind: 'access', ipa: U.unassigned, access: 'write', size: 8, reg: 2, value: 0xabcdn }).state;
    const r = reenter(s, { flags: 1n, gprs: [0x77n] });
    expect(r.entry?.mmio).toBe('write');
    expect(r.state.recs.get(REC_GI)!.gprs[2]).toBe(0xabcdn);
    expect(r.state.recs.get(REC_GI)!.gprs[0]).toBe(0n);
    expect(r.state.recs.get(REC_GI)!.pc).toBe(pc + 4n);
  });

  it('without emul_mmio the access is retried: pc and registers unchanged', () => {
    const r = reenter(read(4, 5), { gprs: [0x1234n] });
    expect(r.entry?.mmio).toBe('none');
    expect(r.state.recs.get(REC_GI)!.gprs[5]).toBe(0n);
    expect(r.state.recs.get(REC_GI)!.pc).toBe(pc);
  });

  it('inject_sea after a Data Abort at an Unprotected IPA injects an SEA and ignores emul_mmio', () => {
    const r = reenter(read(4, 5), { flags: 3n, gprs: [0x1234n] });
    expect(r.entry?.seaInjected).toBe(true);
    expect(r.entry?.mmio).toBe('none');
    expect(r.state.recs.get(REC_GI)!.gprs[5]).toBe(0n);
    expect(r.state.recs.get(REC_GI)!.pc).toBe(pc);
  });

  // A4.2.3: with inject_sea set the value of emul_mmio is ignored, so it cannot make the command
  // fail (E-ENTER-MMIO), whatever the last exit was.
  it('inject_sea with emul_mmio after a non-emulatable Data Abort at an Unprotected IPA: SEA injected, no rec_mmio failure (E-ENTER-MMIO)', () => {
    const s = step(before, { kind: 'access', ipa: U.unassigned, access: 'read', size: 4, reg: 5, isv: false }).state;
    expect(s.recs.get(REC_GI)!.emulatableAbort).toBe(false);
    const r = reenter(s, { flags: 3n, gprs: [0x1234n] });
    expect([r.x0, r.entry?.seaInjected, r.entry?.mmio]).toEqual([0n, true, 'none']);
    expect(r.state.recs.get(REC_GI)!.gprs[5]).toBe(0n);
  });

  it('inject_sea with emul_mmio after an exit that was no Data Abort at an Unprotected IPA: both flags ignored, no failure (E-ENTER-MMIO)', () => {
    const s = step(before, { kind: 'access', ipa: P.ram, access: 'read' }).state;
    const r = reenter(s, { flags: 3n, gprs: [0x1234n] });
    expect([r.x0, r.entry?.seaInjected, r.entry?.mmio]).toEqual([0n, false, 'none']);
    expect(r.state.recs.get(REC_GI)!.pc).toBe(pc);
    // Without inject_sea the same emul_mmio fails rec_mmio (B4.3.14.2).
    const f = call(withEnter(s, RUN, { flags: 1n }), 'RMI_REC_ENTER', [R.rec, RUN]);
    expect([f.regs[0], f.failure?.rule]).toEqual([X0.REC, 'RMI_REC_ENTER/rec_mmio']);
  });

  it('inject_sea after any other exit has no effect and is no error (D-INJECT-SEA)', () => {
    const s = step(before, { kind: 'access', ipa: P.ram, access: 'read' }).state;
    const r = reenter(s, { flags: 2n });
    expect(r.x0).toBe(0n);
    expect(r.entry?.seaInjected).toBe(false);
    expect(reenter(WORLD, { flags: 2n }).entry?.seaInjected).toBe(false);
  });
});

describe('REC entry after a RIPAS change request (A5.4, B3.40)', () => {
  // The Realm asks for RAM on [0x3000, 0x6000): EMPTY at 0x3000, DESTROYED at 0x4000 (not allowed).
  const asked = runRec(WORLD, { rec: R.rec, run_ptr: RUN }, [{ kind: 'call', regs: [fid('RSI_IPA_STATE_SET'), P.empty, P.empty + 0x3000n, 1n, 0n] }]).state;
  const partly = ok(asked, 'RMI_RTT_SET_RIPAS', R.rd, R.rec, P.empty, P.empty + 0x3000n);

  it('the Host applied part of it: X1 = ripas_addr (0x4000); REJECT reaches the Realm only because the change is incomplete', () => {
    expect(partly.recs.get(REC_GI)!.ripasAddr).toBe(0x4000n);
    const rejected = reenter(partly, { flags: 1n << 4n }).state.recs.get(REC_GI)!;
    expect(rejected.gprs.slice(0, 3)).toEqual([0n, 0x4000n, 1n]);
    const accepted = reenter(partly).state.recs.get(REC_GI)!;
    expect(accepted.gprs.slice(0, 3)).toEqual([0n, 0x4000n, 0n]);
  });

  it('a rejected request the Host never applied: X1 = base, X2 = RSI_REJECT', () => {
    expect(reenter(asked, { flags: 1n << 4n }).state.recs.get(REC_GI)!.gprs.slice(0, 3)).toEqual([0n, P.empty, 1n]);
  });

  it('a completed change is ACCEPT whatever the Host says; so is a request for EMPTY', () => {
    const whole = runRec(WORLD, { rec: R.rec, run_ptr: RUN }, [{ kind: 'call', regs: [fid('RSI_IPA_STATE_SET'), P.empty, P.empty + 0x1000n, 1n, 0n] }]).state;
    const done = ok(whole, 'RMI_RTT_SET_RIPAS', R.rd, R.rec, P.empty, P.empty + 0x1000n);
    expect(reenter(done, { flags: 1n << 4n }).state.recs.get(REC_GI)!.gprs.slice(0, 3)).toEqual([0n, P.empty + 0x1000n, 0n]);
    const toEmpty = runRec(WORLD, { rec: R.rec, run_ptr: RUN }, [{ kind: 'call', regs: [fid('RSI_IPA_STATE_SET'), P.data0, P.data0 + 0x1000n, 0n, 0n] }]).state;
    expect(reenter(toEmpty, { flags: 1n << 4n }).state.recs.get(REC_GI)!.gprs.slice(0, 3)).toEqual([0n, P.data0, 0n]);
  });

  it('the next exit not due to a RIPAS change clears ripas_addr and ripas_top; the answer is given once', () => {
    const r = reenter(partly, { flags: 1n << 4n });
    expect(r.entry?.ripasResponse).toBe(true);
    const rec = r.state.recs.get(REC_GI)!;
    expect([rec.ripasAddr, rec.ripasTop, rec.ripasResponse]).toEqual([0n, 0n, 1]);
    const again = runRec(patchRec(r.state, REC_GI, { gprs: new Array(31).fill(5n) }), { rec: R.rec, run_ptr: RUN }, []);
    expect(again.entry?.ripasResponse).toBe(false);
    expect(again.state.recs.get(REC_GI)!.gprs[1]).toBe(5n);
  });
});

describe('REC entry with a Host call pending (A4.2.2, A4.5)', () => {
  const addr = P.hostCall + 0x100n;
  const called = runRec(WORLD, { rec: R.rec, run_ptr: RUN }, [
    { kind: 'access', ipa: addr, access: 'write', size: 2, reg: 9, value: 0x4242n },
    { kind: 'access', ipa: addr + 8n + 8n * 30n, access: 'write', reg: 9, value: 0xfeedn },
    { kind: 'call', regs: [fid('RSI_HOST_CALL'), addr] },
  ]);
  const answer = Array.from({ length: 31 }, (_, i) => 0xa000n + BigInt(i));

  it('the call exits with the structure imm and gprs, and sets host_call_pending', () => {
    expect(called.exit?.imm).toBe(0x4242n);
    expect(called.exit?.gprs[30]).toBe(0xfeedn);
    expect(called.state.recs.get(REC_GI)!.hostCallPending).toBe(true);
  });

  it('the next entry copies enter.gprs[0..30] into the structure; X0 = RSI_SUCCESS, X1 still addr', () => {
    const r = runRec(withEnter(called.state, RUN, { gprs: answer }), { rec: R.rec, run_ptr: RUN }, [
      ...answer.map((_, i) => ({ kind: 'access' as const, ipa: addr + 8n + 8n * BigInt(i), access: 'read' as const, reg: i === 0 ? 1 : 0 })),
      { kind: 'access', ipa: addr, access: 'read', size: 2, reg: 2 },
    ]);
    expect(r.entry?.hostCall).toBe('completed');
    expect(r.steps.map((x) => (x.access?.kind === 'completed' ? x.access.value : undefined)).slice(0, 31)).toEqual(answer);
    expect(r.steps[31]?.access).toEqual({ kind: 'completed', value: 0x4242n });
    // X0 = RSI_SUCCESS on entry; the reads then loaded X0 / X1 / X2 as asked.
    expect(r.state.recs.get(REC_GI)!.hostCallPending).toBe(false);
    const regs = reenter(called.state, { gprs: answer }).state.recs.get(REC_GI)!.gprs;
    expect([regs[0], regs[1]]).toEqual([0n, addr]);
  });

  it('a structure no longer mapped: the entry ends in a REC exit due to Data Abort, the call stays pending', () => {
    const gone = ok(called.state, 'RMI_DATA_DESTROY', R.rd, P.hostCall);
    const r = runRec(withEnter(gone, RUN, { gprs: answer }), { rec: R.rec, run_ptr: RUN }, [{ kind: 'exit', reason: 'fiq' }]);
    expect(r.x0).toBe(0n);
    expect(r.entry?.hostCall).toBe('aborted');
    expect(r.leftover).toBe(1);
    // EC Data Abort (0x24), DFSC translation fault level 3; HPFAR = IPA[55:12] << 4.
    expect(r.exit).toMatchObject({ exit_reason: 0, esr: 0x9000_0007n, far: 0n, hpfar: (addr >> 12n) << 4n });
    const rec = r.state.recs.get(REC_GI)!;
    expect([rec.state, rec.hostCallPending, rec.emulatableAbort]).toEqual([RecState.REC_READY, true, false]);
  });
});

describe('WFx trapping takes enter.flags.trap_wfi / trap_wfe for one run (A4.3.4.1)', () => {
  it('a trapped WFI exits, an untrapped one does not; WFE likewise', () => {
    const plain = enter(WORLD);
    for (const instr of ['wfi', 'wfe', 'wfit', 'wfet'] as const) expect(step(plain, { kind: 'wfx', instr }).exit).toBeUndefined();
    const wfi = enter(WORLD, R.rec, RUN, { flags: 1n << 2n });
    expect(step(wfi, { kind: 'wfx', instr: 'wfi' }).exit?.esr).toBe(0x0400_0000n);
    expect(step(wfi, { kind: 'wfx', instr: 'wfe' }).exit).toBeUndefined();
    const wfe = enter(WORLD, R.rec, RUN, { flags: 1n << 3n });
    expect(step(wfe, { kind: 'wfx', instr: 'wfe' }).exit?.esr).toBe(0x0400_0001n);
    expect(step(wfe, { kind: 'wfx', instr: 'wfi' }).exit).toBeUndefined();
  });

  it('the trap setting does not outlive the run', () => {
    const exited = step(enter(WORLD, R.rec, RUN, { flags: 3n << 2n }), { kind: 'exit', reason: 'irq' }).state;
    expect(step(enter(exited), { kind: 'wfx', instr: 'wfi' }).exit).toBeUndefined();
  });
});

describe('REC state during and after RMI_REC_ENTER (A2.3.4)', () => {
  it('is REC_RUNNING between entry and exit, REC_READY after; other RECs are untouched', () => {
    const s = enter(WORLD);
    expect(s.recs.get(REC_GI)!.state).toBe(RecState.REC_RUNNING);
    expect(s.recs.get(REC2_GI)).toBe(WORLD.recs.get(REC2_GI));
    const r = smcIn(s, [fid('RSI_VERSION'), 0x1_0000n]);
    expect(r.state.recs.get(REC_GI)!.state).toBe(RecState.REC_RUNNING);
    expect(step(r.state, { kind: 'exit', reason: 'irq' }).state.recs.get(REC_GI)!.state).toBe(RecState.REC_READY);
  });

  it('an SMC RMI_REC_ENTER enters and exits at once due to IRQ', () => {
    const r = runRec(WORLD, { rec: R.rec, run_ptr: RUN }, []);
    expect([r.x0, r.implicitIrq, r.exit?.exit_reason]).toEqual([0n, true, 1]);
  });

  it('a REC whose run granule leaves the NS PAS while it runs exits, and RMI_REC_ENTER fails with RMI_ERROR_INPUT (A4.3.3)', () => {
    // CPU 0 enters the REC; CPU 1 delegates the run granule; the REC then exits due to IRQ.
    const hits = new RuleHits();
    const checked = rmiRecEnter.check(WORLD, { rec: R.rec, run_ptr: RUN }, hits);
    if (checked._tag === 'Left') throw new Error(`entry failed: ${checked.left.rule}`);
    const [entered, entry] = rmiRecEnter.apply(checked.right);
    const r = step(ok(entered, 'RMI_GRANULE_DELEGATE', RUN), { kind: 'exit', reason: 'irq' });
    // A4.3.3: the exit is not written (the run granule has no contents to write to), the REC is
    // no longer running, and the command's X0 is RMI_ERROR_INPUT with index 0.
    expect(r.exitGpf).toBe(true);
    expect(r.state.recs.get(REC_GI)!.state).toBe(RecState.REC_READY);
    expect(r.state.memory.has(granuleIndex(RUN))).toBe(false);
    const f = recEnterConcluded(checked.right, { entry, entered, state: r.state, exit: r.exit, exitGpf: r.exitGpf }, hits);
    expect(f === undefined ? undefined : [encodeRmiResult(f.code, f.index), f.rule]).toEqual([1n, 'RMI_REC_ENTER/exit_pas']);
    // The failure value itself carries the index 0 (B4.4.25), not an absent one.
    expect(f?.index).toBe(0);
    const rule = (id: string) => catalogue.byId.get(id)!;
    expect([hits.reached[rule('RMI_REC_ENTER/exit_pas').n], hits.heldCount(rule('RMI_REC_ENTER/exit_pas'))]).toEqual([1, 1]);
    // The command failed, so none of its success conditions held.
    expect(catalogue.byName.get('RMI_REC_ENTER')!.success.map((x) => hits.heldCount(x))).toEqual(catalogue.byName.get('RMI_REC_ENTER')!.success.map(() => 0));
  });

  it('a REC exit written normally counts exit_pas as reached, not held, and the success conditions once', () => {
    const hits = new RuleHits();
    const r = runRec(WORLD, { rec: R.rec, run_ptr: RUN }, [{ kind: 'exit', reason: 'irq' }], hits);
    expect(r.x0).toBe(0n);
    const exitPas = catalogue.byId.get('RMI_REC_ENTER/exit_pas')!;
    expect([hits.reached[exitPas.n], hits.heldCount(exitPas)]).toEqual([1, 0]);
    // B4.3.14.3: run.exit holds the syndrome of the exit on every success; counted once per call.
    expect(hits.heldCount(catalogue.byId.get('RMI_REC_ENTER/success/rec_exit')!)).toBe(1);
  });
});
