/**
 * Judging another implementation's answer at the register level: an RMI SMC's X0 and outputs,
 * or a Realm call's, against the outcomes the spec permits (DEN0137 B1.6, B4.4.25, B5.4.1,
 * B6.4.2). A verdict says whether the answer is the model's own, another permitted one, or not
 * permitted, and names the rules behind it.
 *
 * @packageDocumentation
 */
import { SMCCC_NOT_SUPPORTED } from '../abi/smc.js';
import { rmiStatusName } from '../abi/status.js';
import { statusCode, type RuleId, type StatusName } from '../catalogue/index.js';
import type { SpecFailure } from '../engine/command.js';
import { hex } from '../model/bits.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * An answer another implementation gave, as a trace records it: X0 raw or as a status name
 * (with an optional error index), and output registers X1.. (`null`: not observed). Values are
 * observations: any 64-bit value may appear.
 */
export interface Observed {
  /** X0 as returned. */
  readonly x0?: bigint;
  /** The status by name, when X0 is not given (`RMI_SUCCESS`, `RSI_ERROR_INPUT`, `PSCI_DENIED`, `SMCCC_NOT_SUPPORTED`, ...). */
  readonly status?: string;
  /** The RMI error index, when given with `status`. */
  readonly index?: number;
  /** X1, X2, ... as returned; `null` for registers not observed. */
  readonly out?: ReadonlyArray<bigint | null>;
}

/** The verdict on an observed answer. */
export type Verdict =
  /** The answer is the model's own. */
  | { readonly kind: 'agrees' }
  /** The answer differs from the model's but the spec permits it; `why` says what the model chose. */
  | { readonly kind: 'permitted'; readonly why: readonly string[]; readonly rules: readonly RuleId[] }
  /** The spec does not permit the answer. */
  | { readonly kind: 'mismatch'; readonly why: readonly string[]; readonly rules: readonly RuleId[] };

/** The permitted outcomes of one call at the register level. */
export interface CallOutcomes {
  /** The model's result registers: X0, then the outputs. */
  readonly model: readonly bigint[];
  /** The model's failure, if it failed. */
  readonly failure: SpecFailure | undefined;
  /** The failures the spec permits (empty: the call must succeed). */
  readonly permitted: readonly SpecFailure[];
  /** Registers (by number; 0 is X0, the `result`) the spec leaves open on success, with the values it permits. */
  readonly choices: ReadonlyMap<number, { readonly name: string; readonly permits: (v: bigint) => boolean }>;
  /** Output registers (by number) a failure defines, by the failure's output name. */
  readonly outputRegs: ReadonlyMap<string, number>;
  /** X0 of a failure (RMI: status | index << 8; RSI, PSCI: the code as a 64-bit value). */
  readonly encode: (f: SpecFailure) => bigint;
  /** The value of a status name in X0, for `Observed.status` (undefined for an unknown name). */
  readonly statusValue: (name: string, index: number) => bigint | undefined;
  /** A status's name for messages. */
  readonly statusName: (x0: bigint) => string;
}

// -------------------------------------------------------------------------------------
// judging
// -------------------------------------------------------------------------------------

/** What a failure looks like in a message: status, index, rule. */
function showFailure(o: CallOutcomes, f: SpecFailure): string {
  return `${o.statusName(o.encode(f))} [${f.rule}]`;
}

/**
 * The verdict on `observed` given the permitted outcomes `o`. With `strict`, only the model's
 * own answer agrees: a permitted alternative is a mismatch.
 */
