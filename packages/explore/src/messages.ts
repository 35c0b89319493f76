/**
 * What the main thread and the workers of a parallel search say to each other, and which states a
 * shard checks.
 *
 * @packageDocumentation
 */
import type { Config } from './config.js';

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

/** A level slice to expand (`done` asks for the coverage and ends the worker). */
export type WorkerRequest = { readonly kind: 'expand'; readonly rows: Uint16Array; readonly depth: number } | { readonly kind: 'done' };
