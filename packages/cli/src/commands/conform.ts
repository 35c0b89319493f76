/**
 * `realmspec conform --driver "CMD ..." [--time S | --runs N] [--seed N] [--workers N]
 * [--waivers FILE] [--out DIR] [--json] [--strict] [--timeout MS]`: property-based conformance
 * testing of an RMM implementation through a driver. Findings are written as they are found
 * (under --out: one shrunk trace per group, `findings.jsonl`), then the summary and the rule
 * coverage (`coverage.json`, a `realmspec-coverage/1` file); Ctrl-C stops the campaign and still writes them.
 *
 * @packageDocumentation
 */
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { coverageOf, encodeCoverage } from '@realmspec/coverage';
import { campaign, findingJson, noWaivers, ProcessDriver, readWaivers, summaryJson, summaryLines, type Finding, type Progress, type Waivers } from '@realmspec/conformance';
import { writeLines, type Io } from '../io.js';
import { ExitStatus, fsReason } from '../output.js';

/** Options of `conform`, validated. */
export interface ConformOptions {
  /** The driver command line. */
  readonly driver: string;
  /** Stop after this many seconds (when `runs` is not given). */
  readonly timeS: number | undefined;
  /** Stop after this many runs. */
  readonly runs: number | undefined;
  /** The seed. */
  readonly seed: number;
  /** Driver runs in flight at once. */
  readonly workers: number;
  /** The waivers file. */
  readonly waivers: string | undefined;
  /** Where findings, the summary and the coverage go. */
  readonly out: string | undefined;
  /** JSON Lines instead of text. */
  readonly json: boolean;
  /** Demand the model's own answers. */
  readonly strict: boolean;
  /** The per-run timeout of the driver. */
  readonly timeoutMs: number;
  /** Write a progress line to standard error (a terminal). */
  readonly progress: boolean;
}

const slug = (s: string): string => s.replace(/[^A-Za-z0-9_]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);

/** Runs a campaign and reports it to `io`; returns the exit status (0 no unwaived finding, 1 findings, 2 bad usage or a driver that cannot be started). */
export async function conform(o: ConformOptions, io: Io): Promise<number> {
  let waivers: Waivers = noWaivers;
  if (o.waivers !== undefined) {
    const w = readWaivers(o.waivers);
    if (E.isLeft(w)) {
      await writeLines(io, w.left.map((m) => `realmspec conform: ${m}`), true);
      return ExitStatus.BAD_INPUT;
    }
    waivers = w.right;
  }
  let dir: string;
  try {
    dir = o.out ?? mkdtempSync(join(tmpdir(), 'realmspec-conform-'));
    mkdirSync(join(dir, 'findings'), { recursive: true });
    writeFileSync(join(dir, 'findings.jsonl'), '');
  } catch (e) {
    io.err(`realmspec conform: cannot write to ${o.out ?? tmpdir()}: ${e instanceof Error ? fsReason(e) : String(e)}`);
    return ExitStatus.BAD_INPUT;
  }
  let driver: ProcessDriver;
  try {
    driver = new ProcessDriver(o.driver, { dir: join(dir, 'runs'), timeoutMs: o.timeoutMs });
  } catch (e) {
    io.err(`realmspec conform: --driver: ${e instanceof Error ? e.message : String(e)}`);
    return ExitStatus.BAD_INPUT;
  }
  const setting = await driver.setting();
  if (typeof setting === 'string') {
    io.err(`realmspec conform: driver '${o.driver}' cannot be started: ${setting}`);
    return ExitStatus.BAD_INPUT;
  }
  if (!o.json) io.out(`realmspec conform: driver '${o.driver}', seed ${o.seed}, ${o.runs !== undefined ? `${o.runs} runs` : `${o.timeS ?? 60} s`}, ${o.workers} worker(s); findings in ${dir}`);

  const signal = { aborted: false };
  const onInt = (): void => {
    signal.aborted = true;
  };
  process.on('SIGINT', onInt);
  const files = new Map<number, string>();
  let last: Progress | undefined;
  const tick = o.progress ? setInterval(() => {
    if (last !== undefined) process.stderr.write(`\r\x1b[K${last.runs} runs  ${Math.round(last.steps / Math.max(0.001, last.elapsedMs / 1000))} steps/s  ${last.findings} finding(s)${last.waived > 0 ? ` (${last.waived} waived)` : ''}`);
  }, 250) : undefined;
  const onFinding = (f: Finding): void => {
    const file = join(dir, 'findings', `${String(f.id).padStart(3, '0')}-${slug(f.command)}-${f.kind}.jsonl`);
    try {
      writeFileSync(file, f.trace);
      appendFileSync(join(dir, 'findings.jsonl'), JSON.stringify(findingJson(f, file)) + '\n');
    } catch (e) {
      io.err(`realmspec conform: cannot write ${file}: ${e instanceof Error ? fsReason(e) : String(e)}`);
    }
    files.set(f.id, file);
    if (o.progress) process.stderr.write('\r\x1b[K');
    io.out(o.json ? JSON.stringify(findingJson(f, file)) : `finding ${f.id}: ${f.command} [${f.rule}] (${f.kind})${f.waived !== undefined ? ' waived' : ''}: ${f.observation.mismatches[0] ?? ''} -> ${file} (${f.steps.shrunk} steps)`);
  };
  try {
    const result = await campaign({
      driver,
      setting,
      seed: o.seed,
      ...(o.runs !== undefined ? { runs: o.runs } : { timeMs: (o.timeS ?? 60) * 1000 }),
      workers: o.workers,
      strict: o.strict,
      waivers,
      signal,
      onFinding,
      onProgress: (p) => (last = p),
    });
    const code = result.groups.some((g) => g.waived === undefined) ? ExitStatus.FINDING : ExitStatus.OK;
    if (o.progress) process.stderr.write('\r\x1b[K');
    writeFileSync(join(dir, 'summary.json'), JSON.stringify({ ...summaryJson(result, code), driver: o.driver, seed: o.seed, groups: result.groups.map((g) => ({ group: g.group, count: g.count, waived: g.waived ?? null, trace: files.get(g.id) ?? null })) }, null, 2) + '\n');
    // The rules the generated runs reached in the model, as a coverage file (`realmspec coverage` reads and merges it).
    const sources = [{ kind: 'conformance' as const, name: o.driver, at: new Date().toISOString(), detail: `seed ${o.seed}, ${result.runs} runs; rules counted on the model's answers to one generated run in 4` }];
    writeFileSync(join(dir, 'coverage.json'), encodeCoverage(coverageOf(result.hits, sources)));
    if (o.json) await writeLines(io, [JSON.stringify(summaryJson(result, code))]);
    else await writeLines(io, ['', ...summaryLines(result, files), `summary: ${join(dir, 'summary.json')}; rule coverage: ${join(dir, 'coverage.json')}`]);
    return code;
  } finally {
    if (tick !== undefined) clearInterval(tick);
    process.off('SIGINT', onInt);
  }
}
