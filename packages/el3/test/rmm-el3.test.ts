import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { Gpt, SMCCC_NOT_SUPPORTED, SMCCC_SVE_HINT, functionId, makePlatform } from '@realmspec/core';
import { bootHes } from '@realmspec/hes';
import * as _ from '../src/index.js';

const platform = makePlatform({ gpt: [{ base: 0x8100_0000n, size: 0x1000n, gpt: Gpt.SECURE }] });
const hes = bootHes();
/** Return codes as 64-bit registers (TF-A rmm-el3-comms-spec: E_RMM_OK 0, UNK −1, BAD_ADDR −2, BAD_PAS −3, INVAL −5). */
const X0 = { OK: 0n, UNK: 2n ** 64n - 1n, BAD_ADDR: 2n ** 64n - 2n, BAD_PAS: 2n ** 64n - 3n, INVAL: 2n ** 64n - 5n };
/** EL3 with CPU 0 in the Realm world (the RMM running). */
const inRealm = (): _.El3State => _.el3SwitchWorld(_.bootEl3({ platform, cpus: 2, rootOfTrust: hes }), 0, _.World.REALM);

/** TF-A `RMM_FID(SMC_64, fnum)`: SMCCC fast call (bit 31), SMC64 (bit 30), OEN 4 (standard service), function number. */
const rmmFid = (fnum: number): number => ((1 << 31) | (1 << 30) | (4 << 24) | fnum) >>> 0;

describe('RMM-EL3 function ids (TF-A rmm-el3-comms-spec, rmmd_svc.h)', () => {
  it('are RMM_FID(SMC_64, n): the top of the RMI range, then 0x1B0.. in the RMM-EL3 range', () => {
    expect(_.RmmEl3Fid).toEqual({
      RMM_RMI_REQ_COMPLETE: rmmFid(0x18f),
      RMM_GTSI_DELEGATE: rmmFid(0x1b0 + 0),
      RMM_GTSI_UNDELEGATE: rmmFid(0x1b0 + 1),
      RMM_ATTEST_GET_REALM_KEY: rmmFid(0x1b0 + 2),
      RMM_ATTEST_GET_PLAT_TOKEN: rmmFid(0x1b0 + 3),
      RMM_BOOT_COMPLETE: rmmFid(0x1cf),
    });
  });

  it('every one routes from the Realm world, and only from there, with or without the SVE hint', () => {
    for (const fid of Object.values(_.RmmEl3Fid)) {
      const hinted = BigInt((fid | SMCCC_SVE_HINT) >>> 0);
      expect(_.routeSmc(_.World.REALM, fid)).toBe('rmm-el3');
      expect(_.routeSmc(_.World.REALM, functionId(hinted))).toBe('rmm-el3');
      expect(_.routeSmc(_.World.SECURE, fid)).toBe('unknown');
      expect(_.routeSmc(_.World.ROOT, fid)).toBe('unknown');
    }
  });

  it('rmmEl3Smc answers every one (never SMC_UNK), and the same with the SVE hint set', () => {
    for (const fid of Object.values(_.RmmEl3Fid)) {
      for (const x0 of [BigInt(fid), BigInt((fid | SMCCC_SVE_HINT) >>> 0), (0xffff_ffffn << 32n) | BigInt(fid)]) {
        const r = _.rmmEl3Smc(inRealm(), 0, [x0, 0x8000_0000n, 0n, 0n]);
        expect(r.regs[0]).not.toBe(SMCCC_NOT_SUPPORTED);
      }
    }
    const hinted = _.rmmEl3Smc(inRealm(), 0, [BigInt((_.RmmEl3Fid.RMM_GTSI_DELEGATE | SMCCC_SVE_HINT) >>> 0), 0x8000_0000n]);
    expect(hinted.regs).toEqual([X0.OK]);
    expect(_.gpiAt(hinted.el3.gpt, 0x80000)).toBe(_.Gpi.REALM);
  });

  it('ids next to the interface are SMC_UNK from the Realm world', () => {
    for (const fnum of [0x18e, 0x1b4, 0x1ce, 0x1d0]) expect(_.rmmEl3Smc(inRealm(), 0, [BigInt(rmmFid(fnum))]).regs).toEqual([X0.UNK]);
  });
});

describe('RMM_RMI_REQ_COMPLETE (TF-A rmmd_rmi_handler)', () => {
  it('returns the CPU to the Non-secure world, which receives X1..X5 as X0..X4', () => {
    const r = _.rmmEl3Smc(inRealm(), 0, [BigInt(_.RmmEl3Fid.RMM_RMI_REQ_COMPLETE), 0n, 1n, 2n, 3n, 4n, 5n, 6n]);
    expect(r.regs).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(r.el3.cpus[0]?.world).toBe(_.World.NON_SECURE);
    expect(r.el3.rmmBooted).toBe(false);
    expect(_.rmiReqComplete(inRealm(), 0).cpus[0]?.world).toBe(_.World.NON_SECURE);
    expect(() => _.rmiReqComplete(inRealm(), 1)).toThrow(RangeError);
  });
});

