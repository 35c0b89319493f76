/**
 * Reports read a coverage file against the whole catalogue: denominators from every command file
 * (a command never called shows 0 of n), and each kind's definition of covered.
 */
import { describe, expect, it } from 'vitest';
import { rawCatalogue, rawInvariants } from '@realmspec/spec';
import { catalogue } from '@realmspec/core';
import { buildReport, count, coverageOf, emptyCoverage, lostSince, markdownReport, summaryLine, uncovered, type CoverageFile } from '../src/index.js';
import { smallRun } from './support.js';

interface RawCommand {
  readonly name: string;
  readonly failures: unknown[];
  readonly success: Array<{ readonly establishedBy?: string }>;
  readonly ordering: Array<{ readonly before: unknown[]; readonly after: unknown[] }>;
}

// Denominators counted from the raw files, not from core's decoded catalogue.
const raw = rawCatalogue().map((f) => f.data as RawCommand);
const totals = {
  failures: raw.reduce((a, c) => a + c.failures.length, 0),
  success: raw.reduce((a, c) => a + c.success.filter((s) => s.establishedBy === undefined).length, 0),
  orderings: raw.reduce((a, c) => a + c.ordering.reduce((b, o) => b + o.before.length * o.after.length, 0), 0),
  invariants: (rawInvariants() as { invariants: unknown[] }).invariants.length,
};

const one = (id: string, c: { reached: number; held: number; decided?: number }): CoverageFile => ({
  ...emptyCoverage(),
  rules: { [id]: { reached: count(c.reached), held: count(c.held), ...(c.decided !== undefined ? { decided: count(c.decided) } : {}) } },
});

describe('denominators', () => {
  it('come from the whole catalogue: an empty file covers 0 of every kind', () => {
    const s = buildReport(emptyCoverage()).summary;
    expect(s.failures).toEqual({ covered: 0, total: totals.failures });
    expect(s.success).toEqual({ covered: 0, total: totals.success });
    expect(s.orderings).toEqual({ covered: 0, total: totals.orderings });
    expect(s.invariants).toEqual({ covered: 0, total: totals.invariants });
    expect(s.rules.total).toBe(totals.failures + totals.success + totals.orderings + totals.invariants);
  });

  it('list every command, called or not, with 0 of n for one never called', () => {
    const r = buildReport(coverageOf(smallRun(), []));
    expect(r.commands.map((c) => c.name)).toEqual(raw.map((c) => c.name));
    const create = r.commands.find((c) => c.name === 'RMI_REALM_CREATE')!;
    expect(create.calls).toBe(0);
    expect(create.tally.failures).toEqual({ covered: 0, total: raw.find((c) => c.name === 'RMI_REALM_CREATE')!.failures.length });
  });

  it('say which commands check their success conditions as post-conditions', () => {
    const r = buildReport(emptyCoverage());
    expect(r.commands.find((c) => c.name === 'RMI_GRANULE_DELEGATE')!.postConditions).toBe(true);
  });

  it('leave out success conditions another command establishes, and show them', () => {
    const established = catalogue.rules.filter((r) => r.establishedBy !== undefined);
    expect(established.length).toBeGreaterThan(0);
    const file: CoverageFile = { ...emptyCoverage(), rules: Object.fromEntries(established.map((r) => [r.id, { reached: count(1), held: count(1) }])) };
    const r = buildReport(file);
    expect(r.summary.success.covered).toBe(0);
    const rows = r.commands.flatMap((c) => c.success).filter((x) => x.rule.establishedBy !== undefined);
    expect(rows.map((x) => [x.counted, x.covered, x.held])).toEqual(established.map(() => [false, false, 1]));
  });
});

