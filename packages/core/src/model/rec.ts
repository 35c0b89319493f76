/**
 * RECs: the attributes of a Realm Execution Context (DEN0137 A2.3, C1.19–C1.25).
 *
 * @packageDocumentation
 */
import type { GranuleIndex } from './bits.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** RmmRecState (DEN0137 A2.3.4, C1.24). */
export const RecState = {
  /** Not running: the REC can be entered or destroyed. */
  REC_READY: 0,
  /** Running: inside RMI_REC_ENTER on some PE. */
  REC_RUNNING: 1,
} as const;
/** A REC lifecycle state (DEN0137 A2.3.4). */
export type RecState = (typeof RecState)[keyof typeof RecState];

/** RmmRecAttestState (DEN0137 C1.20). */
export const AttestState = {
  /** No attestation token generation is under way. */
  NO_ATTEST_IN_PROGRESS: 0,
  /** RSI_ATTESTATION_TOKEN_INIT started a token; CONTINUE calls produce it. */
  ATTEST_IN_PROGRESS: 1,
} as const;
/** Whether a REC is producing an attestation token (DEN0137 C1.20). */
export type AttestState = (typeof AttestState)[keyof typeof AttestState];

/** Number of general-purpose registers saved in a REC: X0..X30. */
export const REC_GPRS = 31;

/** The attributes of a REC (DEN0137 C1.19 RmmRec). */
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
}

/** DEN0137 A2.3.3 RecIndex: the REC index an RmiRecMpidr value encodes (Aff3:Aff2:Aff1:Aff0[3:0]). */
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
  };
}
