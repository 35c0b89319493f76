/**
 * RMI_REC_ENTER: the failure conditions of REC entry and its entry half: reading RmiRecEnter
 * from the run granule and completing what the last REC exit left open (emulated MMIO, RIPAS
 * change response, Host call, SEA injection) before the REC runs (DEN0137 B4.3.14, A4.2, A6.1).
 * What the Realm then does, and the REC exit, are `exec/step.ts` and `exec/run.ts`.
 *
 * @packageDocumentation
 */
import { defineCommand } from '../engine/command.js';
import { established, type Established } from '../engine/refine.js';
import { granuleIndex } from '../model/bits.js';
import { GranuleState } from '../model/granule.js';
import { fieldOf } from '../model/layout.js';
import { granuleView } from '../model/memory.js';
import { RealmState, type Realm } from '../model/realm.js';
import { RecState, REC_GPRS, updateRec, type Rec } from '../model/rec.js';
import { withRec, type RmmState } from '../model/state.js';
import { RmiRecEnter } from '../model/structs.js';
import { RsiStatus } from '../abi/status.js';
import { accessSize, esrSrt, ESR_WNR } from '../realm/esr.js';
import { recExit } from '../realm/exit.js';
import { gicv3ConfigIsValid, gicv3NumLrs } from '../realm/gic.js';
import { protectedTarget, unmappedAbort } from '../realm/memory.js';
import type { RecExitFields } from '../realm/types.js';
import { recEnterPost } from '../post/rec-enter.js';
import { writeHostCallGprs } from '../rsi/host-call.js';
import { granuleArg, nsGranuleArg, onRec, recAt, recRunning } from './common.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** RmiRecEnterFlags (DEN0137 B4.4.15): emul_mmio, inject_sea, trap_wfi, trap_wfe, ripas_response; bits 63:5 SBZ. @category REC */
export const RecEnterFlag = {
  EMUL_MMIO: 1n << 0n,
  INJECT_SEA: 1n << 1n,
  TRAP_WFI: 1n << 2n,
  TRAP_WFE: 1n << 3n,
  RIPAS_RESPONSE: 1n << 4n,
} as const;
const FLAGS_DEFINED = 0x1fn;

const GPRS = fieldOf(RmiRecEnter, 'gprs').offset;
const HCR = fieldOf(RmiRecEnter, 'gicv3_hcr').offset;
const LRS_FIELD = fieldOf(RmiRecEnter, 'gicv3_lrs');
const LRS = LRS_FIELD.offset;
/** List registers an RmiRecEnter holds (16). */
const LRS_COUNT = LRS_FIELD.count ?? 1;

/** The RmiRecEnter fields REC entry reads (DEN0137 A4.2.1). @category REC */
export interface RecEnterValues {
  readonly flags: bigint;
  readonly gicv3Hcr: bigint;
  /** enter.gicv3_lrs of the implemented list registers only (gicv3NumLrs of them, at most 16): the others are never read. */
  readonly gicv3Lrs: readonly bigint[];
  /** The run granule, for enter.gprs (read only where they are used: MMIO reads, Host calls). */
  readonly bytes: Uint8Array;
}

/** What RMI_REC_ENTER reads (DEN0137 B4.3.14.1.2). @category REC */
export interface RecEnterCtx {
  readonly s: RmmState;
  readonly recPtr: bigint;
  readonly runPtr: bigint;
  /** Rec(rec), read whatever rec is (D-WELLFORMED). */
  readonly rec: Rec | undefined;
  /** Realm(Rec(rec).owner). */
  readonly realm: Realm | undefined;
  /** run.enter: RecRun(run_ptr).enter, read whatever run_ptr is (D-WELLFORMED). */
  readonly enter: RecEnterValues;
}

