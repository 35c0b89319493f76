/**
 * Rule-directed generation: with a fixed seed, the generated runs reach rows that need a
 * particular argument or a state set up first, each of which a seeded fault once hid from a
 * 60-second campaign: a failure condition deciding the outcome (a PSCI status the pending call
 * does not permit, a DATA source outside the Non-secure PAS, an RSI size or index one beyond its
 * bound), and RIPAS ranges that stop at the end of an RTT (out_top below top).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { catalogue, RuleHits } from '@realmspec/core';
import { replayStart, type Step } from '@realmspec/trace';
import { build, MODEL_LIMITS, modelDriverPlatform, runArbitrary } from '../src/index.js';

const platform = modelDriverPlatform(1);
const setting = { platform, limits: MODEL_LIMITS };
const hits = new RuleHits();
const steps: Step[] = [];
for (const ops of fc.sample(runArbitrary(MODEL_LIMITS, 120, 1), { numRuns: 150, seed: 1 })) steps.push(...build(setting, replayStart(platform), ops, hits).model);

const decided = (id: string): number => {
  const r = catalogue.rules.find((x) => x.id === id);
  if (r === undefined) throw new Error(`no rule ${id}`);
  return hits.decided[r.n] as number;
};

/** Successful calls of `name` whose out_top (X1) is below their top argument (argument `top`): the walk stopped early. */
const stoppedEarly = (name: string, top: number): number =>
  steps.filter((s) => s.kind === 'rmi' && s.command?.name === name && s.expect?.status === 'RMI_SUCCESS' && (s.expect.out?.[0] ?? 0n) < (s.args[top] ?? 0n)).length;

describe('rule-directed generation (150 runs, seed 1)', () => {
  it.each(['RMI_PSCI_COMPLETE/status', 'RMI_DATA_CREATE/src_pas', 'RSI_MEASUREMENT_EXTEND/size_bound', 'RSI_MEASUREMENT_READ/index_bound'])('%s decides an outcome', (id) => {
    expect(decided(id)).toBeGreaterThan(0);
  });

  it('RMI_RTT_INIT_RIPAS and RMI_RTT_SET_RIPAS stop at the end of an RTT (out_top < top)', () => {
    expect(stoppedEarly('RMI_RTT_INIT_RIPAS', 2)).toBeGreaterThan(0);
    expect(stoppedEarly('RMI_RTT_SET_RIPAS', 3)).toBeGreaterThan(0);
  });
});
