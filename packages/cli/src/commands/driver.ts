/**
 * `realmspec driver [--mutant ID] [--rec-aux-count N] IN.jsonl -o OUT.jsonl`: the model as an
 * implementation driver (`../shared/contracts/driver-v1.md`), with one seeded fault when a mutant
 * is named; `realmspec driver --list-mutants [--json]` lists the mutant catalogue.
 *
 * A harness starts the driver once per run, so its start is most of a run's cost: this module
 * loads only the model driver (`@realmspec/conformance/model-driver`), and `bin/realmspec.js`
 * runs a driver run from a one-file bundle of it when the build made one (`dist/driver.bundle.mjs`,
 * see `scripts/bundle-driver.js`).
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import { modelDriver } from '@realmspec/conformance/model-driver';
import type { Io } from '../io.js';
import { intFlag, parse, SEE_HELP } from '../flags.js';
import { badInput, ExitStatus, writeOutcome, type Outcome } from '../output.js';

/** Options of `driver`. */
export interface DriverOptions {
  /** The trace to run. */
  readonly inPath: string;
  /** Where the answers go. */
  readonly outPath: string;
  /** A mutant id. */
  readonly mutant: string | undefined;
  /** RMI_REC_AUX_COUNT of the platform. */
  readonly recAuxCount: number;
}

/** Runs the model driver. A failure to read or write a file is exit status 1 (the driver failed). */
export function driver(o: DriverOptions): Outcome {
  try {
    const r = modelDriver({ inPath: o.inPath, outPath: o.outPath, recAuxCount: o.recAuxCount, ...(o.mutant !== undefined ? { mutant: o.mutant } : {}) });
    return { out: [], err: [...r.err], code: r.code };
  } catch (e) {
    return { out: [], err: [`realmspec driver: ${e instanceof Error ? e.message : String(e)}`], code: ExitStatus.FINDING };
  }
}

/** The flags of `driver`. */
const FLAGS = { mutant: { type: 'string' }, o: { type: 'string' }, 'rec-aux-count': { type: 'string' }, 'list-mutants': { type: 'boolean' }, json: { type: 'boolean' } } as const;

/** The options of a driver run from its arguments, `list` for `--list-mutants [--json]`, or the usage error. */
export function driverArgs(rest: readonly string[]): DriverOptions | { readonly list: boolean } | Outcome {
  const p = parse(rest, FLAGS);
  if (typeof p === 'string') return badInput(`realmspec driver: ${p} ${SEE_HELP}`);
  if (p.values['list-mutants'] === true) return { list: p.values.json === true };
  const aux = intFlag(0, 16).decode(p.values['rec-aux-count'] ?? '1');
  if (E.isLeft(aux)) return badInput(`realmspec driver: --rec-aux-count: expected an integer 0..16 ${SEE_HELP}`);
  const inPath = p.positionals[0];
  if (p.positionals.length !== 1 || inPath === undefined || typeof p.values.o !== 'string') return badInput(`realmspec driver: give IN.jsonl -o OUT.jsonl ${SEE_HELP}`);
  return { inPath, outPath: p.values.o, mutant: typeof p.values.mutant === 'string' ? p.values.mutant : undefined, recAuxCount: aux.right };
}

/** `realmspec driver ...` on its arguments (without the command name), writing to `io`; returns the exit code. */
export async function driverCommand(rest: readonly string[], io: Io): Promise<number> {
  const a = driverArgs(rest);
  if ('code' in a) return writeOutcome(io, a);
  if ('list' in a) return writeOutcome(io, await listMutants(a.list));
  return writeOutcome(io, driver(a));
}

/** The mutant catalogue, as text (id, area, kind, rule, description) or JSON Lines. */
export async function listMutants(json: boolean): Promise<Outcome> {
  const { mutants } = await import('@realmspec/conformance');
  if (json) return { out: mutants.map((m) => JSON.stringify({ id: m.id, area: m.area, kind: m.kind, rule: m.rule, description: m.description, permitted: m.permitted === true })), err: [], code: ExitStatus.OK };
  const w = Math.max(...mutants.map((m) => m.id.length));
  return { out: mutants.map((m) => `${m.id.padEnd(w)}  ${m.area.padEnd(9)}  ${m.kind.padEnd(17)}  ${m.rule}${m.permitted === true ? ' (permitted: a negative control)' : ''}\n${' '.repeat(w + 2)}${m.description}`), err: [], code: ExitStatus.OK };
}
