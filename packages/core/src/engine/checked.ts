/**
 * Process-wide switches of the engine, for test suites and tools (never for model state):
 * - checked mode: the engine evaluates every success condition and the frame check after every
 *   apply and throws an InternalError naming the rule on a violation (a model bug). Off by
 *   default, so that benchmarks and exploration pay nothing; the project's tests turn it on.
 * - recording: a {@link RuleHits} that counts every command run without hits of its own, so
 *   that a test suite's spec coverage can be collected without passing hits to every call; the
 *   hits that callers pass themselves while it records are remembered ({@link takeCallerHits}),
 *   so that the suite's coverage can include what they counted.
 *
 * @packageDocumentation
 */
import type { RuleHits } from './hits.js';

let on = false;
let recording: RuleHits | undefined;
let callerHits = new Set<RuleHits>();

/** Turns checked mode on or off for every command of the model; returns the previous setting. @category Engine */
export function setCheckedMode(enabled: boolean): boolean {
  const was = on;
  on = enabled;
  return was;
}

/** Whether checked mode is on. @category Engine */
export function isCheckedMode(): boolean {
  return on;
}

/**
 * Counts, in `hits`, every command, invariant check and REC exit run without hits of its own
 * (undefined: stop recording). Returns the previous recorder.
 */
export function setRecording(hits: RuleHits | undefined): RuleHits | undefined {
  const was = recording;
  recording = hits;
  return was;
}

/**
 * Every {@link RuleHits} that callers passed to a command, invariant check or REC exit of their
 * own while recording was on, since the last call: each holds counts the recorder does not have. Merging
 * them into the recorder's counts counts every call once (as long as none of them was itself merged
 * into another one passed to a command).
 */
export function takeCallerHits(): RuleHits[] {
  const out = [...callerHits];
  callerHits = new Set();
  return out;
}

/** The hits to count into: the caller's (remembered while recording), or the recorder's. @internal */
export function hitsOr(hits: RuleHits | undefined): RuleHits | undefined {
  if (hits === undefined) return recording;
  if (recording !== undefined && hits !== recording) callerHits.add(hits);
  return hits;
}
