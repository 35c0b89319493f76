/**
 * The model-based tests' invariant check: every state invariant of the catalogue
 * (`spec/invariants.json`, checked by core's `invariantViolations`), and, given the state
 * before the step, every transition invariant. Returns the violations as text.
 */
import { invariantViolations as violations, showViolations, transitionViolations, type RmmState } from '../../src/index.js';

/** Every invariant violation of `s` (and of the step from `pre` to `s`, when given), as text. */
export function invariantViolations(s: RmmState, pre?: RmmState): string[] {
  return showViolations([...violations(s), ...(pre === undefined ? [] : transitionViolations(pre, s))]);
}
