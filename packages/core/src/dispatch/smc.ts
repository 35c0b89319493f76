/**
 * The RMI dispatch table: Host SMCs routed to the RMI commands by function id
 * (DEN0137 B4.3; TF-RMM runtime/core/handler.c keeps the same table).
 *
 * @packageDocumentation
 */
import { asRegisterCommand, callWithRegisters, dispatchTable, encodeRmiResult, functionId, SMCCC_NOT_SUPPORTED, type RegisterCommand, type RoutedCommand, type SmcResult } from '../abi/smc.js';
import type { SpecFailure } from '../engine/command.js';
import { RuleHits } from '../engine/hits.js';
import { InputError, isU64, requireU64 } from '../internal/errors.js';
import type { RmmState } from '../model/state.js';
import { rmiFeatures, rmiVersion } from '../rmi/features.js';
import { rmiGranuleDelegate, rmiGranuleUndelegate } from '../rmi/granule.js';
import { rmiRealmActivate, rmiRealmCreate, rmiRealmDestroy } from '../rmi/realm.js';
import { rmiRecAuxCount, rmiRecCreate, rmiRecDestroy } from '../rmi/rec.js';
import { rmiDataCreate, rmiDataCreateUnknown, rmiDataDestroy } from '../rmi/data.js';
import { rmiRttCreate, rmiRttDestroy, rmiRttFold, rmiRttReadEntry } from '../rmi/rtt.js';
import { rmiRttMapUnprotected, rmiRttUnmapUnprotected } from '../rmi/rtt-ns.js';
import { rmiRttInitRipas, rmiRttSetRipas } from '../rmi/ripas.js';
import { rmiRecEnter } from '../rmi/rec-enter.js';
import { rmiPsciComplete } from '../rmi/psci-complete.js';
import { runRec, type RunObserver, type RunResult } from '../exec/run.js';
import type { RealmAction } from '../realm/types.js';

/** The RMI commands the model implements, in FID order. @category SMC/ABI */
export const rmiCommands: readonly RegisterCommand[] = [
  asRegisterCommand(rmiVersion),
  asRegisterCommand(rmiGranuleDelegate),
  asRegisterCommand(rmiGranuleUndelegate),
  asRegisterCommand(rmiDataCreate),
  asRegisterCommand(rmiDataCreateUnknown),
  asRegisterCommand(rmiDataDestroy),
  asRegisterCommand(rmiRealmActivate),
  asRegisterCommand(rmiRealmCreate),
  asRegisterCommand(rmiRealmDestroy),
  asRegisterCommand(rmiRecCreate),
  asRegisterCommand(rmiRecDestroy),
  asRegisterCommand(rmiRecEnter),
  asRegisterCommand(rmiRttCreate),
  asRegisterCommand(rmiRttDestroy),
  asRegisterCommand(rmiRttMapUnprotected),
  asRegisterCommand(rmiRttReadEntry),
  asRegisterCommand(rmiRttUnmapUnprotected),
  asRegisterCommand(rmiPsciComplete),
  asRegisterCommand(rmiFeatures),
  asRegisterCommand(rmiRttFold),
  asRegisterCommand(rmiRecAuxCount),
  asRegisterCommand(rmiRttInitRipas),
  asRegisterCommand(rmiRttSetRipas),
];

const table = dispatchTable(rmiCommands);

/** The RMI command that answers `fid` (SVE hint cleared), with its register layout, if any. @category SMC/ABI */
export function rmiRoute(fid: number): RoutedCommand | undefined {
  return table.route(fid);
}
const recEnter = asRegisterCommand(rmiRecEnter);
const encodeRmi = (f: SpecFailure): bigint => encodeRmiResult(f.code, f.index);

/** Options of {@link smc}. @category SMC/ABI */
export interface SmcOptions {
  /** Counts the catalogue rules the call reached and established. */
  readonly hits?: RuleHits;
  /**
   * For RMI_REC_ENTER: what the Realm does once its REC is entered, until one action causes a
   * REC exit (an action list without one ends with a REC exit due to IRQ). Default: nothing.
   */
  readonly realm?: readonly RealmAction[];
  /** For RMI_REC_ENTER: watches each Realm action with the state before it and its result. */
  readonly observe?: RunObserver;
}

/** The result of {@link smc}: for RMI_REC_ENTER also the Realm's run. @category SMC/ABI */
export interface HostSmcResult extends SmcResult {
  /** For RMI_REC_ENTER: the entry, the Realm's actions and the REC exit (DEN0137 B4.3.14, A4). */
  readonly run?: RunResult;
}

/**
 * DEN0137 B4.1 A Host SMC to the RMM: `regs` holds X0 (the function id) and X1.., each a 64-bit
 * value. The SVE hint bit of the function id is ignored; an id that is no RMI command gives
 * SMCCC_NOT_SUPPORTED and changes nothing. RMI_REC_ENTER runs the Realm actions of
 * `options.realm`. Pass hits (or `options.hits`) to count which catalogue rules the call
 * reached and established.
 * @category SMC/ABI
 */
export function smc(s: RmmState, regs: readonly bigint[], options?: RuleHits | SmcOptions): HostSmcResult {
  const o: SmcOptions = options instanceof RuleHits ? { hits: options } : (options ?? {});
  // DECISION D-REGS: every register is a 64-bit value; anything else is an InputError naming it,
  // as the typed commands do (values are not reduced modulo 2^64).
  if (!Array.isArray(regs)) throw new InputError('smc.regs', 'an array of register values X0, X1, ...', regs);
  for (let k = 0; k < regs.length; k++) if (!isU64(regs[k])) requireU64(`smc.regs[${k}] (X${k})`, regs[k]);
  const command = table.route(functionId(regs[0] ?? 0n));
  if (command === undefined) return { state: s, regs: [SMCCC_NOT_SUPPORTED], command: undefined, failure: undefined };
  if (command.command === recEnter) {
    // RMI_REC_ENTER: the REC is entered and runs the Realm's actions (exec/run.ts).
    const r = runRec(s, { rec: regs[1] ?? 0n, run_ptr: regs[2] ?? 0n }, o.realm ?? [], o.hits, o.observe);
    return { state: r.state, regs: [r.x0], command: recEnter.entry, failure: r.failure, run: r };
  }
  return callWithRegisters(s, command, regs, encodeRmi, o.hits);
}
