/**
 * The platform description (README "Default platform"; trace-v1 header `platform`): the defaults
 * as the README documents them, and a decoded description's fields, each checked against the
 * values written here.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodePlatform, defaultPlatform, Gpt, initialGpt, isGranuleAligned, makePlatform } from '../src/index.js';

describe('platform', () => {
  it('defaults: one delegable DRAM range at 0x80000000 of 0x3fe00000 bytes, every granule Non-secure', () => {
    for (const p of [makePlatform(), defaultPlatform]) {
      expect(p.dram).toEqual([{ base: 0x8000_0000n, size: 0x3fe0_0000n }]);
      expect(p.gpt).toEqual([]);
      expect(p.recAuxCount).toBe(16);
      expect(initialGpt(p, 0x8000_0000 / 4096)).toBe(Gpt.NS);
    }
  });

  it('a decoded description keeps every field it gives, GPT ranges by GPI name', () => {
    const d = decodePlatform({
      dram: [{ base: '0x90000000', size: '0x200000' }],
      recAuxCount: 3,
      gpt: [
        { base: '0x90000000', size: '0x2000', gpi: 'GPT_SECURE' },
        { base: '0x90002000', size: '0x1000', gpi: 'GPT_ROOT' },
      ],
    });
    if (E.isLeft(d)) throw new Error('expected a platform');
    const p = d.right;
    expect(p.dram).toEqual([{ base: 0x9000_0000n, size: 0x20_0000n }]);
    expect(p.recAuxCount).toBe(3);
    expect(p.gpt).toEqual([
      { base: 0x9000_0000n, size: 0x2000n, gpt: Gpt.SECURE },
      { base: 0x9000_2000n, size: 0x1000n, gpt: Gpt.ROOT },
    ]);
    expect([0x9000_0000, 0x9000_1000, 0x9000_2000, 0x9000_3000].map((pa) => initialGpt(p, pa / 4096))).toEqual([Gpt.SECURE, Gpt.SECURE, Gpt.ROOT, Gpt.NS]);
  });
});

describe('granule addresses (DEN0137 B3 AddrIsGranuleAligned: bits 11:0 zero)', () => {
  it('is exact across the whole 64-bit range, not only below 2^53', () => {
    expect([0n, 0x1000n, 1n << 53n, (1n << 60n) | 0x7000n, 0xffff_ffff_ffff_f000n].map(isGranuleAligned)).toEqual([true, true, true, true, true]);
    expect([0x800n, (1n << 53n) + 8n, (1n << 60n) | 0x1n, 0xffff_ffff_ffff_ffffn].map(isGranuleAligned)).toEqual([false, false, false, false]);
  });
});
