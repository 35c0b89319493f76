/**
 * The search in worker threads, and the entry point that picks one thread, several, or a shard.
 *
 * Workers share the visited set (a SharedArrayBuffer; a new fingerprint is new to exactly one
 * inserter) and a state counter. Each level's rows are cut into one contiguous slice per worker;
 * each worker expands its slice and returns the new rows it found, sorted; the slices' outputs
 * put end to end are sorted again (children follow their parents' order), so the next level needs
 * no merge. The level sets, and so the counts of states, transitions and depth, do not depend on
 * the number of workers; which worker's path represents a state may.
 *
 * @packageDocumentation
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { RuleHits } from '@realmspec/core';
import type { Setup } from './alphabet.js';
import { addStats, search, type Progress, type SearchResult } from './engine.js';
import { emptyStats, Expander, type LevelStats } from './level.js';
import { FingerprintSet } from './visited.js';
import { ownedBy, type Shard, type WorkerInit, type WorkerRequest } from './messages.js';

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

/** `execArgv` without the `source` export condition: workers run the built packages (a test runner resolving sources passes it on). */
function builtOnly(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--conditions=source' || a === '-C=source') continue;
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
  total.violation = main.start();
  total.found = 1;
  Atomics.store(counter, 0, 1);
  const init: WorkerInit = { config: setup.config, visited: buffer, counter: counterBuf, maxStates, coverage, shard: options.shard };
  const pool = Array.from({ length: n }, () => new Worker(workerUrl(), { workerData: init, execArgv: builtOnly(process.execArgv) }));
  const ask = (w: Worker, m: WorkerRequest): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const onMessage = (x: unknown): void => {
        w.off('error', reject);
        resolve(x);
      };
      w.once('message', onMessage);
      w.once('error', reject);
      w.postMessage(m);
    });
  const levels = [1];
  let rows: Uint16Array = new Uint16Array(0);
  let count = 1;
  let depth = 0;
  let fallbacks = 0;
  try {
    while (count > 0 && total.violation === undefined && depth < maxDepth) {
      // Contiguous slices, one per worker (the first level has one state: one slice).
      const per = Math.ceil(count / n);
      const jobs = pool.map((w, k) => {
        const from = Math.min(count, k * per);
        const to = Math.min(count, from + per);
        if (from >= to) return Promise.resolve(undefined);
        const slice = depth === 0 ? new Uint16Array(0) : rows.slice(from * depth, to * depth);
        return ask(w, { kind: 'expand', rows: slice, depth }) as Promise<{ rows: Uint16Array; stats: LevelStats }>;
      });
      const parts = (await Promise.all(jobs)).filter((p) => p !== undefined);
      for (const p of parts) addStats(total, p.stats);
      const size = parts.reduce((a, p) => a + p.rows.length, 0);
      const next = new Uint16Array(size);
      let at = 0;
      for (const p of parts) {
        next.set(p.rows, at);
        at += p.rows.length;
      }
      options.onProgress?.({ states: Atomics.load(counter, 0), transitions: total.transitions, queue: size / (depth + 1), depth, ms: performance.now() - t0 });
      if (size === 0) break;
      rows = next;
      count = size / (depth + 1);
      levels.push(count);
      depth++;
    }
    for (const w of pool) {
      const m = (await ask(w, { kind: 'done' })) as { hits: Omit<RuleHits, 'calls'> & { calls: Array<[string, number]> } | undefined; fallbacks: number };
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
