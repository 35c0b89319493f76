/**
 * Register layouts of the RMI commands (core `routed`) and of the Realm calls, resolved once at
 * module load from the catalogue: which X register carries each input and output, by function id
 * and by name, so that no call parses register names (DEN0137 B4.3, B5.3, B6.3).
 *
 * @internal
 * @packageDocumentation
 */
import { InternalError, realmCommands, rmiCommands } from '@realmspec/core';
import { routed } from '@realmspec/core/internal';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** An RMI command's register layout. @internal */
export interface RmiLayout {
  /** The command's name. */
  readonly name: string;
  /** Its function id (the first, when it has aliases). */
  readonly fid: number;
  /** Input names with their register numbers (X1..). */
  readonly inputs: ReadonlyArray<readonly [string, number]>;
  /** Output names with their register numbers (X1..). */
  readonly outputs: ReadonlyArray<readonly [string, number]>;
}

const byFid = new Map<number, RmiLayout>();
const byName = new Map<string, RmiLayout>();
for (const c of rmiCommands) {
  const r = routed(c);
  const layout: RmiLayout = { name: c.entry.name, fid: c.entry.fids[0] as number, inputs: r.inputs, outputs: r.outputs };
  byName.set(layout.name, layout);
  for (const fid of c.entry.fids) byFid.set(fid, layout);
}

const realmInputs = new Map<number, ReadonlyArray<readonly [string, number]>>();
for (const c of realmCommands) {
  for (const fid of c.entry.fids) realmInputs.set(fid, c.entry.inputRegs);
}

// -------------------------------------------------------------------------------------
// queries
// -------------------------------------------------------------------------------------

/** The layout of the RMI command with function id `fid` (SVE hint cleared), if there is one. @internal */
export function rmiLayoutOf(fid: number): RmiLayout | undefined {
  return byFid.get(fid);
}

/** The layout of the RMI command called `name`; a name that is no RMI command is a bug of the caller. @internal */
export function rmiLayout(name: string): RmiLayout {
  const l = byName.get(name);
  if (l === undefined) throw new InternalError(`no RMI command ${name}`);
  return l;
}

/** The values of `fields` in `regs`, by name (absent registers zero, each as a 64-bit value). @internal */
export function namedRegisters(fields: RmiLayout['inputs'], regs: readonly bigint[]): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const [name, reg] of fields) out[name] = BigInt.asUintN(64, regs[reg] ?? 0n);
  return out;
}

/** The inputs, with their registers, of the Realm call (RSI or PSCI) with function id `fid`; none for an id no command answers. @internal */
export function realmCallInputs(fid: number): ReadonlyArray<readonly [string, number]> {
  return realmInputs.get(fid) ?? [];
}
