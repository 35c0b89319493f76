/**
 * The RSI commands (DEN0137 B5.3): every failure condition with its X0, and what each command
 * returns or does. REM values are computed here with node:crypto from data.md §6.5, for SHA-256
 * and SHA-512.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bootHes } from '@realmspec/hes';
import { granuleBytes, granuleIndex, RecState, type RmmState } from '../../src/index.js';
import { D, P, REC2, REC2_GI, REC_GI, RUN2, U, UNPROT, WORLD, enter, fid, neg, realmFailureSuite, smcIn, step, world } from './support.js';

const RUNNING = enter(WORLD);
const INPUT = 1n;
const STATE = 2n;
const UNKNOWN = 4n;
/**
 * ESR_EL2.EC of a Data Abort taken from a lower EL: 0x24 in bits 31:26 (Arm ARM D24.2.43). For a
 * Data Abort at a Protected IPA the exit shows EC, SET, FnV, EA and DFSC only (DEN0137 A4.3.4.2):
 * IL (bit 25) and the ISS syndrome read zero.
 */
const EC_DABT = 0x24n << 26n;

// ---- failure conditions (B5.3.x.2) ----------------------------------------------------

const at = (regs: bigint[], s: RmmState = RUNNING) => () => ({ s, regs });

realmFailureSuite('RSI_VERSION', [
  { label: 'incompatible', variant: '1.1', setup: at([fid('RSI_VERSION'), 0x1_0001n]), x0: INPUT, out: [0x1_0000n, 0x1_0000n] },
  { label: 'incompatible', variant: '2.0', setup: at([fid('RSI_VERSION'), 0x2_0000n]), x0: INPUT, out: [0x1_0000n, 0x1_0000n] },
]);

realmFailureSuite('RSI_MEASUREMENT_READ', [{ label: 'index_bound', setup: at([fid('RSI_MEASUREMENT_READ'), 5n]), x0: INPUT }]);

realmFailureSuite('RSI_MEASUREMENT_EXTEND', [
  { label: 'index_bound', variant: 'the RIM', setup: at([fid('RSI_MEASUREMENT_EXTEND'), 0n, 8n]), x0: INPUT },
  { label: 'index_bound', variant: 'index 5', setup: at([fid('RSI_MEASUREMENT_EXTEND'), 5n, 8n]), x0: INPUT },
  { label: 'size_bound', setup: at([fid('RSI_MEASUREMENT_EXTEND'), 1n, 65n]), x0: INPUT },
]);

/** RUNNING after RSI_ATTESTATION_TOKEN_INIT (no attestation port: no token can be made). */
const INIT = smcIn(RUNNING, [fid('RSI_ATTESTATION_TOKEN_INIT'), 1n, 2n]).state;
/** RUNNING with an attestation port, after RSI_ATTESTATION_TOKEN_INIT: a token is in progress. */
const PORTED = smcIn(enter(world({ attestation: bootHes().attestationPort() })), [fid('RSI_ATTESTATION_TOKEN_INIT'), 1n, 2n]).state;
const cont = (addr: bigint, offset: bigint, size: bigint): bigint[] => [fid('RSI_ATTESTATION_TOKEN_CONTINUE'), addr, offset, size];

realmFailureSuite('RSI_ATTESTATION_TOKEN_CONTINUE', [
  { label: 'addr_align', setup: at(cont(P.hostCall + 0x10n, 0n, 0x100n), INIT), x0: INPUT },
  { label: 'addr_bound', setup: at(cont(U.rw, 0n, 0x100n), INIT), x0: INPUT },
  { label: 'offset_bound', setup: at(cont(P.hostCall, 0x1000n, 0n), INIT), x0: INPUT },
  { label: 'size_overflow', setup: at(cont(P.hostCall, 0x10n, neg(-8n)), INIT), x0: INPUT },
  { label: 'size_bound', setup: at(cont(P.hostCall, 0x800n, 0x801n), INIT), x0: INPUT },
  { label: 'state', setup: at(cont(P.hostCall, 0n, 0x1000n)), x0: STATE },
  { label: 'unknown', setup: at(cont(P.hostCall, 0n, 0x1000n), INIT), x0: UNKNOWN },
  // Derived (D-RSI-MEM): a token exists (an attestation port), and the buffer's RIPAS is EMPTY.
  { label: 'addr_empty', variant: 'UNASSIGNED, EMPTY', setup: at(cont(P.empty, 0n, 0x1000n), PORTED), x0: INPUT },
  { label: 'addr_empty', variant: 'ASSIGNED, EMPTY', setup: at(cont(P.assignedEmpty, 0x10n, 0x100n), PORTED), x0: INPUT },
]);

