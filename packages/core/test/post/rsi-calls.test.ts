/**
 * Post-conditions and open outputs of RSI_HOST_CALL, RSI_REALM_CONFIG, RSI_ATTESTATION_TOKEN_INIT
 * and RSI_ATTESTATION_TOKEN_CONTINUE (`post/rsi-calls.ts`; DEN0137 B5.3.4, B5.3.9, B5.3.2, B5.3.1,
 * A4.3.9, A7.2): each holds on the model's transition, applies in the cases its `when` names
 * (D-RSI-MEM), fails on a doctored state or output, and each `choices` predicate accepts the
 * model's value, another permitted one, and rejects one the spec does not permit. Judging another
 * RMM's CONTINUE answer uses the open X0 and len. Expected values are written from the spec.
 */
import { describe, expect, it } from 'vitest';
import { bootHes } from '@realmspec/hes';
import {
  granuleBytes,
  granuleIndex,
  InternalError,
  rsiAttestationTokenContinue,
  rsiAttestationTokenInit,
  rsiHostCall,
  rsiRealmConfig,
  type RmmState,
} from '../../src/index.js';
import { withGranuleBytes } from '../../src/internal.js';
import { judge } from '../../src/relation/judge.js';
import { realmCallOutcomes } from '../../src/relation/calls.js';
import { D, P, REC_GI, WORLD, enter, fid, patchRec, smcIn, world } from '../realm/support.js';
import { call, holds, rows, type Cmd, type T } from './realm-support.js';


const HOST_CALL = rsiHostCall as unknown as Cmd;
const CONFIG = rsiRealmConfig as unknown as Cmd;
const INIT = rsiAttestationTokenInit as unknown as Cmd;
const CONTINUE = rsiAttestationTokenContinue as unknown as Cmd;


const choice = (command: Cmd, name: string, t: T, v: bigint): boolean => command.post!.choices![name]!(t, v);
const withOutput = (t: T, name: string, v: bigint): T => (t.out.kind === 'return' ? { ...t, out: { ...t.out, outputs: { ...t.out.outputs, [name]: v } } } : t);
const withX0 = (t: T, x0: bigint): T => (t.out.kind === 'return' ? { ...t, out: { ...t.out, x0 } } : t);

/** `s` with byte `i` of the granule at `pa` set to `v`. */
function poke(s: RmmState, pa: bigint, i: number, v: number): RmmState {
  const g = new Uint8Array(granuleBytes(s, granuleIndex(pa)));
  g[i] = v;
  return withGranuleBytes(s, granuleIndex(pa), g);
}

// -------------------------------------------------------------------------------------
// RSI_HOST_CALL
// -------------------------------------------------------------------------------------

describe('RSI_HOST_CALL (B5.3.4, A4.3.9)', () => {
  // An RsiHostCall at P.hostCall + 0x100 (B5.4.3): imm 0x1234 at 0x0, gprs[i] = 0x100 + i at 0x8 + 8i.
  const bytes = Buffer.alloc(4096);
  bytes.writeUInt16LE(0x1234, 0x100);
  for (let i = 0; i < 31; i++) bytes.writeBigUInt64LE(0x100n + BigInt(i), 0x108 + 8 * i);
  const pre = withGranuleBytes(WORLD, granuleIndex(D.hostCall), new Uint8Array(bytes));
  const t = call(HOST_CALL, 'RSI_HOST_CALL', { addr: P.hostCall + 0x100n }, pre);

  it('a REC exit due to Host call with imm 0x1234 and gprs 0x100..0x11e: exit and host_call hold', () => {
    expect(t.out.kind === 'exit' && t.out.cause.kind === 'host_call' ? [t.out.cause.imm, t.out.cause.gprs[30]] : []).toEqual([0x1234n, 0x11en]);
    expect(rows(HOST_CALL, t)).toEqual({ exit: true, host_call: true });
    expect(HOST_CALL.post!.locate['rec']!(t)).toBe(REC_GI);
  });

  it('exit fails for another imm or gpr; both fail for a return to the Realm', () => {
    if (t.out.kind !== 'exit' || t.out.cause.kind !== 'host_call') throw new Error('no Host call exit');
    const cause = t.out.cause;
    const gprs = cause.gprs.slice();
    gprs[17] = 0n;
    expect(holds(HOST_CALL, 'exit', { ...t, out: { kind: 'exit', cause: { ...cause, imm: 0x1235n } } })).toBe(false);
    expect(holds(HOST_CALL, 'exit', { ...t, out: { kind: 'exit', cause: { ...cause, gprs } } })).toBe(false);
    const returned: T = { ...t, out: { kind: 'return', x0: 0n, outputs: {} } };
    expect([holds(HOST_CALL, 'exit', returned), holds(HOST_CALL, 'host_call', returned)]).toEqual([false, false]);
  });

  it('an RsiHostCall that is not mapped (UNASSIGNED, RAM): a Data Abort exit, and no row applies (D-RSI-MEM)', () => {
    const u = call(HOST_CALL, 'RSI_HOST_CALL', { addr: P.ram + 0x100n });
    expect(u.out.kind === 'exit' ? u.out.cause.kind : '').toBe('data_abort');
    expect(rows(HOST_CALL, u)).toEqual({});
  });
});

