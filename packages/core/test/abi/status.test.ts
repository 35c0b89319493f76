/**
 * Status names as the reports print them (DEN0137 B4.4.25, B5.4.1, B6.4.2). Expected codes are
 * the spec's tables, written out here (RSI: 0 success, 1 error input, 2 error state, 3 incomplete,
 * 4 error unknown; PSCI: 0 success, 1 off, -1 not supported ... -9 invalid address).
 */
import { describe, expect, it } from 'vitest';
import { decodeRmiResult, psciStatusName, rsiStatusName } from '../../src/index.js';

const neg = (v: bigint): bigint => BigInt.asUintN(64, v);

describe('status names', () => {
  it('RSI: every RsiCommandReturnCode of B5.4.1 by its value, SMCCC_NOT_SUPPORTED for -1, nothing for 5', () => {
    expect([0n, 1n, 2n, 3n, 4n].map(rsiStatusName)).toEqual(['RSI_SUCCESS', 'RSI_ERROR_INPUT', 'RSI_ERROR_STATE', 'RSI_INCOMPLETE', 'RSI_ERROR_UNKNOWN']);
    expect(rsiStatusName(neg(-1n))).toBe('SMCCC_NOT_SUPPORTED');
    expect(rsiStatusName(5n)).toBeUndefined();
  });

  it('PSCI: the PsciReturnCode values of B6.4.2, negative ones sign-extended to 64 bits', () => {
    expect(psciStatusName(1n)).toBe('PSCI_OFF');
    expect(psciStatusName(neg(-2n))).toBe('PSCI_INVALID_PARAMETERS');
    expect(psciStatusName(neg(-9n))).toBe('PSCI_INVALID_ADDRESS');
    expect(psciStatusName(0xffff_fffen)).toBeUndefined();
  });

  it('RMI: status and index from X0 (B4.4.25: status in bits 7:0, index in bits 15:8)', () => {
    expect(decodeRmiResult(0x0401n)).toEqual({ status: 'RMI_ERROR_INPUT', index: 4 });
    expect(decodeRmiResult(0x0104n)).toEqual({ status: 'RMI_ERROR_RTT', index: 1 });
    expect(decodeRmiResult(neg(-1n))).toEqual({ status: 'SMCCC_NOT_SUPPORTED', index: 0 });
    expect(decodeRmiResult(5n).status).toBe('unknown status 0x5');
    expect(decodeRmiResult(0x10000n).status).toBe('unknown status 0x10000');
  });
});