realmFailureSuite('RSI_REALM_CONFIG', [
  { label: 'addr_align', setup: at([fid('RSI_REALM_CONFIG'), P.data0 + 0x800n]), x0: INPUT },
  { label: 'addr_bound', setup: at([fid('RSI_REALM_CONFIG'), U.rw]), x0: INPUT },
  // Derived (D-RSI-MEM): the RIPAS of addr is EMPTY, whatever the HIPAS and the walk level.
  { label: 'addr_empty', variant: 'UNASSIGNED, EMPTY', setup: at([fid('RSI_REALM_CONFIG'), P.empty]), x0: INPUT },
  { label: 'addr_empty', variant: 'ASSIGNED, EMPTY', setup: at([fid('RSI_REALM_CONFIG'), P.assignedEmpty]), x0: INPUT },
  { label: 'addr_empty', variant: 'a level 1 entry', setup: at([fid('RSI_REALM_CONFIG'), P.level1]), x0: INPUT },
]);

const set = (base: bigint, top: bigint, ripas: bigint, flags = 0n): bigint[] => [fid('RSI_IPA_STATE_SET'), base, top, ripas, flags];
realmFailureSuite('RSI_IPA_STATE_SET', [
  { label: 'base_align', setup: at(set(0x3008n, 0x5000n, 1n)), x0: INPUT },
  { label: 'top_align', setup: at(set(0x3000n, 0x5008n, 1n)), x0: INPUT },
  { label: 'size_valid', variant: 'top == base', setup: at(set(0x3000n, 0x3000n, 1n)), x0: INPUT },
  { label: 'size_valid', variant: 'top < base', setup: at(set(0x5000n, 0x3000n, 1n)), x0: INPUT },
  { label: 'rgn_bound', variant: 'top in the Unprotected half', setup: at(set(0x3000n, UNPROT + 0x1000n, 1n)), x0: INPUT },
  { label: 'rgn_bound', variant: 'an Unprotected range', setup: at(set(U.rw, U.rw + 0x1000n, 1n)), x0: INPUT },
  { label: 'ripas_valid', variant: 'DESTROYED', setup: at(set(0x3000n, 0x5000n, 2n)), x0: INPUT },
  { label: 'ripas_valid', variant: 'DEV', setup: at(set(0x3000n, 0x5000n, 3n)), x0: INPUT },
  { label: 'flags_valid', variant: 'flags bit 1', setup: at(set(0x3000n, 0x5000n, 1n, 2n)), x0: INPUT },
  { label: 'flags_valid', variant: 'ripas bits 63:8', setup: at(set(0x3000n, 0x5000n, 0x101n)), x0: INPUT },
]);

const get = (base: bigint, top: bigint): bigint[] => [fid('RSI_IPA_STATE_GET'), base, top];
realmFailureSuite('RSI_IPA_STATE_GET', [
  { label: 'base_align', setup: at(get(0x10n, 0x2000n)), x0: INPUT },
  { label: 'end_align', setup: at(get(0x0n, 0x2010n)), x0: INPUT },
  { label: 'size_valid', setup: at(get(0x2000n, 0x1000n)), x0: INPUT },
  { label: 'rgn_bound', setup: at(get(UNPROT - 0x1000n, UNPROT + 0x1000n)), x0: INPUT },
]);

realmFailureSuite('RSI_HOST_CALL', [
  { label: 'addr_align', setup: at([fid('RSI_HOST_CALL'), P.hostCall + 0x80n]), x0: INPUT },
  { label: 'addr_bound', setup: at([fid('RSI_HOST_CALL'), U.rw + 0x100n]), x0: INPUT },
  // Derived (D-RSI-MEM): the RIPAS of addr is EMPTY.
  { label: 'addr_empty', setup: at([fid('RSI_HOST_CALL'), P.empty + 0x100n]), x0: INPUT },
]);

// ---- success ------------------------------------------------------------------------------

/** X0..X8 after a call that returns. */
function ret(s: RmmState, regs: bigint[]): bigint[] {
  const r = smcIn(s, regs);
  expect(r.exit).toBeUndefined();
  return r.call!.regs.slice(0, 9) as bigint[];
}