/** What the entry half did (DEN0137 A4.2). @category REC */
export interface RecEntryReport {
  /** An SEA was injected into the Realm (inject_sea after a Data Abort at an Unprotected IPA). */
  readonly seaInjected: boolean;
  /** An emulated MMIO access was completed (pc moved past it; a read loaded enter.gprs[0]). */
  readonly mmio: 'none' | 'read' | 'write';
  /** The Realm got the answer to its RIPAS change request (X0..X2). */
  readonly ripasResponse: boolean;
  /** A pending Host call: enter.gprs were copied back, or the structure was not mapped (REC exit). */
  readonly hostCall: 'none' | 'completed' | 'aborted';
  /** The REC exit the entry itself ended in (a Host call whose structure is no longer mapped). */
  readonly exit: RecExitFields | undefined;
}

/** What the post-conditions of RMI_REC_ENTER read once the REC has exited (DEN0137 B4.3.14.3; post/rec-enter.ts). @category REC */
export interface RecEnterConclusion {
  /** What the entry half did. */
  readonly entry: RecEntryReport;
  /** The state right after the entry half. */
  readonly entered: RmmState;
  /** The RmiRecExit of the REC exit that ended the command. */
  readonly exit: RecExitFields | undefined;
}

// -------------------------------------------------------------------------------------
// context
// -------------------------------------------------------------------------------------

/** RmiRecEnter of the run granule `g`, with the first `numLrs` list registers (those the GIC implements). */
function readEnter(g: Uint8Array, numLrs: number): RecEnterValues {
  const v = new DataView(g.buffer, g.byteOffset, g.byteLength);
  const n = Math.min(numLrs, LRS_COUNT);
  const lrs = new Array<bigint>(n);
  for (let i = 0; i < n; i++) lrs[i] = v.getBigUint64(LRS + 8 * i, true);
  return { flags: v.getBigUint64(0, true), gicv3Hcr: v.getBigUint64(HCR, true), gicv3Lrs: lrs, bytes: g };
}

/** enter.gprs[0], the value of an emulated MMIO read. */
function enterGpr0(e: RecEnterValues): bigint {
  return new DataView(e.bytes.buffer, e.bytes.byteOffset, e.bytes.byteLength).getBigUint64(GPRS, true);
}

/** enter.gprs[0..30] as the little-endian bytes the run granule holds (a view). */
function enterGprsBytes(e: RecEnterValues): Uint8Array {
  return e.bytes.subarray(GPRS, GPRS + 8 * REC_GPRS);
}

function context(s: RmmState, i: { readonly rec: bigint; readonly run_ptr: bigint }): RecEnterCtx {
  const rec = recAt(s, i.rec);
  const realm = rec === undefined ? undefined : s.realms.get(rec.owner);
  // RecRun(run_ptr) is read whatever run_ptr is (D-WELLFORMED): rec_mmio and rec_gicv3 stay
  // evaluable next to run_align, run_bound and run_pas, which the listed order reports first.
  // A GPF reading enter would be RMI_ERROR_INPUT (A4.2.2); run_pas precedes every use, so none happens.
  return { s, recPtr: i.rec, runPtr: i.run_ptr, rec, realm, enter: readEnter(granuleView(s, granuleIndex(i.run_ptr)), gicv3NumLrs(s.platform)) };
}

/** RecEnterCtx once no failure condition holds: Rec(rec) exists (rec_gran_state), and so does its owner Realm. */
export type CheckedRecEnterCtx = Established<RecEnterCtx, 'rec' | 'realm'>;

const flag = (c: RecEnterCtx, f: bigint): boolean => (c.enter.flags & f) !== 0n;
const recOf = (c: RecEnterCtx): Rec | undefined => c.rec;
/** The last exit was an emulatable Data Abort, and the Host emulated it (inject_sea makes emul_mmio ignored, A4.2.3; E-ENTER-MMIO). */
const mmioDone = (c: RecEnterCtx): boolean => flag(c, RecEnterFlag.EMUL_MMIO) && !flag(c, RecEnterFlag.INJECT_SEA) && c.rec?.emulatableAbort === true;
/** inject_sea after a Data Abort at an Unprotected IPA (A4.2.3). */
const seaInjected = (c: RecEnterCtx): boolean => flag(c, RecEnterFlag.INJECT_SEA) && c.rec?.lastAbortUnprotected === true;

