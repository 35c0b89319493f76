/**
 * Rule hits: which catalogue rules a run reached and which held, counted by the caller.
 * The model keeps no global counters; a caller that wants a tally passes a {@link RuleHits}.
 *
 * @packageDocumentation
 */
import { catalogue, type Rule } from '../catalogue/index.js';

/** Per-command tally of a {@link RuleHits}. @category Engine */
export interface CommandTally {
  /** Command name. */
  readonly command: string;
  /** Calls that reached the command's checks. */
  readonly calls: number;
  /** Failure conditions of the command (spec rows and derived rows). */
  readonly failures: number;
  /** Failure conditions that held at least once. */
  readonly failuresHeld: number;
  /** Success conditions the command's own calls establish (those another command establishes are left out). */
  readonly success: number;
  /** Success conditions established at least once. */
  readonly successHeld: number;
}

/**
 * Counters for every catalogue rule (the coverage points of DEN0137's conditions, two per rule
 * as in TF-RMM's CBMC testbenches, plus the outcome):
 * - a failure condition: `reached[n]`, its antecedent was evaluated because every earlier one
 *   in listed order passed; `held[n]`, it held (every condition is evaluated when hits are
 *   counted, so this counts conditions that held behind the one reported); `decided[n]`, it
 *   was the failure reported;
 * - a success condition: `reached[n]`, its post-condition was evaluated (the command succeeded
 *   and the row applied); `held[n]`, it held;
 * - an invariant: `reached[n]`, checked; `held[n]`, it held;
 * - an ordering constraint (`catalogue.orderings`): `orderBoth[k]`, both conditions held in
 *   one call; `orderRespected[k]`, and the outcome respected the constraint.
 * @category Engine
 */
export class RuleHits {
  /** Evaluations per rule number. */
  readonly reached: Uint32Array;
  /** Times each rule held. */
  readonly held: Uint32Array;
  /** Times each failure condition was the failure reported. */
  readonly decided: Uint32Array;
  /** Per ordering constraint: calls in which both of its conditions held. */
  readonly orderBoth: Uint32Array;
  /** Per ordering constraint: of those, calls whose outcome respected it. */
  readonly orderRespected: Uint32Array;
  /** Calls per command name. */
  readonly calls: Map<string, number>;

  constructor() {
    this.reached = new Uint32Array(catalogue.rules.length);
    this.held = new Uint32Array(catalogue.rules.length);
    this.decided = new Uint32Array(catalogue.rules.length);
    this.orderBoth = new Uint32Array(catalogue.orderings.length);
    this.orderRespected = new Uint32Array(catalogue.orderings.length);
    this.calls = new Map();
  }

  /** Records one call of `command`. */
  call(command: string): void {
    this.calls.set(command, (this.calls.get(command) ?? 0) + 1);
  }

  /** Adds another tally into this one. */
  merge(other: RuleHits): void {
    const add = (a: Uint32Array, b: Uint32Array): void => {
      for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) + (b[i] as number);
    };
    add(this.reached, other.reached);
    add(this.held, other.held);
    add(this.decided, other.decided);
    add(this.orderBoth, other.orderBoth);
    add(this.orderRespected, other.orderRespected);
    for (const [k, v] of other.calls) this.calls.set(k, (this.calls.get(k) ?? 0) + v);
  }

  /** How often rule `r` held. */
  heldCount(r: Rule): number {
    return this.held[r.n] as number;
  }

  /** The per-command tally, in catalogue order, for commands that were called (or every command with `all`). */
  tally(all = false): CommandTally[] {
    const out: CommandTally[] = [];
    for (const c of catalogue.commands) {
      const calls = this.calls.get(c.name) ?? 0;
      if (!all && calls === 0) continue;
      out.push({
        command: c.name,
        calls,
        failures: c.failures.length,
        failuresHeld: c.failures.filter((r) => (this.held[r.n] as number) > 0).length,
        success: c.success.filter((r) => r.establishedBy === undefined).length,
        successHeld: c.success.filter((r) => r.establishedBy === undefined && (this.held[r.n] as number) > 0).length,
      });
    }
    return out;
  }
}
