import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rawCatalogue } from '@realmspec/spec';
import { catalogue, decodeCatalogue, rmiCommands } from '../src/index.js';

const count = (iface: string, origin: 'spec' | 'derived'): number =>
  catalogue.commands.filter((c) => c.iface === iface).reduce((n, c) => n + c.failures.filter((f) => f.origin === origin).length, 0);

describe('the rule catalogue', () => {
  it('lists the 41 commands of RMM 1.0: 23 RMI, 10 RSI, 8 PSCI (digest §0.5)', () => {
    expect(catalogue.commands.length).toBe(41);
    expect(['RMI', 'RSI', 'PSCI'].map((i) => catalogue.commands.filter((c) => c.iface === i).length)).toEqual([23, 10, 8]);
  });

  it('holds the 215 spec failure conditions of the digest: 187 RMI, 23 RSI, 5 PSCI', () => {
    expect([count('RMI', 'spec'), count('RSI', 'spec'), count('PSCI', 'spec')]).toEqual([187, 23, 5]);
  });

  it('explains every derived failure condition in spec/DECISIONS.md', () => {
    const decisions = readFileSync(new URL('../../../spec/DECISIONS.md', import.meta.url), 'utf8');
    const derived = catalogue.rules.filter((r) => r.kind === 'failure' && r.origin === 'derived');
    expect(derived.map((r) => r.id)).toEqual([
      'RMI_DATA_CREATE/flags_valid',
      'RMI_REC_CREATE/params_valid',
      'RMI_REC_ENTER/enter_valid',
      'RMI_REC_ENTER/exit_pas',
      'RMI_VERSION/incompatible',
      'RSI_ATTESTATION_TOKEN_CONTINUE/addr_empty',
      'RSI_HOST_CALL/addr_empty',
      'RSI_IPA_STATE_SET/flags_valid',
      'RSI_REALM_CONFIG/addr_empty',
      'RSI_VERSION/incompatible',
    ]);
    for (const r of derived) expect(decisions).toContain(r.id);
  });

  it('gives every rule a distinct id and a dense number', () => {
    expect(new Set(catalogue.rules.map((r) => r.id)).size).toBe(catalogue.rules.length);
    catalogue.rules.forEach((r, n) => expect(r.n).toBe(n));
  });

  it('puts every ordering constraint in listed order (so listed order satisfies them all)', () => {
    for (const c of catalogue.commands) for (const [before, after] of c.orderPairs) expect(before).toBeLessThan(after);
  });

  it('routes every implemented RMI command by its catalogue FID', () => {
    for (const c of rmiCommands) expect(catalogue.byName.get(c.entry.name)?.fids).toEqual(c.entry.fids);
  });
});

describe('spec/DECISIONS.md', () => {
  const root = new URL('../../../', import.meta.url).pathname;
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
  const code = readdirSync(join(root, 'packages'))
    .flatMap((p) => { try { return sources(join(root, 'packages', p, 'src')); } catch { return []; } })
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  const decisions = readFileSync(join(root, 'spec/DECISIONS.md'), 'utf8');
  // A heading may name several decisions: `## D-HOST-ALLOC, D-HOST-ATOMIC — the Host`. Errata
  // (`E-` ids, a contradiction between two spec clauses resolved) are checked the same way.
  const ids = [...decisions.matchAll(/^## ([DE]-[A-Z0-9-]+(?:, [DE]-[A-Z0-9-]+)*)/gm)].flatMap((m) => (m[1] as string).split(', '));
  const bodyOf = (id: string): string => decisions.split(new RegExp(`^## ${id}(?=[ ,]).*$`, 'm'))[1]?.split(/^## /m)[0] ?? '';
  // Errata: every E- id, and any entry whose kind is erratum (one keeps the D- id the catalogue cites).
  const errata = ids.filter((id) => id.startsWith('E-') || /^- \*\*Kind:\*\* erratum\b/m.test(bodyOf(id)));

  it('lists decisions with distinct ids', () => {
    expect(ids.length).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('cites every decision at the code that implements it', () => {
    expect(ids.filter((id) => !new RegExp(`${id}\\b`).test(code))).toEqual([]);
  });

  it('documents every decision and erratum the code cites', () => {
    const cited = new Set([...code.matchAll(/\b[DE]-[A-Z0-9]+(?:-[A-Z0-9]+)*/g)].map((m) => m[0]));
    expect([...cited].filter((id) => !ids.includes(id)).sort()).toEqual([]);
  });

  it('gives every erratum the fields of the errata format: kind, clauses in conflict, reading taken, how another RMM may differ', () => {
    expect(errata.length).toBeGreaterThan(0);
    for (const id of errata) {
      const body = bodyOf(id);
      expect({ id, kind: /^- \*\*Kind:\*\* erratum\b/m.test(body) }).toEqual({ id, kind: true });
      for (const field of ['Rules', 'Clauses in conflict', 'Reading taken', 'Another RMM may differ']) {
        expect({ id, field, present: body.includes(`- **${field}:**`) }).toEqual({ id, field, present: true });
      }
    }
  });
});

describe('decodeCatalogue', () => {
  const files = rawCatalogue();
  const patched = (name: string, f: (d: Record<string, unknown>) => Record<string, unknown>) =>
    files.map((x) => (x.path.endsWith(`/${name}.json`) ? { path: x.path, data: f(structuredClone(x.data) as Record<string, unknown>) } : x));

  it('accepts the shipped catalogue', () => {
    expect(E.isRight(decodeCatalogue(files))).toBe(true);
  });

  it('names the file and field of a malformed entry', () => {
    const r = decodeCatalogue(patched('RMI_REALM_ACTIVATE', (d) => ({ ...d, failures: [{ label: 'Bad Label' }] })));
    expect(E.isLeft(r) && r.left.some((m) => m.startsWith('rmi/RMI_REALM_ACTIVATE.json: failures.0.label'))).toBe(true);
  });

  it('rejects an ordering that names an unknown label, and one that contradicts the listed order', () => {
    const unknown = decodeCatalogue(patched('RMI_REALM_ACTIVATE', (d) => ({ ...d, ordering: [{ before: ['nope'], after: ['realm_state'] }] })));
    expect(E.isLeft(unknown) && unknown.left.join()).toContain('unknown failure nope');
    const reversed = decodeCatalogue(patched('RMI_REALM_ACTIVATE', (d) => ({ ...d, ordering: [{ before: ['realm_state'], after: ['rd_align'] }] })));
    expect(E.isLeft(reversed) && reversed.left.join()).toContain('realm_state must precede rd_align');
  });

  it('rejects two commands with one FID', () => {
    const r = decodeCatalogue(patched('RMI_REALM_ACTIVATE', (d) => ({ ...d, fid: '0xC4000151' })));
    expect(E.isLeft(r) && r.left.join()).toContain('FID 0xc4000151 is also');
  });
});
