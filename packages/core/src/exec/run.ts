/**
 * RMI_REC_ENTER as the Host sees it: REC entry, the Realm's actions until one causes a REC
 * exit, and the result of the command (DEN0137 B4.3.14, A4.1–A4.3).
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import { encodeRmiResult } from '../abi/smc.js';
import type { SpecFailure } from '../engine/command.js';
import type { Rule } from '../catalogue/index.js';
import type { RuleHits } from '../engine/hits.js';
import { granuleIndex } from '../model/bits.js';
import { RecState } from '../model/rec.js';
import type { RmmState } from '../model/state.js';
import { rmiRecEnter, type RecEnterCtx, type RecEntryReport } from '../rmi/rec-enter.js';
import { realmStep } from './step.js';
import type { RealmAction, RealmStepResult, RecExitFields } from '../realm/types.js';
import { checkRealmActions } from '../realm/actions.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The inputs of RMI_REC_ENTER (DEN0137 B4.3.14.1.1). @category REC execution */
export interface RecEnterInput {
  readonly rec: bigint;
  readonly run_ptr: bigint;
}

/** The result of one RMI_REC_ENTER with the Realm's actions (DEN0137 B4.3.14). @category REC execution */
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
  /**
   * The failure conditions that held at the check, in listed order (every one is evaluated; the
   * permitted failures follow from them by DEN0137 B1.6); `exit_pas` is not among them.
   */
  readonly held: readonly Rule[];
}

// -------------------------------------------------------------------------------------
// run
// -------------------------------------------------------------------------------------

/**
 * Watches each Realm action of {@link runRec}: the state before it, the action, and its result.
 * Adapters use it to check the action against their own model (the memory model's view of an
 * access) without re-implementing the run loop.
 * @category REC execution
 */
export type RunObserver = (before: RmmState, action: RealmAction, result: RealmStepResult) => void;

/**
 * DEN0137 B4.3.14 RMI_REC_ENTER of REC `rec` with RmiRecRun at `run_ptr`: check the failure
 * conditions, enter the REC, run `actions` until one causes a REC exit, and return. An action
 * list that ends without an exit ends with a REC exit due to IRQ (an interrupt for the Host
 * arrives). Actions after the exit do not run; `leftover` counts them. The success conditions
 * are counted once the exit is written ({@link recEnterConcluded}).
 * @category REC execution
 */
export function runRec(s: RmmState, input: RecEnterInput, actions: readonly RealmAction[], hits?: RuleHits, observe?: RunObserver): RunResult {
  checkRealmActions(actions);
  const { checked, held } = rmiRecEnter.checkAll(s, input, hits);
  if (E.isLeft(checked)) {
    const f = checked.left;
    return { state: s, x0: encodeRmiResult(f.code, f.index), failure: f, entry: undefined, steps: [], exit: undefined, implicitIrq: false, leftover: actions.length, held };
  }
  const recGi = granuleIndex(input.rec);
  const [first, entry] = rmiRecEnter.apply(checked.right);
  let state = first;
  const steps: RealmStepResult[] = [];
  let exit = entry.exit;
  let gpf = false;
  let k = 0;
  const step = (action: RealmAction): void => {
    const r = realmStep(state, recGi, action, hits);
    observe?.(state, action, r);
    steps.push(r);
    state = r.state;
    exit = r.exit;
    gpf = r.exitGpf;
  };
  while (exit === undefined && k < actions.length) step(actions[k++] as RealmAction);
  let implicitIrq = false;
  if (exit === undefined && state.recs.get(recGi)?.state === RecState.REC_RUNNING) {
    step({ kind: 'exit', reason: 'irq' });
    steps.pop();
    implicitIrq = true;
  }
  const failure = recEnterConcluded(checked.right, { entry, entered: first, state, exit, exitGpf: gpf }, hits);
  const x0 = failure === undefined ? 0n : encodeRmiResult(failure.code, failure.index);
  return { state, x0, failure, entry, steps, exit, implicitIrq, leftover: actions.length - k, held };
}

/** How an RMI_REC_ENTER ran, from its entry half to the REC exit that ended it (DEN0137 B4.3.14). @category REC execution */
export interface RecEnterRun {
  /** What the entry half reported. */
  readonly entry: RecEntryReport;
  /** The state right after the entry half. */
  readonly entered: RmmState;
  /** The state after the REC exit. */
  readonly state: RmmState;
  /** The RmiRecExit written (or that would have been, had the write not met a GPF). */
  readonly exit: RecExitFields | undefined;
  /** Writing the exit met a GPF (A4.3.3). */
  readonly exitGpf: boolean;
}

/**
 * The result of an RMI_REC_ENTER whose entry took context `c`, once the REC exits: the
 * `exit_pas` failure if writing the exit met a GPF (`run.exitGpf`, A4.3.3, D-EXIT-GPF), else
 * success, whose post-conditions are then evaluated over the whole command (before the entry
 * to after the exit) and the frame check over the entry half; counted in `hits` either way.
 * {@link runRec} ends with it; a harness that interleaves other CPUs' commands between
 * {@link realmStep}s calls it itself.
 * @category REC execution
 */
export function recEnterConcluded(c: RecEnterCtx, run: RecEnterRun, hits?: RuleHits): SpecFailure | undefined {
  if (run.exitGpf) return rmiRecEnter.failure('exit_pas', c, hits);
  const input = { rec: c.recPtr, run_ptr: c.runPtr };
  rmiRecEnter.verify({ pre: c.s, input, post: run.state, out: { entry: run.entry, entered: run.entered, exit: run.exit } }, hits, { pre: c.s, post: run.entered });
  return undefined;
}
