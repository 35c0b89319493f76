/**
 * `realmspec coverage FILE... --format json|md|html|lcov [--out FILE] [--baseline FILE]`, as a
 * function: merge coverage files, render a report, compare it with a baseline. The CLI parses the
 * flags and prints what this returns.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import { catalogue } from '@realmspec/core';
import { encodeCoverage } from './data.js';
import { catalogueDecisions, readCoverageFiles, specTexts, writeText } from './files.js';
import { htmlReport } from './html.js';
import { lcovReport } from './lcov.js';
import { markdownReport } from './markdown.js';
import { buildReport, lostSince, summaryLine, withSummary } from './report.js';

/** The report formats. */
export const REPORT_FORMATS = ['json', 'md', 'html', 'lcov'] as const;
/** One of {@link REPORT_FORMATS}. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What to do. */
export interface CoverageOptions {
  /** Coverage files (`realmspec-coverage/1`) to merge. */
  readonly files: readonly string[];
  /** The report's format. */
  readonly format: ReportFormat;
  /** Where to write the report; standard output when absent. */
  readonly out?: string;
  /** A coverage file to compare with: every point it covers must still be covered. */
  readonly baseline?: string;
}

/** What the command produced: lines for standard output and standard error, and the exit code. */
export interface CoverageRun {
  /** Standard output (the report itself when there is no `out`). */
  readonly out: readonly string[];
  /** Standard error: warnings, problems, the baseline's verdict when the report goes to standard output. */
  readonly err: readonly string[];
  /** 0 done, 1 the baseline check failed, 2 bad input (a file unreadable, malformed or unwritable). */
  readonly code: number;
}

/** Merges, renders and checks (see {@link CoverageOptions}). */
export function runCoverage(opts: CoverageOptions): CoverageRun {
  const read = readCoverageFiles(opts.files);
  if (E.isLeft(read)) return { out: [], err: read.left, code: 2 };
  const err = [...read.right.warnings];
  const report = buildReport(read.right.coverage, catalogueDecisions());
  let text: string;
  switch (opts.format) {
    case 'json':
      text = encodeCoverage(withSummary(read.right.coverage, report));
      break;
    case 'md':
      text = markdownReport(report);
      break;
    case 'html':
      text = htmlReport(report);
      break;
    case 'lcov': {
      const l = lcovReport(report, specTexts());
      err.push(...l.warnings);
      text = l.text;
      break;
    }
  }
  const out: string[] = [];
  // With the report on standard output, every other line goes to standard error.
  const notes = opts.out === undefined ? err : out;
  if (opts.out === undefined) out.push(text.replace(/\n$/, ''));
  else {
    const w = writeText(opts.out, text);
    if (E.isLeft(w)) return { out: [], err: [...err, w.left], code: 2 };
    out.push(`${opts.out}: ${summaryLine(report.summary)}`);
  }
  if (opts.baseline === undefined) return { out, err, code: 0 };
  const base = readCoverageFiles([opts.baseline]);
  if (E.isLeft(base)) return { out, err: [...err, ...base.left], code: 2 };
  err.push(...base.right.warnings);
  const was = buildReport(base.right.coverage);
  const lost = lostSince(was, report);
  const k = `${was.summary.rules.covered} covered in the baseline, ${report.summary.rules.covered} now`;
  if (lost.length === 0) {
    notes.push(`baseline ${opts.baseline}: no coverage lost (${k})`);
    return { out, err, code: 0 };
  }
  err.push(`baseline ${opts.baseline}: ${lost.length} coverage point(s) covered in the baseline are not covered now (${k}):`);
  for (const id of lost) {
    const r = catalogue.byId.get(id);
    err.push(`  ${id}${r !== undefined ? ` (${r.section}): ${r.text}` : ''}`);
  }
  return { out, err, code: 1 };
}
