/**
 * The mutant catalogue: at least 40 mutants, spread over every command area and kind of
 * mistake, each with a fixed trace (test/fixtures/mutants/ID.jsonl) on which it answers
 * otherwise than the model. The harness judges every non-permitted mutant's answers as a
 * divergence, and the negative controls (another failure of the permitted set) as permitted,
 * except with --strict: no mutant is equivalent to the model.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { catalogue } from '@realmspec/core';
import { parseTrace, replayStart } from '@realmspec/trace';
import { answerSteps, builtOf, judgeRun, modelDriverPlatform, modelImpl, mutants, sameAnswer } from '../src/index.js';

const platform = modelDriverPlatform(1);
const fixture = (id: string) => {
  const r = parseTrace(readFileSync(new URL(`./fixtures/mutants/${id}.jsonl`, import.meta.url), 'utf8'));
  if (E.isLeft(r)) throw new Error(r.left.map((e) => `${e.line}: ${e.message}`).join('\n'));
  return r.right.steps;
};

describe('the mutant catalogue', () => {
  it('has at least 40 mutants that the spec forbids, over every command area and kind of mistake', () => {
    const real = mutants.filter((m) => m.permitted !== true);
    expect(real.length).toBeGreaterThanOrEqual(40);
    expect(new Set(mutants.map((m) => m.area))).toEqual(new Set(['granule', 'realm', 'rec', 'rtt', 'data', 'ripas', 'rec-exit', 'rsi', 'psci', 'features']));
    expect(new Set(mutants.map((m) => m.kind))).toEqual(
      new Set(['order-permitted', 'order-outside', 'missing-check', 'wrong-status', 'wrong-index', 'wrong-output', 'wrong-state', 'wrong-measurement', 'wrong-exit', 'off-by-one', 'crash']),
    );
  });

  it('names a catalogue rule (or an ordering of one) for every mutant', () => {
    for (const m of mutants) {
      const [command, second] = m.rule.split('/');
      expect(catalogue.byName.has(command as string), m.id).toBe(true);
      if (second !== undefined && second !== 'order') expect(catalogue.byId.has(m.rule), `${m.id}: ${m.rule}`).toBe(true);
    }
  });

  for (const m of mutants) {
    it(`${m.id}: answers otherwise than the model on its fixed trace, and the harness ${m.permitted === true ? 'accepts it as permitted (not with --strict)' : 'reports it'}`, () => {
      const built = builtOf(replayStart(platform), fixture(m.id));
      const answers = answerSteps(m.wrap(modelImpl), replayStart(platform), built.steps);
      expect(answers.some((a, k) => !sameAnswer(a, built.model[k] as never)), 'the mutant changes an answer').toBe(true);
      const j = judgeRun(built, answers);
      if (m.permitted === true) {
        expect(j.divergences).toEqual([]);
        expect(j.permitted).toBeGreaterThan(0);
        expect(judgeRun(built, answers, { strict: true }).divergences.length).toBeGreaterThan(0);
      } else expect(j.divergences.length, JSON.stringify(j.divergences[0] ?? j)).toBeGreaterThan(0);
    });
  }
});
