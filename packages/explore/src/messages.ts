/**
 * What the main thread and the workers of a parallel search say to each other, and which states a
 * shard checks.
 *
 * @packageDocumentation
 */
import type { Config } from './config.js';
import type { LevelStats } from './level.js';

/** Which part of the checks a shard makes: states whose fingerprint is `index` modulo `count`. */
export interface Shard {
  /** This shard, from 0. */
  readonly index: number;
  /** Number of shards. */
  readonly count: number;
}

/** Whether the fingerprint `(hi, lo)` belongs to `shard`. */
export function ownedBy(shard: Shard): (hi: number, lo: number) => boolean {
  return (_hi, lo) => (lo >>> 0) % shard.count === shard.index;
}

/** What the main thread gives a worker at start. */
export interface WorkerInit {
  /** The decoded configuration. */
  readonly config: Config;
  /** The visited set's buffer. */
  readonly visited: SharedArrayBuffer;
  /** One Int32 counting states across threads. */
  readonly counter: SharedArrayBuffer;
  /** The state bound. */
  readonly maxStates: number;
  /** Whether to count rule coverage. */
  readonly coverage: boolean;
  /** For a shard: which states this run checks. */
  readonly shard: Shard | undefined;
}

/**
 * A request to a worker: `adopt` adds to its level at `depth` the `count` states whose paths are
 * `rows` (flat rows of `depth` actions; states already visited and checked); `expand` expands its
 * whole level at `depth` (absolute), which becomes the level at `depth + 1`; `give` takes `count`
 * states off the end of its level and returns their paths; `done` asks for the coverage and ends
 * the worker.
 */
export type WorkerRequest =
  | { readonly kind: 'adopt'; readonly rows: Uint16Array; readonly depth: number; readonly count: number }
  | { readonly kind: 'expand'; readonly depth: number }
  | { readonly kind: 'give'; readonly count: number }
  | { readonly kind: 'done' };

/** A worker's answer to `expand`: its next level's size and what it counted. */
export interface WorkerLevel {
  /** The answer's kind. */
  readonly kind: 'level';
  /** States in its next level. */
  readonly count: number;
  /** What it counted. */
  readonly stats: LevelStats;
}

/** A worker's answer to `give`: the paths of the states it gave (flat rows). */
export interface WorkerRows {
  /** The answer's kind. */
  readonly kind: 'rows';
  /** The paths. */
  readonly rows: Uint16Array;
  /** How many. */
  readonly count: number;
}

/** A worker's answer to `adopt`. */
export interface WorkerAdopted {
  /** The answer's kind. */
  readonly kind: 'adopted';
  /** States in its level now. */
  readonly count: number;
}

/** A worker's answer to `done`: its coverage (as plain arrays) and symmetry fallbacks. */
export interface WorkerDone {
  /** The answer's kind. */
  readonly kind: 'hits';
  /** Its rule counts, if counted. */
  readonly hits: { readonly reached: Uint32Array; readonly held: Uint32Array; readonly decided: Uint32Array; readonly orderBoth: Uint32Array; readonly orderRespected: Uint32Array; readonly calls: Array<[string, number]> } | undefined;
  /** Fingerprints that fell back to identity. */
  readonly fallbacks: number;
}
