/**
 * Expanding one breadth-first level. The frontier holds states, not paths: the model's states are
 * persistent and share structure (each collection is a Baker-rerooting persistent map, where
 * switching between sibling versions costs a few map operations), so keeping a level's states
 * costs a few hundred bytes each and expanding one costs no replay. For counterexamples each
 * state keeps its parent's position in the previous level and the action from it (6 bytes a
 * state, kept for every level); a path is read back through them. Every successor is
 * fingerprinted (modulo symmetry) and added to the visited set; the new ones are checked against
 * the state invariants and become the next level.
 *
 * @packageDocumentation
 */
import { invariantViolations, showViolations, type RmmState, type RuleHits } from '@realmspec/core';
import type { Setup } from './alphabet.js';
import { Fingerprinter } from './fingerprint.js';
import { checkedStep, prepare, replayAction, type PreparedAction, type StepChecks } from './step.js';
import { teardown } from './teardown.js';
import type { FingerprintSet } from './visited.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One level of this thread's frontier: states with their fingerprints, parents and actions. */
export class Frontier {
  /** The states (an expanded level's are dropped: see {@link Frontier.release}). */
  states: Array<RmmState | undefined> = [];
  /** Per state: its position in the previous level. */
  parent = new Int32Array(64);
  /** Per state: the action from its parent. */
  action = new Uint16Array(64);
  /** Per state: lane A of its fingerprint. */
  hi = new Int32Array(64);
  /** Per state: lane B of its fingerprint. */
  lo = new Int32Array(64);
  /** States held. */
  count = 0;

  /** Appends a state. */
  push(s: RmmState, parent: number, action: number, hi: number, lo: number): void {
    if (this.count === this.parent.length) {
      const n = this.count * 2;
      const grow = <T extends Int32Array | Uint16Array>(a: T, make: (n: number) => T): T => {
        const b = make(n);
        b.set(a);
        return b;
      };
      this.parent = grow(this.parent, (k) => new Int32Array(k));
      this.action = grow(this.action, (k) => new Uint16Array(k));
      this.hi = grow(this.hi, (k) => new Int32Array(k));
      this.lo = grow(this.lo, (k) => new Int32Array(k));
    }
    this.states.push(s);
    this.parent[this.count] = parent;
    this.action[this.count] = action;
    this.hi[this.count] = hi;
    this.lo[this.count] = lo;
    this.count++;
  }

  /** Drops the states and fingerprints once the level is expanded; parents and actions stay for paths. */
  release(): void {
    this.states = [];
    this.parent = this.parent.slice(0, this.count);
    this.action = this.action.slice(0, this.count);
    this.hi = new Int32Array(0);
    this.lo = new Int32Array(0);
  }
}

/** A violation found at a transition or a state: the check, the message, and the path to it. */
export interface Violation {
  /** Which check: `post-or-frame`, `permitted`, `failure-changes-nothing`, `transition-invariant`, `invariant`, `teardown`, `property`. */
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
  /** The alphabet, resolved. */
  readonly prepared: readonly PreparedAction[];
  /** Every level so far from {@link base} (expanded ones keep only parents and actions), for paths. */
  private log: Frontier[] = [];
  /** The depth of `log[0]`. */
  private base = 0;
  /** Paths of states received whole (a state's parent −1 − k means: path `explicit[k]`). */
  private explicit: Array<readonly number[]> = [];

  /** An expander for `setup` adding to `visited`. */
  constructor(
    private readonly setup: Setup,
    private readonly visited: FingerprintSet,
    private readonly options: ExpandOptions,
  ) {
    const pool = setup.config.pool;
    this.fp = new Fingerprinter(pool[0] ?? 0, pool.length, setup.config.symmetry);
    this.prepared = setup.actions.map(prepare);
  }

  /** The level being expanded (the last one received or advanced to). */
  get current(): Frontier {
    return this.log[this.log.length - 1] as Frontier;
  }

  /** The initial state as level 0, added to the visited set and checked (its violation, if any). */
  start(): { frontier: Frontier; violation: Violation | undefined } {
    const s = this.setup.initial;
    this.fp.fingerprint(s);
    this.visited.add(this.fp.hi, this.fp.lo);
    this.options.onInsert?.();
    const frontier = new Frontier();
    this.explicit = [[]];
    frontier.push(s, -1, 0, this.fp.hi, this.fp.lo);
    this.log = [frontier];
    this.base = 0;
    return { frontier, violation: this.stateCheck(s, []) };
  }

  /**
   * Adds to the level at `depth` the `count` states whose paths are `rows` (flat, `depth` actions
   * each; states already visited and checked, as a worker receives its share of a level), each
   * replayed from the initial state. A level at another depth than the current one starts anew.
   */
  receive(rows: Uint16Array, depth: number, count: number): void {
    if (this.depth !== depth) {
      this.log = [new Frontier()];
      this.base = depth;
      this.explicit = [];
    }
    const frontier = this.current;
    for (let r = 0; r < count; r++) {
      const path = Array.from(rows.subarray(r * depth, (r + 1) * depth));
      let s = this.setup.initial;
      for (const a of path) s = replayAction(s, this.prepared[a] as PreparedAction);
      this.fp.fingerprint(s);
      this.explicit.push(path);
      frontier.push(s, -this.explicit.length, 0, this.fp.hi, this.fp.lo);
    }
  }

