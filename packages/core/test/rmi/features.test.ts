import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURES0, initialState, smc } from '../../src/index.js';
import { X0, call } from '../support/fixtures.js';
import { failureSuite } from '../support/failures.js';

// B4.3.23 / B2: a 1.0-only RMM rejects every other requested revision and reports 1.0 as both bounds.
failureSuite('RMI_VERSION', [{ label: 'incompatible', setup: () => ({ s: initialState(), args: [0x1_0001n] }), x0: X0.INPUT, out: [0x1_0000n, 0x1_0000n] }]);

describe('RMI_VERSION and RMI_FEATURES', () => {
  it('accepts 1.0 and reports lower = higher = 1.0', () => {
    expect(call(initialState(), 'RMI_VERSION', [0x1_0000n]).regs).toEqual([0n, 0x1_0000n, 0x1_0000n]);
  });

  it('rejects 2.0 and a request with MBZ bits set', () => {
    for (const req of [0x2_0000n, 0x8000_0000_0001_0000n]) expect(call(initialState(), 'RMI_VERSION', [req]).regs).toEqual([1n, 0x1_0000n, 0x1_0000n]);
  });

  it('returns RmiFeatureRegister0 for index 0 and zero for any other index', () => {
    expect(call(initialState(), 'RMI_FEATURES', [0n]).regs).toEqual([0n, DEFAULT_FEATURES0]);
    expect(call(initialState(), 'RMI_FEATURES', [7n]).regs).toEqual([0n, 0n]);
  });

  it('ignores the SMCCC SVE hint bit (16) of the function id', () => {
    expect(smc(initialState(), [0xc401_0165n, 0n]).regs).toEqual([0n, DEFAULT_FEATURES0]);
  });

  it('answers SMCCC_NOT_SUPPORTED for an unused RMI number and any unknown id', () => {
    for (const fid of [0xc400_0156n, 0xc400_016an, 0x8400_0000n, 0n]) expect(smc(initialState(), [fid]).regs).toEqual([0xffff_ffff_ffff_ffffn]);
  });
});
