/**
 * `realmspec replay FILE... [--json] [--coverage] [--coverage-out FILE]`: replay recorded traces against the model
 * (trace contract realmspec/1).
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import { RuleHits } from '@realmspec/core';
import { coverageOf, writeCoverage } from '@realmspec/coverage';
import { closingLine, exitCodeOf, jsonReport, malformedReport, parseTrace, runTrace, tallyReport, textReport } from '@realmspec/trace';
import type { Outcome } from '../output.js';

/** Options of `replay`. */
export interface ReplayOptions {
  /** One JSON object per step instead of text. */
  readonly json: boolean;
  /** Print the per-command rule tally after the results. */
  readonly coverage: boolean;
  /** Write the replay's spec coverage to this file (realmspec-coverage/1, for `realmspec coverage`). */
  readonly coverageOut?: string;
}

/** Replays one file; the tally accumulates into `hits`. */
export function replayFile(file: string, opts: ReplayOptions, hits: RuleHits): Outcome {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { out: [], err: [`${file}: cannot read: ${e instanceof Error ? e.message : String(e)}`], code: 2 };
  }
  const trace = parseTrace(text);
  if (E.isLeft(trace)) {
    const errs = malformedReport(file, trace.left);
    return { out: [], err: [...errs, `${file}: ${trace.left.length} malformed line(s); nothing was run`], code: 2 };
  }
  const result = runTrace(trace.right, hits);
  const body = opts.json ? jsonReport(result) : textReport(file, result);
  const closing = opts.json ? closingLine(result) : `${file}: ${closingLine(result)}`;
  return { out: [...body, closing], err: [], code: exitCodeOf(result) };
}

/** Replays every file; the exit code is the worst of them. */
export function replay(files: readonly string[], opts: ReplayOptions): Outcome {
  const hits = new RuleHits();
  const out: string[] = [];
  const err: string[] = [];
  let code = 0;
  for (const f of files) {
    const o = replayFile(f, opts, hits);
    out.push(...o.out);
    err.push(...o.err);
    code = Math.max(code, o.code);
  }
  if (opts.coverage) out.push('', ...tallyReport(hits.tally()));
  if (opts.coverageOut !== undefined) {
    const at = new Date().toISOString();
    const w = writeCoverage(opts.coverageOut, coverageOf(hits, files.map((name) => ({ kind: 'replay', name, at }))));
    if (E.isLeft(w)) {
      err.push(w.left);
      code = Math.max(code, 2);
    }
  }
  return { out, err, code };
}
