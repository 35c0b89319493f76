/**
 * Decoding traces of any shape in bounded memory (spec/TRACE.md "Limits"; trace contract "File",
 * "Platform", "Result"; driver contract "Values are observations"): the header's platform is
 * decoded strictly, every string and array has a bound checked before its contents, nesting of
 * any depth is an error and never a crash, and expectations take any 64-bit value.
 */
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { DEFAULT_FEATURES0, defaultPlatform } from '@realmspec/core';
import { decodeTrace, exitCodeOf, MAX_LINE_BYTES, parseTrace, replaySteps, runTrace, splitLines, textLines, type Step } from '../src/index.js';

const header = (platform: object): string => JSON.stringify({ trace: 'realmspec/1', platform });
const errorsOf = (text: string): string[] => {
  const r = parseTrace(text);
  return E.isLeft(r) ? r.left.map((e) => `${e.line}: ${e.message}`) : [];
};
const rmi = (cmd: string, args: string[], expect?: object): string => JSON.stringify({ op: 'rmi', cmd, args, ...(expect !== undefined ? { expect } : {}) });

describe('the trace header', () => {
  it('rejects a platform field the contract does not define, naming it', () => {
    expect(errorsOf(header({ dramm: [] }))).toEqual([expect.stringMatching(/^1: platform\.dramm: expected one of the fields of platform/)]);
    expect(errorsOf(header({ dram: [{ base: '0x80000000', size: '0x1000', sise: 1 }] }))).toEqual([expect.stringMatching(/^1: platform\.dram\.0\.sise: /)]);
  });

  it('accepts vmid16 and hpmn0 as trace-v1 defines them, and applies them', () => {
    const r = parseTrace(header({ vmid16: false, hpmn0: true }));
    expect(E.isRight(r)).toBe(true);
    if (E.isLeft(r)) return;
    expect(r.right.platform.vmid16).toBe(false);
    expect(r.right.platform.hpmn0).toBe(true);
  });

  it('rejects DRAM ranges that end beyond 2^64 or overlap', () => {
    expect(errorsOf(header({ dram: [{ base: '0xfffffffffffff000', size: '0x2000' }] }))).toEqual([expect.stringMatching(/^1: platform\.dram\.0: base \+ size = 0x10000000000001000 is beyond 2\^64/)]);
    expect(errorsOf(header({ dram: [{ base: '0x80000000', size: '0x100000' }, { base: '0x800ff000', size: '0x1000' }] }))).toEqual([expect.stringMatching(/^1: platform\.dram\.1: .* overlaps platform\.dram\.0$/)]);
    // Adjacent ranges and one of size zero do not overlap.
    expect(errorsOf(header({ dram: [{ base: '0x80000000', size: '0x1000' }, { base: '0x80001000', size: '0x1000' }, { base: '0x80000000', size: '0' }] }))).toEqual([]);
    expect(errorsOf(header({ gpt: [{ base: '0x1000', size: '0x2000', gpi: 'GPT_ROOT' }, { base: '0x2000', size: '0x1000', gpi: 'GPT_SECURE' }] }))).toEqual([expect.stringMatching(/^1: platform\.gpt\.1: .* overlaps platform\.gpt\.0$/)]);
  });

  it('rejects a features0 with reserved bits set or a field out of its range (RmiFeatureRegister0, DEN0137 B4.4.6)', () => {
    const f = (v: bigint): string[] => errorsOf(header({ features0: '0x' + v.toString(16) }));
    expect(f(DEFAULT_FEATURES0)).toEqual([]);
    expect(f(DEFAULT_FEATURES0 | (1n << 42n))).toEqual([expect.stringMatching(/^1: platform\.features0: reserved bits 63:42 must be zero/)]);
    expect(f(DEFAULT_FEATURES0 | (1n << 63n))).toEqual([expect.stringMatching(/^1: platform\.features0: reserved bits/)]);
    const s2sz = (n: bigint): string[] => f((DEFAULT_FEATURES0 & ~0xffn) | n);
    expect(s2sz(31n)).toEqual([expect.stringMatching(/^1: platform\.features0: S2SZ \(bits 7:0\) must be 32\.\.52, got 31/)]);
    expect(s2sz(53n)).toEqual([expect.stringMatching(/S2SZ .* got 53/)]);
    expect(s2sz(32n)).toEqual([]);
    expect(s2sz(52n)).toEqual([]);
    expect(f(DEFAULT_FEATURES0 & ~(0x3fn << 14n))).toEqual([expect.stringMatching(/^1: platform\.features0: NUM_BPS \(bits 19:14\) must not be 0/)]);
    expect(f(DEFAULT_FEATURES0 & ~(0x3fn << 20n))).toEqual([expect.stringMatching(/^1: platform\.features0: NUM_WPS \(bits 25:20\) must not be 0/)]);
  });

  it('decodes the realmspec fields levelBits and measurement (D-SMALL-SCOPE, D-SYMBOLIC-MEASURE); S2SZ may then go down to 12 + levelBits', () => {
    const r = parseTrace(header({ levelBits: 2, measurement: 'symbolic' }));
    expect(E.isRight(r) && [r.right.platform.levelBits, r.right.platform.measurement, r.right.platform.features.s2sz]).toEqual([2, 'symbolic', 24]);
    for (const bad of [{ levelBits: 0 }, { levelBits: 10 }, { levelBits: 1.5 }, { measurement: 'md5' }]) expect(errorsOf(header(bad))).toEqual([expect.stringMatching(/^1: platform\.(levelBits|measurement): /)]);
    const small = '0x' + ((DEFAULT_FEATURES0 & ~0xffn) | 14n).toString(16);
    expect(errorsOf(header({ levelBits: 2, features0: small }))).toEqual([]);
    expect(errorsOf(header({ levelBits: 2, features0: '0x' + ((DEFAULT_FEATURES0 & ~0xffn) | 13n).toString(16) }))).toEqual([expect.stringMatching(/S2SZ \(bits 7:0\) must be 14\.\.52, got 13/)]);
    expect(errorsOf(header({ features0: small }))).toEqual([expect.stringMatching(/S2SZ \(bits 7:0\) must be 32\.\.52, got 14/)]);
  });
});

