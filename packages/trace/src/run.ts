/**
 * Replaying a decoded trace against the model: every step runs, in order, on one evolving
 * state, and every expectation is compared; nothing stops at the first mismatch.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  decodeRmiResult,
  decodeStruct,
  psciStatusName,
  rsiStatusName,
  encodeStructInto,
  granuleBytes,
  granuleIndex,
  hostRead,
  hostWrite,
  initialState,
  recExitReasonName,
  RmiRealmParams,
  RmiRecEnter,
  RmiRecExit,
  RmiRecParams,
  SMCCC_NOT_SUPPORTED,
  smc,
  withAttestation,
  type AttestationPort,
  type Layout,
  type Platform,
  type RealmAction as CoreRealmAction,
  type RealmStepResult,
  type RunResult,
  type RmmState,
  type RuleHits,
} from '@realmspec/core';
import { hex } from '@realmspec/core/internal';
import { bootHes } from '@realmspec/hes';
import type { RealmAction, Step, Trace } from './parse.js';
import { joinJudged, judgeExit, judgeRealmCall, judgeRmi } from './judge.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A JSON-friendly value: 64-bit values are written as hex strings. */
export type Shown = string | number | boolean | null | Shown[] | { readonly [k: string]: Shown };

/** The outcome of one step. */
export interface StepOutcome {
  /** The step. */
  readonly step: Step;
  /** Whether the step carried an expectation (counted in the closing line). */
  readonly checked: boolean;
  /** Whether every expectation held (true when there was none and the step ran). */
  readonly ok: boolean;
  /** Why the step could not run, if it could not. */
  readonly error: string | undefined;
  /** What happened. */
  readonly got: { readonly [k: string]: Shown };
  /** What was expected (only the fields the trace gave). */
  readonly expected: { readonly [k: string]: Shown };
  /** One line per expectation that did not hold. */
  readonly mismatches: readonly string[];
  /** One line per expectation that differs from the model's answer but that the spec permits (DEN0137 B1.6). */
  readonly permitted: readonly string[];
  /** The catalogue rules behind the verdicts (a permitted failure's rule, the permitted set of a mismatch). */
  readonly rules: readonly string[];
}

/** The result of a replay. */
export interface ReplayResult {
  /** One outcome per step, in file order. */
  readonly outcomes: readonly StepOutcome[];
  /** The final state. */
  readonly state: RmmState;
}


// -------------------------------------------------------------------------------------
// steps
// -------------------------------------------------------------------------------------

const layouts: Readonly<Record<'realmParams' | 'recParams' | 'recEnter', Layout>> = {
  realmParams: RmiRealmParams,
  recParams: RmiRecParams,
  recEnter: RmiRecEnter,
};

function payloadBytes(s: RmmState, step: Extract<Step, { kind: 'write' }>): Uint8Array {
  const p = step.payload;
  if (p.kind === 'bytes') return p.bytes;
  const layout = layouts[p.kind];
  // recEnter fills the first half of an RmiRecRun and keeps the exit half as it is.
  const g = p.kind === 'recEnter' ? new Uint8Array(granuleBytes(s, granuleIndex(step.pa))) : new Uint8Array(4096);
  encodeStructInto(layout, p.fields, g);
  return g;
}

function showExpect(e: object): { [k: string]: Shown } {
  const out: { [k: string]: Shown } = {};
  for (const [k, v] of Object.entries(e)) out[k] = show(v);
  return out;
}

