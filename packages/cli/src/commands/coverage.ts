/**
 * `realmspec coverage FILE... [--format json|md|html|lcov] [--out FILE] [--baseline FILE]`:
 * merge coverage files (written by `replay --coverage-out`, the vitest setup of
 * `@realmspec/coverage`, a campaign or an exploration) and report spec coverage rule by rule
 * against the whole catalogue; with `--baseline`, exit 1 when a point the baseline covers is no
 * longer covered.
 *
 * @packageDocumentation
 */
import { parseArgs } from 'node:util';
import { REPORT_FORMATS, runCoverage, type ReportFormat } from '@realmspec/coverage';
import { badInput, type Outcome } from '../output.js';

/** Usage lines of `coverage`. */
export const COVERAGE_USAGE = [
  '  coverage FILE... [--format json|md|html|lcov] [--out FILE] [--baseline FILE]',
  '                                         merge coverage files and report spec coverage rule by rule (default md, to stdout);',
  '                                         --baseline: exit 1 listing the rules covered in FILE and not now',
];

/** Runs `coverage` on its arguments (after the command name). */
export function coverage(args: readonly string[]): Outcome {
  let values: { format?: string | undefined; out?: string | undefined; baseline?: string | undefined };
  let files: string[];
  try {
    const r = parseArgs({ args: [...args], options: { format: { type: 'string' }, out: { type: 'string' }, baseline: { type: 'string' } }, allowPositionals: true, strict: true });
    values = r.values;
    files = r.positionals;
  } catch (e) {
    return badInput(`realmspec coverage: ${e instanceof Error ? e.message : String(e)}`, ...COVERAGE_USAGE);
  }
  const format = values.format ?? 'md';
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) return badInput(`realmspec coverage: --format must be one of ${REPORT_FORMATS.join(', ')}, not '${format}'`, ...COVERAGE_USAGE);
  if (files.length === 0) return badInput('realmspec coverage: give at least one coverage file', ...COVERAGE_USAGE);
  return runCoverage({ files, format: format as ReportFormat, ...(values.out !== undefined ? { out: values.out } : {}), ...(values.baseline !== undefined ? { baseline: values.baseline } : {}) });
}
