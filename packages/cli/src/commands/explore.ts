/**
 * `realmspec explore CONFIG [--max-states N] [--workers N] [--shard I/N] [--out FILE] [--json]
 * [--coverage-out FILE] [--trace-out FILE]` and `realmspec explore --merge FILE...`: exhaustive
 * exploration of a configuration (`proofs/configs/*.json`) with every transition checked;
 * progress on a terminal, a summary, and on a violation a shortest counterexample as a trace-v1
 * file that `realmspec replay` runs.
 *
 * @packageDocumentation
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { formatValidationErrors } from '@realmspec/core/internal';
import { buildReport, coverageOf, encodeCoverage, summaryLine, type CoverageFile } from '@realmspec/coverage';
import { buildSetup, explore, mergeShards, parseConfig, pathLabels, readShard, traceOf, writeShard, type Progress, type SearchResult, type Setup, type ShardFile } from '@realmspec/explore';
import { badInput, ExitStatus, fsReason, type Outcome } from '../output.js';

/** Usage lines of `explore`. */
export const EXPLORE_USAGE = [
  '  explore CONFIG [--max-states N] [--workers N] [--shard I/N --out FILE] [--json] [--coverage-out FILE] [--trace-out FILE]',
  '                                         explore every state of a small configuration, checking every transition; on a',
  '                                         violation write a shortest counterexample trace (default CONFIG-NAME.counterexample.jsonl)',
  '  explore --merge FILE... [--json]       merge the result files of the shards of one configuration',
];

const Count = t.refinement(t.string, (s) => /^[1-9][0-9]*$/.test(s) && Number(s) <= 2 ** 32, 'a positive integer');
const ShardFlag = t.refinement(t.string, (s) => /^[0-9]+\/[1-9][0-9]*$/.test(s) && Number(s.split('/')[0]) < Number(s.split('/')[1]), 'I/N with 0 <= I < N');
const Flags = t.exact(
  t.partial({
    'max-states': Count,
    workers: Count,
    shard: ShardFlag,
    out: t.string,
    json: t.boolean,
    'coverage-out': t.string,
    'trace-out': t.string,
    merge: t.boolean,
  }),
);
/** The decoded flags of `explore`. */
export type ExploreFlags = t.TypeOf<typeof Flags>;

/** The flags of `explore` for `parseArgs`. */
export const EXPLORE_FLAGS = {
  'max-states': { type: 'string' },
  workers: { type: 'string' },
  shard: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  'coverage-out': { type: 'string' },
  'trace-out': { type: 'string' },
  merge: { type: 'boolean' },
} as const;

const rate = (r: SearchResult): number => (r.ms > 0 ? Math.round((r.states / r.ms) * 60_000) : 0);

/** The summary of a result: lines, or one JSON object. */
export function summary(r: SearchResult, setup: Setup | undefined, json: boolean, file?: CoverageFile): string[] {
  const cov = file ?? (r.hits === undefined ? undefined : coverageOf(r.hits, [{ kind: 'explore', name: r.config }]));
  const coverage = cov === undefined ? undefined : buildReport(cov).summary;
  const violation = r.violation === undefined ? undefined : { ...r.violation, steps: setup === undefined ? undefined : pathLabels(setup, r.violation.path) };
  if (json) {
    const { hits: _hits, ...rest } = r;
    return [JSON.stringify({ ...rest, statesPerMinute: rate(r), violation, coverage: coverage === undefined ? undefined : summaryLine(coverage) })];
  }
  const out = [
    `realmspec explore ${r.config}: ${r.states} states, ${r.transitions} transitions (${r.successes} succeeded), depth ${r.depth}${r.bounded ? ' (bounded)' : ''}, ${(r.ms / 1000).toFixed(1)} s, ${rate(r)} states/min, ${r.workers} thread(s)`,
    `levels: ${r.levels.join(' ')}`,
  ];
  if (coverage !== undefined) out.push(`coverage: ${summaryLine(coverage)}`);
  if (violation === undefined) out.push('no violation: every transition checked (post-conditions and frame, permitted outcomes, failures change nothing, invariants, teardown)');
  else out.push(`violation (${violation.check}): ${violation.message}`, ...(violation.steps ?? []).map((s, k) => `  ${k + 1}. ${s}`));
  return out;
}

