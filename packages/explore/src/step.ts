/**
 * One transition of the exploration and the checks made at it: the action runs in checked mode
 * (the model evaluates the command's post-conditions and the frame check and throws on a
 * violation), a failure must change nothing, the outcome must be one the spec permits (the
 * relation's permitted set, for the Host call and for every Realm call of a REC entry), and a
 * successful transition must satisfy the transition invariants.
 *
 * Every failure condition is evaluated once per call ({@link Command.evaluate}): the model's
 * answer (the first condition that holds) and the permitted set (DEN0137 B1.6: the holding
 * conditions no holding condition precedes) both come from that one evaluation. A failed command
 * returns the same state object by construction (the engine applies nothing), so "a failure
 * changes nothing" is the check `state === pre`.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  catalogue,
  initialState,
  InternalError,
  rmiRoute,
  functionId,
  runRec,
  setCheckedMode,
  showViolations,
  transitionViolations,
  type CatalogueCommand,
  type RealmAction,
  type RealmStepResult,
  type RegisterCommand,
  type RmmState,
  type Rule,
  type RuleHits,
  type SpecFailure,
} from '@realmspec/core';
import { permittedFailures } from '@realmspec/core/internal';
import type { Action } from './alphabet.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Which checks a transition gets. */
export interface StepChecks {
  /** Run the model in checked mode: post-conditions and the frame check. */
  readonly checked: boolean;
  /** Check that the outcome is in the spec's permitted set. */
  readonly permitted: boolean;
  /** Check the transition invariants (and, in the engine, the state invariants of new states). */
  readonly invariants: boolean;
}

/** The result of one transition. */
export interface StepResult {
  /** The state after it (the same object when the command failed). */
  readonly state: RmmState;
  /** Whether the Host command failed. */
  readonly failed: boolean;
  /** What was wrong, if a check failed: `check: message`. */
  readonly violation: string | undefined;
}

/** An action with what running it needs resolved once: the command, its inputs by name. */
export interface PreparedAction {
  /** The action. */
  readonly action: Action;
  /** The command the FID routes to (every action of an alphabet names a catalogue command). */
  readonly command: RegisterCommand;
  /** Its inputs by name (built once; commands never keep or change them). */
  readonly input: Readonly<Record<string, bigint>>;
  /** RMI_REC_ENTER: the REC and run granule addresses. */
  readonly enter: { readonly rec: bigint; readonly run_ptr: bigint } | undefined;
}

const REC_ENTER = catalogue.byName.get('RMI_REC_ENTER') as CatalogueCommand;

// -------------------------------------------------------------------------------------
// running
// -------------------------------------------------------------------------------------

/** Resolves `a`'s command and inputs once, and checks the inputs (an input that is not a 64-bit value throws). */
export function prepare(a: Action): PreparedAction {
  const r = rmiRoute(functionId(a.regs[0] ?? 0n));
  if (r === undefined) throw new InternalError(`${a.label}: no RMI command answers its FID`);
  const input: Record<string, bigint> = {};
  for (const [name, reg] of r.inputs) input[name] = a.regs[reg] ?? 0n;
  const enter = r.command.entry === REC_ENTER ? { rec: a.regs[1] ?? 0n, run_ptr: a.regs[2] ?? 0n } : undefined;
  // The inputs are checked (64-bit registers) once here; each transition then runs them trusted.
  r.command.checkAll(initialState(), input);
  return { action: a, command: r.command, input, enter };
}

/** Runs `p` on `s` without checks or counting (paths to states already checked, counterexamples). */
export function replayAction(s: RmmState, p: PreparedAction): RmmState {
  const was = setCheckedMode(false);
  try {
    if (p.enter !== undefined) return runRec(s, p.enter, p.action.realm ?? []).state;
    const r = p.command.trusted(s, p.input);
    return E.isLeft(r) ? s : r.right[0];
  } finally {
    setCheckedMode(was);
  }
}

