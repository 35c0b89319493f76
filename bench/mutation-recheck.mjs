// Re-checks the survivors of a Stryker report with module isolation
// (`node bench/mutation-recheck.mjs [REPORT.json]`, default reports/mutation-sample/mutation.json).
//
// The mutation runs share one module graph between test files (vitest.mutation.config.ts:
// isolate false), which makes them fast, but a mutant in code that runs once and is cached
// (module-level tables, codecs, layouts decoded on first use) is then never re-evaluated with the
// mutant active and survives falsely. This script applies each survivor to a copy of its file,
// runs the mutation test set in fresh processes (`--isolate`, `--pool forks`), restores the file,
// and reports which survivors the tests kill that way and which really survive.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';

const reportFile = process.argv[2] ?? 'reports/mutation-sample/mutation.json';
const report = JSON.parse(readFileSync(reportFile, 'utf8'));
const survivors = [];
for (const [file, r] of Object.entries(report.files))
  // Paths relative to the project the report was made in, so that a report can be re-checked in another checkout.
  for (const m of r.mutants) if (m.status === 'Survived') survivors.push({ file: isAbsolute(file) ? relative(report.projectRoot ?? '.', file) : file, source: r.source, m });

/** The source with mutant `m` applied (Stryker locations: 1-based lines, 0-based columns). */
function mutate(source, m) {
  const lines = source.split('\n');
  const offset = (p) => lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.column;
  return source.slice(0, offset(m.location.start)) + m.replacement + source.slice(offset(m.location.end));
}

let killed = 0;
const still = [];
for (const { file, source, m } of survivors) {
  const original = readFileSync(file, 'utf8');
  if (original !== source) {
    still.push(`${file}:${m.location.start.line} ${m.mutatorName} (source changed since the report: not re-checked)`);
    continue;
  }
  copyFileSync(file, `${file}.recheck-orig`);
  try {
    writeFileSync(file, mutate(source, m));
    const r = spawnSync('npx', ['vitest', 'run', '--config', 'vitest.mutation.config.ts', '--isolate', '--pool', 'forks', '--bail', '1'], { encoding: 'utf8', env: { ...process.env, REALMSPEC_MUTATION: '1' } });
    const label = `${file}:${m.location.start.line} ${m.mutatorName} ${JSON.stringify(m.replacement)}`;
    if (r.status !== 0) {
      killed++;
      console.log(`killed with isolation: ${label}`);
    } else {
      still.push(label);
      console.log(`survives:              ${label}`);
    }
  } finally {
    copyFileSync(`${file}.recheck-orig`, file);
    spawnSync('rm', ['-f', `${file}.recheck-orig`]);
  }
}
console.log(`\n${survivors.length} survivors re-checked: ${killed} killed with module isolation, ${still.length} survive:\n${still.join('\n')}`);