describe('RMM_GTSI_DELEGATE and RMM_GTSI_UNDELEGATE', () => {
  it('move a granule NS -> Realm -> NS', () => {
    const d = _.rmmEl3Smc(inRealm(), 0, [0xc40001b0n, 0x8000_0000n]);
    expect(d.regs[0]).toBe(X0.OK);
    expect(_.gpiAt(d.el3.gpt, 0x80000)).toBe(0b1011);
    const u = _.rmmEl3Smc(d.el3, 0, [0xc40001b1n, 0x8000_0000n]);
    expect(u.regs[0]).toBe(X0.OK);
    expect(_.gpiAt(u.el3.gpt, 0x80000)).toBe(0b1001);
  });

  it('refuse a granule in the wrong PAS with E_RMM_BAD_PAS and change nothing', () => {
    const el3 = inRealm();
    const twice = _.gtsiDelegate(_.gtsiDelegate(el3, 0x8000_0000n).el3, 0x8000_0000n);
    expect(twice.regs[0]).toBe(X0.BAD_PAS);
    expect(_.rmmEl3Smc(el3, 0, [0xc40001b1n, 0x8000_0000n]).regs[0]).toBe(X0.BAD_PAS);
    const secure = _.rmmEl3Smc(el3, 0, [0xc40001b0n, 0x8100_0000n]);
    expect(secure.regs[0]).toBe(X0.BAD_PAS);
    expect(secure.el3).toBe(el3);
  });

  it('refuse an address that is not a granule inside the PPS with E_RMM_BAD_ADDR', () => {
    const el3 = inRealm();
    expect(_.rmmEl3Smc(el3, 0, [0xc40001b0n, 0x8000_0010n]).regs[0]).toBe(X0.BAD_ADDR);
    expect(_.rmmEl3Smc(el3, 0, [0xc40001b0n, 1n << 48n]).regs[0]).toBe(X0.BAD_ADDR);
  });

  it('are SMC_UNK from a CPU that is not in the Realm world', () => {
    const el3 = _.bootEl3({ platform, cpus: 2 });
    const r = _.rmmEl3Smc(_.el3SwitchWorld(el3, 1, _.World.NON_SECURE), 1, [0xc40001b0n, 0x8000_0000n]);
    expect(r.regs).toEqual([X0.UNK]);
    expect(_.gpiAt(r.el3.gpt, 0x80000)).toBe(0b1001);
  });
});

describe('attestation hand-over', () => {
  it('RMM_ATTEST_GET_REALM_KEY gives the HES RAK scalar for ECC SECP384R1 only', () => {
    const r = _.rmmEl3Smc(inRealm(), 0, [0xc40001b2n, 0n, 0n, 0n]);
    expect(r.regs).toEqual([X0.OK, 48n]);
    expect(r.data).toEqual(hes.attestationPort().rakPrivateKey);
    expect(_.rmmEl3Smc(inRealm(), 0, [0xc40001b2n, 0n, 0n, 1n]).regs[0]).toBe(X0.INVAL);
  });

  it('RMM_ATTEST_GET_PLAT_TOKEN gives the HES platform token for a SHA-256/384/512-sized challenge', () => {
    const challenge = new Uint8Array(createHash('sha256').update(hes.rakPublicKey).digest());
    const r = _.rmmEl3Smc(inRealm(), 0, [0xc40001b3n, 0n, 0n, 32n], challenge);
    expect(r.regs[0]).toBe(X0.OK);
    expect(r.data).toEqual(hes.platformToken(challenge));
    expect(r.data).toEqual(hes.attestationPort().platformToken);
    expect(_.rmmEl3Smc(inRealm(), 0, [0xc40001b3n, 0n, 0n, 33n], new Uint8Array(33)).regs[0]).toBe(X0.INVAL);
  });

  it("RMM_ATTEST_GET_PLAT_TOKEN refuses a challenge size (X3) other than the buffer's length with E_RMM_INVAL", () => {
    const challenge = new Uint8Array(48).fill(1);
    expect(_.rmmEl3Smc(inRealm(), 0, [0xc40001b3n, 0n, 0n, 32n], challenge).regs).toEqual([X0.INVAL]);
    expect(_.rmmEl3Smc(inRealm(), 0, [0xc40001b3n, 0n, 0n, 64n], challenge).regs).toEqual([X0.INVAL]);
    expect(_.rmmEl3Smc(inRealm(), 0, [0xc40001b3n, 0n, 0n, 32n]).regs).toEqual([X0.INVAL]);
    expect(_.rmmEl3Smc(inRealm(), 0, [0xc40001b3n, 0n, 0n, 48n], challenge).data).toEqual(hes.platformToken(challenge));
  });

  it('both are E_RMM_UNK without a root of trust', () => {
    const el3 = _.el3SwitchWorld(_.bootEl3({ platform }), 0, _.World.REALM);
    expect(_.attestGetRealmKey(el3, 0n).regs[0]).toBe(X0.UNK);
    expect(_.attestGetPlatToken(el3, new Uint8Array(32)).regs[0]).toBe(X0.UNK);
  });

  it('RMM_BOOT_COMPLETE hands the CPU to the Non-secure world', () => {
    const r = _.rmmEl3Smc(inRealm(), 0, [0xc40001cfn]);
    expect(r.el3.rmmBooted).toBe(true);
    expect(r.el3.cpus[0]?.world).toBe(_.World.NON_SECURE);
    expect(r.el3.cpus[1]?.world).toBe(_.World.ROOT);
  });
});
