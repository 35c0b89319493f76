/**
 * `realmspec driver [--mutant ID] [--rec-aux-count N] IN.jsonl -o OUT.jsonl`: the model as an
 * implementation driver (`../shared/contracts/driver-v1.md`), with one seeded fault when a mutant
 * is named; `realmspec driver --list-mutants [--json]` lists the mutant catalogue.
 *
 * @packageDocumentation
 */
import { modelDriver } from '@realmspec/conformance/model-driver';
import { ExitStatus, type Outcome } from '../output.js';

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

/** The mutant catalogue, as text (id, area, kind, rule, description) or JSON Lines. */
export async function listMutants(json: boolean): Promise<Outcome> {
  const { mutants } = await import('@realmspec/conformance');
  if (json) return { out: mutants.map((m) => JSON.stringify({ id: m.id, area: m.area, kind: m.kind, rule: m.rule, description: m.description, permitted: m.permitted === true })), err: [], code: ExitStatus.OK };
  const w = Math.max(...mutants.map((m) => m.id.length));
  return { out: mutants.map((m) => `${m.id.padEnd(w)}  ${m.area.padEnd(9)}  ${m.kind.padEnd(17)}  ${m.rule}${m.permitted === true ? ' (permitted: a negative control)' : ''}\n${' '.repeat(w + 2)}${m.description}`), err: [], code: ExitStatus.OK };
}