// -------------------------------------------------------------------------------------
// RSI_REALM_CONFIG
// -------------------------------------------------------------------------------------

describe('RSI_REALM_CONFIG (B5.3.9.3, B5.4.5)', () => {
  const RPV = [0x0807_0605_0403_0201n, 0n, 0n, 0n, 0n, 0n, 0n, 0xf00dn];
  const pre = world({ hashAlgo: 1n, rpv: RPV });
  const t = call(CONFIG, 'RSI_REALM_CONFIG', { addr: P.hostCall }, pre);
  const cfg = (s: RmmState): Buffer => Buffer.from(granuleBytes(s, granuleIndex(D.hostCall)));

  it('ipa_width 39 at 0x0, hash_algo RSI_HASH_SHA_512 (1) at 0x8, the RPV at 0x200, zeros elsewhere: every row holds', () => {
    const b = cfg(t.post);
    expect([b.readBigUInt64LE(0), b[8], b.readBigUInt64LE(0x200), b.readBigUInt64LE(0x238), b[0x9], b[0x240]]).toEqual([39n, 1, RPV[0], 0xf00dn, 0, 0]);
    expect(rows(CONFIG, t)).toEqual({ ipa_width: true, hash_algo: true, rpv: true });
    expect(CONFIG.post!.locate['cfg']!(t)).toBe(granuleIndex(D.hostCall));
  });

  it('each row fails on a wrong byte: ipa_width, hash_algo, the RPV, and an unused byte that is not zero', () => {
    const at = (i: number, v: number): T => ({ ...t, post: poke(t.post, D.hostCall, i, v) });
    expect(holds(CONFIG, 'ipa_width', at(0, 48))).toBe(false);
    expect(holds(CONFIG, 'hash_algo', at(8, 0))).toBe(false);
    expect(holds(CONFIG, 'rpv', at(0x238, 0))).toBe(false);
    expect(holds(CONFIG, 'rpv', at(0x100, 1))).toBe(false);
    expect(holds(CONFIG, 'rpv', at(0xfff, 1))).toBe(false);
  });

  it('a SHA-256 Realm: hash_algo is 0', () => {
    const t256 = call(CONFIG, 'RSI_REALM_CONFIG', { addr: P.hostCall });
    expect([cfg(t256.post)[8], holds(CONFIG, 'hash_algo', t256)]).toEqual([0, true]);
  });

  it('not mapped: no row applies, and nothing may change (the frame)', () => {
    const u = call(CONFIG, 'RSI_REALM_CONFIG', { addr: P.destroyed });
    expect(rows(CONFIG, u)).toEqual({});
    expect(() => CONFIG.verify({ ...u, post: poke(u.post, D.hostCall, 0, 1) })).toThrow(InternalError);
  });
});

// -------------------------------------------------------------------------------------
// RSI_ATTESTATION_TOKEN_INIT, RSI_ATTESTATION_TOKEN_CONTINUE
// -------------------------------------------------------------------------------------

