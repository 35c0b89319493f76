/**
 * Realm SMCs: a Realm call is routed by its function id to an RSI command or a PSCI function,
 * its inputs are taken from the registers the catalogue gives them, and its result is written
 * back to the REC's registers or becomes a REC exit (DEN0137 A4.3.4, B5.1, B6.1; SMCCC).
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import { SMCCC_NOT_SUPPORTED, functionId } from '../abi/smc.js';
import type { CatalogueCommand, Rule } from '../catalogue/index.js';
import type { SpecFailure } from '../engine/command.js';
import type { RuleHits } from '../engine/hits.js';
import { InternalError } from '../internal/errors.js';
import type { GranuleIndex } from '../model/bits.js';
import { updateRec } from '../model/rec.js';
import { withRec, type RmmState } from '../model/state.js';
import { psciAffinityInfo, psciFeatures, psciVersion, SMCCC_VERSION_FID } from '../psci/info.js';
import { psciCpuOff, psciCpuOn, psciCpuSuspend, psciSystemOff, psciSystemReset } from '../psci/power.js';
import { rsiAttestationTokenContinue, rsiAttestationTokenInit } from '../rsi/attestation.js';
import { rsiRealmConfig } from '../rsi/config.js';
import { rsiHostCall } from '../rsi/host-call.js';
import { rsiIpaStateGet, rsiIpaStateSet } from '../rsi/ipa-state.js';
import { rsiMeasurementExtend, rsiMeasurementRead } from '../rsi/measurement.js';
import { rsiFeatures, rsiVersion } from '../rsi/version.js';
import { asRealmCommand, type RealmCommand } from '../realm/command.js';
import { recExit, type ExitResult } from '../realm/exit.js';
import type { RealmCallResult, RecExitFields } from '../realm/types.js';

// -------------------------------------------------------------------------------------
// routing
// -------------------------------------------------------------------------------------

/** The RSI commands and PSCI functions the model implements (DEN0137 B5.3, B6.3). @category SMC/ABI */
export const realmCommands: readonly RealmCommand[] = [
  asRealmCommand(rsiVersion),
  asRealmCommand(rsiFeatures),
  asRealmCommand(rsiMeasurementRead),
  asRealmCommand(rsiMeasurementExtend),
  asRealmCommand(rsiAttestationTokenInit),
  asRealmCommand(rsiAttestationTokenContinue),
  asRealmCommand(rsiRealmConfig),
  asRealmCommand(rsiIpaStateSet),
  asRealmCommand(rsiIpaStateGet),
  asRealmCommand(rsiHostCall),
  asRealmCommand(psciVersion),
  asRealmCommand(psciCpuSuspend),
  asRealmCommand(psciCpuOff),
  asRealmCommand(psciCpuOn),
  asRealmCommand(psciAffinityInfo),
  asRealmCommand(psciSystemOff),
  asRealmCommand(psciSystemReset),
  asRealmCommand(psciFeatures),
];

/** A Realm command with its register layout resolved from the catalogue. @category SMC/ABI */
export interface RoutedRealmCommand {
  /** The command. */
  readonly command: RealmCommand;
  /** Input names with their register numbers. */
  readonly inputs: ReadonlyArray<readonly [string, number]>;
  /** Output names with their register numbers. */
  readonly outputs: ReadonlyArray<readonly [string, number]>;
  /** Result registers written on return: X0..X3 and any higher output register. */
  readonly width: number;
}

const byFid = new Map<number, RoutedRealmCommand>();
for (const command of realmCommands) {
  const outputs = command.entry.outputRegs;
  const r: RoutedRealmCommand = { command, inputs: command.entry.inputRegs, outputs, width: Math.max(4, ...outputs.map(([, n]) => n + 1)) };
  for (const fid of command.entry.fids) {
    if (byFid.has(fid)) throw new InternalError(`two Realm commands answer FID 0x${fid.toString(16)}`);
    byFid.set(fid, r);
  }
}

/** The Realm command that answers `fid` (SVE hint cleared), if any (DEN0137 B5.1, B6.1). @category SMC/ABI */
export function realmCommandOf(fid: number): RealmCommand | undefined {
  return byFid.get(fid)?.command;
}

/** The Realm command that answers `fid`, with its register layout, if any. @category SMC/ABI */
export function realmRoute(fid: number): RoutedRealmCommand | undefined {
  return byFid.get(fid);
}

/** SMCCC version the RMM reports to Realms: 1.2 (SMCCC_VERSION). @category SMC/ABI */
export const SMCCC_VERSION = 0x1_0002n;

