import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { functionId, makePlatform, SMCCC_NOT_SUPPORTED, SMCCC_SVE_HINT } from '@realmspec/core';
import * as _ from '../src/index.js';

const W = _.World;
/** EL3 after boot with every CPU handed to the Non-secure world. */
function nsMachine(cpus = 2): _.El3State {
  let el3 = _.bootEl3({ platform: makePlatform(), cpus });
  for (let c = 0; c < cpus; c++) el3 = _.el3SwitchWorld(el3, c, W.NON_SECURE);
  return el3;
}

describe('function id classes (TF-A is_rmi_fid / is_rmm_el3_fid)', () => {
  it('RMI is SMC64 standard-service 0x150..0x18F', () => {
    expect(_.isRmiFid(0xc4000150)).toBe(true);
    expect(_.isRmiFid(0xc400018f)).toBe(true);
    expect(_.isRmiFid(0xc400014f)).toBe(false);
    expect(_.isRmiFid(0xc4000190)).toBe(false); // RSI_VERSION
    expect(_.isRmiFid(0x84000150)).toBe(false); // SMC32
    expect(_.isRmiFid(0xc4020151)).toBe(false); // bits 23:17 set
  });

  it('RMM-EL3 is SMC64 standard-service 0x1B0..0x1CF', () => {
    expect(_.isRmmEl3Fid(0xc40001b0)).toBe(true);
    expect(_.isRmmEl3Fid(0xc40001cf)).toBe(true);
    expect(_.isRmmEl3Fid(0xc40001d0)).toBe(false);
    expect(_.isRmmEl3Fid(0xc40001af)).toBe(false);
  });
});