describe('covered', () => {
  const row = (f: CoverageFile, id: string) => {
    const r = buildReport(f);
    return [...r.commands.flatMap((c) => [...c.failures, ...c.success]), ...r.invariants].find((x) => x.rule.id === id)!;
  };

  it('a failure condition: when it decided an outcome, not when it was only reached or held', () => {
    expect(row(one('RMI_VERSION/incompatible', { reached: 5, held: 3 }), 'RMI_VERSION/incompatible').covered).toBe(false);
    expect(row(one('RMI_VERSION/incompatible', { reached: 5, held: 3, decided: 1 }), 'RMI_VERSION/incompatible').covered).toBe(true);
  });

  it('a success condition: when it was evaluated and held', () => {
    expect(row(one('RMI_GRANULE_DELEGATE/success/gran_state', { reached: 2, held: 0 }), 'RMI_GRANULE_DELEGATE/success/gran_state').covered).toBe(false);
    expect(row(one('RMI_GRANULE_DELEGATE/success/gran_state', { reached: 2, held: 1 }), 'RMI_GRANULE_DELEGATE/success/gran_state').covered).toBe(true);
  });

  it('an invariant: when it was checked and held', () => {
    expect(row(one('invariant/num_recs', { reached: 2, held: 0 }), 'invariant/num_recs').covered).toBe(false);
    expect(row(one('invariant/num_recs', { reached: 2, held: 2 }), 'invariant/num_recs').covered).toBe(true);
  });

  it('an ordering: when both held and the outcome respected it', () => {
    const o = catalogue.orderings[0]!;
    const at = (both: number, respected: number) => buildReport({ ...emptyCoverage(), orderings: { [o.id]: { both: count(both), respected: count(respected) } } }).commands.flatMap((c) => c.orderings).find((x) => x.id === o.id)!;
    expect(at(3, 0).covered).toBe(false);
    expect(at(3, 1).covered).toBe(true);
  });

  it('a decision: when a rule it names was reached', () => {
    const decisions = [{ ids: ['D-X'], title: 'x', kind: 'decision' as const, line: 1, rules: [catalogue.byId.get('RMI_VERSION/incompatible')!], rulesText: '', unresolved: [] }];
    const unmapped = { ...decisions[0]!, ids: ['D-Y'], rules: [] };
    expect(buildReport(emptyCoverage(), [...decisions, unmapped]).summary.decisions).toEqual({ covered: 0, total: 1 });
    const r = buildReport(one('RMI_VERSION/incompatible', { reached: 1, held: 0 }), [...decisions, unmapped]);
    expect(r.summary.decisions).toEqual({ covered: 1, total: 1 });
    expect(r.decisions.map((d) => [d.mapped, d.exercised])).toEqual([[true, true], [false, false]]);
  });
});

describe('a small run', () => {
  const report = buildReport(coverageOf(smallRun(), []));

  it('covers what it decided and established', () => {
    const delegate = report.commands.find((c) => c.name === 'RMI_GRANULE_DELEGATE')!;
    expect(delegate.failures.filter((x) => x.covered).map((x) => x.rule.label)).toEqual(['gran_align', 'gran_state']);
    expect(delegate.tally.success.covered).toBe(delegate.tally.success.total);
    expect(report.summary.invariants.covered).toBe(catalogue.invariants.filter((r) => r.transition !== true).length);
  });

  it('the uncovered list has every command and every point not covered', () => {
    const u = uncovered(report);
    const points = u.reduce((a, x) => a + x.rules.length + x.orderings.length, 0);
    expect(points).toBe(report.summary.rules.total - report.summary.rules.covered);
    expect(u.find((x) => x.command === 'RMI_GRANULE_DELEGATE')!.rules.map((x) => x.rule.label)).toEqual(['gran_bound', 'gran_gpt']);
  });

  it('the Markdown report has the summary line and one row per command', () => {
    const md = markdownReport(report);
    expect(md).toContain(`**${summaryLine(report.summary)}**`);
    expect(summaryLine(report.summary)).toMatch(/^\d+ of \d+ rules covered \(failure conditions \d+ of \d+,/);
    for (const c of catalogue.commands) expect(md).toMatch(new RegExp(`^\\| ${c.name} \\| ${c.spec.section} \\| \\d+ \\|`, 'm'));
    expect(md).toContain('- `RMI_GRANULE_DELEGATE/gran_bound` (B4.3.5.2): addr is not the PA of a delegable granule — reached 2, held 0, decided 0');
  });

  it('lostSince lists what a baseline covered and the run does not', () => {
    const more = buildReport(coverageOf(smallRun(), []));
    expect(lostSince(more, report)).toEqual([]);
    const less = buildReport(emptyCoverage());
    expect(lostSince(report, less)).toEqual([...report.commands.flatMap((c) => [...c.failures, ...c.success]), ...report.invariants].filter((x) => x.covered).map((x) => x.rule.id).sort((x, y) => catalogue.byId.get(x)!.n - catalogue.byId.get(y)!.n));
  });
});
