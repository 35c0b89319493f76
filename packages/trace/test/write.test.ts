/**
 * Writing traces (write.ts): every step of the worked examples written back decodes to the same
 * step; headers carry the platform and the driver's limits; `"expect": {"crash": TEXT}` (driver
 * contract, "Outcomes") decodes as an outcome and replays as a mismatch naming the crash.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { makePlatform, Gpt } from '@realmspec/core';
import { headerLine, parseTrace, rmiExpectOf, runTrace, stepJson, stepLine, type Step } from '../src/index.js';

const examples = ['lifecycle-sha512.jsonl', 'realm-build.jsonl'].map((f) => readFileSync(new URL(`../../../examples/${f}`, import.meta.url), 'utf8'));
const decoded = (text: string) => {
  const r = parseTrace(text);
  if (E.isLeft(r)) throw new Error(r.left.map((e) => `${e.line}: ${e.message}`).join('\n'));
  return r.right;
};
const withoutLine = (s: Step): object => stepJson(s);

describe('the trace writer', () => {
  it('writes every step of the worked examples back to a line that decodes to the same step', () => {
    for (const text of examples) {
      const t = decoded(text);
      const again = decoded([headerLine(t.platform), ...t.steps.map((s) => stepLine(s))].join('\n'));
      expect(again.steps.map(withoutLine)).toEqual(t.steps.map(withoutLine));
      expect(again.platform.features0).toBe(t.platform.features0);
      expect(again.steps.length).toBeGreaterThan(10);
    }
  });

  it('writes the platform and the limits in the header', () => {
    const p = makePlatform({ recAuxCount: 3, vmid16: false, gpt: [{ base: 0x9000_0000n, size: 0x1000n, gpt: Gpt.SECURE }] });
    const t = decoded(headerLine(p, { realmStepsPerEnter: 4, realmExits: ['irq'], readMax: 4096 }));
    expect(t.platform.recAuxCount).toBe(3);
    expect(t.platform.vmid16).toBe(false);
    expect(t.platform.gpt).toEqual(p.gpt);
    expect(t.limits).toEqual({ realmStepsPerEnter: 4, realmExits: ['irq'], readMax: 4096 });
  });

  it('records an answer by status name and index, or by raw X0 when it is no status', () => {
    expect(rmiExpectOf(0n, [])).toEqual({ status: 'RMI_SUCCESS' });
    expect(rmiExpectOf(0x201n, [5n])).toEqual({ status: 'RMI_ERROR_INPUT', index: 2n, out: [5n] });
    expect(rmiExpectOf(0x1234567n, [])).toEqual({ x0: 0x1234567n });
  });
});

describe('a crash reported by a driver', () => {
  const text = [
    '{"op": "rmi", "cmd": "RMI_GRANULE_DELEGATE", "args": ["0x80000000"], "expect": {"crash": "assertion failed: granule.c:42"}}',
    '{"op": "rmi", "cmd": "RMI_GRANULE_DELEGATE", "args": ["0x80000000"]}',
    '{"op": "read", "pa": "0x80001000", "len": 8, "expect": {"crash": "hang"}}',
  ].join('\n');

  it('decodes as an outcome, and replays as a mismatch naming the crash', () => {
    const r = runTrace(decoded(text));
    expect(r.outcomes[0]?.ok).toBe(false);
    expect(r.outcomes[0]?.mismatches).toEqual(['crash: the implementation crashed: assertion failed: granule.c:42']);
    // The model ran the step: the second delegation fails (the granule is delegated).
    expect(r.outcomes[1]?.got.status).toBe('RMI_ERROR_INPUT');
    expect(r.outcomes[2]?.ok).toBe(false);
  });

  it('stands alone in its expectation', () => {
    const r = parseTrace('{"op": "rmi", "cmd": "RMI_VERSION", "args": [], "expect": {"crash": "x", "status": "RMI_SUCCESS"}}');
    expect(E.isLeft(r) && r.left[0]?.message).toMatch(/crash stands alone/);
  });

  it('survives the writer', () => {
    const t = decoded(text);
    expect(decoded(t.steps.map((s) => stepLine(s)).join('\n')).steps.map(withoutLine)).toEqual(t.steps.map(withoutLine));
  });
});
