/**
 * The `realmspec` executable as a user runs it (spawned processes, the committed bin shim): long
 * outputs stream to the end, a reader that closes the pipe ends the run quietly, and every
 * failure is exactly one line on standard error with exit code 2 (bad input), never a stack trace.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CollectingIo, guarded, type Io } from '@realmspec/cli';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'packages/cli/bin/realmspec.js');
const dir = mkdtempSync(join(tmpdir(), 'realmspec-process-'));

/** Runs the executable; its outputs as text and lines. */
function cli(args: readonly string[], cwd = dir): { code: number | null; out: string; err: string; errLines: string[] } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
  return { code: r.status, out: r.stdout, err: r.stderr, errLines: r.stderr.split('\n').filter((l) => l !== '') };
}

/** {@link cli}, without waiting: for tests that run concurrently. */
function cliAsync(args: readonly string[], cwd = dir): Promise<{ code: number | null; out: string; err: string; errLines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err, errLines: err.split('\n').filter((l) => l !== '') }));
  });
}

const file = (name: string, lines: readonly string[]): string => {
  const p = join(dir, name);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
};

/** A stack trace, or a Node error dump. */
const STACK = /^\s+at |node:internal|^\w*Error: |Node\.js v\d/m;

describe('long runs stream to the end', () => {
  // RMI_VERSION succeeds, so each of these steps fails its expectation.
  const failing = JSON.stringify({ op: 'rmi', cmd: 'RMI_VERSION', args: ['0x10000'], expect: { status: 'RMI_ERROR_INPUT' } });
  const many = file('130k-failing.jsonl', Array.from({ length: 130_000 }, () => failing));

  it('reports 130,000 failing steps, one line each, then the closing line (exit 1)', () => {
    const r = cli(['replay', many]);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines).toHaveLength(130_002); // and the final line break
    expect(lines[129_999]).toBe(`${many}:130000: RMI_VERSION(req=0x10000): RMI_ERROR_INPUT: a request for 1.0 succeeds: 1.0 is supported`);
    expect(lines[130_000]).toBe(`${many}: 0 passed, 130000 failed`);
  });

  it('prints one JSON object for each of 130,000 steps with --json, the closing and summary objects last', () => {
    const r = cli(['replay', many, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(130_002);
    expect(JSON.parse(lines[129_999] as string)).toMatchObject({ line: 130_000, ok: false });
    expect(JSON.parse(lines[130_000] as string)).toMatchObject({ passed: 0, failed: 130_000, closing: '0 passed, 130000 failed' });
    expect(JSON.parse(lines[130_001] as string)).toMatchObject({ summary: { files: 1, failed: 130_000, code: 1 } });
  });

  it('reports each of 200,000 malformed lines, then that nothing ran (exit 2)', () => {
    const bad = file('200k-malformed.jsonl', Array.from({ length: 200_000 }, () => 'nope'));
    const r = cli(['replay', bad]);
    expect(r.out).toBe('');
    expect(r.code).toBe(2);
    expect(r.errLines).toHaveLength(200_001);
    expect(r.errLines[199_999]).toMatch(new RegExp(`^${bad}:200000: not valid JSON`));
    expect(r.errLines[200_000]).toBe(`${bad}: 200000 malformed line(s); nothing was run`);
  });

  it('stops quietly, exit 0, when the reader closes the pipe (realmspec start --all | head -1)', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" start --all | head -1; echo "status \${PIPESTATUS[0]}"`], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([expect.stringMatching(/lifecycle-sha512\.jsonl: 182 passed, 0 failed$/), 'status 0']);
  });
});