describe('routing by function id and calling world', () => {
  it('follows the TF-A RMM dispatcher', () => {
    expect(_.routeSmc(W.NON_SECURE, 0xc4000151)).toBe('rmi');
    expect(_.routeSmc(W.REALM, 0xc4000151)).toBe('unknown');
    expect(_.routeSmc(W.SECURE, 0xc4000151)).toBe('unknown');
    expect(_.routeSmc(W.REALM, 0xc40001b0)).toBe('rmm-el3');
    expect(_.routeSmc(W.NON_SECURE, 0xc40001b0)).toBe('unknown');
    expect(_.routeSmc(W.SECURE, 0xc40001b0)).toBe('unknown');
    expect(_.routeSmc(W.NON_SECURE, 0x80000000)).toBe('el3');
    expect(_.routeSmc(W.SECURE, 0x84000000)).toBe('el3');
    expect(_.routeSmc(W.NON_SECURE, 0xc4000190)).toBe('unknown');
    // RMM_RMI_REQ_COMPLETE is the one RMI id EL3 takes from the Realm world (TF-A rmmd_rmi_handler).
    expect(_.routeSmc(W.REALM, 0xc400018f)).toBe('rmm-el3');
    expect(_.routeSmc(W.NON_SECURE, 0xc400018f)).toBe('rmi');
    expect(_.routeSmc(W.SECURE, 0xc400018f)).toBe('unknown');
  });

  it('an id with the SVE hint set (and X0[63:32] set) routes as the id without it', () => {
    for (const w of [W.SECURE, W.NON_SECURE, W.ROOT, W.REALM]) {
      for (const fid of [0xc4000151, 0xc400018f, 0xc40001b0, 0xc40001cf, 0x80000000, 0x84000000, 0xc4000190]) {
        const x0 = (0xffff_ffffn << 32n) | BigInt((fid | SMCCC_SVE_HINT) >>> 0);
        expect(_.routeSmc(w, functionId(x0))).toBe(_.routeSmc(w, fid));
      }
    }
    const hinted = _.el3Smc(nsMachine(), 0, [0xc4010150n], 0, (el3, n) => ({ el3, rmm: n + 1, regs: [0n] }));
    expect(hinted).toMatchObject({ route: 'rmi', rmm: 1, regs: [0n] });
  });

  it('EL3 answers SMCCC_VERSION 1.2 and PSCI_VERSION 1.1 itself', () => {
    expect(_.el3Service(0x80000000)).toEqual([0x10002n]);
    expect(_.el3Service(0x84000000)).toEqual([0x10001n]);
  });

  it('an RMI call runs the RMM in the Realm world and returns to the Non-secure world', () => {
    const seen: number[] = [];
    const r = _.el3Smc(nsMachine(), 1, [0xc4000150n, 0x10000n], 0, (el3, n, regs) => {
      seen.push(el3.cpus[1]?.world ?? -1);
      return { el3, rmm: n + 1, regs: [0n, regs[1] ?? 0n] };
    });
    expect(seen).toEqual([W.REALM]);
    expect(r).toMatchObject({ route: 'rmi', rmm: 1, regs: [0n, 0x10000n] });
    expect(r.el3.cpus[1]).toEqual({ world: W.NON_SECURE, switches: 3 });
    expect(r.el3.cpus[0]).toEqual({ world: W.NON_SECURE, switches: 1 });
  });

  it("the RMM's results reach the caller through RMM_RMI_REQ_COMPLETE: X0..X4 at most", () => {
    const r = _.el3Smc(nsMachine(), 0, [0xc4000150n], 0, (el3, n) => ({ el3, rmm: n, regs: [0n, 1n, 2n, 3n, 4n, 5n] }));
    expect(r.regs).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(() => _.el3Smc(nsMachine(), 0, [0xc4000150n], 0, (el3, n) => ({ el3: _.el3SwitchWorld(el3, 0, W.NON_SECURE), rmm: n, regs: [0n] }))).toThrow(RangeError);
  });

  it("is not the RMM's way to EL3: an RMM-EL3 call from the Realm world is refused (RangeError)", () => {
    const inRealm = _.el3SwitchWorld(nsMachine(), 0, W.REALM);
    const never = (): never => {
      throw new Error('the RMM must not run');
    };
    for (const fid of Object.values(_.RmmEl3Fid)) expect(() => _.el3Smc(inRealm, 0, [BigInt(fid), 0x8000_0000n], 0, never)).toThrow(/rmmEl3Smc/);
    // Other ids from the Realm world: RMI calls are SMC_UNK (TF-A), EL3's services are answered.
    expect(_.el3Smc(inRealm, 0, [0xc4000151n], 0, never)).toMatchObject({ route: 'unknown', regs: [SMCCC_NOT_SUPPORTED] });
    expect(_.el3Smc(inRealm, 0, [0x80000000n], 0, never)).toMatchObject({ route: 'el3', regs: [0x10002n] });
  });

  it('an unknown id gets SMCCC_NOT_SUPPORTED and reaches no one', () => {
    const el3 = nsMachine();
    const r = _.el3Smc(el3, 0, [0xc4000190n], 'rmm', () => {
      throw new Error('the RMM must not run');
    });
    expect(r).toEqual({ el3, rmm: 'rmm', regs: [SMCCC_NOT_SUPPORTED], route: 'unknown' });
  });

  it('leaves every CPU in the Non-secure world, two switches per RMI call, for any sequence of calls', () => {
    const fids = [0xc4000150n, 0xc400018fn, 0xc40001b0n, 0x80000000n, 0x84000000n, 0x12345678n];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.constantFrom(...fids)), { maxLength: 20 }), (calls) => {
        let el3 = nsMachine(3);
        const rmi = [0, 0, 0];
        for (const [cpu, fid] of calls) {
          el3 = _.el3Smc(el3, cpu, [fid], null, (e, s) => ({ el3: e, rmm: s, regs: [0n] })).el3;
          if (_.isRmiFid(Number(fid))) rmi[cpu] = (rmi[cpu] ?? 0) + 1;
        }
        el3.cpus.forEach((c, i) => expect(c).toEqual({ world: W.NON_SECURE, switches: 1 + 2 * (rmi[i] ?? 0) }));
      }),
      { seed: 0x5c, numRuns: 100 },
    );
  });
});
