/**
 * REC exit (DEN0137 A4.3): the one place where a running REC stops. It fills the RmiRecExit of
 * the run granule field by field for the exit's cause (every field the spec does not set for
 * that cause is zero), saves the Realm's registers in the REC, and updates the REC attributes
 * that every exit touches.
 *
 * @packageDocumentation
 */
import { granuleIndex, type GranuleIndex } from '../model/bits.js';
import { nsAccessPermitted } from '../model/granule.js';
import { InternalError } from '../internal/errors.js';
import { fieldOf } from '../model/layout.js';
import { granuleView, withGranuleBytes } from '../model/memory.js';
import { NO_LRS, RecState, REC_GPRS, updateRec, type Rec } from '../model/rec.js';
import { granuleAt, updateState, type RmmState } from '../model/state.js';
import { RmiRecExit } from '../model/structs.js';
import { emulatableAbortView, farView, hpfarOf, protectedAbortView, serrorView, unprotectedAbortView, wfxView } from './esr.js';
import { GICV3_HCR_HOST_BITS } from './gic.js';
import { RecExitReason, type ExitCause, type RecExitFields } from './types.js';

// -------------------------------------------------------------------------------------
// layout
// -------------------------------------------------------------------------------------

/** Byte offset of an RmiRecExit field inside the RmiRecRun granule. */
const at = (name: string): number => RmiRecExit.base + fieldOf(RmiRecExit, name).offset;
const OFF = {
  exit_reason: at('exit_reason'),
  esr: at('esr'),
  far: at('far'),
  hpfar: at('hpfar'),
  gprs: at('gprs'),
  gicv3_hcr: at('gicv3_hcr'),
  gicv3_lrs: at('gicv3_lrs'),
  ripas_base: at('ripas_base'),
  ripas_top: at('ripas_top'),
  ripas_value: at('ripas_value'),
  imm: at('imm'),
} as const;

const ZERO_GPRS: readonly bigint[] = Object.freeze(new Array<bigint>(REC_GPRS).fill(0n));
/** exit.gicv3_lrs when no list register was entered: all 16 zero. */
const ZERO_LRS: readonly bigint[] = Object.freeze(new Array<bigint>(fieldOf(RmiRecExit, 'gicv3_lrs').count ?? 1).fill(0n));
/** ZERO_PADS[n]: the zeros that follow n entered list registers in exit.gicv3_lrs (cached, shared, never written). */
const ZERO_PADS: readonly (readonly bigint[])[] = ZERO_LRS.map((_, n) => Object.freeze(ZERO_LRS.slice(n)));

/** `head` over the first registers of `regs` (a fresh array of regs.length registers). */
function overlay(head: readonly bigint[], regs: readonly bigint[]): bigint[] {
  const out = regs.slice();
  for (let i = 0; i < head.length; i++) out[i] = head[i] as bigint;
  return out;
}

/** The entered list registers `lrs` padded with zeros to the 16 of exit.gicv3_lrs (one allocation; none when none were entered). */
function paddedLrs(lrs: readonly bigint[]): readonly bigint[] {
  if (lrs.length === 0) return ZERO_LRS;
  const pad = ZERO_PADS[lrs.length];
  return pad === undefined ? lrs : lrs.concat(pad);
}

// -------------------------------------------------------------------------------------
// exit fields
// -------------------------------------------------------------------------------------

function gprsOf(cause: ExitCause): readonly bigint[] {
  switch (cause.kind) {
    case 'host_call':
      // exit.gprs[0..30] are the RsiHostCall's gprs (A4.3.9).
      return cause.gprs;
    case 'psci':
      // exit.gprs[0] = FID, [1..3] = the sanitised arguments (A4.3.3).
      return overlay(cause.gprs, ZERO_GPRS);
    case 'data_abort':
      // An emulatable write gives the stored value in exit.gprs[0] (A4.3.4.3).
      return cause.emulatable && cause.writeValue !== 0n ? overlay([cause.writeValue], ZERO_GPRS) : ZERO_GPRS;
    case 'wfx':
      // WFIT / WFET give the timeout in exit.gprs[0] (A4.3.4.1).
      return cause.timeout !== undefined ? overlay([cause.timeout], ZERO_GPRS) : ZERO_GPRS;
    default:
      // Any other exit: exit.gprs is zero (A4.3.3).
      return ZERO_GPRS;
  }
}

