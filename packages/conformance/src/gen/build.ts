/**
 * Building a run: abstract operations resolved one after another against the model, which runs
 * alongside, so every operation sees the state the earlier ones made. The model's own answers
 * and states are kept: judging compares an implementation's answers with them first, and
 * replays a step against the spec's permitted outcomes only where they differ.
 *
 * @packageDocumentation
 */
import type { RmmState, RuleHits } from '@realmspec/core';
import type { Step } from '@realmspec/trace';
import { answerStep, bare, modelImplWith } from '../impl.js';
import { resolveHost } from './host.js';
import type { Op } from './ops.js';
import { View, type Setting } from './world.js';

/** A run: the steps to send, the model's answers, and the model's state before each step. */
export interface Built {
  /** The steps, without expectations, numbered as lines of a trace with a header on line 1. */
  readonly steps: readonly Step[];
  /** The same steps answered by the model. */
  readonly model: readonly Step[];
  /** The model's state before each step, and after the last. */
  readonly states: readonly RmmState[];
  /** The operation each step came from. */
  readonly opOf: readonly number[];
}

/** Resolves and runs `ops` from `start`, counting the rules the model's calls reach in `hits`. */
export function build(setting: Setting, start: RmmState, ops: readonly Op[], hits?: RuleHits): Built {
  const impl = modelImplWith(hits);
  const steps: Step[] = [];
  const model: Step[] = [];
  const states: RmmState[] = [];
  const opOf: number[] = [];
  let s = start;
  ops.forEach((op, i) => {
    for (const raw of resolveHost(new View(s, setting), op)) {
      states.push(s);
      const [next, answered, ran] = answerStep(impl, s, { ...raw, line: steps.length + 2 });
      // Realm steps after the REC exit (or given to an entry that failed) would be an error of
      // the trace: the step sent is cut where the model's Realm stopped.
      const cut = ran !== undefined && answered.kind === 'rmi' && answered.realm !== undefined && ran < answered.realm.length ? { ...answered, realm: answered.realm.slice(0, ran) } : answered;
      steps.push(bare(cut));
      model.push(cut);
      opOf.push(i);
      s = next;
    }
  });
  states.push(s);
  return { steps, model, states, opOf };
}

/** A run of given trace steps (a fixture, a trace read back): the model's answers and states, as {@link build} gives them. */
export function builtOf(start: RmmState, given: readonly Step[], hits?: RuleHits): Built {
  const impl = modelImplWith(hits);
  const steps: Step[] = [];
  const model: Step[] = [];
  const states: RmmState[] = [];
  let s = start;
  for (const raw of given) {
    states.push(s);
    const [next, answered] = answerStep(impl, s, bare(raw));
    steps.push(bare(raw));
    model.push(answered);
    s = next;
  }
  states.push(s);
  return { steps, model, states, opOf: steps.map((_x, i) => i) };
}
