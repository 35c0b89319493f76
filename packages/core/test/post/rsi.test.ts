/**
 * Post-conditions and open outputs of RSI_VERSION, RSI_FEATURES, RSI_MEASUREMENT_READ,
 * RSI_MEASUREMENT_EXTEND, RSI_IPA_STATE_GET and RSI_IPA_STATE_SET (DEN0137 B5.3): each holds on
 * the model's transition, each can fail on a doctored state or output, and each `choices`
 * predicate accepts the model's value, another permitted one, and rejects one the spec does not
 * permit. Expected values are written from the spec by hand (hashes with node:crypto).
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
  InternalError,
  rsiFeatures,
  rsiIpaStateGet,
  rsiIpaStateSet,
  rsiMeasurementExtend,
  rsiMeasurementRead,
  rsiVersion,
  type RmmState,
} from '../../src/index.js';
import { updateRealm, updateState } from '../../src/internal.js';
import { R } from '../support/fixtures.js';
import { P, REC_GI, WORLD, patchRec, world } from '../realm/support.js';
import { call, type Cmd, type T } from './realm-support.js';



function holds(command: Cmd, label: string, t: T): boolean | 'n/a' {
  const p = command.post!.success[label];
  if (p === undefined) throw new Error(`no post-condition ${label}`);
  if (typeof p === 'function') return p(t);
  return p.when(t) ? p.holds(t) : 'n/a';
}

/** `t` with the output `name` replaced by `v`. */
const withOutput = (t: T, name: string, v: bigint): T => (t.out.kind === 'return' ? { ...t, out: { ...t.out, outputs: { ...t.out.outputs, [name]: v } } } : t);
const outOf = (t: T, name: string): bigint | undefined => (t.out.kind === 'return' ? t.out.outputs[name] : undefined);
const choice = (command: Cmd, name: string, t: T, v: bigint): boolean => command.post!.choices![name]!(t, v);

const VERSION = rsiVersion as unknown as Cmd;
const FEATURES = rsiFeatures as unknown as Cmd;
const READ = rsiMeasurementRead as unknown as Cmd;
const EXTEND = rsiMeasurementExtend as unknown as Cmd;
const GET = rsiIpaStateGet as unknown as Cmd;
const SET = rsiIpaStateSet as unknown as Cmd;

describe('RSI_VERSION (B5.3.10, B2)', () => {
  const t = call(VERSION, 'RSI_VERSION', { req: 0x1_0000n });

  it('lower is req and higher is 1.0 (D-VERSION); either can fail', () => {
    expect([holds(VERSION, 'lower', t), holds(VERSION, 'higher', t)]).toEqual([true, true]);
    expect(holds(VERSION, 'lower', withOutput(t, 'lower', 0x2_0000n))).toBe(false);
    expect(holds(VERSION, 'higher', withOutput(t, 'higher', 0x1_0001n))).toBe(false);
  });

  it('higher is open: any revision at least the requested one (1.0, 1.1, 2.0), never below it nor with MBZ bits set', () => {
    expect([0x1_0000n, 0x1_0001n, 0x2_0000n].map((v) => choice(VERSION, 'higher', t, v))).toEqual([true, true, true]);
    expect([0xffffn, (1n << 31n) | 0x1_0000n].map((v) => choice(VERSION, 'higher', t, v))).toEqual([false, false]);
    expect(VERSION.post!.choices!['lower']).toBeUndefined();
  });
});

describe('RSI_FEATURES (B5.3.3.3)', () => {
  it('value == Zeros() for every index; a non-zero value fails', () => {
    const t = call(FEATURES, 'RSI_FEATURES', { index: 7n });
    expect(holds(FEATURES, 'index', t)).toBe(true);
    expect(holds(FEATURES, 'index', withOutput(t, 'value', 1n))).toBe(false);
  });
});

/** The Realm of WORLD with REM[1] (slot 2) holding `m`. */
const withRem = (s: RmmState, k: number, m: Uint8Array): RmmState => {
  const gi = Number(R.rd / 4096n);
  const realm = s.realms.get(gi)!;
  const measurements = realm.measurements.slice();
  measurements[k] = m;
  return updateState(s, { realms: s.realms.set(gi, updateRealm(realm, { measurements })) });
};

describe('RSI_MEASUREMENT_READ (B5.3.8.1.2)', () => {
  // REM[1] holds bytes 1, 2, ..., 32 (a SHA-256 Realm: the rest zero).
  const rem = new Uint8Array(64);
  for (let i = 0; i < 32; i++) rem[i] = i + 1;
  const t = call(READ, 'RSI_MEASUREMENT_READ', { index: 2n }, withRem(WORLD, 2, rem));

  it('value_0..value_7 are its doublewords, little-endian, zero beyond the 32-byte digest', () => {
    expect(['value_0', 'value_3', 'value_4', 'value_7'].map((n) => outOf(t, n))).toEqual([0x0807_0605_0403_0201n, 0x201f_1e1d_1c1b_1a19n, 0n, 0n]);
    expect(holds(READ, 'value', t)).toBe(true);
  });

  it('fails for a wrong doubleword, and for bytes beyond the digest that are not zero', () => {
    expect(holds(READ, 'value', withOutput(t, 'value_1', 0n))).toBe(false);
    expect(holds(READ, 'value', withOutput(t, 'value_4', 1n))).toBe(false);
  });
});