// -------------------------------------------------------------------------------------
// RMI_REC_ENTER
// -------------------------------------------------------------------------------------

/**
 * DEN0137 B4.3.14 RMI_REC_ENTER, entry half (A4.2): the REC becomes REC_RUNNING for the run
 * granule at run_ptr. Completes an emulated MMIO access (a read loads enter.gprs[0] into the
 * register ESR.ISS.SRT names; pc += 4), answers a RIPAS change request (X0 = RSI_SUCCESS,
 * X1 = rec.ripas_addr, X2 = RecRipasChangeResponse), copies enter.gprs into a pending Host
 * call's RsiHostCall (X0 = RSI_SUCCESS), takes enter.flags.trap_wfi / trap_wfe and the GIC state
 * for this run, and injects an SEA when asked after a Data Abort at an Unprotected IPA.
 * @category REC
 */
export const rmiRecEnter = defineCommand<{ readonly rec: bigint; readonly run_ptr: bigint }, RecEnterCtx, RecEntryReport, CheckedRecEnterCtx, RecEnterConclusion>({
  name: 'RMI_REC_ENTER',
  context,
  failures: {
    ...nsGranuleArg<RecEnterCtx>('run', (c) => c.runPtr),
    ...granuleArg<RecEnterCtx>('rec', (c) => c.recPtr, GranuleState.REC, 'rec_gran_state'),
    // D-ENCODING (B4.2): enter.flags bits 63:5 are SBZ.
    enter_valid: (c) => (c.enter.flags & ~FLAGS_DEFINED) !== 0n,
    realm_new: (c) => c.realm?.state === RealmState.REALM_NEW,
    system_off: (c) => c.realm?.state === RealmState.REALM_SYSTEM_OFF,
    rec_state: onRec(recOf, recRunning),
    rec_runnable: onRec(recOf, (r) => !r.runnable),
    // emul_mmio is set but the last exit was not an Emulatable Data Abort.
    // ERRATUM E-ENTER-MMIO: A4.2.3 makes the value of emul_mmio ignored whenever inject_sea is
    // set, whatever the last exit was; an ignored flag cannot make the command fail, so the
    // condition holds only when inject_sea is clear (B4.3.14.2 has no inject_sea qualifier).
    rec_mmio: onRec(recOf, (r, c) => flag(c, RecEnterFlag.EMUL_MMIO) && !flag(c, RecEnterFlag.INJECT_SEA) && !r.emulatableAbort),
    // !Gicv3ConfigIsValid(enter.gicv3_hcr, enter.gicv3_lrs).
    rec_gicv3: (c) => !gicv3ConfigIsValid(c.s.platform, c.enter.gicv3Hcr, c.enter.gicv3Lrs),
    rec_psci: onRec(recOf, (r) => r.psciPending),
    // exit_pas (heldAt: exit) is not checked here: it can only hold when the exit is written,
    // after the REC ran; runRec reports it (D-EXIT-GPF, A4.3.3).
  },
  // rec_gran_state makes Rec(rec) exist, and with it its owner Realm.
  checked: established('rec', 'realm'),
  apply: (c) => applyEntry(c),
  // The success conditions speak about the whole command, which ends when the REC exits:
  // exec/run.ts verifies them then (recEnterConcluded).
  post: recEnterPost,
  postAt: 'conclusion',
});

