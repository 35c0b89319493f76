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
 * @category Relation
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

/** The verdict on an observed answer. @category Relation */
export type Verdict =
  /** The answer is the model's own. */
  | { readonly kind: 'agrees' }
  /** The answer differs from the model's but the spec permits it; `why` says what the model chose. */
  | { readonly kind: 'permitted'; readonly why: readonly string[]; readonly rules: readonly RuleId[] }
  /** The spec does not permit the answer. */
  | { readonly kind: 'mismatch'; readonly why: readonly string[]; readonly rules: readonly RuleId[] };

/** The permitted outcomes of one call at the register level. @category Relation */
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
  /** The error index an X0 carries (RMI only, DEN0137 B4.4.25); undefined for interfaces without one. */
  readonly indexOf?: (x0: bigint) => number;
  /**
   * For a command whose answer depends on an IMPLEMENTATION DEFINED set (the supported interface
   * revisions, B2; `PostDefinition.answers`): why an answer with X0 `x0` and outputs `out` (X1..;
   * `null` not observed) is not permitted, or undefined when it is.
   */
  readonly answers?: (x0: bigint, out: ReadonlyArray<bigint | null>) => string | undefined;
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
 * @category Relation
 */
export function judge(o: CallOutcomes, observed: Observed, strict = false): Verdict {
  const modelX0 = o.model[0] ?? 0n;
  const mismatch = (why: string, rules: readonly RuleId[] = []): Verdict => ({ kind: 'mismatch', why: [why], rules });
  const alternative = (why: readonly string[], rules: readonly RuleId[]): Verdict =>
    strict ? { kind: 'mismatch', why: why.map((w) => `${w} (--strict)`), rules } : { kind: 'permitted', why, rules };
  // The observed status: a raw X0, or a name whose X0 has a zero index.
  const named = observed.x0 === undefined && observed.status !== undefined ? o.statusValue(observed.status, 0) : undefined;
  if (observed.status !== undefined && observed.x0 === undefined && named === undefined) return mismatch(`status: ${observed.status} is no status of this interface`);
  const statusX0 = observed.x0 ?? named;
  const index = o.indexOf;
  const strip = (v: bigint): bigint => (index === undefined ? v : v & ~0xff00n);
  const sameStatus = (v: bigint): boolean => (observed.x0 !== undefined ? v === observed.x0 : strip(v) === strip(statusX0 as bigint));
  const sameIndex = (v: bigint): boolean => observed.x0 !== undefined || observed.index === undefined || index === undefined || index(v) === observed.index;
  const shown = observed.x0 !== undefined ? o.statusName(observed.x0) : `${observed.status as string}${observed.index !== undefined && observed.index !== 0 ? ` (index ${observed.index})` : ''}`;
  const listed = (fs: readonly SpecFailure[]): string => fs.map((f) => showFailure(o, f)).join(' or ');
  const others = (fs: readonly SpecFailure[]): string => (fs.length === 1 && fs[0]?.rule === o.failure?.rule ? '' : ` (the spec permits ${listed(fs)})`);
  const out = observed.out ?? [];
  const outputs = (exact: (reg: number) => bigint | undefined, open: boolean): { bad: string[]; alt: string[] } => {
    const bad: string[] = [];
    const alt: string[] = [];
    out.forEach((v, k) => {
      const reg = k + 1;
      if (v === null) return;
      const want = exact(reg);
      if (want === undefined || want === v) return;
      const choice = open ? o.choices.get(reg) : undefined;
      if (choice !== undefined && choice.permits(v)) alt.push(`out[${k}] (X${reg}, ${choice.name}): ${hex(v)} is permitted; the model chose ${hex(want)}`);
      else bad.push(`out[${k}] (X${reg}): expected ${hex(v)}, got ${hex(want)}${choice !== undefined ? ` (nor is it another value ${choice.name} may take)` : ''}`);
    });
    return { bad, alt };
  };
  const successOutputs = (): Verdict => {
    const m = outputs((r) => o.model[r] ?? 0n, true);
    if (m.bad.length > 0) return { kind: 'mismatch', why: m.bad, rules: [] };
    return m.alt.length === 0 ? { kind: 'agrees' } : alternative(m.alt, []);
  };

  // No status observed: only outputs can be judged, against the model's outcome.
  if (statusX0 === undefined) {
    if (o.failure === undefined) return successOutputs();
    const m = outputs(() => undefined, false);
    return m.bad.length > 0 ? { kind: 'mismatch', why: m.bad, rules: [o.failure.rule] } : { kind: 'agrees' };
  }

  // An answer that depends on an IMPLEMENTATION DEFINED set: any answer the command's relation accepts.
  if (o.answers !== undefined) {
    const why = o.answers(statusX0, out);
    if (why !== undefined) return mismatch(`${shown}: ${why}`, o.permitted.map((f) => f.rule));
    const differs: string[] = statusX0 === modelX0 ? [] : [`X0: ${shown} is permitted; the model chose ${o.statusName(modelX0)}`];
    out.forEach((v, k) => {
      const want = o.model[k + 1] ?? 0n;
      if (v !== null && v !== want) differs.push(`out[${k}] (X${k + 1}): ${hex(v)} is permitted; the model chose ${hex(want)}`);
    });
    return differs.length === 0 ? { kind: 'agrees' } : alternative(differs.map((d) => `${d} (B2: the supported revisions are the implementation's)`), o.permitted.map((f) => f.rule));
  }

  // A call that must succeed and whose X0 the spec leaves open (a PSCI version or feature answer,
  // RSI_SUCCESS or RSI_INCOMPLETE): X0 is the model's or another permitted value, and the outputs
  // are judged as a success's whatever X0 is.
  const x0Choice = o.failure === undefined && o.permitted.length === 0 ? o.choices.get(0) : undefined;
  if (x0Choice !== undefined) {
    if (statusX0 !== modelX0 && !x0Choice.permits(statusX0)) return mismatch(`status: expected ${shown}, got ${o.statusName(modelX0)} (nor is it another value ${x0Choice.name} may take)`);
    const m = outputs((r) => o.model[r] ?? 0n, true);
    if (m.bad.length > 0) return { kind: 'mismatch', why: m.bad, rules: [] };
    const alt = [...(statusX0 === modelX0 ? [] : [`X0 (${x0Choice.name}): ${shown} is permitted; the model chose ${o.statusName(modelX0)}`]), ...m.alt];
    return alt.length === 0 ? { kind: 'agrees' } : alternative(alt, []);
  }

  // Success observed.
  if (strip(statusX0) === 0n) {
    if (o.permitted.length > 0 || modelX0 !== 0n) {
      const required = o.permitted.length > 0 ? o.permitted : o.failure !== undefined ? [o.failure] : [];
      return mismatch(`status: expected ${shown}, got ${o.statusName(modelX0)}${others(required)}`, required.map((f) => f.rule));
    }
    if (!sameIndex(0n) || (observed.x0 !== undefined && observed.x0 !== 0n)) return mismatch(`index: expected ${observed.index ?? ''}, got 0`);
    return successOutputs();
  }

  // A failure (or SMCCC_NOT_SUPPORTED for an unknown FID) observed.
  if (o.permitted.length === 0 && o.failure === undefined) {
    // A success whose X0 is not zero (RSI_INCOMPLETE, PSCI_OFF) or SMCCC_NOT_SUPPORTED: X0 and outputs are the model's.
    if (sameStatus(modelX0) && sameIndex(modelX0)) return successOutputs();
    return mismatch(`status: expected ${shown}, got ${o.statusName(modelX0)}`);
  }
  const byStatus = o.permitted.filter((f) => sameStatus(o.encode(f)));
  if (byStatus.length === 0) return mismatch(`status: expected ${shown}, got ${o.statusName(modelX0)}${others(o.permitted)}`, o.permitted.map((f) => f.rule));
  const byIndex = byStatus.filter((f) => sameIndex(o.encode(f)));
  // Stryker disable next-line ConditionalExpression: equivalent; without an index (RSI, PSCI) sameIndex holds for every failure, so byIndex is byStatus and not empty here.
  if (byIndex.length === 0 && index !== undefined) {
    const indexes = [...new Set(byStatus.map((f) => index(o.encode(f))))];
    const got = o.failure !== undefined && sameStatus(o.encode(o.failure)) ? index(o.encode(o.failure)) : (indexes[0] as number);
    return mismatch(`index: expected ${observed.index ?? ''}, got ${got}${indexes.length > 1 ? ` (the spec permits ${indexes.join(' or ')})` : ''}`, byStatus.map((f) => f.rule));
  }
  const outputsOk = (f: SpecFailure): boolean =>
    out.every((v, k) => {
      if (v === null) return true;
      const name = [...o.outputRegs].find(([, r]) => r === k + 1)?.[0];
      const defined = name === undefined ? undefined : f.outputs[name];
      return defined === undefined || defined === v;
    });
  const matching = byIndex.filter(outputsOk);
  if (matching.length === 0) {
    const f = byIndex[0] as SpecFailure;
    const m = outputs((r) => {
      const name = [...o.outputRegs].find(([, x]) => x === r)?.[0];
      return name === undefined ? undefined : f.outputs[name];
    }, false);
    return { kind: 'mismatch', why: m.bad.length > 0 ? m.bad : ['outputs: not the ones the failure defines'], rules: byIndex.map((x) => x.rule) };
  }
  const rules = matching.map((f) => f.rule);
  if (o.failure !== undefined && rules.includes(o.failure.rule)) return { kind: 'agrees' };
  return alternative([`${shown} is permitted (${rules.join(', ')} hold${rules.length === 1 ? 's' : ''}); the model chose ${o.failure !== undefined ? showFailure(o, o.failure) : o.statusName(modelX0)}`], rules);
}

// -------------------------------------------------------------------------------------
// status encodings
// -------------------------------------------------------------------------------------

/** DEN0137 B4.4.25: X0 of RMI status `name` with error index `index`; SMCCC_NOT_SUPPORTED is −1. @category Relation */
export function rmiStatusValue(name: string, index: number): bigint | undefined {
  if (name === 'SMCCC_NOT_SUPPORTED') return SMCCC_NOT_SUPPORTED;
  if (name === 'RMI_SUCCESS') return 0n;
  const code = name.startsWith('RMI_ERROR_') ? statusCode(name as StatusName) : undefined;
  return code === undefined ? undefined : BigInt(code | ((index & 0xff) << 8));
}

/** The RMI status in X0, for messages: name and index (DEN0137 B4.4.25). @category Relation */
export function rmiStatusText(x0: bigint): string {
  if (x0 === SMCCC_NOT_SUPPORTED) return 'SMCCC_NOT_SUPPORTED';
  const name = x0 >> 16n === 0n ? rmiStatusName(Number(x0 & 0xffn)) : undefined;
  const index = Number((x0 >> 8n) & 0xffn);
  return name === undefined ? `X0 ${hex(x0)}` : index === 0 ? name : `${name} (index ${index})`;
}
