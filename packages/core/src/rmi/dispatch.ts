/**
 * The RMI dispatch table: Host SMCs routed to the RMI commands by function id
 * (DEN0137 B4.3; TF-RMM runtime/core/handler.c keeps the same table).
 *
 * @packageDocumentation
 */
import { asRegisterCommand, callWithRegisters, dispatchTable, encodeRmiResult, functionId, SMCCC_NOT_SUPPORTED, type RegisterCommand, type SmcResult } from '../abi/smc.js';
import type { RuleHits } from '../engine/hits.js';
import type { RmmState } from '../model/state.js';
import { rmiFeatures, rmiVersion } from './features.js';
import { rmiGranuleDelegate, rmiGranuleUndelegate } from './granule.js';
import { rmiRealmActivate, rmiRealmCreate, rmiRealmDestroy } from './realm.js';
import { rmiRecAuxCount, rmiRecCreate, rmiRecDestroy } from './rec.js';

/** The RMI commands the model implements, in FID order. */
export const rmiCommands: readonly RegisterCommand[] = [
  asRegisterCommand(rmiVersion),
  asRegisterCommand(rmiGranuleDelegate),
  asRegisterCommand(rmiGranuleUndelegate),
  asRegisterCommand(rmiRealmActivate),
  asRegisterCommand(rmiRealmCreate),
  asRegisterCommand(rmiRealmDestroy),
  asRegisterCommand(rmiRecCreate),
  asRegisterCommand(rmiRecDestroy),
  asRegisterCommand(rmiFeatures),
  asRegisterCommand(rmiRecAuxCount),
];

const table = dispatchTable(rmiCommands);

/**
 * A Host SMC to the RMM: `regs` holds X0 (the function id) and X1..X6. The SVE hint bit of the
 * function id is ignored; an id that is no RMI command gives SMCCC_NOT_SUPPORTED and changes
 * nothing. Pass `hits` to count which catalogue rules the call reached and established.
 */
export function smc(s: RmmState, regs: readonly bigint[], hits?: RuleHits): SmcResult {
  const command = table.route(functionId(regs[0] ?? 0n));
  if (command === undefined) return { state: s, regs: [SMCCC_NOT_SUPPORTED], command: undefined, failure: undefined };
  return callWithRegisters(s, command, regs, (f) => encodeRmiResult(f.code, f.index), hits);
}