/**
 * The RmiRecExit of a REC exit of `rec` due to `cause` (DEN0137 A4.3). GIC, timer and PMU
 * fields are filled on every exit (A6.1, A6.2, A8.1).
 */
export function exitFields(rec: Rec, cause: ExitCause): RecExitFields {
  // DECISION D-EXIT-GIC: the model has no virtual GIC, timers or PMU of its own. On every exit
  // gicv3_hcr is the entered gicv3_hcr (only the bits A6.1 lets out; EOIcount 0), gicv3_lrs the
  // entered list registers of the implemented LRs (others 0), gicv3_misr, gicv3_vmcr, cnt*_ctl,
  // cnt*_cval 0 and pmu_ovf_status RMI_PMU_OVERFLOW_NOT_ACTIVE (0).
  const lrs = paddedLrs(rec.gicv3Lrs);
  let exit_reason: number = RecExitReason.RMI_EXIT_SYNC;
  let esr = 0n;
  let far = 0n;
  let hpfar = 0n;
  let ripas_base = 0n;
  let ripas_top = 0n;
  let ripas_value = 0;
  let imm = 0n;
  switch (cause.kind) {
    case 'irq':
      exit_reason = RecExitReason.RMI_EXIT_IRQ;
      break;
    case 'fiq':
      exit_reason = RecExitReason.RMI_EXIT_FIQ;
      break;
    case 'serror':
      exit_reason = RecExitReason.RMI_EXIT_SERROR;
      esr = serrorView(cause.esr);
      break;
    case 'wfx':
      esr = wfxView(cause.esr);
      break;
    case 'data_abort':
      esr = cause.emulatable ? emulatableAbortView(cause.esr) : cause.unprotected ? unprotectedAbortView(cause.esr) : protectedAbortView(cause.esr);
      // FAR only for an emulatable Data Abort, masked to the offset inside the granule.
      far = cause.emulatable ? farView(cause.va) : 0n;
      hpfar = hpfarOf(cause.ipa);
      break;
    case 'instruction_abort':
      esr = protectedAbortView(cause.esr);
      hpfar = hpfarOf(cause.ipa);
      break;
    case 'psci':
      exit_reason = RecExitReason.RMI_EXIT_PSCI;
      break;
    case 'ripas_change':
      exit_reason = RecExitReason.RMI_EXIT_RIPAS_CHANGE;
      ripas_base = cause.base;
      ripas_top = cause.top;
      ripas_value = cause.value;
      break;
    case 'host_call':
      exit_reason = RecExitReason.RMI_EXIT_HOST_CALL;
      imm = cause.imm & 0xffffn;
      break;
  }
  return {
    exit_reason,
    esr,
    far,
    hpfar,
    gprs: gprsOf(cause),
    gicv3_hcr: rec.gicv3Hcr & GICV3_HCR_HOST_BITS,
    gicv3_lrs: lrs,
    gicv3_misr: 0n,
    gicv3_vmcr: 0n,
    cntp_ctl: 0n,
    cntp_cval: 0n,
    cntv_ctl: 0n,
    cntv_cval: 0n,
    ripas_base,
    ripas_top,
    ripas_value,
    imm,
    pmu_ovf_status: 0,
  };
}

/** The run granule `g` with its exit half replaced by `f` (a fresh copy; zero where `f` says nothing). */
function encodeExit(g: Uint8Array, f: RecExitFields): Uint8Array {
  const out = new Uint8Array(g);
  out.fill(0, RmiRecExit.base, RmiRecExit.base + RmiRecExit.size);
  const v = new DataView(out.buffer);
  v.setUint8(OFF.exit_reason, f.exit_reason);
  v.setBigUint64(OFF.esr, f.esr, true);
  v.setBigUint64(OFF.far, f.far, true);
  v.setBigUint64(OFF.hpfar, f.hpfar, true);
  f.gprs.forEach((x, i) => {
    if (x !== 0n) v.setBigUint64(OFF.gprs + 8 * i, x, true);
  });
  v.setBigUint64(OFF.gicv3_hcr, f.gicv3_hcr, true);
  f.gicv3_lrs.forEach((x, i) => {
    if (x !== 0n) v.setBigUint64(OFF.gicv3_lrs + 8 * i, x, true);
  });
  // gicv3_misr, gicv3_vmcr, cnt*, pmu_ovf_status: zero (D-EXIT-GIC).
  v.setBigUint64(OFF.ripas_base, f.ripas_base, true);
  v.setBigUint64(OFF.ripas_top, f.ripas_top, true);
  v.setUint8(OFF.ripas_value, f.ripas_value);
  v.setUint16(OFF.imm, Number(f.imm), true);
  return out;
}

