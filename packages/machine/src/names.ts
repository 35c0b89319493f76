/**
 * Names for reports: RMI, RSI and PSCI status codes (core's tables), REC exits, and Realm actions
 * written as calls (DEN0137 B4.4.25 RmiCommandReturnCode, B5.4.1 RsiCommandReturnCode, B6.4.2
 * PsciReturnCode, B4.4.17 RmiRecExitReason).
 *
 * @packageDocumentation
 */
import {
  ExceptionClass,
  SMCCC_NOT_SUPPORTED,
  SMCCC_VERSION_FID,
  decodeRmiResult,
  ecOf,
  functionId,
  ipaOfHpfar,
  isvOf,
  psciStatusName,
  realmCommandOf,
  recExitReasonName,
  ripasName,
  rsiStatusName,
  type RealmAction,
  type RecExitFields,
  type Ripas,
} from '@realmspec/core';
import { hex } from '@realmspec/core/internal';
import { accessSizeOf } from '@realmspec/memory';
import { realmCallInputs } from './layout.js';
import { callText } from './steps.js';

// -------------------------------------------------------------------------------------
// status codes
// -------------------------------------------------------------------------------------

/** DEN0137 B4.4.25: an RMI X0 as its status name, with the index when there is one: `RMI_ERROR_RTT(2)` (core `decodeRmiResult`). */
export function rmiResultName(x0: bigint): string {
  const r = decodeRmiResult(x0);
  return r.index === 0 || !r.status.startsWith('RMI_') ? r.status : `${r.status}(${r.index})`;
}

/** DEN0137 B5.4.1, B6.4.2: the status name of X0 after a Realm call to function `fid` (its value in hex when it names no status). */
export function realmStatusName(fid: number, x0: bigint): string {
  const command = realmCommandOf(fid);
  let name: string | undefined;
  if (command === undefined) name = x0 === SMCCC_NOT_SUPPORTED ? 'SMCCC_NOT_SUPPORTED' : undefined;
  else name = command.entry.iface === 'PSCI' ? psciStatusName(x0) : rsiStatusName(x0);
  return name ?? hex(x0);
}

// -------------------------------------------------------------------------------------
// Realm actions and REC exits
// -------------------------------------------------------------------------------------

/** The name of the Realm call with function id `fid` (RSI, PSCI, SMCCC_VERSION). */
export function realmCallName(fid: number): string {
  if (fid === SMCCC_VERSION_FID) return 'SMCCC_VERSION';
  return realmCommandOf(fid)?.entry.name ?? `SMC ${hex(fid)}`;
}

/** A Realm action as a call, e.g. `RSI_IPA_STATE_SET(base=0x…, top=0x…, ripas=0x0, flags=0x0)` or `write 8 bytes 0x2a at IPA 0x…`. */
export function describeAction(a: RealmAction): string {
  switch (a.kind) {
    case 'call': {
      const fid = functionId(a.regs[0] ?? 0n);
      return callText(realmCallName(fid), realmCallInputs(fid).map(([name, reg]) => [name, a.regs[reg] ?? 0n] as const));
    }
    case 'access': {
      const value = a.access === 'write' && a.value !== undefined ? ` ${hex(a.value)}` : a.access === 'write' ? ` x${a.reg ?? 0}` : '';
      return `${a.access} ${accessSizeOf(a)} bytes${value} at IPA ${hex(a.ipa)}`;
    }
    case 'wfx':
      return a.instr.toUpperCase();
    case 'exit':
      return `${a.reason.toUpperCase()} arrives`;
  }
}

/** DEN0137 A4.3: a REC exit in words: its reason and the fields that matter for it. */
export function describeExit(x: RecExitFields): string {
  const reason = recExitReasonName[x.exit_reason] ?? `reason ${x.exit_reason}`;
  const ipa = hex(ipaOfHpfar(x.hpfar));
  switch (reason) {
    case 'RMI_EXIT_SYNC': {
      const ec = ecOf(x.esr);
      if (ec === ExceptionClass.DATA_ABORT) return `${reason}: Data Abort at IPA ${ipa}${isvOf(x.esr) ? ' (emulatable)' : ''}`;
      if (ec === ExceptionClass.INSTRUCTION_ABORT) return `${reason}: Instruction Abort at IPA ${ipa}`;
      if (ec === ExceptionClass.WFX) return `${reason}: WFx trapped`;
      return `${reason}: ESR ${hex(x.esr)}`;
    }
    case 'RMI_EXIT_RIPAS_CHANGE':
      return `${reason}: [${hex(x.ripas_base)}, ${hex(x.ripas_top)}) to ${ripasName[x.ripas_value as Ripas] ?? x.ripas_value}`;
    case 'RMI_EXIT_PSCI':
      return `${reason}: ${realmCallName(functionId(x.gprs[0] ?? 0n))}`;
    case 'RMI_EXIT_HOST_CALL':
      return `${reason}: imm ${hex(x.imm)}`;
    default:
      return reason;
  }
}
