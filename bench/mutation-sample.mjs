// A sampled mutation score of the core (`npm run mutation:sample -- [--lines N] [--seed S]`).
//
// The full run (`npm run mutation`, ~9000 mutants) takes tens of hours on a 2-core machine. This
// script estimates the score from a seeded random sample of source lines of packages/core/src:
// Stryker mutates every mutant on the chosen lines (its `file:line-line` ranges), and the script
// re-runs the survivors with module isolation (bench/mutation-recheck.mjs), and
// prints the score with a 95% Wilson interval (lines are the sampling unit; mutants on one line
// are correlated, so the interval is a lower bound on the uncertainty) and every survivor.
// The same seed picks the same lines, so a survivor can be re-checked after a fix.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { recheck } from './mutation-recheck.mjs';

const { values } = parseArgs({ options: { lines: { type: 'string', default: '60' }, seed: { type: 'string', default: '1' }, concurrency: { type: 'string', default: '2' } } });
const wanted = Number(values.lines);
let seed = Number(values.seed) >>> 0 || 1;
// xorshift32: a fixed, seedable sequence (Math.random cannot be seeded).
const rand = () => {
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed / 2 ** 32;
};

const root = 'packages/core/src';
const files = [];
const walk = (d) => {
  for (const f of readdirSync(d).sort()) {
    const p = join(d, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.ts') && !p.endsWith('index.ts')) files.push(p);
  }
};
walk(root);

// Lines that can carry a mutant: code, not comments, imports, type declarations or braces.
const candidates = [];
for (const f of files) {
  const text = readFileSync(f, 'utf8').split('\n');
  let inComment = false;
  text.forEach((line, i) => {
    const t = line.trim();
    if (inComment) { if (t.includes('*/')) inComment = false; return; }
    if (t.startsWith('/*')) { if (!t.includes('*/')) inComment = true; return; }
    if (t === '' || t.startsWith('//') || t.startsWith('*') || /^[{}()[\];,]*$/.test(t)) return;
    if (/^(import|export \{|export type|export interface|type |interface |readonly \w+\??:)/.test(t)) return;
    candidates.push({ file: f, line: i + 1 });
  });
}

const chosen = [];
const pool = candidates.slice();
while (chosen.length < wanted && pool.length > 0) chosen.push(pool.splice(Math.floor(rand() * pool.length), 1)[0]);
chosen.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));

mkdirSync('reports/mutation-sample', { recursive: true });
const base = (await import(join(process.cwd(), 'stryker.config.mjs'))).default;
const config = {
  ...base,
  mutate: chosen.map((c) => `${c.file}:${c.line}-${c.line}`),
  incremental: false,
  concurrency: Number(values.concurrency),
  reporters: ['progress-append-only', 'json'],
  jsonReporter: { fileName: 'reports/mutation-sample/mutation.json' },
  tempDirName: '.stryker-tmp-sample',
};
writeFileSync('reports/mutation-sample/stryker.config.json', JSON.stringify(config, null, 2));
console.log(`${chosen.length} lines sampled (seed ${values.seed}) of ${candidates.length} candidate lines in ${files.length} files`);
execFileSync('npx', ['stryker', 'run', 'reports/mutation-sample/stryker.config.json'], { stdio: 'inherit' });

const report = JSON.parse(readFileSync('reports/mutation-sample/mutation.json', 'utf8'));
const counts = {};
const survivors = [];
for (const [file, r] of Object.entries(report.files)) {
  for (const m of r.mutants) {
    counts[m.status] = (counts[m.status] ?? 0) + 1;
    if (m.status === 'NoCoverage') survivors.push(`${relative('.', file)}:${m.location.start.line} ${m.mutatorName} ${JSON.stringify(m.replacement ?? '')} (NoCoverage)`);
  }
}
// Survivors of code that runs once and is cached are re-run with module isolation
// (bench/mutation-recheck.mjs); those the tests then kill count as killed.
const { killed: isolated, still } = recheck(report);
counts.Survived = (counts.Survived ?? 0) - isolated.length;
counts.KilledWithIsolation = isolated.length;
const detected = (counts.Killed ?? 0) + (counts.Timeout ?? 0) + isolated.length;
const valid = detected + (counts.Survived ?? 0) + (counts.NoCoverage ?? 0);
const p = valid === 0 ? 0 : detected / valid;
const z = 1.96;
const centre = (p + (z * z) / (2 * valid)) / (1 + (z * z) / valid);
const half = (z * Math.sqrt((p * (1 - p)) / valid + (z * z) / (4 * valid * valid))) / (1 + (z * z) / valid);
console.log(`\nstatus counts: ${JSON.stringify(counts)}`);
console.log(`sampled mutation score: ${(100 * p).toFixed(1)}% (${detected} of ${valid}), 95% interval ${(100 * (centre - half)).toFixed(1)}–${(100 * (centre + half)).toFixed(1)}%`);
survivors.push(...still);
console.log(`survivors (${survivors.length}):\n${survivors.join('\n')}`);