/** A progress line for a terminal. */
function progressLine(p: Progress): string {
  const rate = p.ms > 0 ? Math.round((p.states / p.ms) * 1000) : 0;
  return `\r${p.states} states, ${rate} states/s, queue ${Math.max(0, p.queue)}, depth ${p.depth}   `;
}

function loadSetup(file: string): E.Either<string[], Setup> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return E.left([`realmspec explore: cannot read ${file}: ${e instanceof Error ? fsReason(e) : String(e)}`]);
  }
  return E.chain(buildSetup)(parseConfig(text, file));
}

/** Runs `explore` on its arguments (after the command name). */
export async function exploreCommand(values: Record<string, unknown>, positionals: readonly string[]): Promise<Outcome> {
  const f = Flags.decode(values);
  if (E.isLeft(f)) return badInput(...formatValidationErrors(f.left).map((m) => `realmspec explore: --${m}`), ...EXPLORE_USAGE);
  const flags = f.right;
  const json = flags.json === true;
  if (flags.merge === true) {
    if (positionals.length === 0) return badInput('realmspec explore --merge: give the shard result files', ...EXPLORE_USAGE);
    const shards = positionals.map((p) => readShard(p));
    const bad = shards.flatMap((s) => (E.isLeft(s) ? s.left : []));
    if (bad.length > 0) return badInput(...bad);
    const merged = mergeShards(shards.map((s) => (s as E.Right<ShardFile>).right));
    if (E.isLeft(merged)) return badInput(...merged.left);
    const r = merged.right.result;
    return { out: summary(r, undefined, json, merged.right.coverage), err: [], code: r.violation === undefined ? ExitStatus.OK : ExitStatus.FINDING };
  }
  if (positionals.length !== 1) return badInput('realmspec explore: give one configuration file', ...EXPLORE_USAGE);
  const file = positionals[0] as string;
  const setup = loadSetup(file);
  if (E.isLeft(setup)) return badInput(...setup.left);
  const s = setup.right;
  const shard = flags.shard === undefined ? undefined : { index: Number(flags.shard.split('/')[0]), count: Number(flags.shard.split('/')[1]) };
  if (shard !== undefined && flags.out === undefined) return badInput('realmspec explore: --shard needs --out FILE for the shard result', ...EXPLORE_USAGE);
  const tty = process.stderr.isTTY === true && !json;
  const r = await explore(s, {
    workers: flags.workers === undefined ? 1 : Number(flags.workers),
    ...(flags['max-states'] !== undefined ? { maxStates: Number(flags['max-states']) } : {}),
    ...(shard !== undefined ? { shard } : {}),
    ...(tty ? { onProgress: (p: Progress) => process.stderr.write(progressLine(p)) } : {}),
  });
  if (tty) process.stderr.write('\n');
  const err: string[] = [];
  try {
    if (flags['coverage-out'] !== undefined && r.result.hits !== undefined) writeFileSync(flags['coverage-out'], encodeCoverage(coverageOf(r.result.hits, [{ kind: 'explore', name: s.config.name }])));
    if (shard !== undefined && flags.out !== undefined) writeShard(flags.out, r);
    if (r.result.violation !== undefined) {
      const traceFile = flags['trace-out'] ?? `${s.config.name}.counterexample.jsonl`;
      writeFileSync(traceFile, traceOf(s, r.result.violation.path, r.result.violation));
      err.push(`counterexample: ${traceFile} (realmspec replay ${traceFile})`);
    }
  } catch (e) {
    return badInput(`realmspec explore: cannot write: ${e instanceof Error ? fsReason(e) : String(e)}`);
  }
  return { out: summary(r.result, s, json), err, code: r.result.violation === undefined ? ExitStatus.OK : ExitStatus.FINDING };
}
