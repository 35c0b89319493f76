/**
 * Names for reports: RMI, RSI and PSCI status codes, REC exits, and Realm actions written as
 * calls (DEN0137 B4.4.25 RmiCommandReturnCode, B5.4.1 RsiCommandReturnCode, B6.4.2
 * PsciReturnCode, B4.4.17 RmiRecExitReason).
 *
 * @packageDocumentation
 */
import {
  SMCCC_NOT_SUPPORTED,
  SMCCC_VERSION_FID,
  functionId,
  realmCommandOf,
  recExitReasonName,
  type RealmAction,
  type RecExitFields,
} from '@realmspec/core';
import { callText } from './steps.js';

// -------------------------------------------------------------------------------------
// status codes
// -------------------------------------------------------------------------------------

const RMI_STATUS = ['RMI_SUCCESS', 'RMI_ERROR_INPUT', 'RMI_ERROR_REALM', 'RMI_ERROR_REC', 'RMI_ERROR_RTT'];
const RSI_STATUS = ['RSI_SUCCESS', 'RSI_ERROR_INPUT', 'RSI_ERROR_STATE', 'RSI_INCOMPLETE', 'RSI_ERROR_UNKNOWN'];
const PSCI_STATUS = new Map<bigint, string>([
  [0n, 'PSCI_SUCCESS'],
  [BigInt.asUintN(64, -1n), 'PSCI_NOT_SUPPORTED'],
  [BigInt.asUintN(64, -2n), 'PSCI_INVALID_PARAMETERS'],
  [BigInt.asUintN(64, -3n), 'PSCI_DENIED'],
  [BigInt.asUintN(64, -4n), 'PSCI_ALREADY_ON'],
  [BigInt.asUintN(64, -9n), 'PSCI_INVALID_ADDRESS'],
]);

/** DEN0137 B4.4.25: the status name of an RMI X0 (status in bits 7:0, index in bits 15:8). */
export function rmiStatusName(x0: bigint): string {
  if (x0 === SMCCC_NOT_SUPPORTED) return 'SMCCC_NOT_SUPPORTED';
  const name = RMI_STATUS[Number(x0 & 0xffn)] ?? `RMI status 0x${(x0 & 0xffn).toString(16)}`;
  const index = Number((x0 >> 8n) & 0xffn);
  return index === 0 ? name : `${name}(${index})`;
}

/** DEN0137 B5.4.1, B6.4.2: the status name of X0 after a Realm call to function `fid`. */
export function realmStatusName(fid: number, x0: bigint): string {
  const command = realmCommandOf(fid);
  if (command === undefined) return x0 === SMCCC_NOT_SUPPORTED ? 'SMCCC_NOT_SUPPORTED' : `0x${x0.toString(16)}`;
  if (command.entry.iface === 'PSCI') return PSCI_STATUS.get(x0) ?? `0x${x0.toString(16)}`;
  return RSI_STATUS[Number(x0)] ?? `0x${x0.toString(16)}`;
}

// -------------------------------------------------------------------------------------
// Realm actions and REC exits
// -------------------------------------------------------------------------------------

/** The name of the Realm call with function id `fid` (RSI, PSCI, SMCCC_VERSION). */
export function realmCallName(fid: number): string {
  if (fid === SMCCC_VERSION_FID) return 'SMCCC_VERSION';
  return realmCommandOf(fid)?.entry.name ?? `SMC 0x${fid.toString(16)}`;
}

/** A Realm action as a call, e.g. `RSI_IPA_STATE_SET(base=0x…, top=0x…, ripas=0x0, flags=0x0)` or `write 8 bytes 0x2a at IPA 0x…`. */
export function describeAction(a: RealmAction): string {
  switch (a.kind) {
    case 'call': {
      const fid = functionId(a.regs[0] ?? 0n);
      const inputs = realmCommandOf(fid)?.entry.spec.inputs ?? [];
      return callText(realmCallName(fid), inputs.map((i) => [i.name, a.regs[Number(i.reg.slice(1))] ?? 0n] as const));
    }
    case 'access': {
      const size = a.access === 'exec' ? 4 : (a.size ?? 8);
      const value = a.access === 'write' && a.value !== undefined ? ` 0x${a.value.toString(16)}` : a.access === 'write' ? ` x${a.reg ?? 0}` : '';
      return `${a.access} ${size} bytes${value} at IPA 0x${a.ipa.toString(16)}`;
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
  const ipa = `0x${((x.hpfar >> 4n) << 12n).toString(16)}`;
  switch (reason) {
    case 'RMI_EXIT_SYNC': {
      const ec = Number((x.esr >> 26n) & 0x3fn);
      if (ec === 0x24) return `${reason}: Data Abort at IPA ${ipa}${(x.esr & (1n << 24n)) !== 0n ? ' (emulatable)' : ''}`;
      if (ec === 0x20) return `${reason}: Instruction Abort at IPA ${ipa}`;
      if (ec === 0x01) return `${reason}: WFx trapped`;
      return `${reason}: ESR 0x${x.esr.toString(16)}`;
    }
    case 'RMI_EXIT_RIPAS_CHANGE':
      return `${reason}: [0x${x.ripas_base.toString(16)}, 0x${x.ripas_top.toString(16)}) to ${['EMPTY', 'RAM'][x.ripas_value] ?? x.ripas_value}`;
    case 'RMI_EXIT_PSCI':
      return `${reason}: ${realmCallName(functionId(x.gprs[0] ?? 0n))}`;
    case 'RMI_EXIT_HOST_CALL':
      return `${reason}: imm 0x${x.imm.toString(16)}`;
    default:
      return reason;
  }
}
