/**
 * RMI_REC_ENTER as the Host sees it: REC entry, the Realm's actions until one causes a REC
 * exit, and the result of the command (DEN0137 B4.3.14, A4.1–A4.3).
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import { encodeRmiResult } from '../abi/smc.js';
import { catalogue, type StatusName } from '../catalogue/index.js';
import type { SpecFailure } from '../engine/command.js';
import { InternalError } from '../internal/errors.js';
import type { RuleHits } from '../engine/hits.js';
import { granuleIndex } from '../model/bits.js';
import { RecState } from '../model/rec.js';
import type { RmmState } from '../model/state.js';
import { rmiRecEnter, type RecEntryReport } from '../rmi/rec-enter.js';
import { realmStep } from './step.js';
import type { RealmAction, RealmStepResult, RecExitFields } from './types.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The inputs of RMI_REC_ENTER (DEN0137 B4.3.14.1.1). */
export interface RecEnterInput {
  readonly rec: bigint;
  readonly run_ptr: bigint;
}

/** The result of one RMI_REC_ENTER with the Realm's actions (DEN0137 B4.3.14). */
export interface RunResult {
  /** The state after the command. */
  readonly state: RmmState;
  /** X0 of RMI_REC_ENTER. */
  readonly x0: bigint;
  /** The failure condition that held, if the command failed (then nothing ran). */
  readonly failure: SpecFailure | undefined;
  /** What the entry half did, if the REC was entered. */
  readonly entry: RecEntryReport | undefined;
  /** One result per action that ran, in order. */
  readonly steps: readonly RealmStepResult[];
  /** The REC exit that ended the run (the RmiRecExit written); undefined on failure. */
  readonly exit: RecExitFields | undefined;
  /** The run ended with the IRQ exit that follows an action list without an exit. */
  readonly implicitIrq: boolean;
  /** Actions that did not run because the REC had exited before them. */
  readonly leftover: number;
}

// -------------------------------------------------------------------------------------
// run
// -------------------------------------------------------------------------------------

/**
 * DEN0137 B4.3.14 RMI_REC_ENTER of REC `rec` with RmiRecRun at `run_ptr`: check the failure
 * conditions, enter the REC, run `actions` until one causes a REC exit, and return. An action
 * list that ends without an exit ends with a REC exit due to IRQ (an interrupt for the Host
 * arrives). Actions after the exit do not run; `leftover` counts them.
 */
export function runRec(s: RmmState, input: RecEnterInput, actions: readonly RealmAction[], hits?: RuleHits): RunResult {
  const entered = rmiRecEnter(s, input, hits);
  if (E.isLeft(entered)) {
    const f = entered.left;
    return { state: s, x0: encodeRmiResult(f.code, f.index), failure: f, entry: undefined, steps: [], exit: undefined, implicitIrq: false, leftover: actions.length };
  }
  const recGi = granuleIndex(input.rec);
  const [first, entry] = entered.right;
  let state = first;
  const steps: RealmStepResult[] = [];
  let exit = entry.exit;
  let gpf = false;
  let k = 0;
  while (exit === undefined && k < actions.length) {
    const r = realmStep(state, recGi, actions[k] as RealmAction, hits);
    steps.push(r);
    state = r.state;
    exit = r.exit;
    gpf = r.exitGpf;
    k++;
  }
  let implicitIrq = false;
  if (exit === undefined && state.recs.get(recGi)?.state === RecState.REC_RUNNING) {
    const r = realmStep(state, recGi, { kind: 'exit', reason: 'irq' }, hits);
    state = r.state;
    exit = r.exit;
    gpf = r.exitGpf;
    implicitIrq = true;
  }
  const failure = gpf ? exitGpfFailure(hits) : undefined;
  const x0 = failure === undefined ? 0n : encodeRmiResult(failure.code, failure.index);
  return { state, x0, failure, entry, steps, exit, implicitIrq, leftover: actions.length - k };
}

const EXIT_PAS = catalogue.byId.get('RMI_REC_ENTER/exit_pas');

/**
 * DEN0137 A4.3.3: the failure of an RMI_REC_ENTER whose exit could not be written (the run
 * granule left the Non-secure PAS while the REC ran): RMI_ERROR_INPUT, rule
 * `RMI_REC_ENTER/exit_pas`. Unlike other failures it comes after the REC ran, so the state has
 * changed (decision D-EXIT-GPF). Counts the rule as held in `hits`.
 */
export function exitGpfFailure(hits?: RuleHits): SpecFailure {
  if (EXIT_PAS === undefined || EXIT_PAS.code === undefined) throw new InternalError('RMI_REC_ENTER/exit_pas is not in the catalogue');
  if (hits !== undefined) hits.held[EXIT_PAS.n] = (hits.held[EXIT_PAS.n] as number) + 1;
  return { rule: EXIT_PAS.id, status: EXIT_PAS.status as StatusName, code: EXIT_PAS.code, index: 0, outputs: {} };
}
