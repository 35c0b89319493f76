/**
 * Replaying a decoded trace against the model: every step runs, in order, on one evolving
 * state, and every expectation is compared; nothing stops at the first mismatch.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  decodeStruct,
  encodeStructInto,
  granuleBytes,
  hostRead,
  hostWrite,
  initialState,
  RmiRealmParams,
  RmiRecEnter,
  RmiRecParams,
  SMCCC_NOT_SUPPORTED,
  smc,
  U64_MAX,
  type Layout,
  type RmmState,
  type RuleHits,
} from '@realmspec/core';
import type { Step, Trace } from './parse.js';
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

const hex = (v: bigint): string => '0x' + v.toString(16);

/** RMI status names by code (DEN0137 B4.4.25). */
export const rmiStatusNames = ['RMI_SUCCESS', 'RMI_ERROR_INPUT', 'RMI_ERROR_REALM', 'RMI_ERROR_REC', 'RMI_ERROR_RTT'] as const;

/** The status name and index an RMI X0 encodes. */
export function decodeRmiX0(x0: bigint): { readonly status: string; readonly index: number } {
  if (x0 === SMCCC_NOT_SUPPORTED) return { status: 'SMCCC_NOT_SUPPORTED', index: 0 };
  const code = Number(x0 & 0xffn);
  const name = x0 >> 16n === 0n ? rmiStatusNames[code] : undefined;
  return { status: name ?? `unknown status ${hex(x0)}`, index: Number((x0 >> 8n) & 0xffn) };
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
  const g = p.kind === 'recEnter' ? new Uint8Array(granuleBytes(s, Number(step.pa >> 12n))) : new Uint8Array(4096);
  encodeStructInto(layout, p.fields, g);
  return g;
}

function checkRmi(regs: readonly bigint[], step: Extract<Step, { kind: 'rmi' }>, mismatches: string[]): void {
  const e = step.expect;
  if (e === undefined) return;
  const x0 = regs[0] as bigint;
  const got = decodeRmiX0(x0);
  if (e.x0 !== undefined && e.x0 !== x0) mismatches.push(`x0: expected ${hex(e.x0)}, got ${hex(x0)}`);
  if (e.status !== undefined) {
    const statusOk = e.status === 'SMCCC_NOT_SUPPORTED' ? x0 === U64_MAX : got.status === e.status;
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
  if (step.realm !== undefined || step.command?.name === 'RMI_REC_ENTER') {
    return [s, { step, checked: step.expect !== undefined, ok: false, error: 'realm execution (RMI_REC_ENTER) is not supported yet', got: {}, expected, mismatches: [] }];
  }
  const r = smc(s, [step.fid, ...step.args], hits);
  const mismatches: string[] = [];
  checkRmi(r.regs, step, mismatches);
  const d = decodeRmiX0(r.regs[0] as bigint);
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

/** Reads the RmiRecExit of the RmiRecRun at `runPtr`, for `exit` expectations. @internal */
export function readRecExit(s: RmmState, runPtr: bigint, layout: Layout): Readonly<Record<string, bigint | readonly bigint[]>> {
  return decodeStruct(layout, granuleBytes(s, Number(runPtr >> 12n)));
}

/** Compares an `exit` expectation with the fields read back (names as in DEN0137 B4.4.17). @internal */
export function compareExit(e: ExitExpect, got: Readonly<Record<string, bigint | readonly bigint[]>>, reasons: readonly string[], mismatches: string[]): void {
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
// replay
// -------------------------------------------------------------------------------------

/** Replays `trace` from the initial state of its platform. Pass `hits` to count catalogue rules. */
export function runTrace(trace: Trace, hits?: RuleHits): ReplayResult {
  let s = initialState(trace.platform);
  const outcomes: StepOutcome[] = [];
  for (const step of trace.steps) {
    const [next, outcome] = step.kind === 'rmi' ? runRmi(s, step, hits) : step.kind === 'write' ? runWrite(s, step) : runRead(s, step);
    s = next;
    outcomes.push(outcome);
  }
  return { outcomes, state: s };
}