/** A HES with a large platform token (6000-byte config claim): the CCA token spans two granules. */
const PORT = bootHes({ platformConfig: new Uint8Array(6000).fill(0x5a) }).attestationPort();
const ATTEST = world({ attestation: PORT });
const CHALLENGE: Record<string, bigint> = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`challenge_${i}`, 0x1111_1111_1111_1111n * BigInt(i + 1)]));
const rec = (s: RmmState) => s.recs.get(REC_GI)!;

describe('RSI_ATTESTATION_TOKEN_INIT (B5.3.2.3, A7.2.2)', () => {
  const t = call(INIT, 'RSI_ATTESTATION_TOKEN_INIT', CHALLENGE, ATTEST);
  const token = rec(t.post).attestToken;

  it('every row holds; size (two granules) bounds the token, which includes the challenge', () => {
    expect(token.length > 4096 && token.length <= 8192).toBe(true);
    expect(t.out.kind === 'return' ? t.out.outputs['size'] : undefined).toBe(8192n);
    expect(rows(INIT, t)).toEqual({ state: true, challenge: true, size: true, restart: true });
    expect(Buffer.from(rec(t.post).attestChallenge).readBigUInt64LE(56)).toBe(0x8888_8888_8888_8888n);
  });

  it('each row fails: no generation in progress, another challenge, a size below the token, a token carried over or without the challenge', () => {
    expect(holds(INIT, 'state', { ...t, post: patchRec(t.post, REC_GI, { attestState: 0 }) })).toBe(false);
    const other = new Uint8Array(rec(t.post).attestChallenge);
    other[0] = (other[0] ?? 0) ^ 1;
    expect(holds(INIT, 'challenge', { ...t, post: patchRec(t.post, REC_GI, { attestChallenge: other }) })).toBe(false);
    expect(holds(INIT, 'size', withOutput(t, 'size', BigInt(token.length - 1)))).toBe(false);
    expect(holds(INIT, 'restart', { ...t, post: patchRec(t.post, REC_GI, { attestOffset: 100 }) })).toBe(false);
    expect(holds(INIT, 'restart', { ...t, post: patchRec(t.post, REC_GI, { attestToken: new Uint8Array(token.length) }) })).toBe(false);
  });

  it('a second INIT with another challenge restarts: the new token holds the new challenge (restart)', () => {
    const again = call(INIT, 'RSI_ATTESTATION_TOKEN_INIT', { ...CHALLENGE, challenge_0: 7n }, patchRec(t.post, REC_GI, { attestOffset: 4096 }));
    expect([rec(again.post).attestOffset, holds(INIT, 'restart', again)]).toEqual([0, true]);
    expect(holds(INIT, 'restart', { ...again, post: patchRec(again.post, REC_GI, { attestToken: token }) })).toBe(false);
  });

  it('without an attestation port there is no token (D-ATTEST); the rows still hold', () => {
    const none = call(INIT, 'RSI_ATTESTATION_TOKEN_INIT', CHALLENGE);
    expect([rec(none.post).attestToken.length, rows(INIT, none)]).toEqual([0, { state: true, challenge: true, size: true, restart: true }]);
  });

  it('size is open: any bound at least 288 bytes (64-byte challenge and RPV, five 32-byte measurements); not below', () => {
    expect([8192n, 288n, 1n << 20n].map((v) => choice(INIT, 'size', t, v))).toEqual([true, true, true]);
    expect([0n, 287n].map((v) => choice(INIT, 'size', t, v))).toEqual([false, false]);
  });
});

