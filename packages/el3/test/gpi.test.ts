import { describe, expect, it } from 'vitest';
import { Gpt } from '@realmspec/core';
import * as _ from '../src/index.js';

describe('GPI encodings (Arm ARM D9, TF-A gpt_rme.h)', () => {
  it('are the architecture values', () => {
    expect(_.Gpi).toEqual({ NO_ACCESS: 0b0000, SECURE: 0b1000, NS: 0b1001, ROOT: 0b1010, REALM: 0b1011, ANY: 0b1111 });
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