describe('RSI_VERSION, RSI_FEATURES (B5.3.10, B5.3.3)', () => {
  it('1.0 gives lower = higher = 1.0', () => expect(ret(RUNNING, [fid('RSI_VERSION'), 0x1_0000n]).slice(0, 3)).toEqual([0n, 0x1_0000n, 0x1_0000n]));
  it('every feature register reads zero', () => {
    for (const index of [0n, 1n, 0xffffn]) expect(ret(RUNNING, [fid('RSI_FEATURES'), index, 7n]).slice(0, 2)).toEqual([0n, 0n]);
  });
  it('ignores the SVE hint of the FID, and keeps X4 and above (D-RSI-REGS)', () => {
    const r = smcIn(RUNNING, [0xc401_0190n, 0x1_0000n, 5n, 6n, 7n, 8n]);
    expect(r.call!.regs.slice(0, 6)).toEqual([0n, 0x1_0000n, 0x1_0000n, 0n, 7n, 8n]);
  });
  it('answers SMCCC_VERSION with 1.2 and any other FID with SMCCC_NOT_SUPPORTED (D-SMCCC-VERSION)', () => {
    expect(ret(RUNNING, [0x8000_0000n, 1n]).slice(0, 2)).toEqual([0x1_0002n, 0n]);
    for (const f of [0xc400_019an, 0xc400_0150n, 0x8600_0000n]) expect(ret(RUNNING, [f, 1n, 2n, 3n, 4n]).slice(0, 5)).toEqual([neg(-1n), 0n, 0n, 0n, 4n]);
  });
});

describe('RSI_MEASUREMENT_EXTEND and RSI_MEASUREMENT_READ (B5.3.7, B5.3.8, data.md §6.5)', () => {
  for (const [algo, hashAlgo, len] of [['sha256', 0n, 32], ['sha512', 1n, 64]] as const) {
    it(`${algo}: REM = H(REM[0..${len}) ‖ value[0..size)), read back as little-endian doublewords`, () => {
      let s = enter(world({ hashAlgo }));
      const rim = ret(s, [fid('RSI_MEASUREMENT_READ'), 0n]).slice(1);
      let rem = Buffer.alloc(64);
      const values = [0x0706_0504_0302_0100n, 0x0f0e_0d0c_0b0a_0908n, 0xdeadn, 0n, 0n, 0n, 0n, 0xffn];
      for (const size of [0, 5, 32, 64, 9]) {
        s = smcIn(s, [fid('RSI_MEASUREMENT_EXTEND'), 2n, BigInt(size), ...values]).state;
        const v = Buffer.alloc(64);
        values.forEach((x, i) => v.writeBigUInt64LE(x, 8 * i));
        const next = Buffer.alloc(64);
        createHash(algo).update(rem.subarray(0, len)).update(v.subarray(0, size)).digest().copy(next);
        rem = next;
      }
      const want = Array.from({ length: 8 }, (_, i) => rem.readBigUInt64LE(8 * i));
      expect(ret(s, [fid('RSI_MEASUREMENT_READ'), 2n]).slice(1)).toEqual(want);
      // The other REMs stay zero and the RIM does not change.
      for (const k of [1n, 3n, 4n]) expect(ret(s, [fid('RSI_MEASUREMENT_READ'), k]).slice(1)).toEqual(new Array(8).fill(0n));
      expect(ret(s, [fid('RSI_MEASUREMENT_READ'), 0n]).slice(1)).toEqual(rim);
    });
  }
});

describe('RSI_REALM_CONFIG (B5.3.9)', () => {
  const rpv = [0x1111n, 0x2222n, 0n, 0n, 0n, 0n, 0n, 0x8888n];
  it('writes ipa_width, hash_algo and rpv into the granule, every other byte zero', () => {
    for (const hashAlgo of [0n, 1n]) {
      const s0 = enter(world({ hashAlgo, rpv }));
      const r = smcIn(s0, [fid('RSI_REALM_CONFIG'), P.data0]);
      expect(r.call!.regs[0]).toBe(0n);
      const b = Buffer.from(granuleBytes(r.state, granuleIndex(D.d0)));
      const want = Buffer.alloc(4096);
      want.writeBigUInt64LE(39n, 0);
      want[8] = Number(hashAlgo);
      rpv.forEach((x, i) => want.writeBigUInt64LE(x, 0x200 + 8 * i));
      expect(b.equals(want)).toBe(true);
    }
  });

  it('an IPA that is not mapped gives a REC exit due to Data Abort; the call is retried after re-entry (D-RSI-MEM)', () => {
    const r = smcIn(RUNNING, [fid('RSI_REALM_CONFIG'), P.ram]);
    expect(r.exit).toMatchObject({ exit_reason: 0, esr: EC_DABT | 0x07n /* DFSC: translation fault, level 3 */, hpfar: (P.ram >> 12n) << 4n, far: 0n, gprs: new Array(31).fill(0n) });
    const rec = r.state.recs.get(REC_GI)!;
    expect([rec.state, rec.gprs[0], rec.gprs[1]]).toEqual([RecState.REC_READY, fid('RSI_REALM_CONFIG'), P.ram]);
  });
});