describe('RSI_MEASUREMENT_EXTEND (B5.3.7.3, B3.42, D-REM)', () => {
  const regs = { index: 1n, size: 4n, value_0: 0x4433_2211n, value_1: 0xffn };
  const t = call(EXTEND, 'RSI_MEASUREMENT_EXTEND', regs);
  const rem = (s: RmmState, k: number) => s.realms.get(Number(R.rd / 4096n))!.measurements[k]!;

  it('REM[0] becomes SHA-256(32 zero bytes ‖ 11 22 33 44), zero-filled to 64 bytes', () => {
    const want = new Uint8Array(64);
    want.set(createHash('sha256').update(new Uint8Array(32)).update(Uint8Array.of(0x11, 0x22, 0x33, 0x44)).digest());
    expect(rem(t.post, 1)).toEqual(want);
    expect(holds(EXTEND, 'realm_meas', t)).toBe(true);
  });

  it('with SHA-512 the whole 64 bytes of the old value are hashed', () => {
    const w = world({ hashAlgo: 1n });
    const t512 = call(EXTEND, 'RSI_MEASUREMENT_EXTEND', { index: 4n, size: 64n, value_7: 1n << 56n }, w);
    const v = new Uint8Array(64);
    v[63] = 1;
    expect(rem(t512.post, 4)).toEqual(new Uint8Array(createHash('sha512').update(new Uint8Array(64)).update(v).digest()));
    expect(holds(EXTEND, 'realm_meas', t512)).toBe(true);
  });

  it('fails when the REM is unchanged, or hashed over the zero-padded 64 bytes (the reading D-REM rejects)', () => {
    expect(holds(EXTEND, 'realm_meas', { ...t, post: t.pre })).toBe(false);
    const padded = new Uint8Array(64);
    const value = new Uint8Array(64);
    value.set([0x11, 0x22, 0x33, 0x44, 0, 0, 0, 0, 0xff]);
    padded.set(createHash('sha256').update(new Uint8Array(32)).update(value).digest());
    expect(holds(EXTEND, 'realm_meas', { ...t, post: withRem(t.post, 1, padded) })).toBe(false);
  });

  it('the frame allows exactly measurements[index]: another slot changing is caught', () => {
    const bad = { ...t, post: withRem(t.post, 2, new Uint8Array(64).fill(1)) };
    expect(() => EXTEND.verify(bad)).toThrow(InternalError);
  });
});

describe('RSI_IPA_STATE_GET (B5.3.5.1.3, D-IPA-STATE-GET)', () => {
  // [0x0, 0x3000) is RAM (two DATA pages, one unassigned RAM page); 0x3000 is EMPTY.
  const t = call(GET, 'RSI_IPA_STATE_GET', { base: P.data0, top: 0x8000n });

  it('the model answers RAM up to 0x3000', () => {
    expect([outOf(t, 'out_top'), outOf(t, 'ripas')]).toEqual([0x3000n, 1n]);
    expect([holds(GET, 'out_top', t), holds(GET, 'ripas', t)]).toEqual([true, true]);
  });

  it('fails for out_top not above base or above top, and for a range that is not all RAM', () => {
    expect(holds(GET, 'out_top', withOutput(t, 'out_top', 0n))).toBe(false);
    expect(holds(GET, 'out_top', withOutput(t, 'out_top', 0x9000n))).toBe(false);
    expect(holds(GET, 'ripas', withOutput(t, 'out_top', 0x4000n))).toBe(false);
    expect(holds(GET, 'ripas', withOutput(t, 'ripas', 0n))).toBe(false);
    expect(holds(GET, 'ripas', withOutput(t, 'ripas', 0x101n))).toBe(false);
  });

  it('out_top is open: 0x1000, 0x2000 and 0x3000 are permitted, 0x4000 (EMPTY at 0x3000) and base are not', () => {
    expect([0x1000n, 0x2000n, 0x3000n].map((v) => choice(GET, 'out_top', t, v))).toEqual([true, true, true]);
    expect([0x4000n, 0n, 0x9000n].map((v) => choice(GET, 'out_top', t, v))).toEqual([false, false, false]);
  });

  it('a level-1 EMPTY block: the whole requested range has one RIPAS', () => {
    const big = call(GET, 'RSI_IPA_STATE_GET', { base: P.level1, top: P.level1 + 0x20_0000n });
    expect([outOf(big, 'ripas'), choice(GET, 'out_top', big, P.level1 + 0x20_0000n)]).toEqual([0n, true]);
  });
});

describe('RSI_IPA_STATE_SET (A5.4, A4.3.8)', () => {
  const regs = { base: P.empty, top: P.empty + 0x3000n, ripas: 1n, flags: 1n };
  const t = call(SET, 'RSI_IPA_STATE_SET', regs);

  it('records the request in the REC and exits due to RIPAS change', () => {
    expect(t.out).toEqual({ kind: 'exit', cause: { kind: 'ripas_change', base: P.empty, top: P.empty + 0x3000n, value: 1 } });
    expect([holds(SET, 'request', t), holds(SET, 'exit', t)]).toEqual([true, true]);
  });

  it('request fails when the REC records another top or the destroyed flag wrong', () => {
    expect(holds(SET, 'request', { ...t, post: patchRec(t.post, REC_GI, { ripasTop: P.empty + 0x2000n }) })).toBe(false);
    expect(holds(SET, 'request', { ...t, post: patchRec(t.post, REC_GI, { ripasDestroyed: false }) })).toBe(false);
    expect(holds(SET, 'request', { ...t, post: patchRec(t.post, REC_GI, { ripasValue: 0 }) })).toBe(false);
  });

  it('exit fails for a return to the Realm or another range', () => {
    expect(holds(SET, 'exit', { ...t, out: { kind: 'return', x0: 0n, outputs: {} } })).toBe(false);
    expect(holds(SET, 'exit', { ...t, out: { kind: 'exit', cause: { kind: 'ripas_change', base: P.empty, top: P.empty + 0x1000n, value: 1 } } })).toBe(false);
  });
});
