/**
 * Return codes of the three interfaces as register values, and their names: RmiStatusCode with
 * its index (DEN0137 B4.4.25), RsiCommandReturnCode (B5.4.1) and PsciReturnCode (B6.4.2). The
 * one table every reader of X0 uses (trace reports, the machine's step log, the CLI).
 *
 * @packageDocumentation
 */
import { SMCCC_NOT_SUPPORTED } from './smc.js';

/** RmiStatusCode names by code (DEN0137 B4.4.25); codes 5 and up are reserved in 1.0. @category SMC/ABI */
export const RMI_STATUS_NAMES = ['RMI_SUCCESS', 'RMI_ERROR_INPUT', 'RMI_ERROR_REALM', 'RMI_ERROR_REC', 'RMI_ERROR_RTT'] as const;

/** RsiCommandReturnCode as X0 values (DEN0137 B5.4.1). @category SMC/ABI */
export const RsiStatus = {
  RSI_SUCCESS: 0n,
  RSI_ERROR_INPUT: 1n,
  RSI_ERROR_STATE: 2n,
  RSI_INCOMPLETE: 3n,
  RSI_ERROR_UNKNOWN: 4n,
} as const;

/** PsciReturnCode as 64-bit X0 values, negative codes sign-extended (DEN0137 B6.4.2). @category SMC/ABI */
export const PsciStatus = {
  PSCI_SUCCESS: 0n,
  PSCI_OFF: 1n,
  PSCI_NOT_SUPPORTED: BigInt.asUintN(64, -1n),
  PSCI_INVALID_PARAMETERS: BigInt.asUintN(64, -2n),
  PSCI_DENIED: BigInt.asUintN(64, -3n),
  PSCI_ALREADY_ON: BigInt.asUintN(64, -4n),
  PSCI_ON_PENDING: BigInt.asUintN(64, -5n),
  PSCI_INTERNAL_FAILURE: BigInt.asUintN(64, -6n),
  PSCI_NOT_PRESENT: BigInt.asUintN(64, -7n),
  PSCI_DISABLED: BigInt.asUintN(64, -8n),
  PSCI_INVALID_ADDRESS: BigInt.asUintN(64, -9n),
} as const;

const nameOf = (table: Readonly<Record<string, bigint>>): ReadonlyMap<bigint, string> => new Map(Object.entries(table).map(([k, v]) => [v, k]));
const rsiNames = nameOf(RsiStatus);
const psciNames = nameOf(PsciStatus);

/** The name of RmiStatusCode `code` (DEN0137 B4.4.25), or undefined for a reserved code. @category SMC/ABI */
export function rmiStatusName(code: number): string | undefined {
  return RMI_STATUS_NAMES[code];
}

/**
 * The status name and index an RMI X0 encodes (DEN0137 B4.4.25): `SMCCC_NOT_SUPPORTED` for −1,
 * `unknown status 0x…` when bits 63:16 are set or the code is reserved.
 * @category SMC/ABI
 */
export function decodeRmiResult(x0: bigint): { readonly status: string; readonly index: number } {
  if (x0 === SMCCC_NOT_SUPPORTED) return { status: 'SMCCC_NOT_SUPPORTED', index: 0 };
  const name = x0 >> 16n === 0n ? rmiStatusName(Number(x0 & 0xffn)) : undefined;
  return { status: name ?? `unknown status 0x${x0.toString(16)}`, index: Number((x0 >> 8n) & 0xffn) };
}

/** The name of an RSI X0 (DEN0137 B5.4.1), `SMCCC_NOT_SUPPORTED` for −1, or undefined. @category SMC/ABI */
export function rsiStatusName(x0: bigint): string | undefined {
  return rsiNames.get(x0) ?? (x0 === SMCCC_NOT_SUPPORTED ? 'SMCCC_NOT_SUPPORTED' : undefined);
}

/** The name of a PSCI X0 (DEN0137 B6.4.2), or undefined. @category SMC/ABI */
export function psciStatusName(x0: bigint): string | undefined {
  return psciNames.get(x0);
}
