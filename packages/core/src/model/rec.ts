/**
 * RECs: the attributes of a Realm Execution Context (DEN0137 A2.3, C1.19–C1.25).
 *
 * @packageDocumentation
 */
import type { GranuleIndex } from './bits.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** RmmRecState (DEN0137 A2.3.4, C1.24). @category REC */
export const RecState = {
  /** Not running: the REC can be entered or destroyed. */
  REC_READY: 0,
  /** Running: inside RMI_REC_ENTER on some PE. */
  REC_RUNNING: 1,
} as const;
/** A REC lifecycle state (DEN0137 A2.3.4). @category REC */
export type RecState = (typeof RecState)[keyof typeof RecState];

/** RmmRecAttestState (DEN0137 C1.20). @category REC */
export const AttestState = {
  /** No attestation token generation is under way. */
  NO_ATTEST_IN_PROGRESS: 0,
  /** RSI_ATTESTATION_TOKEN_INIT started a token; CONTINUE calls produce it. */
  ATTEST_IN_PROGRESS: 1,
} as const;
/** Whether a REC is producing an attestation token (DEN0137 C1.20). @category REC */
export type AttestState = (typeof AttestState)[keyof typeof AttestState];

/** Number of general-purpose registers saved in a REC: X0..X30. @category REC */
export const REC_GPRS = 31;

/** The attributes of a REC (DEN0137 C1.19 RmmRec). @category REC */
export interface Rec {
  /** owner: granule index of the RD of the owning Realm. */
  readonly owner: GranuleIndex;
  /** state: REC_READY or REC_RUNNING. */
  readonly state: RecState;
  /** flags.runnable: whether the REC may be entered. */
  readonly runnable: boolean;
  /** mpidr: the REC's MPIDR (RmiRecMpidr encoding). */
  readonly mpidr: bigint;
  /** The REC index that the MPIDR encodes (DEN0137 A2.3.3). */
  readonly index: number;
  /** pc: the program counter the REC resumes at. */
  readonly pc: bigint;
  /** gprs[0..30]: the saved general-purpose registers. */
  readonly gprs: readonly bigint[];
  /** aux: granule indexes of the auxiliary granules. */
  readonly aux: readonly GranuleIndex[];
  /** psci_pending: a PSCI request waits for RMI_PSCI_COMPLETE. */
  readonly psciPending: boolean;
  /** emulatable_abort: the last exit was an emulatable Data Abort. */
  readonly emulatableAbort: boolean;
  /** attest_state. */
  readonly attestState: AttestState;
  /** attest_challenge: 64 bytes from RSI_ATTESTATION_TOKEN_INIT. */
  readonly attestChallenge: Uint8Array;
  /** ripas_addr: next address of a pending RIPAS change. */
  readonly ripasAddr: bigint;
  /** ripas_top: top of a pending RIPAS change. */
  readonly ripasTop: bigint;
  /** ripas_value: the RIPAS a pending change asks for. */
  readonly ripasValue: number;
  /** ripas_destroyed: the change may apply to DESTROYED entries (RSI_CHANGE_DESTROYED). */
  readonly ripasDestroyed: boolean;
  /** ripas_response: the Host's answer at the last entry (0 ACCEPT, 1 REJECT). */
  readonly ripasResponse: number;
  /** host_call_pending: an RSI_HOST_CALL waits for the next REC entry. */
  readonly hostCallPending: boolean;
  /** The RmiRecRun PA of the current REC entry (meaningful while REC_RUNNING; DEN0137 A4.1). */
  readonly runPtr: bigint;
  /** enter.flags.trap_wfi of the current REC entry: WFI and WFIT exit to the Host (DEN0137 A4.3.4.1). */
  readonly trapWfi: boolean;
  /** enter.flags.trap_wfe of the current REC entry: WFE and WFET exit to the Host (DEN0137 A4.3.4.1). */
  readonly trapWfe: boolean;
  /** The Host-controlled ICH_HCR_EL2 bits of the current REC entry (DEN0137 A6.1). */
  readonly gicv3Hcr: bigint;
  /** ICH_LR<n>_EL2 of the current REC entry, one per implemented list register (DEN0137 A6.1). */
  readonly gicv3Lrs: readonly bigint[];
  /** RmiRecExitReason of the most recent REC exit; −1 before the first (DEN0137 A4.3.2). */
  readonly lastExitReason: number;
  /**
   * ESR_EL2 of the most recent REC exit due to a Data or Instruction Abort or WFx, with the
   * fields the Host does not see (SRT, SSE); 0 otherwise and after the next entry (DEN0137 A4.2.3).
   */
  readonly lastEsr: bigint;
  /** The most recent REC exit was due to a Data Abort at an Unprotected IPA (DEN0137 A4.2.3 inject_sea). */
  readonly lastAbortUnprotected: boolean;
  /** The CCA token that RSI_ATTESTATION_TOKEN_CONTINUE hands out; empty when none (DEN0137 A7.2.2). */
  readonly attestToken: Uint8Array;
  /** Bytes of {@link Rec.attestToken} already copied to the Realm (DEN0137 B5.3.1). */
  readonly attestOffset: number;
}

