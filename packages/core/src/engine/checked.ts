/**
 * Checked mode: when on, the engine evaluates every success condition and the frame check after
 * every apply and throws an InternalError naming the rule on a violation (a model bug). Off by
 * default, so that benchmarks and exploration pay nothing; the project's tests turn it on.
 *
 * @packageDocumentation
 */

let on = false;

/** Turns checked mode on or off for every command of the model; returns the previous setting. */
export function setCheckedMode(enabled: boolean): boolean {
  const was = on;
  on = enabled;
  return was;
}

/** Whether checked mode is on. */
export function isCheckedMode(): boolean {
  return on;
}
