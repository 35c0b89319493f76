import { describe, expect, it } from 'vitest';
import { makePlatform } from '@realmspec/core';
import { Gpi, World, makeGpt, withGpi } from '@realmspec/el3';
import * as _ from '../src/index.js';

const P = _.Pas;

describe('GPC permission table (Arm ARM D9)', () => {
  it('GPI_ANY permits every PAS, GPI_NO_ACCESS none, the others only their own', () => {
    const table = [Gpi.NO_ACCESS, Gpi.SECURE, Gpi.NS, Gpi.ROOT, Gpi.REALM, Gpi.ANY].map((g) => [P.SECURE, P.NON_SECURE, P.ROOT, P.REALM].map((p) => _.gpiPermits(g, p)));
    expect(table).toEqual([
      [false, false, false, false],
      [true, false, false, false],
      [false, true, false, false],
      [false, false, true, false],
      [false, false, false, true],
      [true, true, true, true],
    ]);
  });

  it('PAS encodings are {NSE, NS}: a single-PAS GPI (0b10 then {NSE, NS}) permits exactly its own PAS', () => {
    const all = [P.SECURE, P.NON_SECURE, P.ROOT, P.REALM];
    expect(new Set(all).size).toBe(4);
    for (const p of all) {
      expect(p >>> 2).toBe(0);
      for (const q of all) expect(_.gpiPermits((0b1000 | p) as Gpi, q)).toBe(p === q);
    }
    // A security state's own PAS has the state's {NSE, NS} encoding (Arm ARM D9).
    expect([World.SECURE, World.NON_SECURE, World.ROOT, World.REALM]).toEqual(all);
  });
});

describe('granule protection checks', () => {
  const gpt = withGpi(makeGpt(makePlatform()), 0x80001, Gpi.REALM);

  it('fault an access to a granule whose GPI does not permit its PAS', () => {
    expect(_.gpcCheck(gpt, 0x8000_0ff8n, P.NON_SECURE)).toBeUndefined();
    expect(_.gpcCheck(gpt, 0x8000_1008n, P.NON_SECURE)).toEqual({ kind: 'gpf', pa: 0x8000_1008n, pas: P.NON_SECURE, gpi: Gpi.REALM, cause: 'gpi' });
    expect(_.gpcCheck(gpt, 0x8000_1008n, P.REALM)).toBeUndefined();
  });

  it('fault every access at or above 2^PPS', () => {
    expect(_.gpcCheck(gpt, 1n << 48n, P.ROOT)).toEqual({ kind: 'gpf', pa: 1n << 48n, pas: P.ROOT, gpi: undefined, cause: 'beyond_pps' });
  });

  it('check every granule an access touches and report the first refused one at its base', () => {
    expect(_.gpcCheckRange(gpt, 0x8000_0ff0n, 0x20, P.NON_SECURE)).toMatchObject({ pa: 0x8000_1000n, gpi: Gpi.REALM });
    expect(_.gpcCheckRange(gpt, 0x8000_0ff0n, 0x10, P.NON_SECURE)).toBeUndefined();
    expect(_.gpcCheckRange(gpt, 0x8000_1000n, 0, P.NON_SECURE)).toBeUndefined();
    expect(_.describeGpf(_.gpcCheck(gpt, 0x8000_1000n, P.NON_SECURE) as _.GranuleProtectionFault)).toBe('GPF at 0x80001000: Non-secure PAS access to a GPI_REALM granule');
  });
});
