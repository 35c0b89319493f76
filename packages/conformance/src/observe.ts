/**
 * What one driver run shows: the divergences of its answers, or a failure of the driver itself
 * (a crash of the process, a hang, OUT not answering IN). Each observation has a group key,
 * (command, rule, kind): findings are grouped by it and one trace is shrunk per group.
 *
 * @packageDocumentation
 */
import type { Shown, Step } from '@realmspec/trace';
import type { DriverResult } from './driver.js';
import type { Built } from './gen/build.js';
import { judgeRun, type DivergenceKind, type Judgement, type JudgeOptions } from './judge.js';

/** What a finding is about: a divergence of an answer, or a failure of the driver. */
export type FindingKind = DivergenceKind | 'driver-failed' | 'timeout' | 'protocol';

/** One thing a run showed that the spec does not permit. */
export interface Observation {
  /** `command|rule|kind`. */
  readonly key: string;
  /** The command (DRIVER for a failure of the driver). */
  readonly command: string;
  /** The rule (for a driver failure: what failed). */
  readonly rule: string;
  /** The kind. */
  readonly kind: FindingKind;
  /** The step it is at (-1: the whole run). */
  readonly step: number;
  /** Its line in the run's IN trace. */
  readonly line: number;
  /** What differs, or what the driver said. */
  readonly mismatches: readonly string[];
  /** What the model did. */
  readonly model: { readonly [k: string]: Shown };
  /** What the implementation answered. */
  readonly answer: { readonly [k: string]: Shown };
  /** What judging did after it: `followed`, `cut: WHY`, or `last` (nothing came after it). */
  readonly after: string;
}

/** The group key of (command, rule, kind). */
export function groupKey(command: string, rule: string, kind: FindingKind): string {
  return `${command}|${rule}|${kind}`;
}

/** The observations of one run, with the run's judgement when the driver answered. */
export function observe(built: Built, result: DriverResult, options: JudgeOptions & { readonly driver?: string; readonly run?: number } = {}): { readonly observations: readonly Observation[]; readonly judgement: Judgement | undefined } {
  const who = `driver '${options.driver ?? '?'}', run ${options.run ?? '?'}`;
  if (result.kind === 'answers') {
    const j = judgeRun(built, result.steps, options);
    const observations = j.divergences.map((d, i): Observation => {
      const last = i === j.divergences.length - 1;
      const after = last && j.cut !== undefined ? `cut: ${j.cut.why}; the ${built.steps.length - d.step - 1} step(s) after it were not judged` : last && d.step === built.steps.length - 1 ? 'last' : 'followed';
      const mismatches = d.kind === 'crash' ? d.mismatches.map((m) => `${who}, step ${d.step + 1} (line ${d.line}): ${m}`) : d.mismatches;
      return { key: groupKey(d.command, d.rule, d.kind), command: d.command, rule: d.rule, kind: d.kind, step: d.step, line: d.line, mismatches, model: d.model, answer: d.answer, after };
    });
    return { observations, judgement: j };
  }
  if (result.kind === 'cannot') return { observations: [], judgement: undefined };
  const none = { model: {}, answer: {}, step: -1, line: 0, after: 'cut: the driver gave no answers' };
  if (result.kind === 'timeout') return { observations: [{ ...none, key: groupKey('DRIVER', 'timeout', 'timeout'), command: 'DRIVER', rule: 'timeout', kind: 'timeout', mismatches: [`${who}: the driver did not exit within ${result.ms} ms (killed); the run had ${built.steps.length} steps`] }], judgement: undefined };
  if (result.kind === 'failed') {
    const rule = result.status;
    return { observations: [{ ...none, key: groupKey('DRIVER', rule, 'driver-failed'), command: 'DRIVER', rule, kind: 'driver-failed', mismatches: [`${who}: the driver failed (${result.status})${result.stderr !== '' ? `: ${result.stderr}` : ''}`] }], judgement: undefined };
  }
  const rule = (result.problems[0] ?? '').replace(/^OUT:\d+: /, 'OUT: ').replace(/step \d+ \(IN line \d+\)/, 'a step').replace(/0x[0-9a-f]+/g, 'V').replace(/\d+/g, 'N').slice(0, 80);
  return { observations: [{ ...none, key: groupKey('DRIVER', rule, 'protocol'), command: 'DRIVER', rule, kind: 'protocol', mismatches: result.problems.map((p) => `${who}: ${p}`) }], judgement: undefined };
}

/** The steps of a run answered by the implementation, up to and including step `upTo`. */
export function answeredPrefix(result: DriverResult, built: Built, upTo: number): readonly Step[] {
  if (result.kind !== 'answers' || upTo < 0) return built.steps;
  return result.steps.slice(0, upTo + 1);
}

const SUCCESS = new Set(['RMI_SUCCESS', 'RSI_SUCCESS', 'PSCI_SUCCESS']);

/**
 * Whether the model's run `built` could show observation `o` again: a step calls `o.command` (a
 * Realm call inside RMI_REC_ENTER for a Realm command) and the model's answer there is a success
 * when `o.rule` is a success condition, a failure when it is a failure condition. A necessary
 * condition, checked in-process: a shrink candidate that fails it is not sent to the driver.
 */
export function couldShow(built: Built, o: Observation): boolean {
  if (o.command === 'DRIVER' || o.kind === 'crash' || o.kind === 'error') return true;
  const success = /\/success(\/|$)/.test(o.rule);
  const fits = (status: unknown, x0: unknown): boolean => (status === undefined ? x0 === undefined || success === (x0 === 0n) : success === SUCCESS.has(status as string));
  for (const m of built.model) {
    if (m.kind === 'rmi') {
      if (m.command?.name === o.command && (o.kind === 'exit' || fits(m.expect?.status, m.expect?.x0))) return true;
      for (const a of m.realm ?? []) if (a.kind === 'call' && a.command?.name === o.command && (a.expect === undefined || fits(a.expect.status, a.expect.x0))) return true;
    } else if ((m.kind === 'write' ? 'HOST_WRITE' : 'HOST_READ') === o.command) return true;
  }
  return false;
}
