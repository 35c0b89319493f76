/**
 * Coverage data: merging sums every counter and unites the sources; a file produced against
 * another catalogue is merged with a warning naming what this catalogue does not know; collect()
 * records a run made without hits.
 */
import { describe, expect, it } from 'vitest';
import { catalogue, initialState, RuleHits, smc } from '@realmspec/core';
import { setRecording } from '@realmspec/core/internal';
import { catalogueDigest, collect, count, coverageOf, mergeCoverage, type CoverageFile } from '../src/index.js';
import { G, smallRun } from './support.js';

const a = coverageOf(smallRun(), [{ kind: 'replay', name: 'a.jsonl' }]);
const b = coverageOf(smallRun(), [{ kind: 'replay', name: 'b.jsonl' }, { kind: 'replay', name: 'a.jsonl' }]);

describe('mergeCoverage', () => {
  it('sums every counter and unites the sources', () => {
    const { coverage: m, warnings } = mergeCoverage([{ name: 'a', coverage: a }, { name: 'b', coverage: b }]);
    expect(warnings).toEqual([]);
    expect(m.sources).toEqual([{ kind: 'replay', name: 'a.jsonl' }, { kind: 'replay', name: 'b.jsonl' }]);
    expect(m.calls).toEqual({ RMI_GRANULE_DELEGATE: 6, RMI_REALM_ACTIVATE: 2 });
    expect(m.rules['RMI_GRANULE_DELEGATE/gran_align']).toEqual({ reached: 6, held: 2, decided: 2 });
    for (const id of Object.keys(a.rules)) expect(m.rules[id]?.reached).toBe(2 * (a.rules[id]?.reached ?? 0));
  });

  it('equals the file of the merged hits', () => {
    const h = smallRun();
    h.merge(smallRun());
    const { coverage: m } = mergeCoverage([{ name: 'a', coverage: a }, { name: 'b', coverage: { ...a, sources: [] } }]);
    expect(m).toEqual(coverageOf(h, a.sources));
  });

  it('drops the summary of its inputs', () => {
    const withSummary = { ...a, summary: { rules: { covered: count(1), total: count(1) } } } as unknown as CoverageFile;
    expect(mergeCoverage([{ name: 'a', coverage: withSummary }]).coverage.summary).toBeUndefined();
  });

  it('warns about rules, orderings and commands another catalogue had, and keeps their counts', () => {
    const other: CoverageFile = {
      ...a,
      catalogue: '0123456789abcdef',
      calls: { ...a.calls, RMI_GONE: count(1) },
      rules: { ...a.rules, 'RMI_GONE/x': { reached: count(1), held: count(0) } },
      orderings: { 'RMI_GONE/order/x<y': { both: count(1), respected: count(1) } },
    };
    const { coverage: m, warnings } = mergeCoverage([{ name: 'old.json', coverage: other }]);
    expect(warnings).toEqual([
      `old.json: 3 coverage point(s) not in this catalogue, not reported (it was produced against catalogue 0123456789abcdef, this is ${catalogueDigest()}): RMI_GONE/x, RMI_GONE/order/x<y, command RMI_GONE`,
    ]);
    expect(m.rules['RMI_GONE/x']).toEqual({ reached: 1, held: 0 });
  });

  it('warns when a file names another catalogue even if every point it counts is known', () => {
    const { warnings } = mergeCoverage([{ name: 'old.json', coverage: { ...a, catalogue: 'ffffffffffffffff' } }]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^old\.json: produced against catalogue ffffffffffffffff/);
  });
});

describe('catalogueDigest', () => {
  it('changes with the catalogue', () => {
    expect(catalogueDigest()).toMatch(/^[0-9a-f]{16}$/);
    expect(catalogueDigest({ ...catalogue, rules: catalogue.rules.slice(1) })).not.toBe(catalogueDigest());
  });
});

describe('collect', () => {
  it('counts a run made without hits, and hands the counts to the recorder in place before', () => {
    const outer = new RuleHits();
    const was = setRecording(outer);
    try {
      const { result, coverage } = collect([{ kind: 'explore', name: 'one delegate' }], () => smc(initialState(), [0xc4000151n, G(3)]).regs[0]);
      expect(result).toBe(0n);
      expect(coverage.sources).toEqual([{ kind: 'explore', name: 'one delegate' }]);
      expect(coverage.calls).toEqual({ RMI_GRANULE_DELEGATE: 1 });
      expect(coverage.rules['RMI_GRANULE_DELEGATE/success/gran_state']).toEqual({ reached: 1, held: 1 });
      expect(outer.calls.get('RMI_GRANULE_DELEGATE')).toBe(1);
    } finally {
      expect(setRecording(was)).toBe(outer);
    }
  });

  it('leaves the recorder as it was when the run throws', () => {
    const was = setRecording(undefined);
    try {
      expect(() => collect([], () => { throw new Error('boom'); })).toThrow('boom');
      expect(setRecording(undefined)).toBeUndefined();
    } finally {
      setRecording(was);
    }
  });
});
