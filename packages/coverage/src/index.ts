/**
 * realmspec spec coverage: which rules of DEN0137 a test suite, a trace set, a campaign or an
 * exploration exercised, and which never. Counts come from core's `RuleHits`; they are kept in a
 * coverage file (`realmspec-coverage/1`, keyed by rule id, mergeable) and read against the whole
 * catalogue to give JSON, Markdown, HTML and LCOV reports.
 *
 * @example
 * ```ts
 * import { RuleHits, initialState, smc } from '@realmspec/core';
 * import { buildReport, coverageOf, summaryLine } from '@realmspec/coverage';
 * const hits = new RuleHits();
 * smc(initialState(), [0xc4000151n, 0x8000_0000n], hits); // RMI_GRANULE_DELEGATE
 * const file = coverageOf(hits, [{ kind: 'other', name: 'example' }]);
 * summaryLine(buildReport(file).summary); // '… of … rules covered (…)'
 * ```
 *
 * @packageDocumentation
 */
export { FORMAT, Count, count, type CountBrand, SourceKind, Source, RuleCounters, OrderingCounters, Tally, Summary, CoverageFile } from './schema.js';
export { catalogueDigest, emptyCoverage, coverageOf, collect, decodeCoverage, encodeCoverage, mergeCoverage, type Merged } from './data.js';
export { parseDecisions, resolveRules, type DecisionEntry } from './decisions.js';
export {
  buildReport,
  withSummary,
  summaryLine,
  coveredIds,
  uncovered,
  lostSince,
  type RuleRow,
  type OrderingRow,
  type CommandSection,
  type DecisionRow,
  type CoverageReport,
  type Uncovered,
} from './report.js';
export { markdownReport } from './markdown.js';
export { htmlReport, escapeHtml } from './html.js';
export { lcovReport, commandLines, type SpecTexts } from './lcov.js';
export { specDir, readCoverageFiles, writeText, writeCoverage, specTexts, catalogueDecisions } from './files.js';
export { runCoverage, REPORT_FORMATS, type ReportFormat, type CoverageOptions, type CoverageRun } from './command.js';
export { DIR_KEY, OUT_ENV, DEFAULT_OUT } from './vitest-context.js';
