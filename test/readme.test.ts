/**
 * The README's claims, checked: its library example is `examples/library.ts` verbatim and prints
 * what its comments say; its default platform table matches the model's defaults.
 */
import { describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import { defaultPlatform, DEFAULT_FEATURES0 } from '@realmspec/core';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('shows examples/library.ts as its library example, and the example prints what it says', async () => {
    const code = readFileSync(new URL('../examples/library.ts', import.meta.url), 'utf8');
    expect(readme).toContain('```ts\n' + code + '```');
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(format(...a)));
    try {
      await import('../examples/library.js');
    } finally {
      spy.mockRestore();
    }
    expect(lines).toEqual([
      'RMI_REALM_CREATE/rd_align RMI_ERROR_INPUT 0',
      '0n 0 1',
      'RMI_GRANULE_DELEGATE: 2 calls, 0/4 failures held',
      'RMI_REALM_CREATE: 2 calls, 1/13 failures held',
    ]);
  });

  it('documents the default platform the model uses', () => {
    expect(readme).toContain('`0x80000000`, size `0x3fe00000`');
    expect(defaultPlatform.dram).toEqual([{ base: 0x8000_0000n, size: 0x3fe0_0000n }]);
    expect(readme).toContain('`0x' + DEFAULT_FEATURES0.toString(16) + '`');
    expect(readme).toMatch(/`recAuxCount` \| 16/);
    expect(defaultPlatform.recAuxCount).toBe(16);
  });
});
