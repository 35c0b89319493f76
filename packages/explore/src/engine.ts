/**
 * The breadth-first search in one thread: level by level from the initial state, every action
 * from every state, until no new state appears, the state bound or the depth bound is reached, or
 * a check fails. The first violation found is on a shortest path (levels are expanded in order,
 * and every transition of a level has the same path length).
 *
 * @packageDocumentation
 */
import { RuleHits, type RmmState } from '@realmspec/core';
import type { Setup } from './alphabet.js';
import { emptyStats, Expander, Frontier, type ExpandOptions, type LevelStats, type Violation } from './level.js';
import { FingerprintSet } from './visited.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Where a search is, for progress lines. */
export interface Progress {
  /** Distinct states so far. */
  readonly states: number;
  /** Transitions so far. */
  readonly transitions: number;
  /** States waiting to be expanded (the rest of this level and the next one so far). */
  readonly queue: number;
  /** The level being expanded. */
  readonly depth: number;
  /** Milliseconds since the start. */
  readonly ms: number;
}

/** Options of a search. */
export interface SearchOptions {
  /** Overrides the configuration's state bound. */
  readonly maxStates?: number;
  /** Count rule coverage (default true). */
  readonly coverage?: boolean;
  /** Called now and then with where the search is. */
  readonly onProgress?: (p: Progress) => void;
  /** For a shard: whether it checks the state with this fingerprint (others are only enumerated). */
  readonly owns?: (hi: number, lo: number) => boolean;
  /** A property of every state beyond the invariants (see {@link ExpandOptions.property}). */
  readonly property?: (s: RmmState) => string | undefined;
}

/** What a search found. */
export interface SearchResult {
  /** The configuration's name. */
  readonly config: string;
  /** Distinct states (modulo symmetry when it is on), the initial one included. */
  readonly states: number;
  /** Actions tried: every action from every expanded state. */
  readonly transitions: number;
  /** Of those, the ones whose Host command succeeded. */
  readonly successes: number;
  /** The deepest level reached (the longest shortest path). */
  readonly depth: number;
  /** New states per level, from level 0. */
  readonly levels: readonly number[];
  /** Whether a bound (states or depth) cut the search short. */
  readonly bounded: boolean;
  /** Commands the teardown strategy ran. */
  readonly teardownSteps: number;
  /** Fingerprints computed without symmetry because a pool granule was reached twice. */
  readonly symmetryFallbacks: number;
  /** Wall-clock milliseconds. */
  readonly ms: number;
  /** The first violation, on a shortest path. */
  readonly violation: Violation | undefined;
  /** Rule coverage of every transition and state check (undefined without coverage). */
  readonly hits: RuleHits | undefined;
  /** Threads that searched. */
  readonly workers: number;
  /** States expanded with the checks (all expanded states, except in a shard). */
  readonly owned: number;
}

// -------------------------------------------------------------------------------------
// search
// -------------------------------------------------------------------------------------

/** Adds `s` into `total`. */
export function addStats(total: LevelStats, s: LevelStats): void {
  total.expanded += s.expanded;
  total.transitions += s.transitions;
  total.successes += s.successes;
  total.found += s.found;
  total.teardownSteps += s.teardownSteps;
  total.owned += s.owned;
  total.full ||= s.full;
  total.violation ??= s.violation;
}

/** Explores `setup` in this thread. */
export function search(setup: Setup, options: SearchOptions = {}): SearchResult {
  const t0 = performance.now();
  const maxStates = options.maxStates ?? setup.config.maxStates;
  const maxDepth = setup.config.maxDepth ?? Infinity;
  const hits = options.coverage === false ? undefined : new RuleHits();
  const visited = new FingerprintSet(FingerprintSet.allocate(maxStates, false));
  const ex = new Expander(setup, visited, { checks: setup.config.checks, hits, maxStates, ...(options.owns !== undefined ? { owns: options.owns } : {}), ...(options.property !== undefined ? { property: options.property } : {}) });
  const total = emptyStats();
  const first = ex.start();
  total.violation = first.violation;
  total.found = 1;
  const levels = [1];
  let level = first.frontier;
  let depth = 0;
  let lastProgress = t0;
  while (level.count > 0 && total.violation === undefined && depth < maxDepth) {
    const next = new Frontier();
    // Expand in slices so that progress can be reported within a long level.
    const slice = 1024;
    for (let r = 0; r < level.count && total.violation === undefined; r += slice) {
      const stats = emptyStats();
      ex.expand(level, depth, r, Math.min(level.count, r + slice), next, stats);
      addStats(total, stats);
      const now = performance.now();
      if (options.onProgress !== undefined && now - lastProgress > 250) {
        lastProgress = now;
        options.onProgress({ states: visited.inserted, transitions: total.transitions, queue: level.count - r - slice + next.count, depth, ms: now - t0 });
      }
    }
    if (next.count === 0 || total.violation !== undefined) break;
    levels.push(next.count);
    ex.advance(next);
    level = next;
    depth++;
  }
  // States at the depth bound were not expanded: they may have successors not seen.
  const bounded = total.violation === undefined && (total.full || (level.count > 0 && depth >= maxDepth));
  return {
    config: setup.config.name,
    states: visited.inserted,
    transitions: total.transitions,
    successes: total.successes,
    depth,
    levels,
    bounded,
    teardownSteps: total.teardownSteps,
    symmetryFallbacks: ex.fp.fallbacks,
    ms: performance.now() - t0,
    violation: total.violation,
    hits,
    workers: 1,
    owned: total.owned,
  };
}