/** The entry half of RMI_REC_ENTER (DEN0137 A4.2); called only when no failure condition holds. */
function applyEntry(c: CheckedRecEnterCtx): readonly [RmmState, RecEntryReport] {
  const rec = c.rec;
  const realm = c.realm;
  const enter = c.enter;
  const recGi = granuleIndex(c.recPtr);
  let s = c.s;
  const gprs = rec.gprs.slice();
  let pc = rec.pc;
  let mmio: RecEntryReport['mmio'] = 'none';
  // DECISION D-INJECT-SEA: inject_sea has an effect only after a REC exit due to a Data Abort at
  // an Unprotected IPA (A4.2.3), and is otherwise ignored; TF-RMM's extra check (RMI_ERROR_REC
  // when it is set after any other exit) is not a failure condition of the spec.
  if (mmioDone(c)) {
    const esr = rec.lastEsr;
    const write = (esr & ESR_WNR) !== 0n;
    const srt = esrSrt(esr);
    // A read loads enter.gprs[0] into ESR.ISS.SRT (XZR: discarded).
    // DECISION D-MMIO-READ: the value is cut to the access size (SAS), as TF-RMM does; no sign
    // extension happens because the model's loads never set ISS.SSE.
    if (!write && srt !== 31) gprs[srt] = BigInt.asUintN(accessSize(esr) * 8, enterGpr0(enter));
    // The return address is the instruction after the emulated one.
    pc = BigInt.asUintN(64, pc + 4n);
    mmio = write ? 'write' : 'read';
  }
  // rec.ripas_response takes enter.flags.ripas_response at every entry (A5.4).
  const ripasResponse = flag(c, RecEnterFlag.RIPAS_RESPONSE) ? 1 : 0;
  const ripasPending = rec.ripasTop !== 0n;
  if (ripasPending) {
    // RecRipasChangeResponse (B3.40): REJECT only for RAM, not fully applied, and rejected by the Host.
    const reject = rec.ripasValue === 1 && rec.ripasAddr !== rec.ripasTop && ripasResponse === 1;
    gprs[0] = RsiStatus.RSI_SUCCESS;
    gprs[1] = rec.ripasAddr;
    gprs[2] = reject ? 1n : 0n;
  }
  let next = updateRec(rec, {
    state: RecState.REC_RUNNING,
    runPtr: c.runPtr,
    trapWfi: flag(c, RecEnterFlag.TRAP_WFI),
    trapWfe: flag(c, RecEnterFlag.TRAP_WFE),
    gicv3Hcr: enter.gicv3Hcr,
    // Only the implemented list registers were read (readEnter).
    gicv3Lrs: enter.gicv3Lrs,
    ripasResponse,
    pc,
    lastEsr: 0n,
    lastAbortUnprotected: false,
  });
  let hostCall: RecEntryReport['hostCall'] = 'none';
  if (rec.hostCallPending) {
    // A4.2.2: enter.gprs[0..30] are copied to the RsiHostCall at the address the call passed (X1).
    const addr = rec.gprs[1] ?? 0n;
    const t = protectedTarget(s, realm, addr);
    if (t.kind === 'unmapped') {
      // The structure is no longer mapped: a REC exit due to Data Abort (A4.2.2, D-RSI-MEM).
      const x = recExit(withRec(s, recGi, updateRec(next, { gprs })), recGi, unmappedAbort(addr, t.level));
      return [x.state, { seaInjected: false, mmio, ripasResponse: ripasPending, hostCall: 'aborted', exit: x.fields }];
    }
    // RIPAS EMPTY (only the Realm's own request can make it so): nothing is written (D-RSI-MEM).
    if (t.kind === 'page') s = writeHostCallGprs(s, t, enterGprsBytes(enter));
    gprs[0] = RsiStatus.RSI_SUCCESS;
    hostCall = 'completed';
    next = updateRec(next, { hostCallPending: false });
  }
  return [withRec(s, recGi, updateRec(next, { gprs })), { seaInjected: seaInjected(c), mmio, ripasResponse: ripasPending, hostCall, exit: undefined }];
}
