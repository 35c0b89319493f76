/**
 * The coverage file format realmspec-coverage/1: a file written by encodeCoverage decodes to the
 * same value, and a malformed file is refused with the field that is wrong.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { catalogue } from '@realmspec/core';
import { count, coverageOf, decodeCoverage, encodeCoverage, FORMAT, type CoverageFile } from '../src/index.js';
import { smallRun } from './support.js';

const countArb = fc.nat({ max: 1_000_000 }).map(count);
const fileArb: fc.Arbitrary<CoverageFile> = fc.record({
  format: fc.constant(FORMAT),
  catalogue: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 16, maxLength: 16 }),
  sources: fc.array(
    fc.record(
      { kind: fc.constantFrom('replay', 'vitest', 'conformance', 'campaign', 'explore', 'other' as const), name: fc.string(), at: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), detail: fc.string() },
      { requiredKeys: ['kind', 'name'] },
    ),
  ),
  calls: fc.dictionary(fc.constantFrom(...catalogue.commands.map((c) => c.name)), countArb),
  rules: fc.dictionary(fc.constantFrom(...catalogue.rules.map((r) => r.id)), fc.record({ reached: countArb, held: countArb, decided: countArb }, { requiredKeys: ['reached', 'held'] })),
  orderings: fc.dictionary(fc.constantFrom(...catalogue.orderings.map((o) => o.id)), fc.record({ both: countArb, respected: countArb })),
});

const decode = (x: unknown): E.Either<string[], CoverageFile> => decodeCoverage(JSON.stringify(x), 'f.json');

describe('realmspec-coverage/1', () => {
  it('a file made from hits round-trips through its text', () => {
    const f = coverageOf(smallRun(), [{ kind: 'other', name: 'small run' }]);
    expect(decodeCoverage(encodeCoverage(f), 'f.json')).toEqual(E.right(f));
  });

  it('any file round-trips through its text (property)', () => {
    fc.assert(
      fc.property(fileArb, (f) => {
        expect(decodeCoverage(encodeCoverage(f), 'f.json')).toEqual(E.right(f));
      }),
      { seed: 10, numRuns: 200 },
    );
  });

  it('keys counts by rule id, and leaves out what was never counted', () => {
    const f = coverageOf(smallRun(), []);
    expect(f.rules['RMI_GRANULE_DELEGATE/gran_align']).toEqual({ reached: 3, held: 1, decided: 1 });
    expect(f.rules['RMI_GRANULE_DELEGATE/success/gran_state']).toEqual({ reached: 1, held: 1 });
    expect(f.rules['RMI_REALM_CREATE/rd_align']).toBeUndefined();
    expect(f.calls).toEqual({ RMI_GRANULE_DELEGATE: 3, RMI_REALM_ACTIVATE: 1 });
    expect(Object.keys(f.rules).every((id) => catalogue.byId.has(id))).toBe(true);
  });

  it('refuses a malformed file, naming the field', () => {
    const good = coverageOf(smallRun(), []);
    expect(decode({ ...good, rules: { 'RMI_VERSION/incompatible': { reached: -1, held: 0 } } })).toEqual(E.left(['f.json: rules.RMI_VERSION/incompatible.reached: expected Count, got -1']));
    expect(decode({ ...good, sources: [{ kind: 'fuzz', name: 'x' }] })).toEqual(E.left(['f.json: sources.0.kind: expected SourceKind, got "fuzz"']));
    expect(decode({ ...good, calls: { RMI_VERSION: 1.5 } })).toEqual(E.left(['f.json: calls.RMI_VERSION: expected Count, got 1.5']));
    expect(decode({ ...good, format: 'realmspec-coverage/2' })).toEqual(E.left(['f.json: format "realmspec-coverage/2" is not realmspec-coverage/1']));
    const { orderings: _, ...noOrderings } = good;
    expect(decode(noOrderings)).toEqual(E.left(['f.json: orderings: expected { [K in string]: OrderingCounters }, got nothing']));
    expect(decodeCoverage('{', 'f.json')).toMatchObject(E.left([expect.stringMatching(/^f\.json: not JSON: /)]));
  });
});
