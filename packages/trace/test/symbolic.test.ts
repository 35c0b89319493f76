/**
 * Symbolic measurements (DECISIONS D-SYMBOLIC-MEASURE): the example traces replayed on their own
 * platform with `measurement: 'symbolic'` give every step the same status and outputs as with
 * SHA, except the measurement values themselves (RSI_MEASUREMENT_READ), and pass through states
 * of the same shape: the same granules, RTTs, RECs (but for the registers that carried a
 * measurement), memory and VMIDs, and Realms that differ only in the values of their
 * measurements, never in which of them are zero.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { withMeasurementMode, type RmmState } from '@realmspec/core';
import { parseTrace, runTrace, type StepOutcome, type Trace } from '../src/index.js';

const EXAMPLES = ['lifecycle-sha512.jsonl', 'realm-build.jsonl'];

function load(name: string): Trace {
  const t = parseTrace(readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8'));
  if (E.isLeft(t)) throw new Error(JSON.stringify(t.left));
  return t.right;
}

const symbolic = (t: Trace, steps = t.steps): Trace => ({ platform: withMeasurementMode(t.platform, 'symbolic'), steps });

/** JSON with bigints and bytes as hex. */
const canon = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `0x${x.toString(16)}` : x instanceof Uint8Array ? Buffer.from(x).toString('hex') : x));

/**
 * The shape of a state: everything but the values of the Realms' measurements (kept: which are
 * zero, and their length) and the REC registers (which hold what RSI_MEASUREMENT_READ returned).
 */
function shape(s: RmmState): string {
  return canon({
    granules: s.granules.entries(),
    rtts: s.rtts.entries().map(([k, t]) => [k, t.realm, t.level, t.baseIpa, t.chunks, t.live]),
    realms: s.realms.entries().map(([k, r]) => [k, { ...r, measurements: r.measurements.map((m) => [m.length, m.every((b) => b === 0)]) }]),
    recs: s.recs.entries().map(([k, r]) => [k, { ...r, gprs: r.gprs.length }]),
    memory: s.memory.entries(),
    vmids: s.vmids.entries(),
  });
}

/** Whether the outcome is an RMI_REC_ENTER whose Realm step `k` is RSI_MEASUREMENT_READ. */
function isMeasurementRead(o: StepOutcome, k: number): boolean {
  if (o.step.kind !== 'rmi') return false;
  const a = o.step.realm?.[k];
  return a !== undefined && a.kind === 'call' && a.command?.name === 'RSI_MEASUREMENT_READ';
}

describe.each(EXAMPLES)('%s with symbolic measurements', (name) => {
  const trace = load(name);
  const sha = runTrace(trace);
  const sym = runTrace(symbolic(trace));

  it('replays with every expectation met with SHA (the RIM bit for bit)', () => {
    expect(sha.outcomes.filter((o) => !o.ok).map((o) => o.mismatches)).toEqual([]);
  });

  it('gives every step the status and outputs SHA gives, but for the measurement values RSI_MEASUREMENT_READ returns', () => {
    expect(sym.outcomes.length).toBe(sha.outcomes.length);
    let reads = 0;
    sha.outcomes.forEach((a, i) => {
      const b = sym.outcomes[i] as StepOutcome;
      expect([b.error, b.got['x0'], b.got['status']]).toEqual([a.error, a.got['x0'], a.got['status']]);
      const realmA = (a.got['realm'] ?? []) as Array<{ [k: string]: unknown }>;
      const realmB = (b.got['realm'] ?? []) as Array<{ [k: string]: unknown }>;
      expect(realmB.length).toBe(realmA.length);
      realmA.forEach((ra, k) => {
        const rb = realmB[k] as { [k: string]: unknown };
        if (!isMeasurementRead(a, k)) return expect(canon(rb)).toBe(canon(ra));
        reads++;
        // Same status; eight doublewords, the symbolic digest's 16 bytes and zeros (D-SYMBOLIC-MEASURE).
        expect([rb['status'], rb['x0']]).toEqual([ra['status'], ra['x0']]);
        const out = rb['out'] as string[];
        expect(out.length).toBe(8);
        expect(out.slice(2)).toEqual(Array(6).fill('0x0'));
        // A zero measurement (a REM never extended) is zero in both modes.
        const zero = (ws: readonly string[]): boolean => ws.every((w) => w === '0x0');
        expect(zero(out)).toBe(zero(ra['out'] as string[]));
      });
      expect(canon({ ...b.got, realm: undefined })).toBe(canon({ ...a.got, realm: undefined }));
    });
    if (name === 'lifecycle-sha512.jsonl') expect(reads).toBe(6);
  });

  it('passes through states of the same shape, whose RIMs are 16-byte digests of the same steps', () => {
    expect(shape(sym.state)).toBe(shape(sha.state));
    // Prefixes of the trace: the states in between (every 12th step).
    let realms = 0;
    for (let n = 12; n < trace.steps.length; n += 12) {
      const steps = trace.steps.slice(0, n);
      const a = runTrace({ platform: trace.platform, steps }).state;
      const b = runTrace(symbolic(trace, steps)).state;
      expect(shape(b), `after ${n} steps`).toBe(shape(a));
      for (const [rd, r] of b.realms.entries()) {
        realms++;
        const rim = r.measurements[0] as Uint8Array;
        expect(rim.subarray(16).every((x) => x === 0) && rim.subarray(0, 16).some((x) => x !== 0)).toBe(true);
        expect(Buffer.from(rim).equals(Buffer.from(a.realms.get(rd)!.measurements[0]!))).toBe(false);
      }
      // Deterministic: the same steps give the same RIM.
      expect(canon(runTrace(symbolic(trace, steps)).state.realms.entries())).toBe(canon(b.realms.entries()));
    }
    expect(realms).toBeGreaterThan(0);
  });
});