describe('RSI_IPA_STATE_GET (B5.3.5; D-IPA-STATE-GET)', () => {
  // [base, top, out_top, ripas]
  const cases: Array<[bigint, bigint, bigint, bigint]> = [
    [0x0n, 0x8000n, 0x3000n, 1n], // ASSIGNED RAM, ASSIGNED RAM, UNASSIGNED RAM, then EMPTY
    [0x1000n, 0x2000n, 0x2000n, 1n], // stops at top
    [0x3000n, 0x8000n, 0x4000n, 0n], // EMPTY, then DESTROYED
    [0x4000n, 0x8000n, 0x5000n, 2n], // DESTROYED, then ASSIGNED EMPTY
    [0x5000n, 0x8000n, 0x6000n, 0n], // ASSIGNED EMPTY, then ASSIGNED DESTROYED
    [0x6000n, 0x8000n, 0x7000n, 2n],
    [0x7000n, 0x10000n, 0x8000n, 1n],
    [0x8000n, 0x20_0000n, 0x20_0000n, 0n], // EMPTY to the end of the level 3 RTT
    [0x4000_0000n, 0x4000_2000n, 0x4000_2000n, 0n], // a level 1 entry: one entry covers the range
  ];
  for (const [base, top, outTop, ripas] of cases) {
    it(`[0x${base.toString(16)}, 0x${top.toString(16)}) → out_top 0x${outTop.toString(16)}, RIPAS ${ripas}`, () => {
      expect(ret(RUNNING, [fid('RSI_IPA_STATE_GET'), base, top]).slice(0, 3)).toEqual([0n, outTop, ripas]);
    });
  }
});

describe('RSI_IPA_STATE_SET and RSI_HOST_CALL with Realm memory (B5.3.6, B5.3.4)', () => {
  it('IPA_STATE_SET leaves the Realm registers for the next entry; RSI_CHANGE_DESTROYED is recorded', () => {
    const r = smcIn(RUNNING, [fid('RSI_IPA_STATE_SET'), 0x3000n, 0x5000n, 1n, 1n]);
    expect(r.exit?.exit_reason).toBe(4);
    expect(r.state.recs.get(REC_GI)!.ripasDestroyed).toBe(true);
    const noFlag = smcIn(RUNNING, [fid('RSI_IPA_STATE_SET'), 0x3000n, 0x5000n, 0n, 0n]).state.recs.get(REC_GI)!;
    expect([noFlag.ripasDestroyed, noFlag.ripasValue]).toEqual([false, 0]);
  });

  it('HOST_CALL on an IPA with RIPAS EMPTY: RSI_ERROR_INPUT (addr_empty), no exit; not mapped: a Data Abort exit', () => {
    const e = smcIn(RUNNING, [fid('RSI_HOST_CALL'), P.empty + 0x100n]);
    expect([e.exit, e.call!.regs[0], e.call!.failure?.rule]).toEqual([undefined, INPUT, 'RSI_HOST_CALL/addr_empty']);
    const m = smcIn(RUNNING, [fid('RSI_HOST_CALL'), P.destroyed + 0x100n]);
    expect(m.exit).toMatchObject({ exit_reason: 0, esr: EC_DABT | 0x07n /* DFSC: translation fault, level 3 */, hpfar: (P.destroyed >> 12n) << 4n });
    expect(m.state.recs.get(REC_GI)!.hostCallPending).toBe(false);
  });

  it('a step on a REC that is not running is a caller error', () => {
    expect(() => step(WORLD, { kind: 'exit', reason: 'irq' })).toThrow(/not a running REC/);
  });
});

describe('the Realm of a REC: calls act on the calling REC and its Realm', () => {
  it('a REM extended by one REC is what another REC of the Realm reads', () => {
    const s0 = enter(world({ rec2Runnable: true }));
    const a = smcIn(s0, [fid('RSI_MEASUREMENT_EXTEND'), 4n, 1n, 0xaan]);
    const mine = ret(a.state, [fid('RSI_MEASUREMENT_READ'), 4n]).slice(1);
    const exited = step(a.state, { kind: 'exit', reason: 'irq' }).state;
    const other = enter(exited, REC2, RUN2);
    expect(smcIn(other, [fid('RSI_MEASUREMENT_READ'), 4n], REC2_GI).call!.regs.slice(1, 9)).toEqual(mine);
    expect(mine).not.toEqual(new Array(8).fill(0n));
  });
});
