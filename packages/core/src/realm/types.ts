/**
 * Realm execution as the model sees it: what a Realm does between REC entry and REC exit
 * (actions), why a REC exits (exit causes), and what each action did (DEN0137 chapter A4).
 *
 * @packageDocumentation
 */
import type { CatalogueCommand, Rule } from '../catalogue/index.js';
import type { SpecFailure } from '../engine/command.js';
import type { RmmState } from '../model/state.js';

// -------------------------------------------------------------------------------------
// actions
// -------------------------------------------------------------------------------------

/** An SMC from the Realm: X0 = `regs[0]` (the FID), X1.. the rest; X registers not given up to X17 are zero (DEN0137 B1.2). @category REC execution */
export interface RealmCallAction {
  readonly kind: 'call';
  readonly regs: readonly bigint[];
}

/**
 * A load, store or instruction fetch by the Realm at `ipa` (DEN0137 A5.2). `size` (1, 2, 4 or 8
 * bytes; default 8) and `reg` (0..31, 31 being XZR; default 0) describe a data access. A write
 * stores `value` when given (it is first put in the register), else the register's value. `isv`
 * (default true) says whether the hardware reports the access in the syndrome (ISS.ISV): an
 * access at an Unprotected IPA with ISV = 1 is emulatable by the Host.
 * @category REC execution
 */
export interface RealmAccessAction {
  readonly kind: 'access';
  readonly ipa: bigint;
  readonly access: 'read' | 'write' | 'exec';
  readonly size?: 1 | 2 | 4 | 8;
  readonly reg?: number;
  readonly value?: bigint;
  readonly isv?: boolean;
}

/** An interrupt for the Host or an SError during Realm execution (DEN0137 A4.3.5, A4.3.6, A4.3.10). @category REC execution */
export interface RealmAsyncAction {
  readonly kind: 'exit';
  readonly reason: 'irq' | 'fiq' | 'serror';
  /** For an SError: the ISS (IDS, AET, EA, DFSC); default an asynchronous, restartable error. */
  readonly iss?: bigint;
}

/** A WFI, WFE, WFIT or WFET instruction (DEN0137 A4.3.4.1); `timeout` is the WFIT/WFET operand. @category REC execution */
export interface RealmWfxAction {
  readonly kind: 'wfx';
  readonly instr: 'wfi' | 'wfe' | 'wfit' | 'wfet';
  readonly timeout?: bigint;
}

/** One thing a Realm does while its REC runs (DEN0137 A4.1). @category REC execution */
export type RealmAction = RealmCallAction | RealmAccessAction | RealmAsyncAction | RealmWfxAction;

// -------------------------------------------------------------------------------------
// exits
// -------------------------------------------------------------------------------------

/** RmiRecExitReason (DEN0137 B4.4.17). @category REC execution */
export const RecExitReason = {
  RMI_EXIT_SYNC: 0,
  RMI_EXIT_IRQ: 1,
  RMI_EXIT_FIQ: 2,
  RMI_EXIT_PSCI: 3,
  RMI_EXIT_RIPAS_CHANGE: 4,
  RMI_EXIT_HOST_CALL: 5,
  RMI_EXIT_SERROR: 6,
} as const;
/** An RmiRecExitReason value (DEN0137 B4.4.17). @category REC execution */
export type RecExitReason = (typeof RecExitReason)[keyof typeof RecExitReason];
/** Names of {@link RecExitReason} values, by code (DEN0137 B4.4.17). @category REC execution */
export const recExitReasonName: readonly string[] = Object.keys(RecExitReason);

