/**
 * One transition of the exploration and the checks made at it: the action runs in checked mode
 * (the model evaluates the command's post-conditions and the frame check and throws on a
 * violation), a failure must change nothing, the outcome must be one the spec permits (the
 * relation's permitted set, for the Host call and for every Realm call of a REC entry), and a
 * successful transition must satisfy the transition invariants.
 *
 * @packageDocumentation
 */
import {
  InternalError,
  realmCallOutcomes,
  rmiCallOutcomes,
  runRec,
  setCheckedMode,
  showViolations,
  smc,
  transitionViolations,
  type CallOutcomes,
  type RealmAction,
  type RealmStepResult,
  type RmmState,
  type RuleHits,
  type SpecFailure,
} from '@realmspec/core';
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

// -------------------------------------------------------------------------------------
// running
// -------------------------------------------------------------------------------------

/** Runs `a` on `s` without checks or counting: for replaying a path to a state already checked. */
export function replayAction(s: RmmState, a: Action): RmmState {
  const was = setCheckedMode(false);
  try {
    return a.realm === undefined ? smc(s, a.regs).state : runRec(s, { rec: a.regs[1] ?? 0n, run_ptr: a.regs[2] ?? 0n }, a.realm).state;
  } finally {
    setCheckedMode(was);
  }
}

/** Whether the model's failure (or success) is one the permitted outcomes allow. */
function outcomePermitted(o: CallOutcomes, failure: SpecFailure | undefined): string | undefined {
  if (failure === undefined) return o.permitted.length === 0 ? undefined : `succeeded, but the spec requires a failure (${o.permitted.map((f) => f.rule).join(', ')})`;
  return o.permitted.some((f) => f.rule === failure.rule) ? undefined : `failed with ${failure.rule}, which the spec does not permit here (permitted: ${o.permitted.map((f) => f.rule).join(', ') || 'success'})`;
}

/** Runs `a` on `s` with the checks `checks`, counting rules in `hits`. */
export function checkedStep(s: RmmState, a: Action, checks: StepChecks, hits: RuleHits | undefined): StepResult {
  const was = setCheckedMode(checks.checked);
  try {
    let state: RmmState;
    let failure: SpecFailure | undefined;
    let x0: bigint;
    let realmProblem: string | undefined;
    if (a.realm === undefined) {
      const r = smc(s, a.regs, hits);
      state = r.state;
      failure = r.failure;
      x0 = r.regs[0] ?? 0n;
      if (checks.permitted) {
        const why = outcomePermitted(rmiCallOutcomes(s, a.regs, { regs: r.regs, failure, state }), failure);
        if (why !== undefined) return { state, failed: failure !== undefined, violation: `permitted: ${a.command} ${why}` };
      }
    } else {
      const recGi = Number((a.regs[1] ?? 0n) >> 12n);
      const observe = (before: RmmState, action: RealmAction, result: RealmStepResult): void => {
        if (!checks.permitted || realmProblem !== undefined || action.kind !== 'call' || result.call === undefined || result.exit !== undefined || result.call.command === undefined) return;
        const o = realmCallOutcomes(before, recGi, action.regs, { regs: result.call.regs, failure: result.call.failure, state: result.state });
        const why = outcomePermitted(o, result.call.failure);
        if (why !== undefined) realmProblem = `permitted: ${result.call.command.name} ${why}`;
      };
      const r = runRec(s, { rec: a.regs[1] ?? 0n, run_ptr: a.regs[2] ?? 0n }, a.realm, hits, observe);
      state = r.state;
      failure = r.failure;
      x0 = r.x0;
      if (realmProblem !== undefined) return { state, failed: failure !== undefined, violation: realmProblem };
      if (checks.permitted) {
        const why = outcomePermitted(rmiCallOutcomes(s, a.regs, { regs: [x0], failure, state }), failure);
        if (why !== undefined) return { state, failed: failure !== undefined, violation: `permitted: ${a.command} ${why}` };
      }
    }
    if (failure !== undefined) {
      // A failure changes nothing (DEN0137 B1.6): the model returns the same state object.
      return { state, failed: true, violation: state === s ? undefined : `failure-changes-nothing: ${a.command} failed with ${failure.rule} and changed the state` };
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
