/**
 * The RMI dispatch table: Host SMCs routed to the RMI commands by function id
 * (DEN0137 B4.3; TF-RMM runtime/core/handler.c keeps the same table).
 *
 * @packageDocumentation
 */
import { asRegisterCommand, callWithRegisters, dispatchTable, encodeRmiResult, functionId, SMCCC_NOT_SUPPORTED, type RegisterCommand, type RoutedCommand, type SmcResult } from '../abi/smc.js';
import type { SpecFailure } from '../engine/command.js';
import type { RuleHits } from '../engine/hits.js';
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
import { runRec } from '../exec/run.js';

/** The RMI commands the model implements, in FID order. */
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

/** The RMI command that answers `fid` (SVE hint cleared), with its register layout, if any. */
export function rmiRoute(fid: number): RoutedCommand | undefined {
  return table.route(fid);
}
const recEnter = asRegisterCommand(rmiRecEnter);
const encodeRmi = (f: SpecFailure): bigint => encodeRmiResult(f.code, f.index);

/**
 * A Host SMC to the RMM: `regs` holds X0 (the function id) and X1..X6. The SVE hint bit of the
 * function id is ignored; an id that is no RMI command gives SMCCC_NOT_SUPPORTED and changes
 * nothing. Pass `hits` to count which catalogue rules the call reached and established.
 */
export function smc(s: RmmState, regs: readonly bigint[], hits?: RuleHits): SmcResult {
  const command = table.route(functionId(regs[0] ?? 0n));
  if (command === undefined) return { state: s, regs: [SMCCC_NOT_SUPPORTED], command: undefined, failure: undefined };
  if (command.command === recEnter) {
    // RMI_REC_ENTER by SMC: the REC is entered and the Realm takes no step, so it exits at once
    // due to IRQ (exec/run.ts runs Realm steps).
    const r = runRec(s, { rec: BigInt.asUintN(64, regs[1] ?? 0n), run_ptr: BigInt.asUintN(64, regs[2] ?? 0n) }, [], hits);
    return { state: r.state, regs: [r.x0], command: recEnter.entry, failure: r.failure };
  }
  return callWithRegisters(s, command, regs, encodeRmi, hits);
}
