/**
 * `realmspec coverage` end to end: coverage files from a trace replay, a real vitest run (the
 * package's setup files in a user's config), an exhaustive exploration and a random campaign are
 * merged and reported in every format; the baseline check fails on a drop; bad input exits 2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { catalogue, initialState, RuleHits, smc } from '@realmspec/core';
import { parseTrace, runTrace } from '@realmspec/trace';
import { coverage } from '../../cli/src/commands/coverage.js';
import { run } from '../../cli/src/cli.js';
import { buildSetup, decodeConfig, search, type Setup } from '@realmspec/explore';
import { buildReport, catalogueDecisions, collect, coverageOf, decodeCoverage, encodeCoverage, mergeCoverage, summaryLine, type CoverageFile } from '../src/index.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
let dir: string;
const at = (f: string): string => join(dir, f);
const read = (f: string): CoverageFile => E.getOrElseW((e: string[]) => { throw new Error(e.join('\n')); })(decodeCoverage(readFileSync(f, 'utf8'), f));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'realmspec-coverage-cli-'));
  // A replay of the example traces, by `realmspec replay --coverage-out`.
  const traces = readdirSync(join(repo, 'examples')).filter((f) => f.endsWith('.jsonl')).sort().map((f) => join(repo, 'examples', f));
  const replayed = await run(['replay', ...traces, '--coverage-out', at('replay.json')]);
  expect([replayed.code, replayed.err]).toEqual([0, []]);
  // An exhaustive exploration of delegation over two granules, recorded without hits.
  const config = decodeConfig({ name: 'two', pool: { base: '0x80001000', count: 2 }, symmetry: false, commands: { RMI_GRANULE_DELEGATE: { addr: '$pool' }, RMI_GRANULE_UNDELEGATE: { addr: '$pool' } } });
  const setup = E.getOrElseW((e: string[]): Setup => { throw new Error(e.join('\n')); })(E.chain(buildSetup)(config));
  const explored = collect([{ kind: 'explore', name: 'delegation of two granules' }], () => search(setup, { coverage: false }));
  expect(explored.result.states).toBe(4);
  writeFileSync(at('explore.json'), encodeCoverage(explored.coverage));
  // A random campaign of Host SMCs with fixed seed.
  const calls = fc.sample(fc.tuple(fc.constantFrom(0xc4000150n, 0xc4000151n, 0xc4000152n, 0xc4000157n, 0xc4000159n), fc.bigInt({ min: 0x7fff_f000n, max: 0x8000_4010n })), { numRuns: 200, seed: 7 });
  const campaign = collect([{ kind: 'campaign', name: 'random Host SMCs, seed 7' }], () => calls.reduce((s, regs) => smc(s, regs).state, initialState()));
  writeFileSync(at('campaign.json'), encodeCoverage(campaign.coverage));
  // A real vitest run of a user's project with the two lines of the README in its config.
  const fixture = fileURLToPath(new URL('./fixtures/vitest-user/', import.meta.url));
  execFileSync(process.execPath, [join(repo, 'node_modules/vitest/vitest.mjs'), 'run', '--root', fixture], {
    cwd: fixture,
    env: { ...process.env, REALMSPEC_COVERAGE_OUT: at('vitest.json') },
    stdio: 'pipe',
  });
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the vitest setup files', () => {
  it('collect a real vitest run across workers into one coverage file', () => {
    const f = read(at('vitest.json'));
    expect(f.sources).toMatchObject([{ kind: 'vitest', name: 'vitest-user', detail: '2 test files' }]);
    expect(f.calls).toEqual({ RMI_GRANULE_DELEGATE: 2, RMI_VERSION: 1 });
    // The call made with hits of its own counts too (takeCallerHits).
    expect(f.rules['RMI_GRANULE_DELEGATE/gran_align']).toEqual({ reached: 2, held: 1, decided: 1 });
    expect(f.rules['RMI_VERSION/incompatible']).toEqual({ reached: 1, held: 1, decided: 1 });
  });
});

describe('realmspec replay --coverage-out', () => {
  it('writes the coverage of the traces it replayed, one source per file with the time', () => {
    const f = read(at('replay.json'));
    const hits = new RuleHits();
    for (const s of f.sources) runTrace(E.getOrElseW(() => { throw new Error(s.name); })(parseTrace(readFileSync(s.name, 'utf8'))), hits);
    expect(f).toEqual(coverageOf(hits, f.sources));
    expect(f.sources.map((s) => [s.kind, s.name.slice(repo.length)])).toEqual([['replay', 'examples/lifecycle-sha512.jsonl'], ['replay', 'examples/realm-build.jsonl']]);
    expect(f.sources.every((s) => s.at !== undefined && !Number.isNaN(Date.parse(s.at)))).toBe(true);
  });

  it('exits 2 when it cannot write the file, after the replay', async () => {
    const o = await run(['replay', join(repo, 'examples/realm-build.jsonl'), '--coverage-out', join(at('replay.json'), 'x.json')]);
    expect(o.code).toBe(2);
    expect(o.err.at(-1)).toMatch(/replay\.json\/x\.json: cannot write: /);
  });
});

describe('realmspec coverage', () => {
  const inputs = (): string[] => ['replay.json', 'vitest.json', 'explore.json', 'campaign.json'].map(at);

  it('merges a replay, a vitest run, an exploration and a campaign into the JSON report, with its summary', () => {
    const o = coverage([...inputs(), '--format', 'json', '--out', at('merged.json')]);
    expect(o.err).toEqual([]);
    expect(o.code).toBe(0);
    const merged = mergeCoverage(inputs().map((f) => ({ name: f, coverage: read(f) }))).coverage;
    const report = buildReport(merged, catalogueDecisions());
    expect(o.out).toEqual([`${at('merged.json')}: ${summaryLine(report.summary)}`]);
    const written = read(at('merged.json'));
    expect(written).toEqual({ ...merged, summary: report.summary });
    expect(written.sources.map((s) => s.kind)).toEqual(['replay', 'replay', 'vitest', 'explore', 'campaign']);
    expect(report.summary.failures.covered).toBeGreaterThan(buildReport(read(at('replay.json'))).summary.failures.covered);
  });

  it('writes Markdown, HTML and LCOV, or prints the report', () => {
    for (const [format, file, first] of [['md', 'r.md', '# Spec coverage'], ['html', 'r.html', '<!doctype html>'], ['lcov', 'r.lcov', 'TN:realmspec']] as const) {
      const o = coverage([...inputs(), '--format', format, '--out', at(file)]);
      expect([o.code, o.err]).toEqual([0, []]);
      expect(readFileSync(at(file), 'utf8').startsWith(first)).toBe(true);
    }
    const printed = coverage([at('merged.json')]);
    expect(printed.code).toBe(0);
    expect(printed.out.join('\n') + '\n').toBe(readFileSync(at('r.md'), 'utf8'));
    expect(readFileSync(at('r.lcov'), 'utf8')).toContain(`SF:spec/rmi/RMI_VERSION.json\n`);
  });

  it('--baseline: exit 0 when nothing is lost, 1 listing the rules covered in the baseline and not now', () => {
    const same = coverage([at('merged.json'), '--format', 'json', '--out', at('again.json'), '--baseline', at('merged.json')]);
    expect(same.code).toBe(0);
    expect(same.out[1]).toMatch(/^baseline .*merged\.json: no coverage lost \(\d+ covered in the baseline, \d+ now\)$/);
    const drop = coverage([at('replay.json'), '--format', 'md', '--out', at('drop.md'), '--baseline', at('merged.json')]);
    expect(drop.code).toBe(1);
    expect(drop.err[0]).toMatch(/^baseline .*merged\.json: \d+ coverage point\(s\) covered in the baseline are not covered now/);
    // RMI_VERSION/incompatible is covered by the vitest run only.
    const v = catalogue.byId.get('RMI_VERSION/incompatible')!;
    expect(drop.err).toContain(`  RMI_VERSION/incompatible (${v.section}): ${v.text}`);
  });

  it('warns about rules a file counts that this catalogue does not have, and goes on', () => {
    const old = { ...read(at('replay.json')), rules: { 'RMI_GONE/x': { reached: 1, held: 1 } } };
    writeFileSync(at('old.json'), JSON.stringify(old));
    const o = coverage([at('old.json'), '--format', 'md', '--out', at('old.md')]);
    expect(o.code).toBe(0);
    expect(o.err).toEqual([`${at('old.json')}: 1 coverage point(s) not in this catalogue, not reported: RMI_GONE/x`]);
  });

  it('exits 2 on bad input: a flag, a format, a file missing or malformed, an output it cannot write', () => {
    expect(coverage([]).code).toBe(2);
    expect(coverage([at('merged.json'), '--frmat', 'md']).err[0]).toMatch(/^realmspec coverage: Unknown option '--frmat'/);
    expect(coverage([at('merged.json'), '--format', 'pdf']).err[0]).toBe("realmspec coverage: --format must be one of json, md, html, lcov, not 'pdf'");
    const missing = coverage([at('nope.json')]);
    expect([missing.code, missing.err]).toEqual([2, [`${at('nope.json')}: cannot read: ENOENT: no such file or directory`]]);
    writeFileSync(at('bad.json'), JSON.stringify({ ...read(at('replay.json')), calls: { RMI_VERSION: 'x' } }));
    expect(coverage([at('bad.json')]).err).toEqual([`${at('bad.json')}: calls.RMI_VERSION: expected Count, got "x"`]);
    const unwritable = coverage([at('merged.json'), '--out', at('merged.json/x.md')]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.err.at(-1)).toMatch(/merged\.json\/x\.md: cannot write: /);
  });
});
