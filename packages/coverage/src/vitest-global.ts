/**
 * Vitest global setup: gives the workers a fresh folder for their coverage files (see
 * `@realmspec/coverage/vitest-setup`) and, when the run ends, merges them into one coverage file:
 * `$REALMSPEC_COVERAGE_OUT`, default `reports/spec-coverage.json`. Its source is one `vitest`
 * entry naming the project (its vitest name, else the `name` of the package.json at its root, else
 * its folder), how many test files reported, and the time.
 *
 * @packageDocumentation
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import type { TestProject } from 'vitest/node';
import { encodeCoverage } from './data.js';
import { catalogueDecisions, readCoverageFiles, writeText } from './files.js';
import { buildReport, summaryLine } from './report.js';
import { DEFAULT_OUT, DIR_KEY, OUT_ENV } from './vitest-context.js';

/** The project's name, for the coverage file's source. */
function projectName(project: TestProject): string {
  if (project.name !== '') return project.name;
  try {
    const name: unknown = JSON.parse(readFileSync(join(project.config.root, 'package.json'), 'utf8')).name;
    if (typeof name === 'string' && name !== '') return name;
  } catch {
    // No package.json: the folder names the project.
  }
  return basename(project.config.root);
}

/** Creates the workers' folder; returns the teardown that merges their files. */
export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'realmspec-coverage-'));
  project.provide(DIR_KEY, dir);
  const out = process.env[OUT_ENV] ?? DEFAULT_OUT;
  return () => {
    try {
      const files = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f));
      const merged = readCoverageFiles(files);
      if (E.isLeft(merged)) {
        console.error(`realmspec coverage: worker files do not decode:\n  ${merged.left.join('\n  ')}`);
        return;
      }
      const coverage = { ...merged.right.coverage, sources: [{ kind: 'vitest' as const, name: projectName(project), detail: `${files.length} test files`, at: new Date().toISOString() }] };
      const w = writeText(out, encodeCoverage(coverage));
      if (E.isLeft(w)) console.error(`realmspec coverage: ${w.left}`);
      else console.log(`realmspec coverage: ${out}: ${summaryLine(buildReport(coverage, catalogueDecisions()).summary)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