/** Number of argument registers a Realm SMC passes: X1..X17 (SMCCC v1.2). */
export const CALL_ARG_REGS = 17;

// -------------------------------------------------------------------------------------
// calls
// -------------------------------------------------------------------------------------

/** The result of one Realm call: the state, what the Realm sees, and the exit it caused (DEN0137 A4.3.4). */
export interface CallStep {
  readonly state: RmmState;
  readonly call: RealmCallResult;
  readonly exit: RecExitFields | undefined;
  /** The exit could not be written to the run granule (see {@link ExitResult.gpf}). */
  readonly exitGpf: boolean;
}

/** X0 of a failure: RSI codes as they are, PSCI codes sign-extended to 64 bits (DEN0137 B5.4.1, B6.4.2). */
function encodeFailure(f: SpecFailure): bigint {
  return BigInt.asUintN(64, BigInt(f.code));
}

/** `gprs` with X0 = `x0` and X1..X(width−1) = the named outputs, zero where none is given. */
function withResults(gprs: bigint[], width: number, x0: bigint, outputs: ReadonlyArray<readonly [string, number]>, values: Readonly<Record<string, bigint>>): bigint[] {
  gprs[0] = x0;
  for (let k = 1; k < width; k++) gprs[k] = 0n;
  for (const [name, n] of outputs) gprs[n] = values[name] ?? 0n;
  return gprs;
}

/**
 * An SMC from the Realm on REC `recGi` (REC_RUNNING) with X0..Xn = `regs` (X registers not given
 * up to X17 are zero). RSI commands and PSCI functions run as catalogue commands; SMCCC_VERSION
 * is answered; any other FID gives SMCCC_NOT_SUPPORTED (DEN0137 A4.3.4).
 */
export function realmCall(s: RmmState, recGi: GranuleIndex, regs: readonly bigint[], hits?: RuleHits): CallStep {
  const rec = s.recs.get(recGi);
  if (rec === undefined) throw new InternalError(`Realm call on granule ${recGi}, which is not a REC`);
  const gprs = rec.gprs.slice();
  for (let k = 0; k <= CALL_ARG_REGS; k++) gprs[k] = BigInt.asUintN(64, regs[k] ?? 0n);
  const fid = functionId(gprs[0] as bigint);
  const r = byFid.get(fid);
  const command: CatalogueCommand | undefined = r?.command.entry;
  let held: readonly Rule[] = [];
  const back = (state: RmmState, out: bigint[], failure: SpecFailure | undefined): CallStep => {
    const current = state.recs.get(recGi) ?? rec;
    return { state: withRec(state, recGi, updateRec(current, { gprs: out })), call: { command, fid, failure, regs: out, held }, exit: undefined, exitGpf: false };
  };
  if (r === undefined) {
    // DECISION D-SMCCC-VERSION: SMCCC_VERSION is answered with 1.2 (0x10002), as TF-RMM does,
    // because PSCI_FEATURES reports it implemented (PSCI 1.1 discovery of SMCCC 1.1+). Every
    // other FID outside RSI and PSCI gives SMCCC_NOT_SUPPORTED (A4.3.4); X1..X3 become zero.
    const x0 = fid === SMCCC_VERSION_FID ? SMCCC_VERSION : SMCCC_NOT_SUPPORTED;
    return back(s, withResults(gprs, 4, x0, [], {}), undefined);
  }
  const input: Record<string, bigint> = {};
  for (const [name, n] of r.inputs) input[name] = gprs[n] as bigint;
  // Every failure condition is evaluated once, so that the caller can derive the permitted failures.
  const evaluation = r.command.evaluate(s, { recGi, fid, regs: input }, hits);
  const result = evaluation.result;
  held = evaluation.held;
  // DECISION D-RSI-REGS: a call that returns writes X0 and X1..X3 (or up to its highest output
  // register): outputs where defined, zero elsewhere (failure outputs are UNDEFINED in the spec;
  // TF-RMM returns zero). Higher registers keep the caller's values (SMCCC).
  if (E.isLeft(result)) return back(s, withResults(gprs, r.width, encodeFailure(result.left), r.outputs, result.left.outputs), result.left);
  const [next, outcome] = result.right;
  if (outcome.kind === 'return') return back(next, withResults(gprs, r.width, outcome.x0, r.outputs, outcome.outputs), undefined);
  const x = recExit(next, recGi, outcome.cause, gprs);
  return { state: x.state, call: { command, fid, failure: undefined, regs: (x.state.recs.get(recGi) ?? rec).gprs, held }, exit: x.fields, exitGpf: x.gpf };
}