/** An empty attestation token: shared, never written. @internal */
export const NO_TOKEN: Uint8Array = new Uint8Array(0);

/** No list registers: shared, never written. @internal */
export const NO_LRS: readonly bigint[] = Object.freeze([]);

/**
 * The attributes a new REC takes beyond those RMI_REC_CREATE sets from its params: not entered
 * yet, no exit, no token (DEN0137 A2.3, B4.3.12.3). Spread last into the REC literal, so that
 * every REC record has the same keys in the same order as {@link updateRec} builds. @internal
 */
export const REC_RUN_INITIAL = {
  runPtr: 0n,
  trapWfi: false,
  trapWfe: false,
  gicv3Hcr: 0n,
  gicv3Lrs: NO_LRS,
  lastExitReason: -1,
  lastEsr: 0n,
  lastAbortUnprotected: false,
  attestToken: NO_TOKEN,
  attestOffset: 0,
} as const;

/** DEN0137 A2.3.3 RecIndex: the REC index an RmiRecMpidr value encodes (Aff3:Aff2:Aff1:Aff0[3:0]). @category REC */
export function recIndexOfMpidr(mpidr: bigint): number {
  const m = Number(mpidr & 0xffff_ffffn);
  const aff0 = m & 0xf;
  const aff1 = (m >>> 8) & 0xff;
  const aff2 = (m >>> 16) & 0xff;
  const aff3 = (m >>> 24) & 0xff;
  return aff0 + 16 * aff1 + 4096 * aff2 + 1048576 * aff3;
}

/**
 * The REC with `patch` applied; the only way REC records are updated, so their key order stays
 * fixed (canonical hashing) and no object spread runs on the hot path. @internal
 */
export function updateRec(r: Rec, patch: Partial<Rec>): Rec {
  return {
    owner: patch.owner ?? r.owner,
    state: patch.state ?? r.state,
    runnable: patch.runnable ?? r.runnable,
    mpidr: patch.mpidr ?? r.mpidr,
    index: patch.index ?? r.index,
    pc: patch.pc ?? r.pc,
    gprs: patch.gprs ?? r.gprs,
    aux: patch.aux ?? r.aux,
    psciPending: patch.psciPending ?? r.psciPending,
    emulatableAbort: patch.emulatableAbort ?? r.emulatableAbort,
    attestState: patch.attestState ?? r.attestState,
    attestChallenge: patch.attestChallenge ?? r.attestChallenge,
    ripasAddr: patch.ripasAddr ?? r.ripasAddr,
    ripasTop: patch.ripasTop ?? r.ripasTop,
    ripasValue: patch.ripasValue ?? r.ripasValue,
    ripasDestroyed: patch.ripasDestroyed ?? r.ripasDestroyed,
    ripasResponse: patch.ripasResponse ?? r.ripasResponse,
    hostCallPending: patch.hostCallPending ?? r.hostCallPending,
    runPtr: patch.runPtr ?? r.runPtr,
    trapWfi: patch.trapWfi ?? r.trapWfi,
    trapWfe: patch.trapWfe ?? r.trapWfe,
    gicv3Hcr: patch.gicv3Hcr ?? r.gicv3Hcr,
    gicv3Lrs: patch.gicv3Lrs ?? r.gicv3Lrs,
    lastExitReason: patch.lastExitReason ?? r.lastExitReason,
    lastEsr: patch.lastEsr ?? r.lastEsr,
    lastAbortUnprotected: patch.lastAbortUnprotected ?? r.lastAbortUnprotected,
    attestToken: patch.attestToken ?? r.attestToken,
    attestOffset: patch.attestOffset ?? r.attestOffset,
  };
}
