/**
 * Rule hits: which catalogue rules a run reached and which held, counted by the caller.
 * The model keeps no global counters; a caller that wants a tally passes a {@link RuleHits}.
 *
 * @packageDocumentation
 */
import { catalogue, type Rule } from '../catalogue/index.js';

/** Per-command tally of a {@link RuleHits}. */
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
 * Counters for every catalogue rule. `reached[n]` counts evaluations of rule `n` (for a failure
 * condition: its antecedent was evaluated because every earlier one passed; for a success
 * condition: the command succeeded); `held[n]` counts those where the condition held.
 */
export class RuleHits {
  /** Evaluations per rule number. */
  readonly reached: Uint32Array;
  /** Times each rule held. */
  readonly held: Uint32Array;
  /** Calls per command name. */
  readonly calls: Map<string, number>;

  constructor() {
    this.reached = new Uint32Array(catalogue.rules.length);
    this.held = new Uint32Array(catalogue.rules.length);
    this.calls = new Map();
  }

  /** Records one call of `command`. */
  call(command: string): void {
    this.calls.set(command, (this.calls.get(command) ?? 0) + 1);
  }

  /** Adds another tally into this one. */
  merge(other: RuleHits): void {
    for (let i = 0; i < this.reached.length; i++) {
      this.reached[i] = (this.reached[i] as number) + (other.reached[i] as number);
      this.held[i] = (this.held[i] as number) + (other.held[i] as number);
    }
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