describe('expectations are observations (any 64-bit value decodes; a narrow field mismatches at replay)', () => {
  const prefix = [rmi('RMI_GRANULE_DELEGATE', ['0x80000000'])];
  it('decodes 64-bit values in every exit field and in the status index', () => {
    const exit = { exit_reason: '0x1234', imm: '0xabcd1234', ripas_value: '0x100', pmu_ovf_status: '0xffffffffffffffff', esr: '0xffffffffffffffff' };
    const t = parseTrace([...prefix, rmi('RMI_REC_ENTER', ['0x80001000', '0x80002000'], { status: 'RMI_ERROR_INPUT', index: '0x12345678', exit })].join('\n'));
    expect(E.isRight(t)).toBe(true);
  });

  it('reports an out-of-range observation as a mismatch (exit code 1), never as a malformed file', () => {
    const t = parseTrace(rmi('RMI_GRANULE_DELEGATE', ['0x80000000'], { status: 'RMI_SUCCESS', index: '0x100000000' }));
    expect(E.isRight(t)).toBe(true);
    if (E.isLeft(t)) return;
    const r = runTrace(t.right);
    expect(r.outcomes[0]?.ok).toBe(false);
    expect(r.outcomes[0]?.mismatches).toEqual(['index: expected 4294967296, got 0']);
    expect(exitCodeOf(r)).toBe(1);
  });

  it('still rejects values beyond 64 bits', () => {
    expect(errorsOf(rmi('RMI_VERSION', ['0x10000'], { x0: '0x10000000000000000' }))).toEqual([expect.stringMatching(/^1: expect\.x0: expected a value below 2\^64/)]);
  });
});

