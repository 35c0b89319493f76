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
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isAbsolute, relative } from 'node:path';

/** The source with mutant `m` applied (Stryker report locations: 1-based lines and columns). */
function mutate(source, m) {
  const lines = source.split('\n');
  const offset = (p) => lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.column - 1;
  return source.slice(0, offset(m.location.start)) + m.replacement + source.slice(offset(m.location.end));
}

/** The survivors of Stryker report `report` (a parsed mutation.json), each re-run with module isolation. */
export function recheck(report) {
  const survivors = [];
  for (const [file, r] of Object.entries(report.files))
    // Paths relative to the project the report was made in, so that a report can be re-checked in another checkout.
    for (const m of r.mutants) if (m.status === 'Survived') survivors.push({ file: isAbsolute(file) ? relative(report.projectRoot ?? '.', file) : file, source: r.source, m });
  const killed = [];
  const still = [];
  const vitest = () => spawnSync('npx', ['vitest', 'run', '--config', 'vitest.mutation.config.ts', '--isolate', '--pool', 'forks', '--bail', '1'], { encoding: 'utf8', env: { ...process.env, REALMSPEC_MUTATION: '1' } });
  // A failing run counts as a kill only if the unmutated sources pass the same run.
  const base = vitest();
  if (base.status !== 0) throw new Error(`the unmutated sources fail the isolated run:\n${base.stdout.slice(-2000)}`);
  for (const { file, source, m } of survivors) {
    const lines = source.split('\n');
    const at = lines[m.location.start.line - 1] ?? '';
    const was = m.location.start.line === m.location.end.line ? at.slice(m.location.start.column - 1, m.location.end.column - 1) : `${at.slice(m.location.start.column - 1)}...`;
    const label = `${file}:${m.location.start.line} ${m.mutatorName} ${JSON.stringify(was.slice(0, 60))} -> ${JSON.stringify(m.replacement.slice(0, 60))}`;
    if (readFileSync(file, 'utf8') !== source) {
      still.push(`${label} (source changed since the report: not re-checked)`);
      continue;
    }
    copyFileSync(file, `${file}.recheck-orig`);
    try {
      writeFileSync(file, mutate(source, m));
      const r = vitest();
      // What killed it: the first failing test and its error, so that a kill can be read.
      const why = r.status === 0 ? '' : ` <- ${(`${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '').match(/(FAIL .*|Error: .*)/) ?? ['exit ' + r.status])[0].slice(0, 200)}`;
      (r.status !== 0 ? killed : still).push(label);
      console.log(`${r.status !== 0 ? 'killed with isolation' : 'survives             '}: ${label}${why}`);
    } finally {
      copyFileSync(`${file}.recheck-orig`, file);
      rmSync(`${file}.recheck-orig`);
    }
  }
  return { killed, still };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const reportFile = process.argv[2] ?? 'reports/mutation-sample/mutation.json';
  const { killed, still } = recheck(JSON.parse(readFileSync(reportFile, 'utf8')));
  console.log(`\n${killed.length + still.length} survivors re-checked: ${killed.length} killed with module isolation, ${still.length} survive:\n${still.join('\n')}`);
}
