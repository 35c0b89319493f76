/**
 * Judging RMI_VERSION and RSI_VERSION answers as a relation (DEN0137 B2, B4.3.23, B5.3.10): the
 * revisions an RMM supports are its own choice, so an answer is permitted when B2 allows it for
 * some supported set that contains 1.0. Each expectation below is derived by hand from B2's three
 * cases (a: success, lower = req; b: failure, lower the highest supported revision below req;
 * c: failure, lower = higher, when every supported revision is above req).
 */
import { describe, expect, it } from 'vitest';
import { initialState, judge, realmCallOutcomes, rmiCallOutcomes, smc } from '../../src/index.js';
import { fidOf } from '../support/fixtures.js';
import { REC_GI, WORLD, enter, fid, smcIn } from '../realm/support.js';

const V1_0 = 0x1_0000n;
const V1_1 = 0x1_0001n;
const V2_0 = 0x2_0000n;
const s = initialState();

/** The verdict on an RMI_VERSION answer (X0, lower, higher) to a request for `req`. */
function rmi(req: bigint, x0: bigint, lower: bigint, higher: bigint): string {
  const regs = [fidOf('RMI_VERSION'), req];
  return judge(rmiCallOutcomes(s, regs, smc(s, regs)), { x0, out: [lower, higher] }).kind;
}

const SUCCESS = 0n;
const ERROR_INPUT = 1n;

describe('RMI_VERSION answers (B2)', () => {
  it('1.0 is supported: a request for it succeeds, with any higher revision at least 1.0', () => {
    expect(rmi(V1_0, SUCCESS, V1_0, V1_0)).toBe('agrees');
    expect(rmi(V1_0, SUCCESS, V1_0, V2_0)).toBe('permitted');
    expect(rmi(V1_0, ERROR_INPUT, V1_0, V1_0)).toBe('mismatch');
    expect(rmi(V1_0, SUCCESS, V1_1, V1_1)).toBe('mismatch');
  });

  it('a request for 1.1: success by an RMM that supports it (a), or failure with 1.0 <= lower < 1.1 (b)', () => {
    expect(rmi(V1_1, ERROR_INPUT, V1_0, V1_0)).toBe('agrees');
    expect(rmi(V1_1, SUCCESS, V1_1, V1_1)).toBe('permitted');
    expect(rmi(V1_1, SUCCESS, V1_1, V2_0)).toBe('permitted');
    expect(rmi(V1_1, ERROR_INPUT, V1_0, V2_0)).toBe('permitted');
    // Success with higher below the request; lower not the request; failure with lower not below it.
    expect(rmi(V1_1, SUCCESS, V1_1, V1_0)).toBe('mismatch');
    expect(rmi(V1_1, SUCCESS, V1_0, V1_1)).toBe('mismatch');
    expect(rmi(V1_1, ERROR_INPUT, V1_1, V2_0)).toBe('mismatch');
    // lower above higher; a status that is neither success nor the command's failure status.
    expect(rmi(V1_1, ERROR_INPUT, V2_0, V1_0)).toBe('mismatch');
    expect(rmi(V1_1, 2n, V1_0, V1_0)).toBe('mismatch');
  });

  it('a request below 1.0: failure with lower = higher (c) or a supported revision below it (b)', () => {
    const req = 0x5n;
    expect(rmi(req, ERROR_INPUT, V1_0, V1_0)).toBe('agrees');
    expect(rmi(req, ERROR_INPUT, V2_0, V2_0)).toBe('permitted');
    expect(rmi(req, ERROR_INPUT, 0x3n, V1_0)).toBe('permitted');
    expect(rmi(req, ERROR_INPUT, V1_0, V2_0)).toBe('mismatch');
    expect(rmi(req, SUCCESS, req, V1_0)).toBe('permitted');
  });

  it('a request with MBZ bits 63:31 set is no revision: it cannot succeed, and lower must be a revision', () => {
    const req = (1n << 40n) | V1_0;
    expect(rmi(req, ERROR_INPUT, V1_0, V1_0)).toBe('agrees');
    expect(rmi(req, SUCCESS, req, req)).toBe('mismatch');
    expect(rmi(req, ERROR_INPUT, 1n << 31n, 1n << 31n)).toBe('mismatch');
  });
});

describe('RSI_VERSION answers (B2)', () => {
  const running = enter(WORLD);
  const verdict = (req: bigint, x0: bigint, lower: bigint, higher: bigint): string => {
    const regs = [fid('RSI_VERSION'), req];
    const r = smcIn(running, regs);
    if (r.call === undefined) throw new Error('RSI_VERSION did not return to the Realm');
    return judge(realmCallOutcomes(running, REC_GI, regs, { regs: r.call.regs, failure: r.call.failure, state: r.state }), { x0, out: [lower, higher] }).kind;
  };
  it('as for RMI_VERSION: 1.1 supported or not, 1.0 always', () => {
    expect(verdict(V1_1, ERROR_INPUT, V1_0, V1_0)).toBe('agrees');
    expect(verdict(V1_1, SUCCESS, V1_1, V1_1)).toBe('permitted');
    expect(verdict(V1_0, ERROR_INPUT, V1_0, V1_0)).toBe('mismatch');
    expect(verdict(V1_1, ERROR_INPUT, V1_1, V1_1)).toBe('mismatch');
  });
});
