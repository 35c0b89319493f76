/**
 * Judging an implementation's answers to one run against the spec's permitted outcomes
 * (`replayStep` of `@realmspec/trace`, DEN0137 B1.6). An answer equal to the model's agrees at
 * once; another is replayed against the permitted set. After a divergence, judging goes on
 * where the model can follow the state the implementation reached, and the run is cut where it
 * cannot:
 * - followed: the implementation answered a failure (a command that fails changes nothing,
 *   B1.6, so its state is the one before the step); the step changes nothing in any case (a
 *   read, RMI_RTT_READ_ENTRY, RMI_FEATURES, RMI_VERSION, RMI_REC_AUX_COUNT); a Host write the
 *   implementation faulted.
 * - cut: a crash; a success where the spec requires a failure; a success with other outputs, REC
 *   exit or Realm call results; a write that succeeded where the model faulted. The steps after
 *   it are not judged, and the judgement says so.
 *
 * @packageDocumentation
 */
import { stateHash, type RmmState, type RuleHits } from '@realmspec/core';
import { replayStep, type Shown, type Step, type StepOutcome } from '@realmspec/trace';
import type { Built } from './gen/build.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What differs in a divergent answer. */
export type DivergenceKind = 'status' | 'index' | 'output' | 'exit' | 'realm-call' | 'memory' | 'crash' | 'error';

/** One answer the spec does not permit. */
export interface Divergence {
  /** Index of the step in the run. */
  readonly step: number;
  /** Its line in the run's trace. */
  readonly line: number;
  /** The command (an RSI or PSCI command for a Realm call's answer; HOST_WRITE, HOST_READ for memory). */
  readonly command: string;
  /** The catalogue rule it breaks (`COMMAND/success` when the model succeeded and names no rule). */
  readonly rule: string;
  /** What differs. */
  readonly kind: DivergenceKind;
  /** One line per expectation the spec does not permit. */
  readonly mismatches: readonly string[];
  /** What the model did. */
  readonly model: { readonly [k: string]: Shown };
  /** What the implementation answered. */
  readonly answer: { readonly [k: string]: Shown };
}

/** The judgement of one run. */
export interface Judgement {
  /** Every divergence, in step order. */
  readonly divergences: readonly Divergence[];
  /** Steps judged. */
  readonly judged: number;
  /** Steps whose answer differed from the model's but is one the spec permits. */
  readonly permitted: number;
  /** Divergences after which judging followed the implementation's state. */
  readonly followed: number;
  /** Where judging stopped before the end, and why. */
  readonly cut: { readonly step: number; readonly why: string } | undefined;
}

// -------------------------------------------------------------------------------------
// comparing
// -------------------------------------------------------------------------------------

/** Deep equality of expectation values (bigint, byte arrays, arrays, plain objects). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Uint8Array) return b instanceof Uint8Array && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Whether two answered steps carry the same answer. */
export function sameAnswer(a: Step, b: Step): boolean {
  if (a.kind === 'rmi' && b.kind === 'rmi') {
    if (!same(a.expect, b.expect)) return false;
    const ra = a.realm ?? [];
    const rb = b.realm ?? [];
    return ra.length === rb.length && ra.every((x, k) => x.kind !== 'call' || same(x.expect, (rb[k] as { expect?: unknown }).expect));
  }
  if (a.kind === 'write' && b.kind === 'write') return a.expectFault === b.expectFault && a.crash === b.crash && a.checked === b.checked;
  if (a.kind === 'read' && b.kind === 'read') return same(a.expect, b.expect);
  return false;
}

// -------------------------------------------------------------------------------------
// classifying
// -------------------------------------------------------------------------------------

const READ_ONLY = new Set(['RMI_RTT_READ_ENTRY', 'RMI_FEATURES', 'RMI_VERSION', 'RMI_REC_AUX_COUNT']);

/** The command a step calls, for reports. */
export function commandName(step: Step): string {
  if (step.kind === 'write') return 'HOST_WRITE';
  if (step.kind === 'read') return 'HOST_READ';
  return step.command?.name ?? `SMC(0x${step.fid.toString(16)})`;
}