/** Why a REC exits, with what the RMM reports (DEN0137 A4.3). @category REC execution */
export type ExitCause =
  | { readonly kind: 'irq' }
  | { readonly kind: 'fiq' }
  | { readonly kind: 'serror'; readonly esr: bigint }
  | { readonly kind: 'wfx'; readonly esr: bigint; readonly timeout: bigint | undefined }
  | {
      readonly kind: 'data_abort';
      /** Full ESR_EL2 (the exit shows part of it). */
      readonly esr: bigint;
      readonly ipa: bigint;
      /** The Realm's view of the faulting address (FAR_EL2); the exit shows its page offset only. */
      readonly va: bigint;
      /** At an Unprotected IPA. */
      readonly unprotected: boolean;
      /** Emulatable (Unprotected and ISV = 1). */
      readonly emulatable: boolean;
      /** For an emulatable write: the value written (exit.gprs[0]). */
      readonly writeValue: bigint;
    }
  | { readonly kind: 'instruction_abort'; readonly esr: bigint; readonly ipa: bigint }
  | {
      readonly kind: 'psci';
      /** exit.gprs[0..3]: the FID and the sanitised arguments. */
      readonly gprs: readonly [bigint, bigint, bigint, bigint];
      /** The call carries an MPIDR: the Host must call RMI_PSCI_COMPLETE. */
      readonly pending: boolean;
      /** When the RMM completes the call itself: X0 on the next entry (X1..X3 become zero). */
      readonly result: bigint | undefined;
    }
  | { readonly kind: 'ripas_change'; readonly base: bigint; readonly top: bigint; readonly value: number }
  | { readonly kind: 'host_call'; readonly imm: bigint; readonly gprs: readonly bigint[] };

/** The RmiRecExit the RMM wrote, field by field (names as in DEN0137 B4.4.16). @category REC execution */
export interface RecExitFields {
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

// -------------------------------------------------------------------------------------
// results
// -------------------------------------------------------------------------------------

/** What an access that did not exit did inside the Realm (DEN0137 A5.2.3, A5.2.6–A5.2.9). @category REC execution */
export type AccessOutcome =
  /** The access completed; for a read, `value` is what was loaded. */
  | { readonly kind: 'completed'; readonly value: bigint | undefined }
  /** A Synchronous External Abort was taken to the Realm. */
  | { readonly kind: 'sea' }
  /** A stage 1 Address Size Fault was taken to the Realm (IPA beyond the IPA space). */
  | { readonly kind: 'address_size_fault' }
  /** A Granule Protection Fault was taken to the Realm (Unprotected IPA mapped to a PA outside the Non-secure PAS). */
  | { readonly kind: 'gpf' }
  /** An Alignment fault was taken to the Realm (the access is not aligned to its size). */
  | { readonly kind: 'alignment_fault' };

/** What a Realm call did (DEN0137 B5.3, B6.3). @category REC execution */
export interface RealmCallResult {
  /** The command the FID selected; undefined for SMCCC_VERSION and unknown FIDs. */
  readonly command: CatalogueCommand | undefined;
  /** The function id (W0 without the SVE hint). */
  readonly fid: number;
  /** The failure condition that held, if any. */
  readonly failure: SpecFailure | undefined;
  /** X0..X30 of the REC after the call; for a call that exits, what they hold until the next entry. */
  readonly regs: readonly bigint[];
  /**
   * The failure conditions of the command that held, in listed order (every one is evaluated, so
   * the permitted failures follow from them); empty for SMCCC_VERSION and unknown FIDs.
   */
  readonly held: readonly Rule[];
}

/** The result of one Realm action (DEN0137 A4.3). @category REC execution */
export interface RealmStepResult {
  /** The state after the action. */
  readonly state: RmmState;
  /** The action. */
  readonly action: RealmAction;
  /** The REC exit it caused: the RmiRecExit written to the run granule. Undefined when the Realm continues. */
  readonly exit: RecExitFields | undefined;
  /**
   * The exit could not be written: the run granule left the Non-secure PAS while the REC ran,
   * so RMI_REC_ENTER fails with RMI_ERROR_INPUT (DEN0137 A4.3.3).
   */
  readonly exitGpf: boolean;
  /** For a call: what it did. */
  readonly call: RealmCallResult | undefined;
  /** For an access that stayed inside the Realm: its outcome. */
  readonly access: AccessOutcome | undefined;
}
