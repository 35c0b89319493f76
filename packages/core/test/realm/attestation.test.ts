/**
 * Realm attestation (DEN0137 A7.2, B5.3.2, B5.3.1): the Realm obtains the CCA token through
 * RSI_ATTESTATION_TOKEN_INIT and a loop of RSI_ATTESTATION_TOKEN_CONTINUE into its own granules,
 * as the A7.2.2 pseudocode does; the token verifies against the emulated HES's IAK and carries
 * the Realm's challenge, RPV, RIM and REMs.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { bootHes } from '@realmspec/hes';
import { granuleBytes, granuleIndex, verifyCcaToken, type RmmState } from '../../src/index.js';
import { D, P, REC_GI, WORLD, enter, fid, smcIn, step, world } from './support.js';

/** A HES whose platform token is large (a 6000-byte platform config claim), so the CCA token spans granules. */
const HES = bootHes({ platformConfig: new Uint8Array(6000).fill(0x5a) });
const PORT = HES.attestationPort();
const RPV = [0x0102n, 0n, 0n, 0n, 0n, 0n, 0n, 0xf00dn];
const CHALLENGE = Array.from({ length: 8 }, (_, i) => 0x1111_1111_1111_1111n * BigInt(i + 1));
/** The Realm granules the token is written to, in order, and the DATA granules behind them. */
const PAGES = [P.hostCall, P.data0, P.data1];
const BEHIND = [D.hostCall, D.d0, D.d1];

const GRANULE = 4096n;
/**
 * ESR_EL2.EC of a Data Abort taken from a lower EL: 0x24 in bits 31:26 (Arm ARM D24.2.43). For a
 * Data Abort at a Protected IPA the exit shows EC, SET, FnV, EA and DFSC only (DEN0137 A4.3.4.2):
 * IL (bit 25) and the ISS syndrome read zero.
 */
const EC_DABT = 0x24n << 26n;
const le = (words: readonly bigint[]): Buffer => {
  const b = Buffer.alloc(8 * words.length);
  words.forEach((w, i) => b.writeBigUInt64LE(w, 8 * i));
  return b;
};

/**
 * The A7.2.2 loop: CONTINUE with size = granule − offset (or `chunk` when smaller) until the
 * result is not RSI_INCOMPLETE, moving to the next granule when one is full. Returns the state,
 * the final X0 and the bytes obtained.
 */
function obtain(s0: RmmState, chunk = GRANULE, init = true): { s: RmmState; x0: bigint; token: Buffer; calls: number; bound: bigint } {
  let s = s0;
  let bound = 0n;
  if (init) {
    const r = smcIn(s, [fid('RSI_ATTESTATION_TOKEN_INIT'), ...CHALLENGE]);
    expect(r.call!.regs[0]).toBe(0n);
    bound = r.call!.regs[1] as bigint;
    s = r.state;
  }
  const parts: Buffer[] = [];
  let x0 = 3n;
  let calls = 0;
  for (let g = 0; g < PAGES.length && x0 === 3n; g++) {
    let offset = 0n;
    do {
      const size = GRANULE - offset < chunk ? GRANULE - offset : chunk;
      const r = smcIn(s, [fid('RSI_ATTESTATION_TOKEN_CONTINUE'), PAGES[g]!, offset, size]);
      calls++;
      s = r.state;
      x0 = r.call!.regs[0] as bigint;
      const len = r.call!.regs[1] as bigint;
      expect(len <= size).toBe(true);
      parts.push(Buffer.from(granuleBytes(s, granuleIndex(BEHIND[g]!)).subarray(Number(offset), Number(offset + len))));
      offset += len;
    } while (x0 === 3n && offset < GRANULE);
  }
  return { s, x0, token: Buffer.concat(parts), calls, bound };
}

