/**
 * Drivers (driver-v1): `realmspec driver` conforms to the contract (header-only run, OUT line
 * for line, exit 2 beyond its limits, a crash recorded on its step), and the harness turns every
 * way a driver can misbehave (a crash, a hang, garbage, dropped or added lines, answers for
 * another trace, a driver that cannot start) into a clear finding or error naming the driver,
 * the run and the step.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { headerLine, parseTrace, replayStart, stepLine } from '@realmspec/trace';
import { build, buildScript, builtOf, MODEL_LIMITS, modelDriver, modelDriverPlatform, observe, ProcessDriver, splitCommand } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'realmspec-driver-test-'));
const platform = modelDriverPlatform(1);
const setting = { platform, limits: MODEL_LIMITS };
const fake = fileURLToPath(new URL('./fixtures/drivers/fake.mjs', import.meta.url));
const cli = fileURLToPath(new URL('../../cli/bin/realmspec.js', import.meta.url));
const built = build(setting, replayStart(platform), buildScript(1));
const write = (name: string, lines: string[]): string => {
  const p = join(dir, name);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
};
const decode = (p: string) => {
  const r = parseTrace(readFileSync(p, 'utf8'));
  if (E.isLeft(r)) throw new Error(r.left.map((e) => e.message).join('; '));
  return r.right;
};

describe('realmspec driver (the model as a driver-v1 driver)', () => {
  it('answers a header-only run with the platform it provides and its limits, whatever IN said', () => {
    const inPath = write('h.jsonl', ['{"trace": "realmspec/1", "platform": {"recAuxCount": 9}}']);
    execFileSync(process.execPath, [cli, 'driver', inPath, '-o', join(dir, 'h.out')]);
    const t = decode(join(dir, 'h.out'));
    expect(t.steps).toEqual([]);
    expect(t.platform.recAuxCount).toBe(1);
    expect(t.limits).toEqual(MODEL_LIMITS);
  });

  it('writes OUT line for line: every step of IN with the model\'s answer', () => {
    const inPath = write('run.jsonl', ['# a comment', headerLine(platform), ...built.steps.map((s) => stepLine(s))]);
    expect(modelDriver({ inPath, outPath: join(dir, 'run.out') })).toEqual({ code: 0, err: [] });
    const out = decode(join(dir, 'run.out'));
    expect(out.steps.map((s) => stepLine(s))).toEqual(built.model.map((s) => stepLine(s)));
  });

  it('exits 2 with IN:LINE: reason for a step beyond its limits', () => {
    const enter = built.steps[built.steps.length - 1];
    if (enter?.kind !== 'rmi') throw new Error('the script ends with RMI_REC_ENTER');
    const long = { ...enter, realm: Array.from({ length: 9 }, () => ({ kind: 'exit' as const, reason: 'irq' as const })) };
    const inPath = write('limits.jsonl', [headerLine(platform), stepLine(long), '{"op": "read", "pa": "0x80000000", "len": 8192}']);
    const r = spawnSync(process.execPath, [cli, 'driver', inPath, '-o', join(dir, 'limits.out')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`${inPath}:2: 9 realm steps, more than the 8 this driver runs in one RMI_REC_ENTER`);
  });

  it('records a crash of the implementation on its step, exits 0, and leaves the steps after it unanswered', () => {
    const inPath = write('crash.jsonl', [
      headerLine(platform),
      // A Realm with a level 3 RTT whose RIPAS is not uniform: folding it is refused (rtt_homo).
      ...build(setting, replayStart(platform), buildScript(1).slice(0, 4)).steps.map((s) => stepLine(s)),
      '{"op": "rmi", "cmd": "RMI_RTT_FOLD", "args": ["0x80000000", "0x0", "0x3"]}',
      '{"op": "rmi", "cmd": "RMI_VERSION", "args": ["0x10000"]}',
    ]);
    expect(modelDriver({ inPath, outPath: join(dir, 'crash.out'), mutant: 'rtt-fold-crash' }).code).toBe(0);
    const out = decode(join(dir, 'crash.out'));
    const fold = out.steps[out.steps.length - 2];
    expect(fold?.kind === 'rmi' && fold.expect?.crash).toMatch(/assertion failed/);
    expect(out.steps[out.steps.length - 1]?.kind === 'rmi' && out.steps[out.steps.length - 1]).toMatchObject({ expect: undefined });
    // The harness reports it as a crash at that step, naming the driver and the run.
    const given = decode(inPath).steps;
    const o = observe(builtOf(replayStart(platform), given), { kind: 'answers', steps: out.steps }, { driver: 'model', run: 3 });
    expect(o.observations[0]).toMatchObject({ kind: 'crash', command: 'RMI_RTT_FOLD' });
    expect(o.observations[0]?.mismatches[0]).toMatch(/^driver 'model', run 3, step \d+ \(line \d+\): crash: the implementation crashed: assertion failed/);
    expect(o.judgement?.cut).toMatchObject({ why: 'the implementation crashed' });
  });

  it('runs from its one-file bundle with the same answers as the CLI\'s modules', () => {
    const bundle = fileURLToPath(new URL('../../cli/dist/driver.bundle.mjs', import.meta.url));
    const main = fileURLToPath(new URL('../../cli/dist/main.js', import.meta.url));
    expect(existsSync(bundle)).toBe(true);
    const inPath = write('both.jsonl', [headerLine(platform), ...built.steps.map((s) => stepLine(s))]);
    for (const mutant of [[], ['--mutant', 'rtt-fold-crash']]) {
      execFileSync(process.execPath, [bundle, 'driver', ...mutant, inPath, '-o', join(dir, 'bundle.out')]);
      execFileSync(process.execPath, [main, 'driver', ...mutant, inPath, '-o', join(dir, 'main.out')]);
      expect(readFileSync(join(dir, 'bundle.out'), 'utf8')).toBe(readFileSync(join(dir, 'main.out'), 'utf8'));
    }
    const r = spawnSync(process.execPath, [bundle, 'driver', inPath], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^realmspec driver: give IN.jsonl -o OUT.jsonl/);
  });

  it('refuses an unknown mutant with exit 2', () => {
    const r = spawnSync(process.execPath, [cli, 'driver', '--mutant', 'no-such', join(dir, 'h.jsonl'), '-o', join(dir, 'x.out')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no mutant 'no-such'/);
  });
});

describe('a driver that misbehaves', () => {
  const driverFor = (mode: string, timeoutMs = 10_000) => new ProcessDriver(`node ${fake} ${mode}`, { dir: join(dir, mode), timeoutMs });
  const first = async (mode: string, timeoutMs?: number) => {
    const d = driverFor(mode, timeoutMs);
    const s = await d.setting();
    if (typeof s === 'string') throw new Error(s);
    const r = await d.run(7, s, built.steps);
    return { r, o: observe(built, r, { driver: d.name, run: 7 }).observations };
  };

  it('crashes: a finding naming the driver, the run, the exit status and its standard error', async () => {
    const { r, o } = await first('crash');
    expect(r.kind).toBe('failed');
    expect(o[0]).toMatchObject({ command: 'DRIVER', kind: 'driver-failed', rule: 'exit status 11' });
    expect(o[0]?.mismatches[0]).toBe(`driver 'node ${fake} crash', run 7: the driver failed (exit status 11): Segmentation fault in rmm_handler`);
  });

  it('hangs: killed at the per-run timeout, a finding', async () => {
    const { r, o } = await first('hang', 1500);
    expect(r.kind).toBe('timeout');
    expect(o[0]?.mismatches[0]).toMatch(/run 7: the driver did not exit within 1500 ms \(killed\)/);
  });

  it('prints garbage: a protocol finding naming OUT\'s lines', async () => {
    const { o } = await first('garbage');
    expect(o[0]?.kind).toBe('protocol');
    expect(o[0]?.mismatches).toContain(`driver 'node ${fake} garbage', run 7: OUT: the first line is not a header`);
    expect(o[0]?.mismatches.some((m) => /OUT:1: not valid JSON/.test(m))).toBe(true);
  });

  it('drops a line: the step without an answer is named', async () => {
    const { o } = await first('drop');
    expect(o[0]?.mismatches[0]).toMatch(new RegExp(`run 7: OUT: ${built.steps.length - 1} answers for ${built.steps.length} steps: step ${built.steps.length} \\(IN line ${built.steps.length + 1}\\) has none`));
  });

  it('adds a line, or answers for another trace: a protocol finding naming the step', async () => {
    expect((await first('add')).o[0]?.mismatches[0]).toMatch(/OUT:\d+: a step IN does not have/);
    expect((await first('other')).o[0]?.mismatches[0]).toMatch(/answers another trace: step 1 \(IN line 2\): X1 is 0x12345000, IN has 0x80000000/);
  });

  it('cannot start: the header-only run says why', async () => {
    expect(await driverFor('no-start').setting()).toBe('the header-only run exited 3: cannot open /dev/rmm0');
    expect(await new ProcessDriver('/no/such/driver', { dir: join(dir, 'none'), timeoutMs: 5000 }).setting()).toMatch(/cannot be started: spawn \/no\/such\/driver ENOENT/);
  });

  it('splits the driver command like a shell, without running one', () => {
    expect(splitCommand(`node  'my driver.js' --x "a b" c\\ d`)).toEqual(['node', 'my driver.js', '--x', 'a b', 'c d']);
    expect(() => splitCommand('node "x')).toThrow(/unterminated/);
  });
});