describe('the installed command', () => {
  it('runs the example traces shipped with it from a directory that has no examples/', () => {
    const empty = mkdtempSync(join(tmpdir(), 'realmspec-empty-'));
    const r = cli(['demo'], empty);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/lifecycle-sha512\.jsonl: 182 passed, 0 failed\n/);
    expect(r.out).toMatch(/realm-build\.jsonl: \d+ passed, 0 failed\n/);
  });

  it('says in one line to build when the package is not built', () => {
    const pkg = join(dir, 'unbuilt');
    mkdirSync(join(pkg, 'bin'), { recursive: true });
    copyFileSync(bin, join(pkg, 'bin', 'realmspec.js'));
    writeFileSync(join(pkg, 'package.json'), '{"type": "module"}');
    const r = spawnSync(process.execPath, [join(pkg, 'bin', 'realmspec.js'), 'help'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('realmspec: not built yet: run npm run build (in the realmspec repository)\n');
  });
});

describe.concurrent('every failure is one line on standard error, exit 2', () => {
  const good = file('good.jsonl', ['{"op": "rmi", "cmd": "RMI_VERSION", "args": ["0x10000"]}']);
  const missing = join(dir, 'missing.jsonl');
  const same = join(dir, 'same.out');
  const cases: ReadonlyArray<readonly [string, readonly string[], RegExp]> = [
    ['an unknown flag', ['replay', '--nope', good], /^realmspec replay: Unknown option '--nope'\. \(run 'realmspec help' for usage\)$/],
    ['no trace file', ['replay'], /^realmspec replay: give at least one trace file/],
    ['a missing file', ['replay', missing], new RegExp(`^${missing}: cannot read: ENOENT: no such file or directory$`)],
    ['a directory as the file', ['replay', dir], new RegExp(`^${dir}: is a directory, not a trace file$`)],
    ['a path through a file', ['replay', join(good, 'x')], /: cannot read: ENOTDIR: not a directory$/],
    ['no command', [], /^realmspec: give a command/],
    ['an unknown command', ['frobnicate'], /^realmspec: unknown command 'frobnicate'/],
    ['a missing demo directory', ['demo', missing], /^realmspec demo: cannot read directory .*: ENOENT: no such file or directory$/],
    ['two demo directories', ['start', dir, dir], /^realmspec start: at most one directory/],
    ['a bad challenge', ['attest', '--challenge', 'zz'], /^realmspec attest: --challenge: /],
    ['one file for the token and the key', ['attest', '--challenge', 'ab', '--out', same, '--iak-out', same], /^realmspec attest: --out and --iak-out name the same file/],
  ];
  for (const [what, args, line] of cases) {
    it(`for ${what}`, async () => {
      const r = await cliAsync(args);
      expect(r.err).not.toMatch(STACK);
      expect(r.errLines).toEqual([expect.stringMatching(line)]);
      expect(r.out).toBe('');
      expect(r.code).toBe(2);
      expect(existsSync(same)).toBe(false);
    });
  }

  it('for a field nested 100,000 deep, reported with its line (and the count of malformed lines)', async () => {
    const deep = file('deep.jsonl', [`{"op": "rmi", "cmd": "RMI_VERSION", "args": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`]);
    const r = await cliAsync(['replay', deep]);
    expect(r.err).not.toMatch(STACK);
    expect(r.errLines).toEqual([expect.stringMatching(new RegExp(`^${deep}:1: args(\\.0)+: nested deeper than 32 arrays and objects$`)), `${deep}: 1 malformed line(s); nothing was run`]);
    expect(r.code).toBe(2);
  });

  it.skipIf(process.getuid?.() === 0)('for an unreadable file', () => {
    const locked = file('locked.jsonl', ['# nothing']);
    spawnSync('chmod', ['000', locked]);
    const r = cli(['replay', locked]);
    expect(r.errLines).toEqual([`${locked}: cannot read: EACCES: permission denied`]);
    expect(r.code).toBe(2);
  });
});

describe('an internal error', () => {
  it('becomes one line, realmspec: internal error: MESSAGE, and exit code 70', async () => {
    const mismatch = file('mismatch.jsonl', ['{"op": "rmi", "cmd": "RMI_VERSION", "args": ["0x10000"], "expect": {"status": "RMI_ERROR_INPUT"}}']);
    const collected = new CollectingIo();
    const broken: Io = {
      out: () => {
        throw new Error('the output broke\n    at somewhere (file.js:1:1)');
      },
      err: (l) => collected.err(l),
      drain: async () => {},
      closed: false,
    };
    expect(await guarded(['replay', mismatch], broken)).toBe(70);
    expect(collected.errLines).toEqual(['realmspec: internal error: the output broke']);
  });
});