describe('RSI_ATTESTATION_TOKEN_CONTINUE (B5.3.1, A7.2.2)', () => {
  const started = call(INIT, 'RSI_ATTESTATION_TOKEN_INIT', CHALLENGE, ATTEST).post;
  const token = rec(started).attestToken;
  const t = call(CONTINUE, 'RSI_ATTESTATION_TOKEN_CONTINUE', { addr: P.hostCall, offset: 0x10n, size: 0x100n }, started);
  const buffer = (s: RmmState): Uint8Array => granuleBytes(s, granuleIndex(D.hostCall));

  it('the first 0x100 bytes of the token land at offset 0x10: incomplete and len apply and hold', () => {
    expect([t.out.kind === 'return' ? t.out.x0 : -1n, t.out.kind === 'return' ? t.out.outputs['len'] : -1n]).toEqual([3n, 0x100n]);
    expect(Buffer.from(buffer(t.post).subarray(0x10, 0x110)).equals(Buffer.from(token.subarray(0, 0x100)))).toBe(true);
    expect(rows(CONTINUE, t)).toEqual({ incomplete: true, len: true });
    expect([CONTINUE.post!.locate['rec']!(t), CONTINUE.post!.locate['addr']!(t)]).toEqual([REC_GI, granuleIndex(D.hostCall)]);
  });

  it('len fails: a byte of the part wrong, a byte outside the buffer written, the position not advanced, more than size', () => {
    expect(holds(CONTINUE, 'len', { ...t, post: poke(t.post, D.hostCall, 0x10, buffer(t.post)[0x10]! ^ 1) })).toBe(false);
    expect(holds(CONTINUE, 'len', { ...t, post: poke(t.post, D.hostCall, 0x110, 0xee) })).toBe(false);
    expect(holds(CONTINUE, 'len', { ...t, post: patchRec(t.post, REC_GI, { attestOffset: 0 }) })).toBe(false);
    expect(holds(CONTINUE, 'len', withOutput(t, 'len', 0x101n))).toBe(false);
    expect(holds(CONTINUE, 'incomplete', withX0(t, 0n))).toBe(false);
  });

  it('the last part: 10 bytes left; complete applies and holds, and fails while the REC still has a generation in progress', () => {
    const near = patchRec(started, REC_GI, { attestOffset: token.length - 10 });
    const last = call(CONTINUE, 'RSI_ATTESTATION_TOKEN_CONTINUE', { addr: P.hostCall, offset: 0n, size: 0x1000n }, near);
    expect([last.out.kind === 'return' ? last.out.x0 : -1n, last.out.kind === 'return' ? last.out.outputs['len'] : -1n]).toEqual([0n, 10n]);
    expect(rows(CONTINUE, last)).toEqual({ complete: true, len: true });
    expect(holds(CONTINUE, 'complete', { ...last, post: patchRec(last.post, REC_GI, { attestState: 1 }) })).toBe(false);
    expect(holds(CONTINUE, 'complete', withX0(last, 3n))).toBe(false);
  });

  it('len and X0 are open: 0 to size bytes, RSI_SUCCESS or RSI_INCOMPLETE; not more than size, not an error', () => {
    expect([0x100n, 0n, 0x80n].map((v) => choice(CONTINUE, 'len', t, v))).toEqual([true, true, true]);
    expect(choice(CONTINUE, 'len', t, 0x101n)).toBe(false);
    expect([3n, 0n, 1n, 2n].map((v) => choice(CONTINUE, 'result', t, v))).toEqual([true, true, false, false]);
  });

  it('judging another RMM: a shorter part with RSI_INCOMPLETE, or the whole token at once with RSI_SUCCESS, is permitted', () => {
    const pre = enter(started);
    const regs = [fid('RSI_ATTESTATION_TOKEN_CONTINUE'), P.hostCall, 0x10n, 0x100n];
    const m = smcIn(pre, regs);
    const o = realmCallOutcomes(pre, REC_GI, regs, { regs: m.call!.regs, failure: m.call!.failure, state: m.state });
    expect(judge(o, { x0: 3n, out: [0x100n] }).kind).toBe('agrees');
    expect(judge(o, { x0: 3n, out: [0x40n] }).kind).toBe('permitted');
    expect(judge(o, { x0: 0n, out: [0x100n] }).kind).toBe('permitted');
    expect(judge(o, { x0: 3n, out: [0x101n] }).kind).toBe('mismatch');
    expect(judge(o, { x0: 2n, out: [0n] }).kind).toBe('mismatch');
    expect(judge(o, { x0: 3n, out: [0x40n] }, true).kind).toBe('mismatch');
  });
});
