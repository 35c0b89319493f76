/**
 * Post-conditions of RMI_REC_ENTER (DEN0137 B4.3.14.3, A4.2, A4.3, A5.4, A6.1), written from the
 * spec's success table and the REC entry and exit rules of chapter A4. They speak about the
 * whole command: rows about REC entry read the state right after entry (`out.entered`), rows
 * marked `at: exit` in the catalogue read the state after the REC exit (`post`) and the
 * RmiRecExit written (`out.exit`). Also here: which RmiRecExit values another RMM may report for
 * the same exit ({@link recExitFieldPermits}).
 *
 * @packageDocumentation
 */
import type { PostDefinition, Transition } from '../engine/post.js';
import { catalogue } from '../catalogue/index.js';
import { RecState, type Rec as RecRecord } from '../model/rec.js';
import { Ripas } from '../model/rtt.js';
import type { RmmState } from '../model/state.js';
import { RsiHostCall } from '../model/structs.js';
import { decodeStruct } from '../model/layout.js';
import { RsiStatus } from '../abi/status.js';
import { AddrIsProtected, gi, pa, Rec, Realm } from './view.js';
import {
  Ec,
  ENTER_HCR_FIELDS,
  EnterFlag,
  enterFlag,
  Esr,
  esrAccessBytes,
  esrEc,
  esrSrt,
  EXIT_HCR_FIELDS,
  ExitReason,
  hpfarIpa,
  Memory,
  ProtectedIpa,
  RecRipasChangeResponse,
  RecRunEnter,
  RecRunExit,
  SERROR_ESR_MASK,
  syncEsrMask,
} from './realm-view.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The inputs of RMI_REC_ENTER (DEN0137 B4.3.14.1.1). */
export interface RecEnterArgs {
  /** PA of the target REC. */
  readonly rec: bigint;
  /** PA of the RmiRecRun. */
  readonly run_ptr: bigint;
}

/** An RmiRecExit, field by field (DEN0137 B4.4.16). */
export interface RecExitRecord {
  readonly exit_reason: number;
  readonly esr: bigint;
  readonly far: bigint;
  readonly hpfar: bigint;
  readonly gprs: readonly bigint[];
  readonly gicv3_hcr: bigint;
  readonly gicv3_lrs: readonly bigint[];
  readonly gicv3_misr: bigint;
  readonly gicv3_vmcr: bigint;
  readonly cntp_ctl: bigint;
  readonly cntp_cval: bigint;
  readonly cntv_ctl: bigint;
  readonly cntv_cval: bigint;
  readonly ripas_base: bigint;
  readonly ripas_top: bigint;
  readonly ripas_value: number;
  readonly imm: bigint;
  readonly pmu_ovf_status: number;
}

/** What RMI_REC_ENTER's post-conditions read besides the states: the state right after entry, the exit, whether an SEA was injected (DEN0137 B4.3.14.3). */
export interface RecEnterResult {
  /** What REC entry did that the state does not show. */
  readonly entry: { readonly seaInjected: boolean };
  /** The state right after REC entry (before the Realm ran). */
  readonly entered: RmmState;
  /** The RmiRecExit the REC exit wrote; undefined if there was none. */
  readonly exit: RecExitRecord | undefined;
}

type T = Transition<RecEnterArgs, RecEnterResult>;

// -------------------------------------------------------------------------------------
// reading the transition
// -------------------------------------------------------------------------------------

/** Rec(rec) before the command (a REC on every success: rec_gran_state). */
const before = (t: T): RecRecord | undefined => Rec(t.pre, t.input.rec);
/** Rec(rec) right after entry. */
const entered = (t: T): RecRecord | undefined => Rec(t.out.entered, t.input.rec);
/** Rec(rec) after the exit. */
const after = (t: T): RecRecord | undefined => Rec(t.post, t.input.rec);
const enterCache = new WeakMap<T, ReturnType<typeof RecRunEnter>>();
/** run.enter, read before the command (A4.2.1); decoded once per transition. */
function enter(t: T): ReturnType<typeof RecRunEnter> {
  let e = enterCache.get(t);
  if (e === undefined) {
    e = RecRunEnter(t.pre, t.input.run_ptr);
    enterCache.set(t, e);
  }
  return e;
}
const flag = (t: T, f: bigint): boolean => enterFlag(enter(t).flags as bigint, f);
const lrsOf = (t: T): readonly bigint[] => enter(t).gicv3_lrs as readonly bigint[];
/** List registers the PE implements: RmiFeatureRegister0.GICV3_NUM_LRS + 1 (A3.1.9, B4.4.6). */
const numLrs = (s: RmmState): number => s.platform.features.gicv3NumLrs + 1;

