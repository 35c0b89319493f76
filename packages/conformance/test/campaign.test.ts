/**
 * Campaigns: a short fixed-seed campaign finds a handful of mutants and shrinks each to a short
 * trace that `realmspec replay` reproduces; the clean model finds nothing; waivers are counted
 * but do not fail the run; the CLI's exit statuses, JSON Lines and files under --out.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { parseTrace, runTrace } from '@realmspec/trace';
import { run } from '@realmspec/cli';
import { decodeCoverage } from '@realmspec/coverage';
import { campaign, decodeWaivers, InProcessDriver, MODEL_LIMITS, modelDriverPlatform, modelImpl, mutantById } from '../src/index.js';

const platform = modelDriverPlatform(1);
const setting = { platform, limits: MODEL_LIMITS };
const dir = mkdtempSync(join(tmpdir(), 'realmspec-campaign-test-'));
const fake = fileURLToPath(new URL('./fixtures/drivers/fake.mjs', import.meta.url));

const inProcess = (id: string | undefined) => {
  const m = id === undefined ? undefined : mutantById(id);
  return new InProcessDriver(id ?? 'model', m === undefined ? modelImpl : m.wrap(modelImpl), platform, MODEL_LIMITS);
};

describe('a fixed-seed campaign', () => {
  const ids = ['undelegate-status-realm', 'realm-activate-twice', 'rec-create-rim-unchanged', 'rtt-read-entry-walk-level', 'irq-exit-as-fiq', 'data-create-order-outside', 'features-s2sz-minus-one', 'rec-aux-count-plus-one'];
  for (const id of ids) {
    it(`finds ${id} and shrinks it to a trace that replay reproduces`, async () => {
      const r = await campaign({ driver: inProcess(id), setting, seed: 11, runs: 400, stopAtFirst: true });
      const f = r.groups[0];
      expect(f, `${id} not found in ${r.runs} runs`).toBeDefined();
      if (f === undefined) return;
      expect(f.steps.shrunk).toBeLessThanOrEqual(16);
      expect(f.steps.shrunk).toBeLessThanOrEqual(f.steps.original);
      const t = parseTrace(f.trace);
      expect(E.isRight(t)).toBe(true);
      if (E.isLeft(t)) return;
      const replayed = runTrace(t.right);
      expect(replayed.outcomes.length).toBe(f.steps.shrunk);
      // Every step before the last agrees (or is permitted); the last is the divergence.
      expect(replayed.outcomes.slice(0, -1).every((o) => o.ok)).toBe(true);
      expect(replayed.outcomes[replayed.outcomes.length - 1]?.ok).toBe(false);
      expect(f.trace).toMatch(new RegExp(`# realmspec conform: finding 1: ${f.command} \\[${f.rule.replace(/[/]/g, '\\/')}\\]`));
    });
  }

  it('finds nothing in the model itself', async () => {
    const r = await campaign({ driver: inProcess(undefined), setting, seed: 12, runs: 300 });
    expect(r.groups).toEqual([]);
    expect(r.runs).toBe(300);
    expect(r.judged).toBe(r.steps);
    expect(r.hits.calls.size).toBeGreaterThan(20);
  });

  it('counts later runs of a known group without shrinking it again, and reports equal seeds equally', async () => {
    const a = await campaign({ driver: inProcess('realm-activate-twice'), setting, seed: 5, runs: 150 });
    const b = await campaign({ driver: inProcess('realm-activate-twice'), setting, seed: 5, runs: 150 });
    expect(a.groups.length).toBe(1);
    expect(a.groups[0]?.count).toBeGreaterThan(1);
    expect(b.groups.map((g) => [g.group, g.count, g.trace])).toEqual(a.groups.map((g) => [g.group, g.count, g.trace]));
  });
});

describe('waivers', () => {
  it('decodes rules and groups, and says what is wrong with a bad file', () => {
    const w = decodeWaivers({ waivers: [{ rule: 'RMI_GRANULE_DELEGATE/gran_gpt', reason: 'EL3 checks it' }, { group: 'X|Y|status', reason: 'known' }] });
    expect(E.isRight(w) && w.right.reasonFor('A|RMI_GRANULE_DELEGATE/gran_gpt|status', 'RMI_GRANULE_DELEGATE/gran_gpt')).toBe('EL3 checks it');
    expect(E.isRight(w) && w.right.reasonFor('X|Y|status', 'Y')).toBe('known');
    expect(E.isRight(w) && w.right.reasonFor('X|Z|status', 'Z')).toBeUndefined();
    expect(decodeWaivers({ waivers: [{ reason: 'no target' }] })).toEqual(E.left(['waivers.0: give exactly one of "rule" and "group"']));
    expect(E.isLeft(decodeWaivers({ waiver: [] }))).toBe(true);
  });

  it('counts a waived finding and reports it, without failing the campaign', async () => {
    const w = decodeWaivers({ waivers: [{ rule: 'RMI_REALM_ACTIVATE/realm_state', reason: 'accepted' }] });
    if (E.isLeft(w)) throw new Error('bad waivers');
    const r = await campaign({ driver: inProcess('realm-activate-twice'), setting, seed: 5, runs: 150, waivers: w.right });
    expect(r.groups.map((g) => g.waived)).toEqual(['accepted']);
    expect(r.waived).toBe(1);
  });
});

describe('realmspec conform (a process driver)', () => {
  const conform = (...args: string[]) => run(['conform', '--driver', `node ${fake} flip-delegate`, '--runs', '2', '--seed', '3', '--workers', '1', ...args]);

  it('reports a finding with exit status 1, writing its trace, findings.jsonl, the summary and the coverage under --out', async () => {
    const out = join(dir, 'out1');
    const r = await conform('--out', out);
    expect(r.code).toBe(1);
    expect(r.out.some((l) => /^finding 1: RMI_GRANULE_DELEGATE \[RMI_GRANULE_DELEGATE\/success\] \(output\)/.test(l))).toBe(true);
    const findings = readFileSync(join(out, 'findings.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { trace: string; steps: { shrunk: number } });
    expect(findings.length).toBe(1);
    expect(findings[0]?.steps.shrunk).toBe(1);
    expect(existsSync(findings[0]?.trace ?? '')).toBe(true);
    expect(await run(['replay', findings[0]?.trace ?? ''])).toMatchObject({ code: 1 });
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toMatchObject({ findings: 1, exitCode: 1 });
    // The rule coverage is a coverage file (realmspec-coverage/1) that `realmspec coverage` reads.
    const cov = decodeCoverage(readFileSync(join(out, 'coverage.json'), 'utf8'), 'coverage.json');
    if (E.isLeft(cov)) throw new Error(cov.left.join('; '));
    expect(cov.right).toMatchObject({ format: 'realmspec-coverage/1', sources: [{ kind: 'conformance', name: `node ${fake} flip-delegate` }] });
    // The first generated run is counted: its delegation reached the command's first check.
    expect(cov.right.calls.RMI_GRANULE_DELEGATE).toBeGreaterThan(0);
    expect(cov.right.rules['RMI_GRANULE_DELEGATE/gran_align']?.reached).toBeGreaterThan(0);
    const report = await run(['coverage', join(out, 'coverage.json'), '--format', 'json', '--out', join(out, 'report.json')]);
    expect(report.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))).toMatchObject({ sources: [{ kind: 'conformance' }] });
  });

  it('exits 0 when every finding is waived, and writes JSON Lines with --json', async () => {
    const waivers = join(dir, 'w.json');
    writeFileSync(waivers, JSON.stringify({ waivers: [{ rule: 'RMI_GRANULE_DELEGATE/success', reason: 'the fake driver refuses delegation' }] }));
    const r = await conform('--json', '--waivers', waivers, '--out', join(dir, 'out2'));
    expect(r.code).toBe(0);
    const lines = r.out.map((l) => JSON.parse(l) as { type: string; waived?: string | null; exitCode?: number });
    expect(lines[0]).toMatchObject({ type: 'finding', waived: 'the fake driver refuses delegation' });
    expect(lines[lines.length - 1]).toMatchObject({ type: 'summary', findings: 1, waived: 1, exitCode: 0 });
  });

  it('exits 2 for bad usage, a bad waivers file, or a driver that cannot be started', async () => {
    expect((await run(['conform', '--runs', '2'])).err).toEqual([expect.stringMatching(/--driver "CMD ..." is required/)]);
    expect((await run(['conform', '--driver', 'x', '--runs', '0'])).err).toEqual([expect.stringMatching(/--runs: expected an integer 1\.\.1000000000, got '0'/)]);
    expect((await run(['conform', '--driver', 'x', '--runs', '2', '--time', '3'])).code).toBe(2);
    writeFileSync(join(dir, 'bad.json'), '{"waivers": [{"rule": 3}]}');
    expect(await run(['conform', '--driver', 'x', '--waivers', join(dir, 'bad.json')])).toMatchObject({ code: 2 });
    const r = await run(['conform', '--driver', `node ${fake} no-start`, '--runs', '1', '--out', join(dir, 'out3')]);
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`realmspec conform: driver 'node ${fake} no-start' cannot be started: the header-only run exited 3: cannot open /dev/rmm0`]);
  });

  it('stops on Ctrl-C (SIGINT) after the runs in flight, and still writes the summary and the coverage', async () => {
    const out = join(dir, 'out-int');
    const cli = fileURLToPath(new URL('../../cli/bin/realmspec.js', import.meta.url));
    const child = spawn(process.execPath, [cli, 'conform', '--driver', `${process.execPath} ${cli} driver`, '--time', '120', '--seed', '1', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    await new Promise((resolve) => setTimeout(resolve, 4000));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toMatch(/0 finding\(s\), 0 waived \(interrupted\)/);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toMatchObject({ interrupted: true, findings: 0 });
    expect(existsSync(join(out, 'coverage.json'))).toBe(true);
  });
});