// -------------------------------------------------------------------------------------
// REC exit
// -------------------------------------------------------------------------------------

/** The result of a REC exit (DEN0137 A4.3). */
export interface ExitResult {
  readonly state: RmmState;
  /** The RmiRecExit of the exit. */
  readonly fields: RecExitFields;
  /**
   * The run granule could not be written: it left the Non-secure PAS while the REC ran (another
   * PE delegated it). RMI_REC_ENTER then fails with RMI_ERROR_INPUT (A4.3.3).
   */
  readonly gpf: boolean;
}

/**
 * DEN0137 A4.3 REC exit: REC `recGi` (which must be REC_RUNNING) stops because of `cause`. The
 * Realm's registers `gprs` (default: those in the REC) are saved in the REC, the RmiRecExit is
 * written to the run granule, and the REC becomes REC_READY with emulatable_abort,
 * ripas_addr / ripas_top, host_call_pending and psci_pending set as the exit requires.
 */
export function recExit(s: RmmState, recGi: GranuleIndex, cause: ExitCause, gprs?: readonly bigint[]): ExitResult {
  const rec = s.recs.get(recGi);
  if (rec === undefined || rec.state !== RecState.REC_RUNNING) throw new InternalError(`REC exit of granule ${recGi}, which is not running`);
  const fields = exitFields(rec, cause);
  let regs = gprs ?? rec.gprs;
  if (cause.kind === 'psci') {
    // A4.2.2, A4.3.3: on a PSCI exit only X7..X30 are the Realm's; X0..X6 carry the PSCI call
    // until it completes. DECISION D-PSCI-REGS: X0..X3 keep the FID and sanitised arguments
    // (which RMI_PSCI_COMPLETE reads), or, when the RMM completes the call itself (CPU_SUSPEND,
    // CPU_OFF), the result and zeros, as RMI_PSCI_COMPLETE leaves them; X4..X6 keep the Realm's.
    regs = overlay(cause.result !== undefined ? [cause.result, 0n, 0n, 0n] : cause.gprs, regs);
  }
  const ripasChange = cause.kind === 'ripas_change';
  const dataAbort = cause.kind === 'data_abort' ? cause : undefined;
  const next = updateRec(rec, {
    state: RecState.REC_READY,
    gprs: regs,
    // rec.emulatable_abort is set by an exit due to an Emulatable Data Abort and cleared by any other (A4.3.4.3).
    emulatableAbort: dataAbort?.emulatable ?? false,
    // An exit not due to a RIPAS change leaves no RIPAS request pending (A4.3.8).
    ripasAddr: ripasChange ? rec.ripasAddr : 0n,
    ripasTop: ripasChange ? rec.ripasTop : 0n,
    hostCallPending: cause.kind === 'host_call' ? true : rec.hostCallPending,
    // psci_pending is set iff the PSCI call carries an MPIDR (A4.3.7).
    psciPending: cause.kind === 'psci' ? cause.pending : rec.psciPending,
    runPtr: 0n,
    trapWfi: false,
    trapWfe: false,
    gicv3Hcr: 0n,
    gicv3Lrs: NO_LRS,
    lastExitReason: fields.exit_reason,
    lastEsr: cause.kind === 'data_abort' || cause.kind === 'instruction_abort' || cause.kind === 'wfx' ? cause.esr : 0n,
    lastAbortUnprotected: dataAbort?.unprotected ?? false,
  });
  const runGi = granuleIndex(rec.runPtr);
  // A4.3.3: an RMM access to exit that takes a GPF makes RMI_REC_ENTER fail with RMI_ERROR_INPUT.
  const gpf = !nsAccessPermitted(granuleAt(s, runGi));
  // Every exit has a non-zero exit_reason or esr, so the run granule never becomes all zero.
  // An exit identical to the one already in the run granule leaves memory as it is (no rehash).
  const old = granuleView(s, runGi);
  const run = gpf ? old : encodeExit(old, fields);
  const same = run === old || Buffer.compare(run, old) === 0;
  const s1 = same ? s : withGranuleBytes(s, runGi, run);
  return { state: updateState(s1, { recs: s1.recs.set(recGi, next) }), fields, gpf };
}
