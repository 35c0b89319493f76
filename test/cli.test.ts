/**
 * The command line, end to end through `run` (the CLI without the process): replay of traces
 * written to the contract (good, mismatching, malformed), the JSON and coverage outputs, flags,
 * and `attest` (a token that verifies against the written trust anchor, and stops verifying when
 * tampered with).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { verifyCcaToken } from '@realmspec/core';
import { bootMachine, DEMO, demoInitrd, demoKernel, launchRealm, obtainAttestationToken } from '@realmspec/machine';
import { run } from '@realmspec/cli';

const dir = mkdtempSync(join(tmpdir(), 'realmspec-cli-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const example = (name: string): string => new URL(`../examples/${name}`, import.meta.url).pathname;

describe('realmspec replay', () => {
  it('replays the contract worked example with every expectation met (exit 0)', async () => {
    const o = await run(['replay', example('lifecycle-sha512.jsonl')]);
    expect(o.code).toBe(0);
    expect(o.out.at(-1)).toMatch(/: 182 passed, 0 failed$/);
  });

  it('replays the VMM-style example with every expectation met', async () => {
    const o = await run(['replay', example('realm-build.jsonl')]);
    expect(o.code).toBe(0);
    expect(o.out.at(-1)).toMatch(/: \d+ passed, 0 failed$/);
  });

  it('reports a failed expectation with the step, expected versus actual and the rule (exit 1), and runs every step', async () => {
    const p = file(
      'mismatch.jsonl',
      [
        '{"op": "rmi", "cmd": "RMI_GRANULE_DELEGATE", "args": ["0x80000008"], "expect": {"status": "RMI_SUCCESS"}}',
        '{"op": "rmi", "cmd": "RMI_GRANULE_DELEGATE", "args": ["0x80000000"], "expect": {"status": "RMI_SUCCESS"}}',
        '{"op": "write", "pa": "0x80000000", "bytes": "00", "expect": {"fault": "GPF"}}',
      ].join('\n'),
    );
    const o = await run(['replay', p]);
    expect(o.code).toBe(1);
    expect(o.out).toEqual([`${p}:1: RMI_GRANULE_DELEGATE(addr=0x80000008): status: expected RMI_SUCCESS, got RMI_ERROR_INPUT [RMI_GRANULE_DELEGATE/gran_align]`, `${p}: 2 passed, 1 failed`]);
  });

  it('reports every malformed line with its number and field, and runs nothing (exit 2)', async () => {
    const p = file(
      'bad.jsonl',
      [
        '# a comment',
        '{"op": "rmi", "cmd": "RMI_GRANULE_DELEGATE", "args": ["0x80000000"], "expected": {"status": "RMI_SUCCESS"}}',
        '{"op": "rmi", "cmd": "RMI_GRANULE_DELEGATE", "args": ["0x1_0000"]}',
        '{"op": "write", "pa": "0x80002000", "realmParams": {"s2sz": 300}}',
        'not json',
      ].join('\n'),
    );
    const o = await run(['replay', p]);
    expect(o.code).toBe(2);
    expect(o.out).toEqual([]);
    expect(o.err[0]).toMatch(new RegExp(`^${p}:2: expected: `));
    expect(o.err[1]).toMatch(new RegExp(`^${p}:3: args\\.0: expected a 64-bit value`));
    expect(o.err[2]).toBe(`${p}:4: realmParams.s2sz: expected a value that fits in 8 bits, got 300`);
    expect(o.err[3]).toMatch(new RegExp(`^${p}:5: not valid JSON`));
    expect(o.err.at(-1)).toBe(`${p}: 4 malformed line(s); nothing was run`);
  });

  it('prints JSON Lines with --json: one object per step naming its file, one closing object per file, a summary last', async () => {
    const p = file('json.jsonl', '{"op": "rmi", "cmd": "RMI_VERSION", "args": ["0x10000"], "expect": {"status": "RMI_SUCCESS", "out": ["0x10000", "0x10000"]}}\n');
    // A request for 1.0 must succeed (B2), so a failure is a mismatch.
    const q = file('json2.jsonl', '{"op": "rmi", "cmd": "RMI_VERSION", "args": ["0x10000"], "expect": {"status": "RMI_ERROR_INPUT"}}\n');
    const o = await run(['replay', p, q, '--json']);
    expect(o.code).toBe(1);
    const lines = o.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({ file: p, line: 1, ok: true, verdict: 'agrees', got: { x0: '0x0', status: 'RMI_SUCCESS', out: ['0x10000', '0x10000'] } });
    expect(lines[1]).toEqual({ file: p, passed: 1, failed: 0, permitted: 0, errors: 0, closing: '1 passed, 0 failed' });
    expect(lines[2]).toMatchObject({ file: q, line: 1, ok: false, verdict: 'mismatch' });
    expect(lines[3]).toMatchObject({ file: q, passed: 0, failed: 1 });
    expect(lines[4]).toEqual({ summary: { files: 2, passed: 1, failed: 1, permitted: 0, code: 1, closing: '1 passed, 1 failed' } });
  });

  it('prints the per-command rule tally with --coverage', async () => {
    const o = await run(['replay', example('lifecycle-sha512.jsonl'), '--coverage']);
    const row = o.out.find((l) => l.startsWith('RMI_REALM_DESTROY'));
    // Called twice: once while the RECs made the Realm live (realm_live held), once successfully.
    expect(row).toMatch(/^RMI_REALM_DESTROY\s+2\s+1\/4\s+3\/3$/);
    expect(o.out.some((l) => l.startsWith('total'))).toBe(true);
  });

  it('rejects unknown flags, missing files and unknown commands with exit 2', async () => {
    expect((await run(['replay', '--nope', 'x'])).code).toBe(2);
    expect((await run(['replay'])).code).toBe(2);
    expect((await run(['replay', join(dir, 'missing.jsonl')])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
  });
});

describe('realmspec attest', () => {
  it('writes a token that verifies against the written IAK key, carries the challenge, and fails once tampered with', async () => {
    const out = join(dir, 'token.cbor');
    const iakOut = join(dir, 'iak.pem');
    const o = await run(['attest', '--challenge', '0xc0ffee', '--out', out, '--iak-out', iakOut]);
    expect(o.err).toEqual([]);
    expect(o.code).toBe(0);
    const token = new Uint8Array(readFileSync(out));
    const pem = readFileSync(iakOut, 'utf8');
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const v = verifyCcaToken(token, { iakPublicKey: pem });
    expect(E.isRight(v) && Buffer.from(v.right.realm.challenge).toString('hex')).toBe('c0ffee' + '00'.repeat(61));
    const tampered = token.slice();
    tampered[token.length >> 1] = (tampered[token.length >> 1] as number) ^ 0x01;
    expect(E.isLeft(verifyCcaToken(tampered, { iakPublicKey: pem }))).toBe(true);
    expect(o.out.some((l) => l.includes('initial measurement'))).toBe(true);
  });

  it('writes neither file when one cannot be written (exit 2, one line)', async () => {
    const out = join(dir, 'kept-out.cbor');
    const o = await run(['attest', '--challenge', '0xc0ffee', '--out', out, '--iak-out', join(dir, 'no-such-dir', 'iak.pem')]);
    expect(o.code).toBe(2);
    expect(o.err).toEqual([`realmspec attest: cannot write ${join(dir, 'no-such-dir', 'iak.pem')}: ENOENT: no such file or directory`]);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses --out and --iak-out naming the same file, and writes nothing (exit 2, one line)', async () => {
    const same = join(dir, 'both.out');
    for (const [a, b] of [
      [same, same],
      [same, join(dir, '.', 'both.out')],
    ]) {
      const o = await run(['attest', '--challenge', '0xc0ffee', '--out', a as string, '--iak-out', b as string]);
      expect(o.code).toBe(2);
      expect(o.err).toEqual([`realmspec attest: --out and --iak-out name the same file (${a}); give two files`]);
      expect(existsSync(same)).toBe(false);
    }
  });

  it('rejects a missing, malformed or too long challenge with exit 2', async () => {
    expect((await run(['attest'])).code).toBe(2);
    expect((await run(['attest', '--challenge', 'xyz'])).code).toBe(2);
    expect((await run(['attest', '--challenge', 'ab'.repeat(65)])).code).toBe(2);
  });

  it('assembles a token from several pieces when the Realm moves it in small chunks', async () => {
    const booted = bootMachine({});
    if (E.isLeft(booted)) throw new Error('boot');
    const launched = launchRealm(booted.right[0], { kernel: demoKernel(), initrd: demoInitrd(), ipaWidth: DEMO.ipaWidth, ramBase: DEMO.ramBase, ramSize: DEMO.ramSize, recs: 1 });
    if (E.isLeft(launched)) throw new Error('launch');
    const r = obtainAttestationToken(launched.right[0], launched.right[1].realm.rd, Uint8Array.of(1, 2, 3), { chunk: 512 });
    expect(E.isRight(r)).toBe(true);
    if (E.isLeft(r)) return;
    const { token, continues } = r.right[1];
    expect(continues).toBe(Math.ceil(token.length / 512));
    expect(continues).toBeGreaterThan(2);
    expect(E.isRight(verifyCcaToken(token, { iakPublicKey: r.right[0].hes.iakPublicKey }))).toBe(true);
  });
});
