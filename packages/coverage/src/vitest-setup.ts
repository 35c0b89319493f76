/**
 * Vitest setup file: counts every catalogue rule that the model's commands, invariant checks and
 * REC exits reach in a test file (through the engine's process-wide recorder, `setRecording`, plus
 * the hits that tests pass to calls themselves, `takeCallerHits`) and writes the counts, as a coverage file, to the folder the global setup
 * (`@realmspec/coverage/vitest-global`) provides when the file's tests are done. Add both to the
 * vitest config:
 *
 * ```ts
 * setupFiles: ['@realmspec/coverage/vitest-setup'],
 * globalSetup: ['@realmspec/coverage/vitest-global'],
 * ```
 *
 * Without the global setup, the folder comes from `REALMSPEC_COVERAGE_DIR`; with neither, this
 * file records nothing.
 *
 * @packageDocumentation
 */
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, inject } from 'vitest';
import { RuleHits } from '@realmspec/core';
import { setRecording, takeCallerHits } from '@realmspec/core/internal';
import { coverageOf, encodeCoverage } from './data.js';
import { DIR_KEY } from './vitest-context.js';

const dir = inject(DIR_KEY) ?? process.env.REALMSPEC_COVERAGE_DIR;

if (dir !== undefined && dir !== '') {
  const hits = new RuleHits();
  // Recording starts before the test file is imported, so what its module body runs counts too.
  takeCallerHits();
  setRecording(hits);
  afterAll(({}, suite) => {
    setRecording(undefined);
    for (const h of takeCallerHits()) hits.merge(h);
    const file = 'filepath' in suite ? suite.filepath : suite.file.filepath;
    const name = relative(process.cwd(), file).split('\\').join('/');
    const out = join(dir, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 10)}.json`);
    writeFileSync(out, encodeCoverage(coverageOf(hits, [{ kind: 'vitest', name }])));
  });
}
