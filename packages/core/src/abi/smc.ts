/**
 * The SMC interface of the RMM as the Host sees it: X0..X6 in, X0..Xn out (DEN0137 B1.2, B4.1;
 * SMCCC). Every 64-bit register tuple gives a defined result.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import type { CatalogueCommand } from '../catalogue/index.js';
import type { Command, SpecFailure } from '../engine/command.js';
import type { RuleHits } from '../engine/hits.js';
import { InternalError } from '../internal/errors.js';
import { U64_MAX } from '../model/bits.js';
import type { RmmState } from '../model/state.js';

/** SMCCC_NOT_SUPPORTED (−1) as a 64-bit register value. @category SMC/ABI */
export const SMCCC_NOT_SUPPORTED = U64_MAX;

/** SMCCC v1.3 bit 16 of a function id: the SVE hint, which the callee ignores (DEN0137 B1.1). @category SMC/ABI */
export const SMCCC_SVE_HINT = 1 << 16;

/** The result of one SMC. @category SMC/ABI */
export interface SmcResult {
  /** The state after the call (the same object when the call changed nothing). */
  readonly state: RmmState;
  /** X0 and the output registers X1..Xn the command defines; registers it does not define are 0. */
  readonly regs: readonly bigint[];
  /** The command the FID selected, if any. */
  readonly command: CatalogueCommand | undefined;
  /** The failure condition that held, if the command failed. */
  readonly failure: SpecFailure | undefined;
}

/** A command the SMC layer can route to: takes and returns registers by name. @category SMC/ABI */
export type RegisterCommand = Command<Record<string, bigint>, unknown, Readonly<Record<string, bigint>>>;

/** DEN0137 B4.4.25: X0 of an RMI command, status in bits 7:0 and index in bits 15:8. @category SMC/ABI */
export function encodeRmiResult(code: number, index: number): bigint {
  return BigInt(code | ((index & 0xff) << 8));
}

/** A command with its register layout resolved once from the catalogue. @category SMC/ABI */
export interface RoutedCommand {
  /** The command. */
  readonly command: RegisterCommand;
  /** Input names with their register numbers. */
  readonly inputs: ReadonlyArray<readonly [string, number]>;
  /** Output names with their register numbers. */
  readonly outputs: ReadonlyArray<readonly [string, number]>;
  /** Number of result registers: X0 up to the highest output register. */
  readonly width: number;
}

/** Resolves the register layout of `command` from its catalogue entry. */
export function routed(command: RegisterCommand): RoutedCommand {
  const inputs = command.entry.inputRegs;
  const outputs = command.entry.outputRegs;
  return { command, inputs, outputs, width: outputs.reduce((m, [, r]) => Math.max(m, r), 0) + 1 };
}

/** A routing table from function id (SVE hint cleared) to command. */
export interface DispatchTable {
  /** The command for `fid`, or undefined when no command has that id. */
  readonly route: (fid: number) => RoutedCommand | undefined;
}

/** Builds a routing table for `commands`; each command's FIDs come from the catalogue. */
export function dispatchTable(commands: readonly RegisterCommand[]): DispatchTable {
  const byFid = new Map<number, RoutedCommand>();
  for (const c of commands) {
    const r = routed(c);
    for (const fid of c.entry.fids) {
      if (byFid.has(fid)) throw new InternalError(`two commands answer FID 0x${fid.toString(16)}`);
      byFid.set(fid, r);
    }
  }
  return { route: (fid) => byFid.get(fid) };
}

/**
 * Runs a command with its inputs taken from `regs` (X0 = regs[0]) as the catalogue lays them
 * out, and packs the result into registers. `encode` turns a failure's status and index into X0.
 */
export function callWithRegisters(s: RmmState, r: RoutedCommand, regs: readonly bigint[], encode: (f: SpecFailure) => bigint, hits?: RuleHits): SmcResult {
  const entry = r.command.entry;
  const input: Record<string, bigint> = {};
  // DECISION D-UNUSED-REGS: registers the command does not take are not read, so they cannot fail it.
  for (const [name, reg] of r.inputs) input[name] = regs[reg] ?? 0n;
  const out = new Array<bigint>(r.width).fill(0n);
  // The registers are 64-bit values (the caller checked them), so the inputs need no second check.
  const result = r.command.trusted(s, input, hits);
  if (E.isLeft(result)) {
    out[0] = encode(result.left);
    for (const [name, reg] of r.outputs) out[reg] = result.left.outputs[name] ?? 0n;
    return { state: s, regs: out, command: entry, failure: result.left };
  }
  const [next, values] = result.right;
  for (const [name, reg] of r.outputs) {
    const v = values[name];
    // Stryker disable next-line ConditionalExpression: equivalent; a model-bug guard (every command's apply gives every output its catalogue lists, checked by the post-conditions).
    if (v === undefined) throw new InternalError(`${entry.name} did not produce output ${name}`);
    out[reg] = v;
  }
  return { state: next, regs: out, command: entry, failure: undefined };
}

/** Function id of an SMC: W0 (SMCCC passes the function id in the low 32 bits) without the SVE hint. @category SMC/ABI */
export function functionId(x0: bigint): number {
  // DECISION D-FID: W0 without the SVE hint; bits 63:32 of X0 are ignored.
  return (Number(x0 & 0xffff_ffffn) & ~SMCCC_SVE_HINT) >>> 0;
}

/** Views a typed command as one the SMC layer routes by register name. @internal */
export function asRegisterCommand<I extends object, C, O extends object, P = O>(c: Command<I, C, O, P>): RegisterCommand {
  return c as unknown as RegisterCommand;
}
