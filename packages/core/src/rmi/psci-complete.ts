/**
 * RMI_PSCI_COMPLETE: the Host completes a PSCI call that named another REC by MPIDR
 * (PSCI_CPU_ON, PSCI_AFFINITY_INFO), giving that REC and a status (DEN0137 B4.3.7, A4.3.7,
 * B3.27 PsciReturnCodePermitted).
 *
 * @packageDocumentation
 */
import { functionId } from '../abi/smc.js';
import { catalogueCommand } from '../catalogue/index.js';
import { defineCommand, type Check } from '../engine/command.js';
import { established, type Established } from '../engine/refine.js';
import { granuleIndex } from '../model/bits.js';
import { GranuleState } from '../model/granule.js';
import { updateRec, type Rec } from '../model/rec.js';
import { withRec, type RmmState } from '../model/state.js';
import { PsciStatus } from '../abi/status.js';
import { psciCompletePost } from '../post/psci-complete.js';
import { granuleArg, onRec, recAt } from './common.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What RMI_PSCI_COMPLETE reads (DEN0137 B4.3.7.1). @category REC */
export interface PsciCompleteCtx {
  readonly s: RmmState;
  readonly callingPtr: bigint;
  readonly targetPtr: bigint;
  readonly status: bigint;
  /** Rec(calling_rec), read whatever calling_rec is (D-WELLFORMED). */
  readonly calling: Rec | undefined;
  /** Rec(target_rec). */
  readonly target: Rec | undefined;
}

const CPU_ON = new Set(catalogueCommand('PSCI_CPU_ON').fids);

/** The pending call is PSCI_CPU_ON (either FID): Rec(calling_rec).gprs[0] == FID_PSCI_CPU_ON. */
const isCpuOn = (r: Rec): boolean => CPU_ON.has(functionId(r.gprs[0] ?? 0n));

/**
 * DEN0137 B3.27 PsciReturnCodePermitted(calling, target, status): PSCI_SUCCESS always; PSCI_DENIED
 * for a PSCI_CPU_ON whose target is not RUNNABLE; nothing else.
 * @category REC
 */
export function psciReturnCodePermitted(calling: Rec, target: Rec, status: bigint): boolean {
  if (status === PsciStatus.PSCI_SUCCESS) return true;
  // The Host may deny a PSCI_CPU_ON only while the target CPU is not on.
  return isCpuOn(calling) && !target.runnable && status === PsciStatus.PSCI_DENIED;
}

/** PsciCompleteCtx once no failure condition holds: Rec(calling_rec) and Rec(target_rec) exist (calling_state, target_state). */
export type CheckedPsciCompleteCtx = Established<PsciCompleteCtx, 'calling' | 'target'>;

const callingOf = (c: PsciCompleteCtx): Rec | undefined => c.calling;

/** A check on Rec(calling_rec) and Rec(target_rec): false unless both are defined (D-WELLFORMED). */
const onBoth = (p: (calling: Rec, target: Rec, c: PsciCompleteCtx) => boolean): Check<PsciCompleteCtx> =>
  onRec(callingOf, (calling, c) => c.target !== undefined && p(calling, c.target, c));

// -------------------------------------------------------------------------------------
// RMI_PSCI_COMPLETE
// -------------------------------------------------------------------------------------

/**
 * DEN0137 B4.3.7 RMI_PSCI_COMPLETE: the calling REC's pending PSCI request is completed with the
 * target REC the Host names. The caller's gprs[0] gets the result, gprs[1..3] become zero. A
 * successful PSCI_CPU_ON of a target that is not RUNNABLE starts it: pc = entry point,
 * X0 = context id, X1..X30 = 0, RUNNABLE.
 * @category REC
 */
export const rmiPsciComplete = defineCommand<
  { readonly calling_rec: bigint; readonly target_rec: bigint; readonly status: bigint },
  PsciCompleteCtx,
  Record<string, never>,
  CheckedPsciCompleteCtx
>({
  name: 'RMI_PSCI_COMPLETE',
  context: (s, i) => ({ s, callingPtr: i.calling_rec, targetPtr: i.target_rec, status: i.status, calling: recAt(s, i.calling_rec), target: recAt(s, i.target_rec) }),
  failures: {
    alias: (c) => c.callingPtr === c.targetPtr,
    ...granuleArg<PsciCompleteCtx>('calling', (c) => c.callingPtr, GranuleState.REC),
    ...granuleArg<PsciCompleteCtx>('target', (c) => c.targetPtr, GranuleState.REC),
    pending: onRec(callingOf, (calling) => !calling.psciPending),
    owner: onBoth((calling, target) => target.owner !== calling.owner),
    // Rec(target_rec).mpidr != Rec(calling_rec).gprs[1], the MPIDR the Realm passed. The call
    // accepted only a valid encoding (D-MPIDR), so comparing bits is comparing REC indexes.
    target: onBoth((calling, target) => target.mpidr !== (calling.gprs[1] ?? 0n)),
    status: onBoth((calling, target, c) => !psciReturnCodePermitted(calling, target, c.status)),
  },
  post: psciCompletePost,
  checked: established('calling', 'target'),
  apply: (c) => {
    const calling = c.calling;
    const target = c.target;
    let s = c.s;
    let result: bigint;
    // DECISION D-PSCI-DENIED: a status the request does not permit is a failure that changes
    // nothing, as the spec says; TF-RMM completes a CPU_ON denied for a running target anyway
    // (caller gets PSCI_ALREADY_ON) while returning RMI_ERROR_INPUT.
    if (c.status !== PsciStatus.PSCI_SUCCESS) result = c.status;
    else if (isCpuOn(calling)) {
      if (target.runnable) result = PsciStatus.PSCI_ALREADY_ON;
      else {
        // The target starts at the entry point with X0 = context id and every other GPR zero.
        const gprs = new Array<bigint>(target.gprs.length).fill(0n);
        gprs[0] = calling.gprs[3] ?? 0n;
        s = withRec(s, granuleIndex(c.targetPtr), updateRec(target, { gprs, pc: calling.gprs[2] ?? 0n, runnable: true }));
        result = PsciStatus.PSCI_SUCCESS;
      }
    } else result = target.runnable ? PsciStatus.PSCI_SUCCESS : PsciStatus.PSCI_OFF;
    const gprs = calling.gprs.slice();
    gprs[0] = result;
    gprs[1] = 0n;
    gprs[2] = 0n;
    gprs[3] = 0n;
    return [withRec(s, granuleIndex(c.callingPtr), updateRec(calling, { gprs, psciPending: false })), {}];
  },
});
