/**
 * Expanding one breadth-first level. A state travels as its path: the alphabet indexes of the
 * actions that reach it from the initial state. A level's states all have paths of the same
 * length, so a level is one flat `Uint16Array` of rows; rows come out sorted (parents in order,
 * actions in alphabet order), so consecutive rows share long prefixes and replaying them costs
 * about one action per row. Every successor is fingerprinted (modulo symmetry) and added to the
 * visited set; the new ones are checked against the state invariants and become the next level.
 *
 * @packageDocumentation
 */
import { invariantViolations, showViolations, type RmmState, type RuleHits } from '@realmspec/core';
import type { Action, Setup } from './alphabet.js';
import { Fingerprinter } from './fingerprint.js';
import { checkedStep, replayAction, type StepChecks } from './step.js';
import { teardown } from './teardown.js';
import type { FingerprintSet } from './visited.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A growable list of fixed-length rows of 16-bit action indexes. */
export class Rows {
  private data: Uint16Array;
  /** Rows held. */
  count = 0;

  /** An empty list of rows of `width` entries. */
  constructor(
    readonly width: number,
    capacity = 64,
  ) {
    this.data = new Uint16Array(Math.max(1, width * capacity));
  }

  /** Appends `prefix` followed by `last`. */
  push(prefix: Uint16Array, last: number): void {
    const need = (this.count + 1) * this.width;
    if (need > this.data.length) {
      const bigger = new Uint16Array(Math.max(need, this.data.length * 2));
      bigger.set(this.data);
      this.data = bigger;
    }
    const at = this.count * this.width;
    this.data.set(prefix.subarray(0, this.width - 1), at);
    this.data[at + this.width - 1] = last;
    this.count++;
  }

  /** The rows as one array (a view: `count * width` entries). */
  view(): Uint16Array {
    return this.data.subarray(0, this.count * this.width);
  }
}

/** A violation found at a transition or a state: the check, the message, and the path to it. */
export interface Violation {
  /** Which check: `post-or-frame`, `permitted`, `failure-changes-nothing`, `transition-invariant`, `invariant`, `teardown`. */
  readonly check: string;
  /** What went wrong. */
  readonly message: string;
  /** Alphabet indexes of the actions from the initial state; for a transition, its action last. */
  readonly path: readonly number[];
}

/** What expanding (part of) a level counted. */
export interface LevelStats {
  /** States expanded. */
  expanded: number;
  /** Actions tried (states × alphabet). */
  transitions: number;
  /** Actions that succeeded. */
  successes: number;
  /** New states found (inserted into the visited set by this expander). */
  found: number;
  /** Teardown strategy commands run. */
  teardownSteps: number;
  /** States expanded with the checks (all of them, except in a shard). */
  owned: number;
  /** Whether the state bound stopped the expansion. */
  full: boolean;
  /** The first violation, if any (expansion stops there). */
  violation: Violation | undefined;
}

/** Options of an expander. */
export interface ExpandOptions {
  /** The checks. */
  readonly checks: StepChecks & { readonly teardown: boolean };
  /** Rule counts (coverage); undefined to count nothing (faster). */
  readonly hits: RuleHits | undefined;
  /** Stop adding states once the visited set holds this many (across all threads). */
  readonly maxStates: number;
  /** How many states the set holds now, across threads (for the bound); defaults to this expander's count. */
  readonly total?: () => number;
  /** Called after each insertion of a new state (threads count states together). */
  readonly onInsert?: () => void;
  /** For a shard: whether it checks the state with this fingerprint (others are only enumerated). */
  readonly owns?: (hi: number, lo: number) => boolean;
  /** A property of every state beyond the invariants: what is wrong, or undefined (check `property`). */
  readonly property?: (s: RmmState) => string | undefined;
}

const NO_CHECKS = { checked: false, permitted: false, invariants: false, teardown: false } as const;

// -------------------------------------------------------------------------------------
// expanding
// -------------------------------------------------------------------------------------

/** Expands levels of one configuration against a visited set (one per thread). */
export class Expander {
  /** The fingerprinter (exposed for its fallback count). */
  readonly fp: Fingerprinter;
  private readonly actions: readonly Action[];

