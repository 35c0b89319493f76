/**
 * Reading an RmiRecExit's syndrome as the Host does (Arm ARM D24.2.43 ESR_EL2: EC in bits 31:26,
 * ISS.ISV in bit 24; D24.2.79 HPFAR_EL2: FIPA in bits 43:4). Values are built here bit by bit.
 */
import { describe, expect, it } from 'vitest';
import { ecOf, hpfarOf, isvOf } from '../../src/index.js';

const EC_DATA_ABORT_LOWER = 0x24n;

describe('ESR and HPFAR readers', () => {
  it('ISV is bit 24: set, clear, and independent of the other bits', () => {
    const abort = EC_DATA_ABORT_LOWER << 26n;
    expect(isvOf(abort | (1n << 24n))).toBe(true);
    expect(isvOf(abort)).toBe(false);
    expect(isvOf(abort | 0x00ff_ffffn)).toBe(false);
    expect(isvOf((1n << 24n) | 0x3fn)).toBe(true);
  });

  it('EC is bits 31:26', () => {
    expect(ecOf((EC_DATA_ABORT_LOWER << 26n) | (1n << 24n))).toBe(0x24);
    expect(ecOf(0xffff_ffffn)).toBe(0x3f);
  });

  it('HPFAR holds IPA bits 55:12 in bits 43:4', () => {
    expect(hpfarOf(0x4000_0000_00n)).toBe((0x4000_0000_00n >> 12n) << 4n);
    expect(hpfarOf(0x1234_5fffn)).toBe(0x12345n << 4n);
  });
});