/** Why `failure` (or success when undefined) is not permitted by the conditions `held` of `entry`, or undefined. */
function notPermitted(entry: CatalogueCommand, held: readonly Rule[], failure: SpecFailure | undefined): string | undefined {
  if (failure === undefined) return held.length === 0 ? undefined : `succeeded, but the spec requires a failure (${held.map((r) => r.id).join(', ')})`;
  // A condition held only at REC exit (exit_pas) is reported after the ordered check, which passed.
  if (!held.some((r) => r.id === failure.rule)) return held.length === 0 ? undefined : `failed with ${failure.rule} at exit, but ${held.map((r) => r.id).join(', ')} held at the check`;
  if (held.length === 1) return undefined;
  // DEN0137 B1.6: the reported condition is permitted when no holding condition precedes it
  // (`precedes` is transitively closed); the whole permitted set only for the message.
  const reported = held.find((r) => r.id === failure.rule) as Rule;
  const before = entry.precedes[reported.position];
  if (before === undefined || !held.some((r) => before.has(r.position))) return undefined;
  const ok = permittedFailures(entry, held);
  return `failed with ${failure.rule}, which the spec does not permit here (permitted: ${ok.map((r) => r.id).join(', ')})`;
}

/** Runs `p` on `s` with the checks `checks`, counting rules in `hits`. */
export function checkedStep(s: RmmState, p: PreparedAction, checks: StepChecks, hits: RuleHits | undefined): StepResult {
  const was = setCheckedMode(checks.checked);
  const name = p.action.command;
  try {
    let state: RmmState;
    let failure: SpecFailure | undefined;
    let held: readonly Rule[];
    if (p.enter === undefined && !checks.permitted && hits === undefined) {
      // Nothing asks for the permitted set: the ordered check stops at the first condition that holds.
      const r = p.command.trusted(s, p.input);
      held = [];
      if (E.isLeft(r)) {
        failure = r.left;
        state = s;
      } else state = r.right[0];
    } else if (p.enter === undefined) {
      const ev = p.command.evaluate(s, p.input, hits);
      held = ev.held;
      if (E.isLeft(ev.result)) {
        failure = ev.result.left;
        state = s;
      } else state = ev.result.right[0];
    } else {
      let realmProblem: string | undefined;
      const observe = (_before: RmmState, action: RealmAction, result: RealmStepResult): void => {
        const call = result.call;
        if (!checks.permitted || realmProblem !== undefined || action.kind !== 'call' || call === undefined || call.command === undefined) return;
        const why = notPermitted(call.command, call.held, call.failure);
        if (why !== undefined) realmProblem = `permitted: ${call.command.name} ${why}`;
      };
      const r = runRec(s, p.enter, p.action.realm ?? [], hits, observe);
      state = r.state;
      failure = r.failure;
      held = r.held;
      if (realmProblem !== undefined) return { state, failed: failure !== undefined, violation: realmProblem };
    }
    if (checks.permitted) {
      const why = notPermitted(p.command.entry, held, failure);
      if (why !== undefined) return { state, failed: failure !== undefined, violation: `permitted: ${name} ${why}` };
    }
    if (failure !== undefined) {
      // A failure changes nothing (DEN0137 B1.6): the model returns the same state object.
      return { state, failed: true, violation: state === s ? undefined : `failure-changes-nothing: ${name} failed with ${failure.rule} and changed the state` };
    }
    if (checks.invariants) {
      const v = transitionViolations(s, state, hits);
      if (v.length > 0) return { state, failed: false, violation: `transition-invariant: ${showViolations(v).join('; ')}` };
    }
    return { state, failed: false, violation: undefined };
  } catch (e) {
    if (e instanceof InternalError) return { state: s, failed: false, violation: `post-or-frame: ${e.message.replace(/^realmspec internal error: /, '')}` };
    throw e;
  } finally {
    setCheckedMode(was);
  }
}
