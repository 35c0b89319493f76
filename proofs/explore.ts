/**
 * Exhaustive bounded exploration: every state reachable from an initial state by a fixed set of
 * Host steps, breadth first, deduplicated by the model's canonical state key. Each new state is
 * checked against the invariants; each failing step is checked to change nothing.
 */
import { hostWrite, smc, stateKey, type RmmState } from '@realmspec/core';
import * as E from 'fp-ts/lib/Either.js';

/** One Host step: an optional memory write, then an SMC. */
export interface HostAction {
  /** How the step prints, in the trace format's call style. */
  readonly name: string;
  /** X0..Xn. */
  readonly regs: readonly bigint[];
  /** A Non-secure write made before the SMC. */
  readonly write?: { readonly pa: bigint; readonly bytes: Uint8Array };
}

/** What an exploration found. */
export interface Exploration {
  /** Distinct reachable states (the initial one included). */
  readonly states: number;
  /** Steps taken from explored states. */
  readonly transitions: number;
  /** Steps that failed (and changed nothing). */
  readonly failures: number;
  /** Length of the longest shortest path to a state. */
  readonly depth: number;
  /** Whether the bound cut the exploration short. */
  readonly bounded: boolean;
  /** Invariant violations, each with the path that reaches it. */
  readonly violations: readonly string[];
}

/**
 * Explores from `initial` with `actions`, up to `limit` states. `check` returns the invariant
 * violations of a state. Stops at the first violation (reported with its path).
 */
export function explore(initial: RmmState, actions: readonly HostAction[], check: (s: RmmState) => string[], limit: number): Exploration {
  const seen = new Set<string>([stateKey(initial)]);
  // Each frontier state travels with what it needs: keyed once, when first seen.
  let frontier: Array<{ readonly state: RmmState; readonly path: string }> = [{ state: initial, path: '' }];
  let transitions = 0;
  let failures = 0;
  let depth = 0;
  const violations: string[] = [];
  while (frontier.length > 0 && seen.size < limit && violations.length === 0) {
    const next: Array<{ readonly state: RmmState; readonly path: string }> = [];
    for (const { state: s, path: from } of frontier) {
      for (const a of actions) {
        transitions++;
        let pre = s;
        if (a.write !== undefined) pre = E.getOrElse(() => s)(hostWrite(s, a.write.pa, a.write.bytes));
        const r = smc(pre, a.regs);
        if (r.failure !== undefined) {
          failures++;
          if (r.state !== pre) violations.push(`${from} ${a.name}: a failed command changed the state`);
          continue;
        }
        const key = stateKey(r.state);
        if (seen.has(key)) continue;
        seen.add(key);
        const path = `${from} ${a.name}`.trim();
        for (const v of check(r.state)) violations.push(`${path}: ${v}`);
        next.push({ state: r.state, path });
        if (seen.size >= limit) break;
      }
      if (seen.size >= limit || violations.length > 0) break;
    }
    if (next.length > 0) depth++;
    frontier = next;
  }
  return { states: seen.size, transitions, failures, depth, bounded: frontier.length > 0 && violations.length === 0, violations };
}