  /** An expander for `setup` adding to `visited`. */
  constructor(
    private readonly setup: Setup,
    private readonly visited: FingerprintSet,
    private readonly options: ExpandOptions,
  ) {
    const pool = setup.config.pool;
    this.fp = new Fingerprinter(pool[0] ?? 0, pool.length, setup.config.symmetry);
    this.actions = setup.actions;
  }

  /** Adds the initial state; returns a violation of the state invariants, if any. */
  start(): Violation | undefined {
    const s = this.setup.initial;
    this.fp.fingerprint(s);
    this.visited.add(this.fp.hi, this.fp.lo);
    return this.stateCheck(s, []);
  }

  private stateCheck(s: RmmState, path: readonly number[]): Violation | undefined {
    const p = this.options.property?.(s);
    if (p !== undefined) return { check: 'property', message: p, path };
    if (!this.options.checks.invariants) return undefined;
    const v = invariantViolations(s, this.options.hits);
    return v.length === 0 ? undefined : { check: 'invariant', message: showViolations(v).join('; '), path };
  }

  /**
   * Expands the rows `rows` (each `depth` actions long, sorted) into `next` (rows of
   * `depth + 1`): every action from every state, with the checks.
   */
  expand(rows: Uint16Array, depth: number, next: Rows, stats: LevelStats): void {
    const n = depth === 0 ? 1 : rows.length / depth;
    const stack: RmmState[] = [this.setup.initial];
    const current = new Uint16Array(depth + 1);
    const { checks: allChecks, hits: allHits, maxStates, owns, onInsert } = this.options;
    const total = this.options.total ?? ((): number => this.visited.inserted);
    let prev = -1;
    for (let r = 0; r < n; r++) {
      const at = r * depth;
      // Replay from the longest prefix shared with the previous row.
      let k = 0;
      if (prev >= 0) while (k < depth && rows[at + k] === rows[prev + k]) k++;
      for (; k < depth; k++) {
        const a = rows[at + k] as number;
        current[k] = a;
        stack[k + 1] = replayAction(stack[k] as RmmState, this.actions[a] as Action);
      }
      prev = at;
      const s = stack[depth] as RmmState;
      stats.expanded++;
      let checks = allChecks;
      let hits = allHits;
      if (owns !== undefined) {
        this.fp.fingerprint(s);
        if (!owns(this.fp.hi, this.fp.lo)) {
          checks = NO_CHECKS;
          hits = undefined;
        }
      }
      if (checks === allChecks) stats.owned++;
      if (checks.teardown) {
        const t = teardown(s);
        stats.teardownSteps += t.steps;
        if (!t.ok) {
          stats.violation = { check: 'teardown', message: `the teardown strategy is stuck with ${t.left}`, path: Array.from(current.subarray(0, depth)) };
          return;
        }
      }
      for (const a of this.actions) {
        stats.transitions++;
        const step = checkedStep(s, a, checks, hits);
        const path = (): number[] => [...Array.from(current.subarray(0, depth)), a.index];
        if (step.violation !== undefined) {
          const colon = step.violation.indexOf(': ');
          stats.violation = { check: step.violation.slice(0, colon), message: step.violation.slice(colon + 2), path: path() };
          return;
        }
        if (step.failed) continue;
        stats.successes++;
        if (step.state === s) continue;
        this.fp.fingerprint(step.state);
        if (total() >= maxStates && !this.visited.has(this.fp.hi, this.fp.lo)) {
          stats.full = true;
          continue;
        }
        if (!this.visited.add(this.fp.hi, this.fp.lo)) continue;
        stats.found++;
        onInsert?.();
        const v = owns === undefined || owns(this.fp.hi, this.fp.lo) ? this.stateCheck(step.state, path()) : undefined;
        if (v !== undefined) {
          stats.violation = v;
          return;
        }
        next.push(current, a.index);
      }
    }
  }
}

/** Fresh level statistics. */
export function emptyStats(): LevelStats {
  return { expanded: 0, transitions: 0, successes: 0, found: 0, teardownSteps: 0, owned: 0, full: false, violation: undefined };
}