describe('bounds, checked before the contents', () => {
  it('rejects an over-long array as one error, not one per element', () => {
    const args = Array.from({ length: 100_000 }, () => 'bad');
    expect(errorsOf(rmi('RMI_VERSION', args))).toEqual([expect.stringMatching(/^1: args: expected at most 16 argument registers \(X1\.\.X16\) \(got 100000\)/)]);
    const out = Array.from({ length: 32 }, () => null);
    expect(errorsOf(rmi('RMI_VERSION', ['0x10000'], { out }))).toEqual([expect.stringMatching(/^1: expect\.out: expected an array of at most 31 values \(got 32\)/)]);
    const realm = Array.from({ length: 4097 }, () => ({ op: 'exit', reason: 'irq' }));
    expect(errorsOf(JSON.stringify({ op: 'rmi', cmd: 'RMI_REC_ENTER', args: ['0x1000', '0x2000'], realm }))).toEqual([expect.stringMatching(/^1: realm: expected at most 4096 realm steps \(got 4097\)/)]);
  });

  it('bounds hex payloads to 1 MiB', () => {
    const line = (n: number): string => JSON.stringify({ op: 'write', pa: '0x80000000', bytes: '00'.repeat(n) });
    expect(errorsOf(line(1 << 20))).toEqual([]);
    expect(errorsOf(line((1 << 20) + 1))).toEqual([expect.stringMatching(/^1: bytes: expected hex text of 0\.\.1048576 bytes/)]);
  });

  it('rejects a line longer than 4 MiB without parsing it', () => {
    const long = JSON.stringify({ op: 'rmi', cmd: 'RMI_VERSION', args: ['0x10000'], expect: { out: ['0'.repeat(MAX_LINE_BYTES)] } });
    expect(errorsOf(['# ok', long, rmi('RMI_VERSION', ['0x10000'])].join('\n'))).toEqual([`2: (line): ${long.length} bytes, longer than the ${MAX_LINE_BYTES} bytes a trace line may hold`]);
  });

  it('converts long digit strings in linear time: leading zeros are fine, too many digits are not', () => {
    const t = parseTrace(rmi('RMI_VERSION', ['0x' + '0'.repeat(100_000) + '10000']));
    expect(E.isRight(t) && (t.right.steps[0] as Extract<Step, { kind: 'rmi' }>).args).toEqual([0x10000n]);
    const started = Date.now();
    expect(errorsOf(rmi('RMI_VERSION', ['9'.repeat(4_000_000)]))).toEqual([expect.stringMatching(/^1: args\.0: expected a value below 2\^64/)]);
    expect(Date.now() - started).toBeLessThan(500); // converting 4,000,000 digits to a BigInt takes most of a second
  });

  it('reports a field nested 100,000 deep as a decode error, in any field, never a crash', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    for (const line of [
      `{"op": "rmi", "cmd": "RMI_VERSION", "args": ${deep}}`,
      `{"op": ${deep}}`,
      `{"op": "rmi", "cmd": "RMI_VERSION", "expected": ${deep}}`,
      `{"trace": "realmspec/1", "platform": {"dram": ${deep}}}`,
      deep,
    ]) {
      const errors = errorsOf(line);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/^1: [\w.()]+: nested deeper than 32 arrays and objects$/);
    }
  });

  it('reports at most 16 problems of one line, and counts the rest', () => {
    const out = Array.from({ length: 31 }, () => 'bad');
    const errors = errorsOf(rmi('RMI_VERSION', ['0x10000'], { out }));
    expect(errors).toHaveLength(16);
    expect(errors.slice(0, 15).every((e) => e.startsWith('1: expect.out.'))).toBe(true);
    expect(errors[15]).toMatch(/^1: \(line\): \d+ more problem\(s\) on this line not shown$/);
  });
});

describe('reading lines in chunks', () => {
  const enc = new TextEncoder();
  const lines = (text: string, cuts: number[], max = MAX_LINE_BYTES) => {
    const bytes = enc.encode(text);
    const chunks: Uint8Array[] = [];
    let at = 0;
    for (const c of [...cuts].sort((a, b) => a - b)) {
      chunks.push(bytes.subarray(at, Math.max(at, Math.min(c, bytes.length))));
      at = Math.max(at, Math.min(c, bytes.length));
    }
    chunks.push(bytes.subarray(at));
    return [...splitLines(chunks, max)];
  };

  it('splits at LF and CRLF across any chunk boundaries, with the same lines as a text split', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'é', '\n', '\r\n', '#', '{}'), { maxLength: 40 }), fc.array(fc.nat(80), { maxLength: 6 }), (parts, cuts) => {
        const text = parts.join('');
        const expected = [...textLines(text)].filter((l, k, all) => !(k === all.length - 1 && l.text === ''));
        expect(lines(text, cuts)).toEqual(expected);
      }),
    );
  });

  it('drops the bytes of a line over the limit as they come, and reports its length', () => {
    const got = lines('short\n' + 'x'.repeat(50) + '\nlast', [3, 10, 20, 30, 40, 57], 16);
    expect(got).toEqual([
      { line: 1, text: 'short', bytes: 5 },
      { line: 2, text: undefined, bytes: 50 },
      { line: 3, text: 'last', bytes: 4 },
    ]);
  });
});

describe('streaming decode and replay', () => {
  it('decodes lazily and replays one step at a time', () => {
    let pulled = 0;
    function* source() {
      for (let k = 0; k < 1_000_000; k++) {
        pulled++;
        yield { line: k + 1, text: rmi('RMI_VERSION', ['0x10000'], { status: 'RMI_SUCCESS' }), bytes: 0 };
      }
    }
    const steps = (function* () {
      for (const item of decodeTrace(source())) if (item.kind === 'step') yield item.step;
    })();
    const replay = replaySteps(defaultPlatform, steps);
    const first = replay.next();
    expect(first.done).toBe(false);
    expect(first.done === false && first.value.ok).toBe(true);
    expect(pulled).toBe(1);
  });
});