  /** The depth of the current level (−1 before any). */
  get depth(): number {
    return this.log.length === 0 ? -1 : this.base + this.log.length - 1;
  }

  /** Takes `count` states off the end of the current level (not yet expanded): their paths, as flat rows of {@link depth} actions. */
  give(count: number): Uint16Array {
    const frontier = this.current;
    const depth = this.depth;
    const n = Math.min(count, frontier.count);
    const rows = new Uint16Array(n * depth);
    for (let r = 0; r < n; r++) rows.set(this.path(depth, frontier.count - n + r), r * depth);
    frontier.count -= n;
    frontier.states.length = frontier.count;
    return rows;
  }

  /** The path to state `index` of level `depth`. */
  path(depth: number, index: number): number[] {
    const out: number[] = [];
    let i = index;
    for (let d = depth; ; d--) {
      const l = this.log[d - this.base] as Frontier;
      const parent = l.parent[i] as number;
      if (parent < 0) return [...(this.explicit[-1 - parent] as readonly number[]), ...out.reverse()];
      out.push(l.action[i] as number);
      i = parent;
    }
  }

  /** Makes `next` the current level once the last one is expanded (which keeps only parents and actions). */
  advance(next: Frontier): void {
    this.log[this.log.length - 1]?.release();
    this.log.push(next);
  }

  private stateCheck(s: RmmState, path: () => readonly number[]): Violation | undefined;
  private stateCheck(s: RmmState, path: readonly number[]): Violation | undefined;
  private stateCheck(s: RmmState, path: readonly number[] | (() => readonly number[])): Violation | undefined {
    const at = (): readonly number[] => (typeof path === 'function' ? path() : path);
    const p = this.options.property?.(s);
    if (p !== undefined) return { check: 'property', message: p, path: at() };
    if (!this.options.checks.invariants) return undefined;
    const v = invariantViolations(s, this.options.hits);
    return v.length === 0 ? undefined : { check: 'invariant', message: showViolations(v).join('; '), path: at() };
  }

  /** Whether `s` is a visited state already shown to tear down (the teardown memo). */
  private readonly knownGood = (s: RmmState): boolean => {
    this.fp.fingerprint(s);
    return this.visited.marked(this.fp.hi, this.fp.lo);
  };

  /**
   * Expands states `from`..`to` − 1 of `level` (at `depth`) into `next`: every action from
   * every state, with the checks.
   */
  expand(level: Frontier, depth: number, from: number, to: number, next: Frontier, stats: LevelStats): void {
    const { checks: allChecks, hits: allHits, maxStates, owns, onInsert } = this.options;
    const total = this.options.total ?? ((): number => this.visited.inserted);
    const prepared = this.prepared;
    const fp = this.fp;
    for (let i = from; i < to; i++) {
      const s = level.states[i] as RmmState;
      level.states[i] = undefined;
      const hi = level.hi[i] as number;
      const lo = level.lo[i] as number;
      stats.expanded++;
      let checks = allChecks;
      let hits = allHits;
      if (owns !== undefined && !owns(hi, lo)) {
        checks = NO_CHECKS;
        hits = undefined;
      }
      if (checks === allChecks) stats.owned++;
      if (checks.teardown) {
        const t = teardown(s, 10_000, this.knownGood);
        stats.teardownSteps += t.steps;
        if (!t.ok) {
          stats.violation = { check: 'teardown', message: `the teardown strategy is stuck with ${t.left}`, path: this.path(depth, i) };
          return;
        }
        this.visited.mark(hi, lo);
      }
      for (let k = 0; k < prepared.length; k++) {
        const p = prepared[k] as PreparedAction;
        stats.transitions++;
        const step = checkedStep(s, p, checks, hits);
        if (step.violation !== undefined) {
          const colon = step.violation.indexOf(': ');
          stats.violation = { check: step.violation.slice(0, colon), message: step.violation.slice(colon + 2), path: [...this.path(depth, i), k] };
          return;
        }
        if (step.failed) continue;
        stats.successes++;
        if (step.state === s) continue;
        fp.fingerprint(step.state);
        const h = fp.hi;
        const l = fp.lo;
        if (total() >= maxStates && !this.visited.has(h, l)) {
          stats.full = true;
          continue;
        }
        if (!this.visited.add(h, l)) continue;
        stats.found++;
        onInsert?.();
        const v = owns === undefined || owns(h, l) ? this.stateCheck(step.state, () => [...this.path(depth, i), k]) : undefined;
        if (v !== undefined) {
          stats.violation = v;
          return;
        }
        next.push(step.state, i, k, h, l);
      }
    }
  }
}

/** Fresh level statistics. */
export function emptyStats(): LevelStats {
  return { expanded: 0, transitions: 0, successes: 0, found: 0, teardownSteps: 0, owned: 0, full: false, violation: undefined };
}