export function judge(o: CallOutcomes, observed: Observed, strict = false): Verdict {
  const modelX0 = o.model[0] ?? 0n;
  // The observed X0, or the X0s a status name (with or without index) stands for.
  let x0 = observed.x0;
  if (x0 === undefined && observed.status !== undefined) {
    const v = o.statusValue(observed.status, observed.index ?? 0);
    if (v === undefined) return { kind: 'mismatch', why: [`status: ${observed.status} is no status of this interface`], rules: [] };
    x0 = v;
  }
  const indexFree = observed.x0 === undefined && observed.index === undefined;
  const sameX0 = (a: bigint, b: bigint): boolean => (indexFree ? (a & ~0xff00n) === (b & ~0xff00n) && (a >> 16n) === (b >> 16n) : a === b);
  const failed = (v: bigint): boolean => v !== 0n;
  const out = observed.out ?? [];
  const outMismatches = (exact: (reg: number) => bigint | undefined, open: boolean): { bad: string[]; alt: string[] } => {
    const bad: string[] = [];
    const alt: string[] = [];
    out.forEach((v, k) => {
      const reg = k + 1;
      if (v === null) return;
      const want = exact(reg);
      if (want === undefined || want === v) return;
      const choice = open ? o.choices.get(reg) : undefined;
      if (choice !== undefined && choice.permits(v)) alt.push(`X${reg} (${choice.name}): ${hex(v)} is permitted; the model chose ${hex(want)}`);
      else bad.push(`out[${k}] (X${reg}): expected ${hex(v)}, the spec requires ${hex(want)}${choice !== undefined ? ` (or another value ${choice.name} may take)` : ''}`);
    });
    return { bad, alt };
  };

  // X0 unknown: only outputs can be judged, against the model's outcome.
  if (x0 === undefined) {
    const m = outMismatches((r) => (o.failure === undefined ? o.model[r] ?? 0n : undefined), o.failure === undefined);
    if (m.bad.length > 0) return { kind: 'mismatch', why: m.bad, rules: o.failure !== undefined ? [o.failure.rule] : [] };
    if (m.alt.length > 0 && !strict) return { kind: 'permitted', why: m.alt, rules: [] };
    return m.alt.length > 0 ? { kind: 'mismatch', why: m.alt, rules: [] } : { kind: 'agrees' };
  }

  // A call that must succeed and whose X0 the spec leaves open (a PSCI version or feature answer,
  // RSI_SUCCESS or RSI_INCOMPLETE): X0 is the model's or another permitted value, and the outputs
  // are judged as a success's whatever X0 is (RSI_INCOMPLETE is not zero).
  const x0Choice = o.failure === undefined && o.permitted.length === 0 ? o.choices.get(0) : undefined;
  if (x0Choice !== undefined) {
    if (x0 !== modelX0 && !x0Choice.permits(x0)) {
      return { kind: 'mismatch', why: [`status: ${o.statusName(x0)} is not permitted; the model answers ${o.statusName(modelX0)} (or another value ${x0Choice.name} may take)`], rules: [] };
    }
    const m = outMismatches((r) => o.model[r] ?? 0n, true);
    if (m.bad.length > 0) return { kind: 'mismatch', why: m.bad, rules: [] };
    const alt = [...(x0 === modelX0 ? [] : [`X0 (${x0Choice.name}): ${o.statusName(x0)} is permitted; the model chose ${o.statusName(modelX0)}`]), ...m.alt];
    if (alt.length === 0) return { kind: 'agrees' };
    return strict ? { kind: 'mismatch', why: alt.map((w) => `${w} (--strict)`), rules: [] } : { kind: 'permitted', why: alt, rules: [] };
  }

  if (!failed(x0)) {
    if (o.permitted.length > 0) {
      return { kind: 'mismatch', why: [`status: the command must fail; the spec permits ${o.permitted.map((f) => showFailure(o, f)).join(' or ')}`], rules: o.permitted.map((f) => f.rule) };
    }
    if (failed(modelX0)) {
      // The model failed where the spec permits success only at REC exit (exit_pas): not permitted.
      return { kind: 'mismatch', why: [`status: expected ${o.statusName(x0)}, the model reports ${o.statusName(modelX0)}`], rules: o.failure !== undefined ? [o.failure.rule] : [] };
    }
    const m = outMismatches((r) => o.model[r] ?? 0n, true);
    if (m.bad.length > 0) return { kind: 'mismatch', why: m.bad, rules: [] };
    if (m.alt.length === 0) return { kind: 'agrees' };
    return strict ? { kind: 'mismatch', why: m.alt.map((w) => `${w} (--strict)`), rules: [] } : { kind: 'permitted', why: m.alt, rules: [] };
  }

  // A failure (or SMCCC_NOT_SUPPORTED for an unknown FID).
  if (o.permitted.length === 0 && o.failure === undefined) {
    if (x0 === modelX0) return { kind: 'agrees' };
    return { kind: 'mismatch', why: [`status: expected ${o.statusName(x0)}, the spec requires ${o.statusName(modelX0)}`], rules: [] };
  }
  const candidates = o.permitted.filter((f) => sameX0(o.encode(f), x0 as bigint));
  const outputsOk = (f: SpecFailure): boolean =>
    out.every((v, k) => {
      if (v === null) return true;
      const name = [...o.outputRegs].find(([, r]) => r === k + 1)?.[0];
      const defined = name === undefined ? undefined : f.outputs[name];
      return defined === undefined || defined === v;
    });
  const matching = candidates.filter(outputsOk);
  if (matching.length === 0) {
    const why = candidates.length > 0
      ? [`outputs: a failure ${o.statusName(x0)} defines other outputs (${candidates.map((f) => `${f.rule}: ${Object.entries(f.outputs).map(([k, v]) => `${k}=${hex(v)}`).join(', ')}`).join('; ')})`]
      : [`status: expected ${o.statusName(x0)}, the spec permits ${o.permitted.map((f) => showFailure(o, f)).join(' or ')}`];
    return { kind: 'mismatch', why, rules: o.permitted.map((f) => f.rule) };
  }
  const rules = matching.map((f) => f.rule);
  if (o.failure !== undefined && rules.includes(o.failure.rule)) return { kind: 'agrees' };
  const why = [`${o.statusName(x0)} is permitted (${rules.join(', ')} hold${rules.length === 1 ? 's' : ''}); the model chose ${o.failure !== undefined ? showFailure(o, o.failure) : o.statusName(modelX0)}`];
  return strict ? { kind: 'mismatch', why: why.map((w) => `${w} (--strict)`), rules } : { kind: 'permitted', why, rules };
}

// -------------------------------------------------------------------------------------
// status encodings
// -------------------------------------------------------------------------------------

/** DEN0137 B4.4.25: X0 of RMI status `name` with error index `index`; SMCCC_NOT_SUPPORTED is −1. */
export function rmiStatusValue(name: string, index: number): bigint | undefined {
  if (name === 'SMCCC_NOT_SUPPORTED') return SMCCC_NOT_SUPPORTED;
  if (name === 'RMI_SUCCESS') return 0n;
  const code = name.startsWith('RMI_ERROR_') ? statusCode(name as StatusName) : undefined;
  return code === undefined ? undefined : BigInt(code | ((index & 0xff) << 8));
}

/** The RMI status in X0, for messages: name and index (DEN0137 B4.4.25). */
export function rmiStatusText(x0: bigint): string {
  if (x0 === SMCCC_NOT_SUPPORTED) return 'SMCCC_NOT_SUPPORTED';
  const name = x0 >> 16n === 0n ? rmiStatusName(Number(x0 & 0xffn)) : undefined;
  const index = Number((x0 >> 8n) & 0xffn);
  return name === undefined ? `X0 ${hex(x0)}` : index === 0 ? name : `${name} (index ${index})`;
}
