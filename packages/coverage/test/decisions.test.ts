/**
 * DECISIONS.md entries: ids, kind, heading line, and the catalogue rules the Rules field names.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { catalogue } from '@realmspec/core';
import { catalogueDecisions, parseDecisions, resolveRules } from '../src/index.js';

const ids = (text: string): string[] => resolveRules(text).rules.map((r) => r.id);

const SAMPLE = `# Decisions and errata

## Policy
- Rules: \`RMI_VERSION/incompatible\` (not an entry: no id)

## E-ONE — an erratum
- **Kind:** erratum.
- **Rules:** \`RMI_RTT_SET_RIPAS/base_align\`, \`no_progress\`,
  \`RSI_IPA_STATE_SET/success/*\`.
- **Reading taken:** whatever.

## D-TWO, D-THREE — two decisions in one heading
- Rules: every failure condition.

## D-FOUR — a decision
- Rules: \`RMI_VERSION\`, \`invariant/num_recs\`, \`RMI_VERSION/success/gone\`, \`smc\`.
- Reason: none.
`;

describe('parseDecisions', () => {
  const entries = parseDecisions(SAMPLE);

  it('finds the entries with ids, their kind and heading line', () => {
    expect(entries.map((e) => [e.ids, e.kind, e.line, e.title])).toEqual([
      [['E-ONE'], 'erratum', 6, 'an erratum'],
      [['D-TWO', 'D-THREE'], 'decision', 12, 'two decisions in one heading'],
      [['D-FOUR'], 'decision', 15, 'a decision'],
    ]);
  });

  it('resolves the Rules field over continuation lines, wildcards and labels relative to the last command', () => {
    const rsiSuccess = catalogue.byName.get('RSI_IPA_STATE_SET')!.success.map((r) => r.id);
    expect(entries[0]!.rules.map((r) => r.id).sort()).toEqual(['RMI_RTT_SET_RIPAS/base_align', 'RMI_RTT_SET_RIPAS/no_progress', ...rsiSuccess].sort());
  });

  it('an entry that names no catalogue rule is not mapped; tokens written as rule ids that name none are listed', () => {
    expect(entries[1]!.rules).toEqual([]);
    const four = entries[2]!;
    const version = catalogue.byName.get('RMI_VERSION')!;
    expect(four.rules.map((r) => r.id)).toEqual([...version.failures, ...version.success].map((r) => r.id).concat('invariant/num_recs'));
    expect(four.unresolved).toEqual(['RMI_VERSION/success/gone']);
  });

  it('an E- id without a Kind field is an erratum; a Kind field decides otherwise', () => {
    expect(parseDecisions('## E-X — x\n- Rules: none.\n')[0]!.kind).toBe('erratum');
    expect(parseDecisions('## D-X — x\n- Kind: erratum\n')[0]!.kind).toBe('erratum');
    expect(parseDecisions('## E-X — x\n- Kind: decision\n')[0]!.kind).toBe('decision');
  });
});

describe('resolveRules', () => {
  it('reads a bare label after a success condition as a success condition of the same command', () => {
    expect(ids('`RMI_REALM_CREATE/success/rd_state`, `rim`')).toEqual(['RMI_REALM_CREATE/success/rd_state', 'RMI_REALM_CREATE/success/rim']);
    expect(ids('`RMI_REALM_CREATE/rd_align`, `rd_state`')).toEqual(['RMI_REALM_CREATE/rd_align', 'RMI_REALM_CREATE/rd_state']);
  });

  it('reads `success/label` after a command', () => {
    expect(ids('`RMI_DATA_DESTROY/rtt_walk`, and `success/top`')).toEqual(['RMI_DATA_DESTROY/rtt_walk', 'RMI_DATA_DESTROY/success/top']);
  });

  it('ignores a bare label with no command before it', () => {
    expect(ids('`rd_state`')).toEqual([]);
  });
});

describe('the catalogue DECISIONS.md', () => {
  const entries = catalogueDecisions();
  const lines = readFileSync(new URL('../../../spec/DECISIONS.md', import.meta.url), 'utf8').split('\n');

  it('is read from the spec package, every entry at its heading', () => {
    expect(entries.length).toBeGreaterThan(30);
    for (const e of entries) expect(lines[e.line - 1]).toMatch(new RegExp(`^## ${e.ids[0]}\\b`));
  });

  it('maps most decisions to catalogue rules', () => {
    expect(entries.find((e) => e.ids[0] === 'D-VMID')!.rules.map((r) => r.id)).toEqual(['RMI_REALM_CREATE/vmid_valid']);
    expect(entries.filter((e) => e.rules.length > 0).length).toBeGreaterThan(30);
  });
});
