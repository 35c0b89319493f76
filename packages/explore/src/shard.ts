/**
 * Shards: independent runs of one configuration (`--shard I/N`, on any machines, by any job
 * runner) whose result files a merge step combines.
 *
 * Why every shard enumerates every state: the state graph is strongly connected (the teardown
 * check shows every state leads back to the initial one, and every state is reached from it), so
 * no split of the states is closed under transitions, and a shard that explored only "its" part
 * would have to reach it through the others' states. What a shard splits is the checking: it
 * expands every state, but only the states whose fingerprint is I modulo N get the checks
 * (checked mode, permitted outcomes, invariants, teardown) and count coverage; the others run
 * unchecked. The merge verifies that the shards agree on the counts and that their checked states
 * add up to all states, sums the coverage, and keeps the shortest counterexample.
 *
 * @packageDocumentation
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { formatValidationErrors } from '@realmspec/core/internal';
import { buildReport, CoverageFile, coverageOf, emptyCoverage, encodeCoverage, mergeCoverage } from '@realmspec/coverage';
import type { SearchResult } from './engine.js';
import type { Explored } from './parallel.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The format name of shard result files. */
export const SHARD_FORMAT = 'realmspec-explore-shard/1';

const N = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0, 'NonNegativeInteger');

/** A shard result file. */
export const ShardFile = t.exact(
  t.intersection([
    t.type({
      format: t.literal(SHARD_FORMAT),
      config: t.string,
      shard: t.exact(t.type({ index: N, count: N })),
      states: N,
      transitions: N,
      successes: N,
      depth: N,
      levels: t.array(N),
      bounded: t.boolean,
      owned: N,
      teardownSteps: N,
      ms: t.number,
      coverage: t.unknown,
    }),
    t.partial({ violation: t.exact(t.type({ check: t.string, message: t.string, path: t.array(N) })) }),
  ]),
  'ShardFile',
);
/** See {@link ShardFile}. */
export type ShardFile = t.TypeOf<typeof ShardFile>;

/** The merge of a configuration's shards. */
export interface MergedShards {
  /** The combined result (no rule hits: see {@link MergedShards.coverage}). */
  readonly result: SearchResult;
  /** The summed coverage. */
  readonly coverage: CoverageFile;
}

// -------------------------------------------------------------------------------------
// files
// -------------------------------------------------------------------------------------

/** Writes a shard's result file. */
export function writeShard(file: string, e: Explored): void {
  const r = e.result;
  const shard = e.shard ?? { index: 0, count: 1 };
  const coverage = r.hits === undefined ? emptyCoverage([{ kind: 'explore', name: r.config }]) : coverageOf(r.hits, [{ kind: 'explore', name: r.config, detail: `shard ${shard.index}/${shard.count}` }]);
  const out: ShardFile = {
    format: SHARD_FORMAT,
    config: r.config,
    shard,
    states: r.states,
    transitions: r.transitions,
    successes: r.successes,
    depth: r.depth,
    levels: [...r.levels],
    bounded: r.bounded,
    owned: e.owned,
    teardownSteps: r.teardownSteps,
    ms: r.ms,
    coverage: JSON.parse(encodeCoverage(coverage)) as unknown,
    ...(r.violation !== undefined ? { violation: { check: r.violation.check, message: r.violation.message, path: [...r.violation.path] } } : {}),
  };
  writeFileSync(file, JSON.stringify(out) + '\n');
}

/** Reads a shard result file; problems name the file and field. */
export function readShard(file: string): E.Either<string[], ShardFile> {
  let u: unknown;
  try {
    u = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return E.left([`${file}: ${e instanceof Error ? e.message : String(e)}`]);
  }
  const r = ShardFile.decode(u);
  if (E.isLeft(r)) return E.left(formatValidationErrors(r.left).map((m) => `${file}: ${m}`));
  const c = CoverageFile.decode(r.right.coverage);
  if (E.isLeft(c)) return E.left(formatValidationErrors(c.left).map((m) => `${file}: coverage.${m}`));
  return E.right(r.right);
}

/** Merges the result files of every shard of one configuration (each once). */
export function mergeShards(shards: readonly ShardFile[]): E.Either<string[], MergedShards> {
  const first = shards[0];
  if (first === undefined) return E.left(['no shard files']);
  const problems: string[] = [];
  const n = first.shard.count;
  const seen = new Set(shards.map((s) => s.shard.index));
  if (shards.some((s) => s.config !== first.config)) problems.push('the shards are of different configurations');
  if (shards.some((s) => s.shard.count !== n) || seen.size !== shards.length || seen.size !== n) problems.push(`expected each of the ${n} shards once, got ${shards.map((s) => `${s.shard.index}/${s.shard.count}`).join(', ')}`);
  const key = (s: ShardFile): string => JSON.stringify([s.states, s.transitions, s.successes, s.depth, s.levels, s.bounded]);
  if (shards.some((s) => key(s) !== key(first))) problems.push('the shards disagree on the state space (states, transitions, depth, levels): they explored different models or configurations');
  const owned = shards.reduce((a, s) => a + s.owned, 0);
  const violations = shards.flatMap((s) => (s.violation === undefined ? [] : [s.violation])).sort((a, b) => a.path.length - b.path.length);
  // Every expanded state was checked by exactly one shard (unless a violation stopped a shard early).
  const expanded = first.bounded ? undefined : first.states;
  if (violations.length === 0 && expanded !== undefined && owned !== expanded) problems.push(`the shards checked ${owned} states in all, not ${expanded}`);
  if (problems.length > 0) return E.left(problems);
  const coverage = mergeCoverage(shards.map((s) => ({ name: `shard ${s.shard.index}`, coverage: s.coverage as CoverageFile }))).coverage;
  buildReport(coverage);
  return E.right({
    coverage,
    result: {
      config: first.config,
      states: first.states,
      transitions: first.transitions,
      successes: first.successes,
      depth: first.depth,
      levels: first.levels,
      bounded: first.bounded,
      teardownSteps: shards.reduce((a, s) => a + s.teardownSteps, 0),
      symmetryFallbacks: 0,
      ms: Math.max(...shards.map((s) => s.ms)),
      violation: violations[0],
      hits: undefined,
      workers: n,
      owned,
    },
  });
}
