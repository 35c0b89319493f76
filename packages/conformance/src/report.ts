/**
 * Reporting a campaign: the shrunk trace of a finding (a trace-v1 file `realmspec replay`
 * reproduces, with the model's expectation, the implementation's answer and the rules in
 * comments), the summary table, JSON Lines objects, and the rule coverage.
 *
 * @packageDocumentation
 */
import { catalogue, type RuleHits } from '@realmspec/core';
import { commentLines, describeStep, headerLine, stepLine, type Step } from '@realmspec/trace';
import type { DriverResult } from './driver.js';
import type { Built } from './gen/build.js';
import type { Setting } from './gen/world.js';
import type { Observation } from './observe.js';
import type { CampaignResult, Finding } from './result.js';

/** What {@link findingTrace} writes about. */
export interface FindingContext {
  readonly id: number;
  readonly driver: string;
  readonly seed: number;
  readonly setting: Setting;
  readonly built: Built;
  readonly result: DriverResult;
  readonly observation: Observation;
  readonly waived: string | undefined;
}

/**
 * The trace of a finding: comments, the driver's platform, and the steps up to the divergent
 * one, each with the implementation's answer as its expectation, so that replaying it against
 * the model reports the divergence on its last step (exit status 1). For a failure of the driver
 * (no answers), the steps as sent.
 */
export function findingTrace(c: FindingContext): string {
  const o = c.observation;
  const answered = c.result.kind === 'answers' && o.step >= 0;
  const steps: readonly Step[] = answered ? (c.result as { steps: readonly Step[] }).steps.slice(0, o.step + 1) : c.built.steps;
  const at = o.step >= 0 ? (c.built.steps[o.step] as Step) : undefined;
  const comments = [
    `realmspec conform: finding ${c.id}: ${o.command} [${o.rule}] (${o.kind})${c.waived !== undefined ? `, waived: ${c.waived}` : ''}`,
    `driver: ${c.driver}`,
    `seed: ${c.seed}; ${steps.length} step(s)`,
    ...(at !== undefined ? [`divergence at the last step: ${describeStep(at)}`] : []),
    ...o.mismatches.map((m) => `  ${m}`),
    ...(at !== undefined ? [`the model: ${JSON.stringify(o.model)}`, `the implementation: ${JSON.stringify(o.answer)}`] : []),
    `after it: ${o.after}`,
    answered ? 'every step carries the implementation\'s answer: `realmspec replay FILE` reproduces the divergence (exit status 1)' : 'the steps as sent to the driver (it gave no answers); run the driver on this file to reproduce',
  ];
  const cl = commentLines(comments.join('\n'));
  return [...cl, headerLine(c.setting.platform, c.setting.limits), ...steps.map((s) => stepLine(s))].join('\n') + '\n';
}

/** A finding as a JSON Lines object. */
export function findingJson(f: Finding, file?: string): Record<string, unknown> {
  return {
    type: 'finding',
    id: f.id,
    group: f.group,
    command: f.command,
    rule: f.rule,
    kind: f.kind,
    waived: f.waived ?? null,
    foundAtMs: Math.round(f.foundAtMs),
    shrinkMs: Math.round(f.shrinkMs),
    shrinkRuns: f.shrinkRuns,
    steps: f.steps,
    line: f.observation.step >= 0 ? f.observation.step + 1 : null,
    mismatches: f.observation.mismatches,
    model: f.observation.model,
    implementation: f.observation.answer,
    after: f.observation.after,
    ...(file !== undefined ? { trace: file } : {}),
  };
}

/** The totals of a campaign's rule coverage (DEN0137 B1.6): failure conditions that decided an outcome, success conditions that held. */
export interface CoverageTotals {
  /** Failure conditions that held at least once. */
  readonly failuresHeld: number;
  /** Failure conditions that were the failure reported at least once. */
  readonly failuresDecided: number;
  /** Failure conditions of the catalogue. */
  readonly failures: number;
  /** Success conditions (not established by another) that held at least once. */
  readonly successHeld: number;
  /** Success conditions of the catalogue (not established by another). */
  readonly success: number;
}

/** The totals of the rule coverage `hits` (the counters themselves go to a `realmspec-coverage/1` file, `@realmspec/coverage`). */
export function coverageTotals(hits: RuleHits): CoverageTotals {
  const failures = catalogue.rules.filter((r) => r.kind === 'failure');
  const success = catalogue.rules.filter((r) => r.kind === 'success' && r.establishedBy === undefined);
  return {
    failuresHeld: failures.filter((r) => (hits.held[r.n] as number) > 0).length,
    failuresDecided: failures.filter((r) => (hits.decided[r.n] as number) > 0).length,
    failures: failures.length,
    successHeld: success.filter((r) => (hits.held[r.n] as number) > 0).length,
    success: success.length,
  };
}

/** The summary as a JSON Lines object. */
export function summaryJson(r: CampaignResult, exitCode: number): Record<string, unknown> {
  const totals = coverageTotals(r.hits);
  return {
    type: 'summary',
    runs: r.runs,
    steps: r.steps,
    judged: r.judged,
    stepsPerSecond: Math.round(r.steps / Math.max(0.001, r.elapsedMs / 1000)),
    elapsedMs: Math.round(r.elapsedMs),
    findings: r.groups.length,
    waived: r.waived,
    occurrences: r.groups.reduce((a, g) => a + g.count, 0),
    discarded: r.discarded,
    permitted: r.permitted,
    followed: r.followed,
    cut: r.cut,
    coverage: totals,
    interrupted: r.interrupted,
    exitCode,
  };
}

/** The summary table: one row per group, then the totals. */
export function summaryLines(r: CampaignResult, files: ReadonlyMap<number, string> = new Map()): string[] {
  const rows = r.groups.map((g) => [String(g.id), g.command, g.rule, g.kind, String(g.count), String(g.steps.shrunk), g.waived !== undefined ? 'waived' : '', files.get(g.id) ?? '']);
  const head = ['#', 'command', 'rule', 'kind', 'runs', 'steps', '', 'trace'];
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((x) => (x[k] as string).length)));
  const line = (x: readonly string[]): string => x.map((v, k) => v.padEnd(widths[k] as number)).join('  ').trimEnd();
  const cov = { totals: coverageTotals(r.hits) };
  const secs = r.elapsedMs / 1000;
  return [
    ...(rows.length > 0 ? [line(head), ...rows.map(line), ''] : []),
    `${r.runs} runs, ${r.steps} steps (${Math.round(r.steps / Math.max(0.001, secs))} steps/s) in ${secs.toFixed(1)} s; ${r.discarded} discarded (the driver cannot express them)`,
    `${r.permitted} answers other than the model's that the spec permits; after a divergence judging followed ${r.followed} time(s) and cut ${r.cut} run(s)`,
    `rule coverage: ${cov.totals.failuresDecided}/${cov.totals.failures} failure conditions decided an outcome, ${cov.totals.successHeld}/${cov.totals.success} success conditions held`,
    `${r.groups.length} finding(s), ${r.waived} waived${r.interrupted ? ' (interrupted)' : ''}`,
  ];
}
