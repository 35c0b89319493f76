/**
 * The search in worker threads, and the entry point that picks one thread, several, or a shard.
 *
 * Workers share the visited set (a SharedArrayBuffer; a new fingerprint is new to exactly one
 * inserter) and a state counter. Each worker keeps its share of the current level as states (no
 * replay) and expands it; the new states it inserts are its share of the next level. Between
 * levels the main thread evens the shares out: a worker with more than its part gives states off
 * the end of its level as paths, and one with less replays them. The level sets, and so the counts
 * of states, transitions and depth, do not depend on the number of workers; which worker's path
 * represents a state may.
 *
 * @packageDocumentation
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { RuleHits } from '@realmspec/core';
import type { Setup } from './alphabet.js';
import { addStats, search, type Progress, type SearchResult } from './engine.js';
import { emptyStats, Expander } from './level.js';
import { FingerprintSet } from './visited.js';
import { ownedBy, type Shard, type WorkerAdopted, type WorkerDone, type WorkerInit, type WorkerLevel, type WorkerRequest, type WorkerRows } from './messages.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Options of {@link explore}. */
export interface ExploreOptions {
  /** Worker threads (1: search in this thread). */
  readonly workers?: number;
  /** Overrides the configuration's state bound. */
  readonly maxStates?: number;
  /** Count rule coverage (default true). */
  readonly coverage?: boolean;
  /** Check only this shard's states (every shard still enumerates every state). */
  readonly shard?: Shard;
  /** Called now and then with where the search is. */
  readonly onProgress?: (p: Progress) => void;
}

/** What {@link explore} returns: the search result and, for a shard, the states it checked. */
export interface Explored {
  /** The result. */
  readonly result: SearchResult;
  /** The shard, if one. */
  readonly shard: Shard | undefined;
  /** States this run expanded with the checks (all of them without a shard). */
  readonly owned: number;
}

/** The worker script: next to this file when built; from the sources (tests), the built copy. */
function workerUrl(): URL {
  const here = fileURLToPath(import.meta.url);
  return new URL(here.endsWith('.ts') ? import.meta.url.replace('/src/parallel.ts', '/dist/worker.js') : './worker.js', import.meta.url);
}

