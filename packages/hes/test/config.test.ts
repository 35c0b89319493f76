import { describe, it, expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { bootHes, decodeHesConfig } from '../src/index.js';

const errorsOf = (u: unknown): readonly string[] => {
  const r = decodeHesConfig(u);
  return E.isLeft(r) ? r.left.errors : [];
};

describe('decodeHesConfig', () => {
  it('decodes every field', () => {
    const r = decodeHesConfig({ seed: '0x00ff10', lifecycle: 'SECURED', platformConfig: 'cfcf', verificationService: 'https://v.example' });
    expect(E.isRight(r)).toBe(true);
    if (E.isLeft(r)) return;
    expect([...(r.right.seed ?? [])]).toEqual([0x00, 0xff, 0x10]);
    expect(r.right.lifecycle).toBe(0x3000);
    expect([...(r.right.platformConfig ?? [])]).toEqual([0xcf, 0xcf]);
    expect(r.right.verificationService).toBe('https://v.example');
  });

  it('accepts an empty object and numeric lifecycles', () => {
    expect(decodeHesConfig({})).toEqual(E.right({}));
    expect(decodeHesConfig({ lifecycle: 0x4012 })).toEqual(E.right({ lifecycle: 0x4012 }));
    expect(decodeHesConfig({ lifecycle: 'DECOMMISSIONED' })).toEqual(E.right({ lifecycle: 0x6000 }));
  });

  it('names each bad field', () => {
    expect(errorsOf({ seed: 'abc' })).toEqual(['seed: expected hex text of 1..1024 bytes (an even number of hex digits), got "abc"']);
    expect(errorsOf({ seed: '' })).toEqual(['seed: expected hex text of 1..1024 bytes, got ""']);
    expect(errorsOf({ seed: 12 })).toEqual(['seed: expected hex text of 1..1024 bytes, got 12']);
    expect(errorsOf({ lifecycle: 0x3100 })[0]).toMatch(/^lifecycle: expected a lifecycle value/);
    expect(errorsOf({ lifecycle: 'secure' })[0]).toMatch(/^lifecycle: expected a lifecycle value or one of UNKNOWN, .*SECURED/);
    expect(errorsOf({ verificationService: 1 })).toEqual(['verificationService: expected string, got 1']);
    expect(errorsOf({ seeed: '00' })).toEqual(['seeed: unknown field']);
    expect(errorsOf({ seed: 'zz', lifecycle: -1 })).toHaveLength(2);
  });

  it('rejects input that is not an object', () => {
    expect(errorsOf('seed')).toHaveLength(1);
    expect(errorsOf(null)).toHaveLength(1);
    expect(errorsOf([1])).toHaveLength(1);
  });

  it('feeds bootHes', () => {
    const r = decodeHesConfig({ seed: 'a5'.repeat(32), lifecycle: 'RECOVERABLE_CCA_PLATFORM_ROT_DEBUG' });
    if (E.isLeft(r)) throw new Error(r.left.errors.join('; '));
    const h = bootHes(r.right);
    expect(h.lifecycle).toBe(0x5000);
    expect(Buffer.from(h.iakPublicKey).toString('hex')).toBe(Buffer.from(bootHes({ seed: new Uint8Array(32).fill(0xa5) }).iakPublicKey).toString('hex'));
  });
});
