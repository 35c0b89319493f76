/**
 * The spec as a relation: for a state and an input, every outcome DEN0137 permits, not only the
 * model's own. Several failures may be permitted (B1.6: conditions the ordering leaves
 * unordered), and on success some outputs are the implementation's to choose (IMPLEMENTATION
 * DEFINED values, bounds rather than values). The model's answer is one member of the set.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Command, CommandResult, SpecFailure } from '../engine/command.js';
import type { Transition } from '../engine/post.js';
import type { RmmState } from '../model/state.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What the spec permits a command to answer for one state and input (DEN0137 B1.6, B4.3.x.3). @category Relation */
export interface Outcomes<O> {
  /** The model's own answer (one member of the permitted set). */
  readonly model: CommandResult<O>;
  /**
   * The failures the spec permits: every condition that holds and that no holding condition
   * precedes, with status, index and defined outputs. Empty exactly when the command must succeed.
   */
  readonly failures: readonly SpecFailure[];
  /** Whether success is permitted: exactly when no failure condition holds. */
  readonly success: boolean;
  /**
   * On success, the outputs the spec leaves open, each with the values it permits; every other
   * output must equal the model's. Empty on failure.
   */
  readonly choices: Readonly<Record<string, (value: bigint) => boolean>>;
}

// -------------------------------------------------------------------------------------
// outcomes
// -------------------------------------------------------------------------------------

/**
 * DEN0137 B1.6: every outcome the spec permits for `command` on state `s` and `input`. The
 * model runs once; conditions the listed order did not reach are evaluated too.
 * @category Relation
 */
export function outcomes<I, C, O, P>(command: Command<I, C, O, P>, s: RmmState, input: I): Outcomes<O> {
  const model = command(s, input);
  const failures = command.permitted(s, input);
  // A condition held only at REC exit (RMI_REC_ENTER exit_pas) is not in the ordered check.
  if (E.isLeft(model) && !failures.some((f) => f.rule === model.left.rule)) failures.push(model.left);
  const choices: Record<string, (value: bigint) => boolean> = {};
  const open = command.post?.choices;
  if (E.isRight(model) && open !== undefined) {
    const t: Transition<I, P> = { pre: s, input, post: model.right[0], out: model.right[1] as unknown as P };
    for (const [name, permits] of Object.entries(open)) choices[name] = (v) => permits(t, v);
  }
  return { model, failures, success: failures.length === 0, choices };
}