/** `execArgv` without the `source` export condition (workers run the built packages; a test runner resolving sources passes it on) and without process-wide V8 flags. */
function builtOnly(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    // V8 flags such as --expose-gc are process-wide: a Worker refuses them.
    if (a === '--conditions=source' || a === '-C=source' || a === '--expose-gc' || a === '--expose_gc') continue;
    if ((a === '--conditions' || a === '-C') && argv[i + 1] === 'source') {
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

// -------------------------------------------------------------------------------------
// search
// -------------------------------------------------------------------------------------

/** Explores `setup` in one thread, in `workers` threads, or as a shard. */
export async function explore(setup: Setup, options: ExploreOptions = {}): Promise<Explored> {
  const workers = options.workers ?? 1;
  if (workers <= 1) {
    const owns = options.shard === undefined ? undefined : ownedBy(options.shard);
    const result = search(setup, { ...options, ...(owns !== undefined ? { owns } : {}) });
    return { result, shard: options.shard, owned: result.owned };
  }
  return parallel(setup, workers, options);
}

async function parallel(setup: Setup, n: number, options: ExploreOptions): Promise<Explored> {
  const t0 = performance.now();
  const maxStates = options.maxStates ?? setup.config.maxStates;
  const maxDepth = setup.config.maxDepth ?? Infinity;
  const coverage = options.coverage !== false;
  const buffer = FingerprintSet.allocate(maxStates, true) as SharedArrayBuffer;
  const counterBuf = new SharedArrayBuffer(4);
  const counter = new Int32Array(counterBuf);
  const visited = new FingerprintSet(buffer);
  const hits = coverage ? new RuleHits() : undefined;
  const owns = options.shard === undefined ? undefined : ownedBy(options.shard);
  const main = new Expander(setup, visited, { checks: setup.config.checks, hits, maxStates, ...(owns !== undefined ? { owns } : {}) });
  const total = emptyStats();
  total.violation = main.start().violation;
  total.found = 1;
  Atomics.store(counter, 0, 1);
  const init: WorkerInit = { config: setup.config, visited: buffer, counter: counterBuf, maxStates, coverage, shard: options.shard };
  const pool = Array.from({ length: n }, () => new Worker(workerUrl(), { workerData: init, execArgv: builtOnly(process.execArgv) }));
  const ask = <T>(w: Worker, m: WorkerRequest): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (x: unknown): void => {
        w.off('error', reject);
        resolve(x as T);
      };
      w.once('message', onMessage);
      w.once('error', reject);
      w.postMessage(m);
    });
  const levels = [1];
  // States of the current level each worker holds.
  const counts = pool.map(() => 0);
  let count = 1;
  let depth = 0;
  let fallbacks = 0;
  try {
    if (total.violation === undefined) counts[0] = (await ask<WorkerAdopted>(pool[0] as Worker, { kind: 'adopt', rows: new Uint16Array(0), depth: 0, count: 1 })).count;
    while (count > 0 && total.violation === undefined && depth < maxDepth) {
      const parts = await Promise.all(pool.map((w) => ask<WorkerLevel>(w, { kind: 'expand', depth })));
      for (const [k, p] of parts.entries()) {
        addStats(total, p.stats);
        counts[k] = p.count;
      }
      const size = counts.reduce((a, c) => a + c, 0);
      options.onProgress?.({ states: Atomics.load(counter, 0), transitions: total.transitions, queue: size, depth, ms: performance.now() - t0 });
      if (size === 0 || total.violation !== undefined) break;
      count = size;
      levels.push(count);
      depth++;
      await rebalance(pool, counts, depth, ask);
    }
    for (const w of pool) {
      const m = await ask<WorkerDone>(w, { kind: 'done' });
      fallbacks += m.fallbacks;
      if (hits !== undefined && m.hits !== undefined) {
        const h = new RuleHits();
        h.reached.set(m.hits.reached);
        h.held.set(m.hits.held);
        h.decided.set(m.hits.decided);
        h.orderBoth.set(m.hits.orderBoth);
        h.orderRespected.set(m.hits.orderRespected);
        for (const [k, v] of m.hits.calls) h.calls.set(k, v);
        hits.merge(h);
      }
    }
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  const result: SearchResult = {
    config: setup.config.name,
    states: Atomics.load(counter, 0),
    transitions: total.transitions,
    successes: total.successes,
    depth,
    levels,
    bounded: total.violation === undefined && (total.full || (count > 0 && depth >= maxDepth)),
    teardownSteps: total.teardownSteps,
    symmetryFallbacks: fallbacks + main.fp.fallbacks,
    ms: performance.now() - t0,
    violation: total.violation,
    hits,
    workers: n,
    owned: total.owned,
  };
  return { result, shard: options.shard, owned: total.owned };
}

/**
 * Evens out the workers' shares of the level at `depth` (`counts`, updated): states move, as
 * paths, from workers holding more than an even share to those holding less, when the imbalance
 * is worth the replay.
 */
async function rebalance(pool: readonly Worker[], counts: number[], depth: number, ask: <T>(w: Worker, m: WorkerRequest) => Promise<T>): Promise<void> {
  const size = counts.reduce((a, c) => a + c, 0);
  const share = Math.ceil(size / pool.length);
  // Replaying a path costs about `depth` transitions; a small imbalance costs less than moving it.
  const slack = Math.max(16, Math.floor(share / 8));
  for (let to = 0; to < pool.length; to++) {
    for (let from = 0; from < pool.length && (counts[to] as number) + slack < share; from++) {
      const spare = (counts[from] as number) - share;
      if (spare <= 0) continue;
      const n = Math.min(spare, share - (counts[to] as number));
      const given = await ask<WorkerRows>(pool[from] as Worker, { kind: 'give', count: n });
      counts[from] = (counts[from] as number) - given.count;
      counts[to] = (await ask<WorkerAdopted>(pool[to] as Worker, { kind: 'adopt', rows: given.rows, depth, count: given.count })).count;
    }
  }
}