/** The command, rule and kind of a divergent outcome. */
export function classify(o: StepOutcome, step: Step): Pick<Divergence, 'command' | 'rule' | 'kind'> {
  const first = o.mismatches[0] ?? '';
  const base = commandName(step);
  const realm = /^realm\.(\d+)\./.exec(first);
  if (o.error !== undefined && o.mismatches.length === 0) return { command: base, rule: `${base}/success`, kind: 'error' };
  if (first.startsWith('crash:')) return { command: base, rule: o.rules[0] ?? (typeof o.got.rule === 'string' ? o.got.rule : `${base}/success`), kind: 'crash' };
  if (realm !== null && step.kind === 'rmi') {
    const a = step.realm?.[Number(realm[1])];
    const name = a?.kind === 'call' ? (a.command?.name ?? 'REALM_CALL') : 'REALM_CALL';
    return { command: name, rule: o.rules.find((r) => r.startsWith(`${name}/`)) ?? `${name}/success`, kind: 'realm-call' };
  }
  const kind: DivergenceKind = first.startsWith('exit.') ? 'exit' : first.startsWith('index') ? 'index' : first.startsWith('out') ? 'output' : first.startsWith('bytes') || first.startsWith('fault') ? 'memory' : 'status';
  const rule = o.rules[0] ?? (typeof o.got.rule === 'string' ? o.got.rule : kind === 'exit' ? 'RMI_REC_ENTER/success/rec_exit' : `${base}/success`);
  return { command: base, rule, kind };
}

/** How judging goes on after divergent step `step` answered `answer`: from the state before it, after it, or not at all. */
function follow(step: Step, answer: Step, kind: DivergenceKind): 'pre' | 'post' | undefined {
  if (kind === 'crash' || kind === 'error') return undefined;
  if (answer.kind === 'rmi') {
    const e = answer.expect;
    const failed = e !== undefined && ((e.status !== undefined && e.status !== 'RMI_SUCCESS') || (e.x0 !== undefined && e.x0 !== 0n));
    if (failed) return 'pre';
    return READ_ONLY.has(step.kind === 'rmi' ? (step.command?.name ?? '') : '') ? 'post' : undefined;
  }
  if (answer.kind === 'read') return 'post';
  return answer.expectFault ? 'pre' : undefined;
}

// -------------------------------------------------------------------------------------
// judging
// -------------------------------------------------------------------------------------

/** Options of {@link judgeRun}. */
export interface JudgeOptions {
  /** Demand the model's own answer (a permitted alternative is a divergence). */
  readonly strict?: boolean;
  /** Count the rules of replayed steps here. */
  readonly hits?: RuleHits;
}

/** Judges the implementation's answers `answers` to run `built` (one answered step per step). */
export function judgeRun(built: Built, answers: readonly Step[], options: JudgeOptions = {}): Judgement {
  const divergences: Divergence[] = [];
  let permitted = 0;
  let followed = 0;
  let s: RmmState = built.states[0] as RmmState;
  let inStep = true; // the judged state is the model's own state of the run
  for (let k = 0; k < built.steps.length; k++) {
    const answer = answers[k] as Step;
    if (inStep && sameAnswer(answer, built.model[k] as Step)) {
      s = built.states[k + 1] as RmmState;
      continue;
    }
    const [next, o] = replayStep(s, answer, options.hits, { strict: options.strict === true });
    if (o.ok && o.error === undefined) {
      if (o.permitted.length > 0) permitted++;
      s = next;
      inStep = inStep && stateHash(next) === stateHash(built.states[k + 1] as RmmState);
      continue;
    }
    const step = built.steps[k] as Step;
    const c = classify(o, step);
    divergences.push({ step: k, line: step.line, ...c, mismatches: o.error !== undefined ? [...o.mismatches, o.error] : o.mismatches, model: o.got, answer: o.expected });
    const how = follow(step, answer, c.kind);
    if (how === undefined) {
      const why = c.kind === 'crash' ? 'the implementation crashed' : c.kind === 'error' ? 'the step could not run' : 'the implementation reached a state the model cannot compute (it succeeded where the spec requires another answer)';
      return { divergences, judged: k + 1, permitted, followed, cut: k + 1 < built.steps.length ? { step: k, why } : undefined };
    }
    followed++;
    s = how === 'pre' ? s : next;
    inStep = false;
  }
  return { divergences, judged: built.steps.length, permitted, followed, cut: undefined };
}
