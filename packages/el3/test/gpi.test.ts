import { describe, expect, it } from 'vitest';
import { Gpt } from '@realmspec/core';
import * as _ from '../src/index.js';

describe('GPI encodings (Arm ARM D9, TF-A gpt_rme.h)', () => {
  it('are the architecture values: 0b10 then the {NSE, NS} of the one PAS permitted; none 0b0000, all 0b1111', () => {
    // The security states' {NSE, NS} encodings are those of their own PAS (Arm ARM D9).
    expect(_.Gpi.SECURE).toBe(0b1000 | _.World.SECURE);
    expect(_.Gpi.NS).toBe(0b1000 | _.World.NON_SECURE);
    expect(_.Gpi.ROOT).toBe(0b1000 | _.World.ROOT);
    expect(_.Gpi.REALM).toBe(0b1000 | _.World.REALM);
    expect(_.Gpi.NO_ACCESS).toBe(0);
    expect(_.Gpi.ANY).toBe(0xf);
    expect(Object.keys(_.Gpi)).toHaveLength(6);
    expect(Object.keys(_.gpiName).map(Number).sort((a, b) => a - b)).toEqual(Object.values(_.Gpi).sort((a, b) => a - b));
  });

  it('isGpi accepts exactly the six encodings', () => {
    const valid = Array.from({ length: 16 }, (_v, i) => i).filter((v) => _.isGpi(v));
    expect(valid).toEqual([0x0, 0x8, 0x9, 0xa, 0xb, 0xf]);
  });

  it('map the RMM GPT entries one to one (DEN0137 C1.8)', () => {
    expect(_.gpiOfCoreGpt(Gpt.NS)).toBe(0b1001);
    expect(_.gpiOfCoreGpt(Gpt.REALM)).toBe(0b1011);
    expect(_.gpiOfCoreGpt(Gpt.SECURE)).toBe(0b1000);
    expect(_.gpiOfCoreGpt(Gpt.ROOT)).toBe(0b1010);
    expect(_.gpiOfCoreGpt(Gpt.AAP)).toBe(0b1111);
    for (const g of [Gpt.NS, Gpt.REALM, Gpt.SECURE, Gpt.ROOT, Gpt.AAP]) expect(_.coreGptOfGpi(_.gpiOfCoreGpt(g))).toBe(g);
    expect(_.coreGptOfGpi(_.Gpi.NO_ACCESS)).toBeUndefined();
  });
});
