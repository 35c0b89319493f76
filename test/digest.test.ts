/**
 * The catalogue against an independent source: the spec digest (`commands.md`), written from
 * DEN0137 before the catalogue. For every command, the failure labels of the spec's table, their
 * listed order, their statuses and indexes, the function ids and the ordering constraints must
 * agree with the catalogue's rows of origin `spec`.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { catalogue } from '@realmspec/core';

import { digest, shared, vendored } from './support/digest.js';

describe('the catalogue agrees with the spec digest', () => {
  it('finds every command of the catalogue that has a failure table in the digest', () => {
    const withTables = catalogue.commands.filter((c) => c.failures.some((f) => f.origin === 'spec')).map((c) => c.name);
    expect(withTables.filter((n) => (digest.get(n)?.rows.length ?? 0) === 0)).toEqual([]);
  });

  it('holds the 215 spec failure conditions the digest tables (§0.5: 187 RMI, 23 RSI, 5 PSCI)', () => {
    const rows = (iface: string) => [...digest.values()].filter((d) => d.name.startsWith(iface)).reduce((n, d) => n + d.rows.length, 0);
    expect([rows('RMI'), rows('RSI'), rows('PSCI')]).toEqual([187, 23, 5]);
  });

  for (const c of catalogue.commands) {
    const d = digest.get(c.name);
    if (d === undefined) continue;
    const spec = c.failures.filter((f) => f.origin === 'spec');
    it(`${c.name}: failure labels in listed order, statuses and indexes`, () => {
      expect(spec.map((f) => f.label)).toEqual(d.rows.map((r) => r.label));
      expect(spec.map((f) => [f.status, f.index ?? 0])).toEqual(d.rows.map((r) => [r.status, r.index]));
    });
    if (d.fids.length > 0) {
      it(`${c.name}: function ids`, () => {
        expect([...c.fids].sort()).toEqual(expect.arrayContaining(d.fids.slice(0, 1)));
      });
    }
    if (d.rows.length > 0) {
      it(`${c.name}: ordering constraints`, () => {
        const pairs = c.orderPairs.map(([b, a]) => `${c.failures[b]!.label} < ${c.failures[a]!.label}`).sort();
        expect(pairs).toEqual(d.ordering.map(([b, a]) => `${b} < ${a}`).sort());
      });
    }
  }
});

describe('the vendored digest', () => {
  it.runIf(existsSync(shared))('is the shared digest, unchanged', () => {
    expect(readFileSync(vendored, 'utf8')).toBe(readFileSync(shared, 'utf8'));
  });
});
