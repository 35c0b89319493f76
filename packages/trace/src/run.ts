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
  hex,
  PsciStatus,
  psciStatusName,
  RsiStatus,
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
  runRec,
  SMCCC_NOT_SUPPORTED,
  smc,
  withAttestation,
  type AttestationPort,
  type Layout,
  type Platform,
  type RealmAction as CoreRealmAction,
  type RealmStepResult,
  type RmmState,
  type RuleHits,
} from '@realmspec/core';
import { bootHes } from '@realmspec/hes';
import type { RealmAction, RealmCall, Step, Trace } from './parse.js';
import type { ExitExpect } from './codec.js';

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

function checkRmi(regs: readonly bigint[], step: Extract<Step, { kind: 'rmi' }>, mismatches: string[]): void {
  const e = step.expect;
  if (e === undefined) return;
  const x0 = regs[0] as bigint;
  const got = decodeRmiResult(x0);
  if (e.x0 !== undefined && e.x0 !== x0) mismatches.push(`x0: expected ${hex(e.x0)}, got ${hex(x0)}`);
  if (e.status !== undefined) {
    const statusOk = e.status === 'SMCCC_NOT_SUPPORTED' ? x0 === SMCCC_NOT_SUPPORTED : got.status === e.status;
    if (!statusOk) mismatches.push(`status: expected ${e.status}, got ${got.status}${got.index !== 0 ? ` (index ${got.index})` : ''}`);
    else if (e.index !== undefined && BigInt(got.index) !== e.index) mismatches.push(`index: expected ${e.index}, got ${got.index}`);
  }
  (e.out ?? []).forEach((v, k) => {
    const actual = regs[k + 1] ?? 0n;
    if (v !== null && v !== actual) mismatches.push(`out[${k}] (X${k + 1}): expected ${hex(v)}, got ${hex(actual)}`);
  });
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

function runRmi(s: RmmState, step: Extract<Step, { kind: 'rmi' }>, hits: RuleHits | undefined): [RmmState, StepOutcome] {
  const expected = step.expect === undefined ? {} : showExpect(step.expect);
  if (step.command?.name === 'RMI_REC_ENTER') return runRecEnter(s, step, hits, expected);
  const r = smc(s, [step.fid, ...step.args], hits);
  const mismatches: string[] = [];
  checkRmi(r.regs, step, mismatches);
  const d = decodeRmiResult(r.regs[0] as bigint);
  const got: { [k: string]: Shown } = {
    x0: hex(r.regs[0] as bigint),
    status: d.status,
    index: d.index,
    out: r.regs.slice(1).map(hex),
    ...(r.failure !== undefined ? { rule: r.failure.rule } : {}),
  };
  return [r.state, { step, checked: step.expect !== undefined, ok: mismatches.length === 0, error: undefined, got, expected, mismatches }];
}

function runWrite(s: RmmState, step: Extract<Step, { kind: 'write' }>): [RmmState, StepOutcome] {
  const r = hostWrite(s, step.pa, payloadBytes(s, step));
  const faulted = E.isLeft(r);
  const mismatches: string[] = [];
  if (step.checked && faulted !== step.expectFault) mismatches.push(step.expectFault ? 'fault: expected GPF, the write succeeded' : `fault: the write took a GPF at ${hex((r as E.Left<{ pa: bigint }>).left.pa)}`);
  const got: { [k: string]: Shown } = faulted ? { fault: 'GPF', pa: hex(r.left.pa) } : { fault: null };
  return [E.isRight(r) ? r.right : s, { step, checked: step.checked, ok: mismatches.length === 0, error: undefined, got, expected: step.checked ? { fault: step.expectFault ? 'GPF' : null } : {}, mismatches }];
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
  return [s, { step, checked: e !== undefined, ok: mismatches.length === 0, error: undefined, got, expected: e === undefined ? {} : showExpect(e), mismatches }];
}

/** Reads the RmiRecExit of the RmiRecRun at `runPtr`, for `exit` expectations. */
function readRecExit(s: RmmState, runPtr: bigint): Readonly<Record<string, bigint | readonly bigint[]>> {
  return decodeStruct(RmiRecExit, granuleBytes(s, granuleIndex(runPtr)));
}

/** Compares an `exit` expectation with the fields read back (names as in DEN0137 B4.4.17). */
function compareExit(e: ExitExpect, got: Readonly<Record<string, bigint | readonly bigint[]>>, mismatches: string[]): void {
  const reasons = recExitReasonName;
  for (const [k, v] of Object.entries(e)) {
    const actual = got[k];
    if (k === 'exit_reason') {
      const want = typeof v === 'string' ? BigInt(reasons.indexOf(v)) : (v as bigint);
      if (want !== actual) mismatches.push(`exit.exit_reason: expected ${String(v)}, got ${reasons[Number(actual)] ?? String(actual)}`);
    } else if (Array.isArray(v)) {
      v.forEach((x: bigint | null, i: number) => {
        const a = (actual as readonly bigint[] | undefined)?.[i] ?? 0n;
        if (x !== null && x !== a) mismatches.push(`exit.${k}[${i}]: expected ${hex(x)}, got ${hex(a)}`);
      });
    } else if (v !== actual) mismatches.push(`exit.${k}: expected ${hex(v as bigint)}, got ${hex((actual as bigint | undefined) ?? 0n)}`);
  }
}

// -------------------------------------------------------------------------------------
// realm execution
// -------------------------------------------------------------------------------------

/** The value a realm-call expectation's status name stands for (DEN0137 B5.4.1, B6.4.2). */
function realmStatusValue(name: string): bigint | undefined {
  if (name === 'SMCCC_NOT_SUPPORTED') return SMCCC_NOT_SUPPORTED;
  return (RsiStatus as Readonly<Record<string, bigint>>)[name] ?? (PsciStatus as Readonly<Record<string, bigint>>)[name];
}

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

/** Checks a realm call's expectation against what the call did; `k` is its position in `realm`. */
function checkRealmCall(call: RealmCall, r: RealmStepResult, k: number, mismatches: string[]): void {
  const e = call.expect;
  if (e === undefined) return;
  if (r.exit !== undefined) {
    mismatches.push(`realm.${k}: the call caused a REC exit (${recExitReasonName[r.exit.exit_reason] ?? r.exit.exit_reason}); its results reach the Realm on the next entry and cannot be checked here`);
    return;
  }
  const regs = r.call?.regs ?? [];
  const x0 = regs[0] ?? 0n;
  if (e.x0 !== undefined && e.x0 !== x0) mismatches.push(`realm.${k}.x0: expected ${hex(e.x0)}, got ${hex(x0)}`);
  if (e.status !== undefined && realmStatusValue(e.status) !== x0) mismatches.push(`realm.${k}.status: expected ${e.status}, got ${realmStatusName(call.op, x0)}`);
  (e.out ?? []).forEach((v, i) => {
    const actual = regs[i + 1] ?? 0n;
    if (v !== null && v !== actual) mismatches.push(`realm.${k}.out[${i}] (X${i + 1}): expected ${hex(v)}, got ${hex(actual)}`);
  });
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
function runRecEnter(s: RmmState, step: Extract<Step, { kind: 'rmi' }>, hits: RuleHits | undefined, expected: { [k: string]: Shown }): [RmmState, StepOutcome] {
  const realm = step.realm ?? [];
  const runPtr = step.args[1] ?? 0n;
  const r = runRec(s, { rec: step.args[0] ?? 0n, run_ptr: runPtr }, realm.map(coreAction), hits);
  const mismatches: string[] = [];
  checkRmi([r.x0], step, mismatches);
  if (step.expect?.exit !== undefined) compareExit(step.expect.exit, readRecExit(r.state, runPtr), mismatches);
  r.steps.forEach((res, k) => {
    const a = realm[k] as RealmAction;
    if (a.kind === 'call') checkRealmCall(a, res, k, mismatches);
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
  return [r.state, { step, checked, ok: error === undefined && mismatches.length === 0, error, got, expected, mismatches }];
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
}

/**
 * Replays `steps` from the initial state of `platform`, one step at a time: yields each step's
 * outcome as soon as it ran and returns the final state. Nothing is kept between steps, so a
 * trace of any length replays in bounded memory. Pass `hits` to count catalogue rules.
 */
export function* replaySteps(platform: Platform, steps: Iterable<Step>, hits?: RuleHits, options: ReplayOptions = {}): Generator<StepOutcome, RmmState, undefined> {
  const port = options.attestation === null ? undefined : (options.attestation ?? (defaultPort ??= bootHes().attestationPort()));
  let s = initialState(withAttestation(platform, port));
  for (const step of steps) {
    const [next, outcome] = step.kind === 'rmi' ? runRmi(s, step, hits) : step.kind === 'write' ? runWrite(s, step) : runRead(s, step);
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