describe('RSI_ATTESTATION_TOKEN_INIT / CONTINUE give a CCA token that verifies (A7.2)', () => {
  for (const [name, hashAlgo, algo, size] of [['SHA-256', 0n, 'sha256', 32], ['SHA-512', 1n, 'sha512', 64]] as const) {
    it(`${name} Realm: the token spans granules, verifies with the IAK, and carries challenge, RPV, RIM and REMs`, () => {
      let s = enter(world({ attestation: PORT, hashAlgo, rpv: RPV }));
      s = smcIn(s, [fid('RSI_MEASUREMENT_EXTEND'), 3n, 4n, 0xdead_beefn]).state;
      const rim = le(smcIn(s, [fid('RSI_MEASUREMENT_READ'), 0n]).call!.regs.slice(1, 9) as bigint[]);
      const { x0, token, bound, s: after } = obtain(s);
      expect(x0).toBe(0n);
      expect(token.length).toBeGreaterThan(4096);
      // X1 of INIT is an upper bound on the size.
      expect(BigInt(token.length) <= bound).toBe(true);
      const v = verifyCcaToken(new Uint8Array(token), { iakPublicKey: HES.iakPublicKey });
      expect(E.isRight(v)).toBe(true);
      if (E.isLeft(v)) return;
      const realm = v.right.realm;
      expect(Buffer.from(realm.challenge).equals(le(CHALLENGE))).toBe(true);
      expect(Buffer.from(realm.personalizationValue).equals(le(RPV))).toBe(true);
      expect(realm.hashAlgoId).toBe(name.toLowerCase());
      expect(Buffer.from(realm.initialMeasurement).equals(rim.subarray(0, size))).toBe(true);
      // REM index 3 (the third REM) = H(zeros ‖ 4 bytes of 0xdeadbeef, little-endian); the others zero.
      const rem = createHash(algo).update(Buffer.alloc(size)).update(Buffer.from([0xef, 0xbe, 0xad, 0xde])).digest();
      expect(realm.extensibleMeasurements.map((m) => Buffer.from(m).toString('hex'))).toEqual([
        Buffer.alloc(size).toString('hex'),
        Buffer.alloc(size).toString('hex'),
        rem.toString('hex'),
        Buffer.alloc(size).toString('hex'),
      ]);
      expect(Buffer.from(v.right.platform.config).equals(Buffer.alloc(6000, 0x5a))).toBe(true);
      // The token is complete: no generation in progress any more.
      expect(smcIn(after, [fid('RSI_ATTESTATION_TOKEN_CONTINUE'), P.hostCall, 0n, 4096n]).call!.regs[0]).toBe(2n);
    });
  }

  it('sub-granule chunks give the same token, RSI_INCOMPLETE until the last one', () => {
    const s = enter(world({ attestation: PORT }));
    const whole = obtain(s);
    const small = obtain(s, 1000n);
    expect(small.x0).toBe(0n);
    expect(small.token.equals(whole.token)).toBe(true);
    expect(small.calls).toBeGreaterThan(whole.calls);
  });

  it('a CONTINUE with size 0 copies nothing and is RSI_INCOMPLETE', () => {
    const s = smcIn(enter(world({ attestation: PORT })), [fid('RSI_ATTESTATION_TOKEN_INIT')]).state;
    const r = smcIn(s, [fid('RSI_ATTESTATION_TOKEN_CONTINUE'), P.hostCall, 0x10n, 0n]);
    expect(r.call!.regs.slice(0, 2)).toEqual([3n, 0n]);
    expect(r.state.recs.get(REC_GI)!.attestOffset).toBe(0);
  });

  it('the claims are sampled at INIT; a new INIT abandons the token in progress', () => {
    const s0 = enter(world({ attestation: PORT }));
    const first = smcIn(s0, [fid('RSI_ATTESTATION_TOKEN_INIT'), 0xaan]).state;
    // A REM extended after INIT is not in the token that INIT started.
    const extended = smcIn(first, [fid('RSI_MEASUREMENT_EXTEND'), 1n, 1n, 1n]).state;
    const sampled = obtain(extended, GRANULE, false);
    const a = verifyCcaToken(new Uint8Array(sampled.token), { iakPublicKey: HES.iakPublicKey });
    expect(E.isRight(a)).toBe(true);
    if (E.isLeft(a)) return;
    expect(a.right.realm.challenge[0]).toBe(0xaa);
    expect(Buffer.from(a.right.realm.extensibleMeasurements[0]!).equals(Buffer.alloc(32))).toBe(true);
    // A second INIT part-way through starts over with the new challenge and the REM as it is now.
    const part = smcIn(extended, [fid('RSI_ATTESTATION_TOKEN_CONTINUE'), P.hostCall, 0n, 100n]).state;
    const restarted = obtain(part);
    const b = verifyCcaToken(new Uint8Array(restarted.token), { iakPublicKey: HES.iakPublicKey });
    expect(E.isRight(b)).toBe(true);
    if (E.isLeft(b)) return;
    expect(Buffer.from(b.right.realm.challenge).equals(le(CHALLENGE))).toBe(true);
    const rem = createHash('sha256').update(Buffer.alloc(32)).update(Buffer.from([1])).digest();
    expect(Buffer.from(b.right.realm.extensibleMeasurements[0]!).equals(rem)).toBe(true);
  });

  it('a destination with RIPAS EMPTY gives RSI_ERROR_INPUT and keeps the position; an unmapped one a Data Abort exit', () => {
    const s = smcIn(enter(world({ attestation: PORT })), [fid('RSI_ATTESTATION_TOKEN_INIT')]).state;
    const e = smcIn(s, [fid('RSI_ATTESTATION_TOKEN_CONTINUE'), P.empty, 0n, 4096n]);
    expect(e.call!.regs.slice(0, 2)).toEqual([1n, 0n]);
    expect(e.call!.failure?.rule).toBe('RSI_ATTESTATION_TOKEN_CONTINUE/addr_empty');
    expect(e.state.recs.get(REC_GI)!.attestOffset).toBe(0);
    const u = smcIn(s, [fid('RSI_ATTESTATION_TOKEN_CONTINUE'), P.ram, 0n, 4096n]);
    expect(u.exit).toMatchObject({ exit_reason: 0, esr: EC_DABT | 0x07n /* DFSC: translation fault, level 3 */ });
    expect(u.state.recs.get(REC_GI)!.attestOffset).toBe(0);
  });

  it('without an attestation port, INIT succeeds and CONTINUE fails with RSI_ERROR_UNKNOWN (D-ATTEST)', () => {
    const s = smcIn(enter(WORLD), [fid('RSI_ATTESTATION_TOKEN_INIT')]);
    expect(s.call!.regs.slice(0, 2)).toEqual([0n, 4096n]);
    const r = smcIn(s.state, [fid('RSI_ATTESTATION_TOKEN_CONTINUE'), P.hostCall, 0n, 4096n]);
    expect(r.call!.failure?.rule).toBe('RSI_ATTESTATION_TOKEN_CONTINUE/unknown');
  });

  it('an attestation in progress survives REC exits and re-entries', () => {
    const s = smcIn(enter(world({ attestation: PORT })), [fid('RSI_ATTESTATION_TOKEN_INIT'), ...CHALLENGE]).state;
    const part = smcIn(s, [fid('RSI_ATTESTATION_TOKEN_CONTINUE'), P.hostCall, 0n, 64n]).state;
    const back = enter(step(part, { kind: 'exit', reason: 'irq' }).state);
    const r = smcIn(back, [fid('RSI_ATTESTATION_TOKEN_CONTINUE'), P.hostCall, 64n, 64n]);
    expect(r.call!.regs.slice(0, 2)).toEqual([3n, 64n]);
    expect(r.state.recs.get(REC_GI)!.attestOffset).toBe(128);
  });
});