const sameRegs = (a: readonly bigint[], b: readonly bigint[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** The last exit was an Emulatable Data Abort and the Host completed it: enter.flags.emul_mmio, not ignored for inject_sea (A4.2.3). */
const mmioCompleted = (t: T): boolean => before(t)?.emulatableAbort === true && flag(t, EnterFlag.emul_mmio) && !flag(t, EnterFlag.inject_sea);

/** Where the RsiHostCall of a pending Host call leads: the IPA the Realm passed in X1 (A4.2.2, B5.3.4). */
function hostCallTarget(t: T): ReturnType<typeof ProtectedIpa> {
  const r = before(t);
  if (r === undefined || !r.hostCallPending) return undefined;
  return ProtectedIpa(t.pre, pa(r.owner), r.gprs[1] ?? 0n);
}

/** A Host call is pending and its RsiHostCall is not mapped: the entry ends in a REC exit at once (A4.2.2, D-RSI-MEM). */
const entryExits = (t: T): boolean => hostCallTarget(t)?.kind === 'unmapped';

/** The catalogue's PSCI function ids (B6.3): exit.gprs[0] of a REC exit due to PSCI is one of them (A4.3.3). */
const PSCI_FIDS = new Set(catalogue.commands.filter((c) => c.iface === 'PSCI').flatMap((c) => c.fids.map((f) => BigInt(f))));

// -------------------------------------------------------------------------------------
// the RmiRecExit of A4.3
// -------------------------------------------------------------------------------------

/**
 * Whether exit `x` of a REC of the Realm at `rd` is filled as A4.3 says for its reason, and
 * `rec` (after the exit) agrees with it: exit.esr shows only the syndrome fields listed for the
 * cause; far, hpfar, gprs, ripas_* and imm are zero unless the cause sets them (A4.3.3–A4.3.10).
 */
function exitFollowsA43(s: RmmState, rd: bigint, rec: RecRecord, x: RecExitRecord): boolean {
  const zeroFrom = (k: number): boolean => x.gprs.slice(k).every((v) => v === 0n);
  const noRipas = x.ripas_base === 0n && x.ripas_top === 0n && x.ripas_value === 0;
  const noSyndrome = x.esr === 0n && x.far === 0n && x.hpfar === 0n;
  switch (x.exit_reason) {
    case ExitReason.IRQ:
    case ExitReason.FIQ:
      // A4.3.5, A4.3.6: exit.esr is zero; A4.3.3: exit.gprs is zero.
      return noSyndrome && zeroFrom(0) && noRipas && x.imm === 0n;
    case ExitReason.SERROR:
      // A4.3.10: EC, IDS, AET, EA, DFSC; all other fields zero.
      return esrEc(x.esr) === Ec.SERROR && (x.esr & ~SERROR_ESR_MASK) === 0n && x.far === 0n && x.hpfar === 0n && zeroFrom(0) && noRipas && x.imm === 0n;
    case ExitReason.PSCI:
      // A4.3.3: exit.gprs[0] is the PSCI FID, [1..3] the arguments (A4.3.7: sanitised); the rest zero.
      return noSyndrome && PSCI_FIDS.has(x.gprs[0] ?? 0n) && zeroFrom(4) && noRipas && x.imm === 0n;
    case ExitReason.RIPAS_CHANGE:
      // A4.3.8: exit.ripas_* describe the pending request, which rec records.
      return (
        noSyndrome &&
        zeroFrom(0) &&
        x.imm === 0n &&
        (x.ripas_value === Ripas.EMPTY || x.ripas_value === Ripas.RAM) &&
        x.ripas_base === rec.ripasAddr &&
        x.ripas_top === rec.ripasTop &&
        x.ripas_value === rec.ripasValue
      );
    case ExitReason.HOST_CALL:
      // A4.3.9: rec.host_call_pending, exit.imm and exit.gprs from the call; all other fields zero.
      return rec.hostCallPending && noSyndrome && noRipas && x.imm >> 16n === 0n;
    case ExitReason.SYNC:
      return noRipas && x.imm === 0n && syncExitFollowsA434(s, rd, x);
    default:
      return false;
  }
}

/** A4.3.4: a REC exit due to WFx, Instruction Abort or Data Abort. */
function syncExitFollowsA434(s: RmmState, rd: bigint, x: RecExitRecord): boolean {
  const ec = esrEc(x.esr);
  const realm = Realm(s, rd);
  if (realm === undefined) return false;
  const isProtected = AddrIsProtected(hpfarIpa(x.hpfar), realm);
  const emulatable = ec === Ec.DABT && (x.esr & Esr.ISV) !== 0n;
  const mask = syncEsrMask(ec, emulatable ? 'emulatable' : isProtected ? 'protected' : 'unprotected');
  if (mask === undefined || (x.esr & ~mask) !== 0n) return false;
  const zeroFrom = (k: number): boolean => x.gprs.slice(k).every((v) => v === 0n);
  switch (ec) {
    case Ec.WFX: {
      // A4.3.4.1: exit.gprs[0] holds the timeout of WFIT (TI 2) and WFET (TI 3).
      const timed = (x.esr & Esr.TI) >= 2n;
      return x.far === 0n && x.hpfar === 0n && zeroFrom(timed ? 1 : 0);
    }
    case Ec.IABT:
      // A4.3.4.2: only at a Protected IPA; hpfar shows it.
      return isProtected && x.far === 0n && zeroFrom(0);
    default:
      // A4.3.4.3: an Emulatable Data Abort is at an Unprotected IPA; exit.far keeps only the
      // offset within the granule; a write gives the stored value in exit.gprs[0].
      if (!emulatable) return x.far === 0n && zeroFrom(0);
      return !isProtected && x.far >> 12n === 0n && zeroFrom((x.esr & Esr.WNR) !== 0n ? 1 : 0);
  }
}

/**
 * D-EXIT-GIC: the model has no virtual GIC, timers or PMU, so exit.gicv3_hcr is the entered
 * gicv3_hcr (EOIcount 0), exit.gicv3_lrs the entered list registers of the implemented LRs
 * (zero for the others), and gicv3_misr, gicv3_vmcr, cnt* and pmu_ovf_status are zero. A6.1
 * itself allows only its listed fields in exit.gicv3_hcr.
 */
function exitGicIsModels(t: T, x: RecExitRecord): boolean {
  const lrs = lrsOf(t);
  const n = numLrs(t.pre);
  return (
    (x.gicv3_hcr & ~EXIT_HCR_FIELDS) === 0n &&
    x.gicv3_hcr === ((enter(t).gicv3_hcr as bigint) & ENTER_HCR_FIELDS) &&
    x.gicv3_lrs.every((v, i) => v === (i < n ? lrs[i] : 0n)) &&
    [x.gicv3_misr, x.gicv3_vmcr, x.cntp_ctl, x.cntp_cval, x.cntv_ctl, x.cntv_cval].every((v) => v === 0n) &&
    x.pmu_ovf_status === 0
  );
}

/** run.exit in the state after the command holds `x`, field by field (A4.3.1). */
function exitWritten(t: T, x: RecExitRecord): boolean {
  const m = RecRunExit(t.post, t.input.run_ptr);
  return Object.entries(x).every(([k, v]) => {
    const got = m[k];
    if (Array.isArray(v)) return Array.isArray(got) && sameRegs(got as readonly bigint[], v as readonly bigint[]);
    return got === BigInt(v as bigint | number);
  });
}

// -------------------------------------------------------------------------------------
// RMI_REC_ENTER
// -------------------------------------------------------------------------------------

/** DEN0137 B4.3.14.3 (A4.2, A4.3, A5.4, A6.1): what REC entry and the REC exit that ends the command establish. */
export const recEnterPost: PostDefinition<RecEnterArgs, RecEnterResult> = {
  success: {
    // --- at exit -------------------------------------------------------------------
    rec_exit: (t) => {
      const x = t.out.exit;
      const r = after(t);
      const r0 = before(t);
      return x !== undefined && r !== undefined && r0 !== undefined && exitWritten(t, x) && exitFollowsA43(t.post, pa(r0.owner), r, x) && exitGicIsModels(t, x);
    },
    // A4.3.4.3: EMULATABLE_ABORT iff the exit was due to an Emulatable Data Abort (exit.esr.ISV shows it).
    rec_emul_abt: (t) => {
      const x = t.out.exit;
      if (x === undefined) return false;
      const emulatable = x.exit_reason === ExitReason.SYNC && esrEc(x.esr) === Ec.DABT && (x.esr & Esr.ISV) !== 0n;
      return after(t)?.emulatableAbort === emulatable;
    },
    rec_state: (t) => after(t)?.state === RecState.REC_READY,
    // A4.3.8: an exit not due to RIPAS change leaves rec.ripas_addr and rec.ripas_top zero.
    ripas_clear: (t) => {
      const r = after(t);
      return r !== undefined && (t.out.exit?.exit_reason === ExitReason.RIPAS_CHANGE || (r.ripasAddr === 0n && r.ripasTop === 0n));
    },

    // --- at entry ------------------------------------------------------------------
    mmio_read: {
      when: (t) => mmioCompleted(t) && ((before(t) as RecRecord).lastEsr & Esr.WNR) === 0n,
      // A4.2.3: the register ESR_EL2.ISS.SRT names gets enter.gprs[0], cut to the access size
      // (D-MMIO-READ); XZR (31) discards it.
      holds: (t) => {
        const esr = (before(t) as RecRecord).lastEsr;
        const srt = esrSrt(esr);
        const value = BigInt.asUintN(8 * esrAccessBytes(esr), (enter(t).gprs as readonly bigint[])[0] ?? 0n);
        return srt === 31 || entered(t)?.gprs[srt] === value;
      },
    },
    mmio_return: {
      when: mmioCompleted,
      // A4.2.3: the return address is the instruction after the faulting one.
      holds: (t) => entered(t)?.pc === BigInt.asUintN(64, (before(t) as RecRecord).pc + 4n),
    },
    ripas_response: {
      when: (t) => (before(t)?.ripasTop ?? 0n) !== 0n,
      // A5.4: rec.ripas_response is enter.flags.ripas_response; the Realm gets X0 = RSI_SUCCESS,
      // X1 = rec.ripas_addr (new_base), X2 = RecRipasChangeResponse(rec) (B5.3.6.3).
      holds: (t) => {
        const r0 = before(t) as RecRecord;
        const r1 = entered(t);
        const response = flag(t, EnterFlag.ripas_response) ? 1 : 0;
        if (r1 === undefined) return false;
        const answer = RecRipasChangeResponse({ ripasValue: r0.ripasValue, ripasAddr: r0.ripasAddr, ripasTop: r0.ripasTop, ripasResponse: response });
        return r1.ripasResponse === response && r1.gprs[0] === RsiStatus.RSI_SUCCESS && r1.gprs[1] === r0.ripasAddr && r1.gprs[2] === answer;
      },
    },
    host_call: {
      when: (t) => {
        const k = hostCallTarget(t)?.kind;
        return k === 'page' || k === 'empty';
      },
      // A4.2.2: enter.gprs[0..30] are copied to RsiHostCall.gprs (not at all for RIPAS EMPTY,
      // D-RSI-MEM); the Realm's X0 is RSI_SUCCESS (B5.3.4); rec.host_call_pending is cleared.
      holds: (t) => {
        const r1 = entered(t);
        const target = hostCallTarget(t);
        if (r1 === undefined || target === undefined || r1.hostCallPending || r1.gprs[0] !== RsiStatus.RSI_SUCCESS) return false;
        if (target.kind !== 'page') return true;
        const off = Number(target.pa % 4096n);
        const copied = decodeStruct(RsiHostCall, Memory(t.out.entered, target.pa).subarray(off)).gprs as readonly bigint[];
        return sameRegs(copied, enter(t).gprs as readonly bigint[]);
      },
    },
    host_call_abort: {
      when: entryExits,
      // A4.2.2, D-RSI-MEM: the REC does not run; a REC exit due to Data Abort (translation fault
      // at the level the walk stopped, HPFAR the IPA, FAR 0) at the RsiHostCall's IPA; the call
      // stays pending.
      holds: (t) => {
        const r1 = entered(t);
        const x = t.out.exit;
        const target = hostCallTarget(t);
        if (r1 === undefined || x === undefined || target?.kind !== 'unmapped') return false;
        const ipa = (before(t) as RecRecord).gprs[1] ?? 0n;
        const fsc = target.level < 0 ? 0x2bn : 0x04n + BigInt(target.level);
        return (
          r1.state === RecState.REC_READY &&
          r1.hostCallPending &&
          x.exit_reason === ExitReason.SYNC &&
          esrEc(x.esr) === Ec.DABT &&
          (x.esr & Esr.FSC) === fsc &&
          (x.esr & Esr.ISV) === 0n &&
          hpfarIpa(x.hpfar) === ipa - (ipa % 4096n) &&
          x.far === 0n
        );
      },
    },
    psci_result: {
      when: (t) => before(t)?.lastExitReason === ExitReason.PSCI,
      // A4.2.2: X0..X6 hold the PSCI results, which the REC holds once the call completed
      // (RMI_PSCI_COMPLETE, or the RMM itself: D-PSCI-REGS); X7..X30 are restored from the REC.
      holds: (t) => {
        const r1 = entered(t);
        return r1 !== undefined && sameRegs(r1.gprs, (before(t) as RecRecord).gprs);
      },
    },
    // A4.3.4.1: the trap flags of this entry decide which WFx instructions exit (the model keeps
    // them in the REC for the run). A REC that exits at entry (host_call_abort) does not run.
    trap_wfx: (t) => {
      if (entryExits(t)) return true;
      const r1 = entered(t);
      return r1?.state === RecState.REC_RUNNING && r1.trapWfi === flag(t, EnterFlag.trap_wfi) && r1.trapWfe === flag(t, EnterFlag.trap_wfe);
    },
    // A6.1: ICH_LR<n>_EL2 = enter.gicv3_lrs[n] for each implemented n; the Host's ICH_HCR_EL2 fields from enter.gicv3_hcr.
    gic_state: (t) => {
      if (entryExits(t)) return true;
      const r1 = entered(t);
      const n = numLrs(t.pre);
      return r1 !== undefined && r1.gicv3Hcr === ((enter(t).gicv3_hcr as bigint) & ENTER_HCR_FIELDS) && sameRegs(r1.gicv3Lrs, lrsOf(t).slice(0, n));
    },
    inject_sea: {
      when: (t) => flag(t, EnterFlag.inject_sea) && before(t)?.lastAbortUnprotected === true,
      // A4.2.3: an SEA is taken to the Realm and emul_mmio is ignored: no register load, no pc step.
      holds: (t) => {
        const r0 = before(t) as RecRecord;
        const r1 = entered(t);
        return t.out.entry.seaInjected && r1 !== undefined && r1.pc === r0.pc && sameRegs(r1.gprs, r0.gprs);
      },
    },
  },
  locate: {
    rec: (t) => gi(t.input.rec),
    run_ptr: (t) => gi(t.input.run_ptr),
    // The DATA granule the RsiHostCall's IPA maps to, before the command (A4.2.2).
    'host_call.data': (t) => {
      const target = hostCallTarget(t);
      return target?.kind === 'page' ? gi(target.pa) : undefined;
    },
  },
};

// -------------------------------------------------------------------------------------
// judging another RMM's RmiRecExit
// -------------------------------------------------------------------------------------

/** RmiRecExit fields that show hardware state the model does not have (A4.3: excepted from "all other exit fields are zero"; A6.1, A6.2, A8.1). */
const HARDWARE_FIELDS = new Set(['gicv3_hcr', 'gicv3_lrs', 'gicv3_misr', 'gicv3_vmcr', 'cntp_ctl', 'cntp_cval', 'cntv_ctl', 'cntv_cval', 'pmu_ovf_status']);

/**
 * DEN0137 A4.3, A6.1, A6.2, A8.1: whether an RMM may report `observed` in RmiRecExit field
 * `field` (a B4.4.16 name, an array element as `gprs[3]`) where the model reports `model` for the
 * same REC exit. exit.gicv3_*, exit.cnt* and exit.pmu_ovf_status reflect the hardware's GIC,
 * timers and PMU, so they may take any value, within their encodings: exit.gicv3_hcr only the
 * fields A6.1 lists (others zero), pmu_ovf_status an RmiPmuOverflowStatus (B4.4.10). Every other
 * field is fixed by the exit and must equal the model's.
 * @category REC execution
 */
export function recExitFieldPermits(field: string, observed: bigint, model: bigint): boolean {
  // Stryker disable next-line Regex: equivalent; an RmiRecExit field name has at most one index, at its end.
  const name = field.replace(/\[[0-9]+\]$/, '');
  if (!HARDWARE_FIELDS.has(name)) return observed === model;
  if (name === 'gicv3_hcr') return (observed & ~EXIT_HCR_FIELDS) === 0n;
  if (name === 'pmu_ovf_status') return observed === 0n || observed === 1n;
  return true;
}
