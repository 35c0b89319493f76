/**
 * `realmspec replay FILE... [--json] [--strict] [--coverage]`: replay recorded traces against the spec
 * (trace contract realmspec/1). Each file is read twice, as a stream: first every line is decoded
 * and every malformed line reported (then nothing runs), then the steps are decoded again and run
 * one at a time, their report lines written as they come. Memory does not grow with the length
 * of the trace or of the report.
 *
 * @packageDocumentation
 */
import { statSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import { coverageOf, writeCoverage } from '@realmspec/coverage';
import { defaultPlatform, RuleHits, type Platform } from '@realmspec/core';
import { decodeTrace, fileLines, jsonLine, replaySteps, ReplayTally, tallyReport, textLine, type Step } from '@realmspec/trace';
import { writeLines, type Io } from '../io.js';
import { ExitStatus, fsReason } from '../output.js';

/** Options of `replay`. */
export interface ReplayOptions {
  /** One JSON object per step instead of text. */
  readonly json: boolean;
  /** Demand the model's own answer: a permitted alternative is a mismatch. */
  readonly strict: boolean;
  /** Print the per-command rule tally after the results. */
  readonly coverage: boolean;
  /** Write the replays' spec coverage (format realmspec-coverage/1) to this file. */
  readonly coverageOut?: string;
}

/** A file-system error (it has an errno code), as opposed to a bug. */
function fsError(e: unknown): e is Error & { code: string } {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string';
}

/** Why `file` cannot be replayed (missing, a directory, not a regular file), or nothing. */
function fileProblem(file: string): string | undefined {
  try {
    const st = statSync(file);
    if (st.isDirectory()) return 'is a directory, not a trace file';
    if (!st.isFile()) return 'not a regular file (a trace is read twice: once to check every line, then to run it)';
    return undefined;
  } catch (e) {
    if (fsError(e)) return `cannot read: ${fsReason(e)}`;
    throw e;
  }
}

/** A line that decoded in the first pass and not in the second: the file changed meanwhile. */
class ChangedError extends Error {}

/** The steps of `file`, decoded again for the run pass. */
function* stepsOf(file: string): Generator<Step, void, undefined> {
  for (const item of decodeTrace(fileLines(file))) {
    if (item.kind === 'step') yield item.step;
    else if (item.kind === 'malformed') throw new ChangedError(`${file}:${item.line}: the file changed while it was replayed`);
  }
}

/** Checks every line of `file`, writing each problem to standard error; the header's platform, or the number of malformed lines. */
async function check(file: string, io: Io): Promise<Platform | number> {
  let platform: Platform = defaultPlatform;
  let malformed = 0;
  for (const item of decodeTrace(fileLines(file))) {
    if (item.kind === 'header') platform = item.platform;
    else if (item.kind === 'malformed') {
      malformed++;
      for (const e of item.errors) if (!io.err(`${file}:${e.line}: ${e.message}`)) await io.drain();
    }
  }
  return malformed > 0 ? malformed : platform;
}

/** Totals over the files of one `replay`, for the JSON Lines summary. */
export interface Totals {
  /** Files replayed. */
  files: number;
  /** Steps whose expectations held. */
  passed: number;
  /** Steps whose expectations did not. */
  failed: number;
  /** Steps that passed as a permitted alternative. */
  permitted: number;
}

/** Replays one file, writing its report to `io`; the tally accumulates into `hits` and `totals`. Returns the exit code. */
export async function replayFile(file: string, opts: ReplayOptions, hits: RuleHits, io: Io, totals: Totals = { files: 0, passed: 0, failed: 0, permitted: 0 }): Promise<number> {
  totals.files++;
  const problem = fileProblem(file);
  if (problem !== undefined) {
    io.err(`${file}: ${problem}`);
    return ExitStatus.BAD_INPUT;
  }
  try {
    const checked = await check(file, io);
    if (typeof checked === 'number') {
      io.err(`${file}: ${checked} malformed line(s); nothing was run`);
      return ExitStatus.BAD_INPUT;
    }
    const tally = new ReplayTally();
    for (const o of replaySteps(checked, stepsOf(file), hits, { strict: opts.strict })) {
      tally.add(o);
      const line = opts.json ? jsonLine(o, file) : textLine(file, o);
      if (line !== undefined && !io.out(line)) {
        await io.drain();
        if (io.closed) return ExitStatus.OK;
      }
    }
    io.out(opts.json ? tally.closingJson(file) : `${file}: ${tally.closing()}`);
    totals.passed += tally.passed;
    totals.failed += tally.failed;
    totals.permitted += tally.permitted;
    return tally.exitCode();
  } catch (e) {
    if (e instanceof ChangedError) io.err(e.message);
    else if (fsError(e)) io.err(`${file}: cannot read: ${fsReason(e)}`);
    else throw e;
    return ExitStatus.BAD_INPUT;
  }
}

/** Replays every file, writing to `io`; the exit code is the worst of them. */
export async function replay(files: readonly string[], opts: ReplayOptions, io: Io): Promise<number> {
  const hits = new RuleHits();
  const totals: Totals = { files: 0, passed: 0, failed: 0, permitted: 0 };
  let code: number = ExitStatus.OK;
  for (const f of files) {
    code = Math.max(code, await replayFile(f, opts, hits, io, totals));
    if (io.closed) return code;
  }
  if (opts.json) {
    // DECISION D-REPLAY-JSONL: with --json every line is a JSON object; the closing line travels in the objects.
    const tally = opts.coverage ? { tally: hits.tally() } : {};
    await writeLines(io, [JSON.stringify({ summary: { ...totals, code, closing: `${totals.passed} passed, ${totals.failed} failed`, ...tally } })]);
  } else if (opts.coverage) await writeLines(io, ['', ...tallyReport(hits.tally())]);
  if (opts.coverageOut !== undefined) {
    const at = new Date().toISOString();
    const w = writeCoverage(opts.coverageOut, coverageOf(hits, files.map((name) => ({ kind: 'replay', name, at }))));
    if (E.isLeft(w)) {
      io.err(w.left);
      code = Math.max(code, ExitStatus.BAD_INPUT);
    }
  }
  return code;
}