function show(v: unknown): Shown {
  if (typeof v === 'bigint') return hex(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (Array.isArray(v)) return v.map(show);
  if (v === undefined) return null;
  if (typeof v === 'object' && v !== null) return showExpect(v);
  return v as Shown;
}

function runRmi(s: RmmState, step: Extract<Step, { kind: 'rmi' }>, hits: RuleHits | undefined, strict: boolean): [RmmState, StepOutcome] {
  const expected = step.expect === undefined ? {} : showExpect(step.expect);
  if (step.command?.name === 'RMI_REC_ENTER') return runRecEnter(s, step, hits, expected, strict);
  const call = [step.fid, ...step.args];
  const r = smc(s, call, hits);
  const j = judgeRmi(s, call, r, step.expect, strict);
  const d = decodeRmiResult(r.regs[0] as bigint);
  const got: { [k: string]: Shown } = {
    x0: hex(r.regs[0] as bigint),
    status: d.status,
    index: d.index,
    out: r.regs.slice(1).map(hex),
    ...(r.failure !== undefined ? { rule: r.failure.rule } : {}),
  };
  return [r.state, { step, checked: step.expect !== undefined, ok: j.mismatches.length === 0, error: undefined, got, expected, mismatches: j.mismatches, permitted: j.permitted, rules: j.rules }];
}

function runWrite(s: RmmState, step: Extract<Step, { kind: 'write' }>): [RmmState, StepOutcome] {
  const r = hostWrite(s, step.pa, payloadBytes(s, step));
  const faulted = E.isLeft(r);
  const mismatches: string[] = [];
  if (step.checked && faulted !== step.expectFault) mismatches.push(step.expectFault ? 'fault: expected GPF, the write succeeded' : `fault: the write took a GPF at ${hex((r as E.Left<{ pa: bigint }>).left.pa)}`);
  const got: { [k: string]: Shown } = faulted ? { fault: 'GPF', pa: hex(r.left.pa) } : { fault: null };
  return [E.isRight(r) ? r.right : s, { step, checked: step.checked, ok: mismatches.length === 0, error: undefined, got, expected: step.checked ? { fault: step.expectFault ? 'GPF' : null } : {}, mismatches, permitted: [], rules: [] }];
}

function runRead(s: RmmState, step: Extract<Step, { kind: 'read' }>): [RmmState, StepOutcome] {
  const r = hostRead(s, step.pa, step.len);
  const mismatches: string[] = [];
  const e = step.expect;
  if (e?.fault === 'GPF' && E.isRight(r)) mismatches.push('fault: expected GPF, the read succeeded');
  if (e?.fault === undefined && E.isLeft(r) && e !== undefined) mismatches.push(`fault: the read took a GPF at ${hex(r.left.pa)}`);
  if (e?.bytes !== undefined && E.isRight(r) && Buffer.compare(Buffer.from(e.bytes), Buffer.from(r.right)) !== 0) {
    mismatches.push(`bytes: expected ${show(e.bytes) as string}, got ${show(r.right) as string}`);
  }
  const got: { [k: string]: Shown } = E.isLeft(r) ? { fault: 'GPF', pa: hex(r.left.pa) } : { bytes: show(r.right) };
  return [s, { step, checked: e !== undefined, ok: mismatches.length === 0, error: undefined, got, expected: e === undefined ? {} : showExpect(e), mismatches, permitted: [], rules: [] }];
}

/** Reads the RmiRecExit of the RmiRecRun at `runPtr`, for `exit` expectations. */
function readRecExit(s: RmmState, runPtr: bigint): Readonly<Record<string, bigint | readonly bigint[]>> {
  return decodeStruct(RmiRecExit, granuleBytes(s, granuleIndex(runPtr)));
}

// -------------------------------------------------------------------------------------
// realm execution
// -------------------------------------------------------------------------------------

/** The name of a realm call's X0: RSI names for an `rsi` step, PSCI names for a `psci` step. */
function realmStatusName(op: 'rsi' | 'psci', x0: bigint): string {
  const name = op === 'rsi' ? rsiStatusName(x0) : psciStatusName(x0);
  return name ?? (x0 === SMCCC_NOT_SUPPORTED ? 'SMCCC_NOT_SUPPORTED' : hex(x0));
}

/** The core's Realm action for a decoded realm step. */
function coreAction(a: RealmAction): CoreRealmAction {
  if (a.kind === 'call') return { kind: 'call', regs: [a.fid, ...a.args] };
  return a;
}

/** What one realm step did, for the report. */
function showRealmStep(a: RealmAction, r: RealmStepResult): { [k: string]: Shown } {
  if (r.exit !== undefined) return { exit: recExitReasonName[r.exit.exit_reason] ?? r.exit.exit_reason };
  if (a.kind === 'call') {
    const regs = r.call?.regs ?? [];
    return { status: realmStatusName(a.op, regs[0] ?? 0n), x0: hex(regs[0] ?? 0n), out: regs.slice(1, 9).map(hex), ...(r.call?.failure !== undefined ? { rule: r.call.failure.rule } : {}) };
  }
  return { access: r.access?.kind ?? null, ...(r.access?.kind === 'completed' && r.access.value !== undefined ? { value: hex(r.access.value) } : {}) };
}

/**
 * RMI_REC_ENTER with its realm steps (trace contract, "Realm execution"): the steps run until one
 * causes a REC exit (a list without one ends with an IRQ exit); then the status, the RmiRecExit
 * read back from the run granule, and each realm call's expectation are checked. Steps left
 * after the exit, or given to an RMI_REC_ENTER that fails, are an error of the trace.
 */
function runRecEnter(s: RmmState, step: Extract<Step, { kind: 'rmi' }>, hits: RuleHits | undefined, expected: { [k: string]: Shown }, strict: boolean): [RmmState, StepOutcome] {
  const realm = step.realm ?? [];
  const runPtr = step.args[1] ?? 0n;
  const recGi = granuleIndex(step.args[0] ?? 0n);
  // The state before each Realm action, for judging each call against its own permitted outcomes.
  const before: RmmState[] = [];
  const call = [step.fid, ...step.args];
  const done = smc(s, call, { ...(hits !== undefined ? { hits } : {}), realm: realm.map(coreAction), observe: (pre) => before.push(pre) });
  const r = done.run as RunResult;
  const { exit, ...status } = step.expect ?? {};
  let j = judgeRmi(s, call, done, status, strict);
  if (exit !== undefined) j = joinJudged(j, judgeExit(exit, readRecExit(r.state, runPtr), strict));
  r.steps.forEach((res, k) => {
    const a = realm[k] as RealmAction;
    if (a.kind !== 'call' || a.expect === undefined) return;
    if (res.exit !== undefined) {
      const why = `realm.${k}: the call caused a REC exit (${recExitReasonName[res.exit.exit_reason] ?? res.exit.exit_reason}); its results reach the Realm on the next entry and cannot be checked here`;
      j = joinJudged(j, { mismatches: [why], permitted: [], rules: [] });
      return;
    }
    const model = { regs: res.call?.regs ?? [], failure: res.call?.failure, state: res.state };
    j = joinJudged(j, judgeRealmCall(before[k] as RmmState, recGi, [a.fid, ...a.args], model, a.expect, strict, `realm.${k}.`));
  });
  const d = decodeRmiResult(r.x0);
  const got: { [k: string]: Shown } = {
    x0: hex(r.x0),
    status: d.status,
    index: d.index,
    ...(r.failure !== undefined ? { rule: r.failure.rule } : {}),
    realm: r.steps.map((res, k) => showRealmStep(realm[k] as RealmAction, res)),
    ...(r.exit !== undefined ? { exit: show(r.exit) } : {}),
    ...(r.implicitIrq ? { implicitIrq: true } : {}),
  };
  const checked = step.expect !== undefined || realm.some((a) => a.kind === 'call' && a.expect !== undefined);
  let error: string | undefined;
  if (r.leftover > 0) {
    const first = realm.length - r.leftover;
    error = r.failure !== undefined
      ? `RMI_REC_ENTER failed (${d.status}${d.index !== 0 ? ` index ${d.index}` : ''}), so its ${r.leftover} realm step(s) did not run`
      : `${r.leftover} realm step(s) left after the REC exit (from realm.${first})`;
  }
  return [r.state, { step, checked, ok: error === undefined && j.mismatches.length === 0, error, got, expected, mismatches: j.mismatches, permitted: j.permitted, rules: j.rules }];
}

// -------------------------------------------------------------------------------------
// replay
// -------------------------------------------------------------------------------------

let defaultPort: AttestationPort | undefined;

/** Options of {@link runTrace} and {@link replaySteps}. */
export interface ReplayOptions {
  /**
   * What the RMM gets from EL3 for attestation (DEN0137 A7.2.3). Default: the emulated HES of
   * `@realmspec/hes` booted with its default seed; `null` for none (token generation then fails).
   */
  readonly attestation?: AttestationPort | null;
  /**
   * Demand the model's own answer: an expectation the spec permits but the model did not choose
   * (another failure of the permitted set, an IMPLEMENTATION DEFINED output) is a mismatch.
   */
  readonly strict?: boolean;
}

/** The crash a driver reported for `step` (`"expect": {"crash": TEXT}`), if any. */
export function crashOf(step: Step): string | undefined {
  return step.kind === 'rmi' ? step.expect?.crash : step.kind === 'write' ? step.crash : step.expect?.crash;
}

/** `step` without its crash report, so that the model runs it as an unchecked step. */
function withoutCrash(step: Step): Step {
  if (step.kind === 'rmi') return { ...step, expect: undefined };
  if (step.kind === 'write') return { ...step, checked: false, expectFault: false, crash: undefined };
  return { ...step, expect: undefined };
}

/**
 * The state a replay of `platform` starts from: a freshly booted RMM with the attestation port
 * of `options` (default: the emulated HES).
 */
export function replayStart(platform: Platform, options: ReplayOptions = {}): RmmState {
  const port = options.attestation === null ? undefined : (options.attestation ?? (defaultPort ??= bootHes().attestationPort()));
  return initialState(withAttestation(platform, port));
}

/**
 * Runs one step on state `s` and judges its expectations: the state after it and its outcome.
 * A step whose expectation is a crash (driver contract: the implementation crashed or hung)
 * runs on the model unchecked and is reported as a mismatch naming the crash.
 */
export function replayStep(s: RmmState, step: Step, hits?: RuleHits, options: ReplayOptions = {}): [RmmState, StepOutcome] {
  const crash = crashOf(step);
  if (crash !== undefined) {
    const [next, o] = replayStep(s, withoutCrash(step), hits, options);
    return [next, { ...o, step, checked: true, ok: false, expected: { crash }, mismatches: [`crash: the implementation crashed: ${crash}`], permitted: [], rules: [] }];
  }
  return step.kind === 'rmi' ? runRmi(s, step, hits, options.strict === true) : step.kind === 'write' ? runWrite(s, step) : runRead(s, step);
}

/**
 * Replays `steps` from the initial state of `platform`, one step at a time: yields each step's
 * outcome as soon as it ran and returns the final state. Nothing is kept between steps, so a
 * trace of any length replays in bounded memory. Pass `hits` to count catalogue rules.
 */
export function* replaySteps(platform: Platform, steps: Iterable<Step>, hits?: RuleHits, options: ReplayOptions = {}): Generator<StepOutcome, RmmState, undefined> {
  let s = replayStart(platform, options);
  for (const step of steps) {
    const [next, outcome] = replayStep(s, step, hits, options);
    s = next;
    yield outcome;
  }
  return s;
}

/** Replays `trace` from the initial state of its platform ({@link replaySteps}, every outcome kept). Pass `hits` to count catalogue rules. */
export function runTrace(trace: Trace, hits?: RuleHits, options: ReplayOptions = {}): ReplayResult {
  const outcomes: StepOutcome[] = [];
  const replay = replaySteps(trace.platform, trace.steps, hits, options);
  for (let r = replay.next(); ; r = replay.next()) {
    if (r.done === true) return { outcomes, state: r.value };
    outcomes.push(r.value);
  }
}
