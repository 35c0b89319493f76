/**
 * Post-conditions as code: what a command module supplies so that the engine can evaluate each
 * success condition of the catalogue over a transition (pre-state, input, post-state, outputs),
 * resolve the footprint's locators, and say which outputs the spec leaves to the implementation
 * (DEN0137 B1.6, B4.3.x.3, B4.3.x.4).
 *
 * Post-conditions are written from the spec's success tables and read the state through
 * `post/view.ts`; they never call the helpers that `apply` uses, so that a mistake in apply is
 * not repeated in the check of it.
 *
 * @packageDocumentation
 */
import type { RmmState } from '../model/state.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One transition of a command: the state before, the input, the state after, the outputs. @category Engine */
export interface Transition<I, O> {
  /** The state the command ran on. */
  readonly pre: RmmState;
  /** The command's input. */
  readonly input: I;
  /** The state after the command. */
  readonly post: RmmState;
  /** The command's outputs. */
  readonly out: O;
}

/** A predicate over a transition. @category Engine */
export type PostCheck<I, O> = (t: Transition<I, O>) => boolean;

/** A success condition that applies only in some cases (DEN0137 B4.3.12.3 `runnable` and the like). @category Engine */
export interface ConditionalPost<I, O> {
  /** Whether this transition is a case the condition speaks about (read from the pre-state and input). */
  readonly when: PostCheck<I, O>;
  /** The condition. */
  readonly holds: PostCheck<I, O>;
}

/** A locator's value: a granule index, an entry index or count, or a list of granule indexes. @category Engine */
export type Locator = number | readonly number[];

/** What a command module supplies for its success conditions and footprint. @category Engine */
export interface PostDefinition<I, O> {
  /** One predicate per success label of the catalogue entry that this command establishes. */
  readonly success: Readonly<Record<string, PostCheck<I, O> | ConditionalPost<I, O>>>;
  /**
   * One function per locator name of the catalogue's footprint: the value it names in this
   * transition, or undefined when it names nothing (the entry then allows no change).
   */
  readonly locate: Readonly<Record<string, (t: Transition<I, O>) => Locator | undefined>>;
  /**
   * Outputs the spec leaves to the implementation (IMPLEMENTATION DEFINED, or bounded rather
   * than fixed): the values it permits, given the transition the model made. Outputs not listed
   * must equal the model's. `result` names X0 (the spec's name for it in every output table),
   * for a call whose success leaves X0 open (a version, RSI_SUCCESS or RSI_INCOMPLETE).
   */
  readonly choices?: Readonly<Record<string, (t: Transition<I, O>, value: bigint) => boolean>>;
  /**
   * For a command whose answer depends on an IMPLEMENTATION DEFINED set rather than on the state
   * (RMI_VERSION, RSI_VERSION: the revisions an RMM supports, DEN0137 B2): why another
   * implementation's answer (`ok`: success; outputs by name, undefined when not observed) is not
   * permitted, or undefined when it is. Judging uses it for any answer, success or failure.
   */
  readonly answers?: (pre: RmmState, input: I, answer: { readonly ok: boolean; readonly out: Readonly<Record<string, bigint | undefined>> }) => string | undefined;
}

/** Whether `p` is a {@link ConditionalPost}. @internal */
export function isConditional<I, O>(p: PostCheck<I, O> | ConditionalPost<I, O>): p is ConditionalPost<I, O> {
  return typeof p !== 'function';
}
