/**
 * The permitted outcomes of one SMC, at the register level: a Host RMI call (DEN0137 B4.3) and a
 * Realm RSI or PSCI call (B5.3, B6.3), built from the command's failure table, its ordering
 * constraints and the outputs its post-condition definition leaves open.
 *
 * @packageDocumentation
 */
import { encodeRmiResult, functionId, SMCCC_NOT_SUPPORTED } from '../abi/smc.js';
import { PsciStatus, psciStatusName, RsiStatus, rsiStatusName } from '../abi/status.js';
import type { Rule } from '../catalogue/index.js';
import type { SpecFailure } from '../engine/command.js';
import type { GranuleIndex } from '../model/bits.js';
import { hex } from '../model/bits.js';
import type { RmmState } from '../model/state.js';
import { rmiRoute } from '../dispatch/smc.js';
import { realmRoute } from '../exec/call.js';
import type { RealmOutcome } from '../realm/command.js';
import { rmiStatusText, rmiStatusValue, type CallOutcomes } from './judge.js';

/** The model's answer to one call: its result registers, failure, and the state after it. @category Relation */
export interface ModelAnswer {
  /** X0, X1, ... as the model returned them. */
  readonly regs: readonly bigint[];
  /** The failure the model reported, if any. */
  readonly failure: SpecFailure | undefined;
  /** The state after the call. */
  readonly state: RmmState;
}

const none: CallOutcomes['choices'] = new Map();

/** A route's output registers by name, made once per route. */
const outputRegsCache = new WeakMap<readonly (readonly [string, number])[], ReadonlyMap<string, number>>();
function outputRegsOf(outputs: readonly (readonly [string, number])[]): ReadonlyMap<string, number> {
  let m = outputRegsCache.get(outputs);
  if (m === undefined) outputRegsCache.set(outputs, (m = new Map(outputs)));
  return m;
}

/**
 * The outcomes DEN0137 permits for the Host SMC `regs` (X0 = FID) on state `pre`, given the
 * model's answer to it (from `smc`, or `runRec` for RMI_REC_ENTER).
 * @category Relation
 */
export function rmiCallOutcomes(pre: RmmState, regs: readonly bigint[], model: ModelAnswer): CallOutcomes {
  const r = rmiRoute(functionId(regs[0] ?? 0n));
  // One object literal of one shape per call (replay judges every step: no spreads, no closures).
  if (r === undefined) return rmiOutcomes(model, [], none, noOutputs, undefined);
  const failure = model.failure;
  const post = r.command.post;
  const open = post?.choices;
  // The model's ordered check evaluated every failure condition, and it succeeds exactly when
  // none holds (B1.6), so a success leaves no failure permitted.
  if (failure === undefined && open === undefined && post?.answers === undefined) return rmiOutcomes(model, [], none, outputRegsOf(r.outputs), undefined);
  const input: Record<string, bigint> = {};
  for (const [name, reg] of r.inputs) input[name] = BigInt.asUintN(64, regs[reg] ?? 0n);
  const answers = answersOf(r.command.entry.failures, r.outputs, post?.answers === undefined ? undefined : (ok, out) => post.answers?.(pre, input, { ok, out }), (code) => encodeRmiResult(code, 0));
  if (failure !== undefined) {
    const permitted = r.command.permitted(pre, input);
    // A condition held only at REC exit (exit_pas) is reported after the ordered check.
    if (!permitted.some((f) => f.rule === failure.rule)) permitted.push(failure);
    return rmiOutcomes(model, permitted, none, outputRegsOf(r.outputs), answers);
  }
  const choices = new Map<number, { readonly name: string; readonly permits: (v: bigint) => boolean }>();
  const out: Record<string, bigint> = {};
  for (const [name, reg] of r.outputs) out[name] = model.regs[reg] ?? 0n;
  const t = { pre, input, post: model.state, out };
  for (const [name, reg] of [...r.outputs, ['result', 0] as const]) {
    const p = open?.[name];
    if (p !== undefined) choices.set(reg, { name, permits: (v) => p(t, v) });
  }
  return rmiOutcomes(model, [], choices, outputRegsOf(r.outputs), answers);
}

/**
 * The register-level form of a command's `answers` relation: X0 success (0) or the status of one
 * of its failure rows, outputs by name from their registers.
 */
function answersOf(
  failures: readonly Rule[],
  outputs: ReadonlyArray<readonly [string, number]>,
  answers: ((ok: boolean, out: Readonly<Record<string, bigint | undefined>>) => string | undefined) | undefined,
  statusX0: (code: number) => bigint,
): CallOutcomes['answers'] {
  if (answers === undefined) return undefined;
  const failureX0 = failures.map((f) => statusX0(f.code ?? 0));
  return (x0, out) => {
    const ok = x0 === 0n;
    if (!ok && !failureX0.includes(x0)) return 'neither success nor a failure status of this command';
    const named: Record<string, bigint | undefined> = {};
    for (const [name, reg] of outputs) named[name] = out[reg - 1] ?? undefined;
    return answers(ok, named);
  };
}

const noOutputs: ReadonlyMap<string, number> = new Map();
const encodeRmi = (f: SpecFailure): bigint => encodeRmiResult(f.code, f.index);
const rmiIndexOf = (x0: bigint): number => Number((x0 >> 8n) & 0xffn);

/** The outcomes of an RMI call (DEN0137 B4.4.25 encodings). */
function rmiOutcomes(model: ModelAnswer, permitted: SpecFailure[], choices: CallOutcomes['choices'], outputRegs: ReadonlyMap<string, number>, answers: CallOutcomes['answers']): CallOutcomes {
  return { model: model.regs, failure: model.failure, permitted, choices, outputRegs, encode: encodeRmi, statusValue: rmiStatusValue, statusName: rmiStatusText, indexOf: rmiIndexOf, answers };
}

/** X0 of a Realm call's status name: RSI or PSCI codes, SMCCC_NOT_SUPPORTED (DEN0137 B5.4.1, B6.4.2). */
function realmStatusValue(name: string): bigint | undefined {
  if (name === 'SMCCC_NOT_SUPPORTED') return SMCCC_NOT_SUPPORTED;
  return (RsiStatus as Readonly<Record<string, bigint>>)[name] ?? (PsciStatus as Readonly<Record<string, bigint>>)[name];
}

/**
 * The outcomes DEN0137 permits for the Realm call `regs` (X0 = FID) made by REC `recGi` on state
 * `pre`, given the model's answer to it; for a call that returns to the Realm.
 * @category Relation
 */
export function realmCallOutcomes(pre: RmmState, recGi: GranuleIndex, regs: readonly bigint[], model: ModelAnswer): CallOutcomes {
  const fid = functionId(regs[0] ?? 0n);
  const r = realmRoute(fid);
  const psci = r?.command.entry.iface === 'PSCI';
  const base = {
    model: model.regs,
    failure: model.failure,
    encode: (f: SpecFailure) => BigInt.asUintN(64, BigInt(f.code)),
    statusValue: realmStatusValue,
    statusName: (x0: bigint) => (psci ? psciStatusName(x0) : rsiStatusName(x0)) ?? hex(x0),
  };
  if (r === undefined) return { ...base, permitted: [], choices: none, outputRegs: new Map() };
  const input: Record<string, bigint> = {};
  for (const [name, reg] of r.inputs) input[name] = BigInt.asUintN(64, regs[reg] ?? 0n);
  const call = { recGi, fid, regs: input };
  const post = r.command.post;
  const answers = answersOf(r.command.entry.failures, r.outputs, post?.answers === undefined ? undefined : (ok, out) => post.answers?.(pre, call, { ok, out }), (code) => BigInt.asUintN(64, BigInt(code)));
  // As for RMI calls: a success leaves no failure permitted (B1.6).
  const permitted = model.failure === undefined ? [] : r.command.permitted(pre, call);
  const choices = new Map<number, { readonly name: string; readonly permits: (v: bigint) => boolean }>();
  const open = r.command.post?.choices;
  if (model.failure === undefined && open !== undefined) {
    const outputs: Record<string, bigint> = {};
    for (const [name, reg] of r.outputs) outputs[name] = model.regs[reg] ?? 0n;
    const out: RealmOutcome = { kind: 'return', x0: model.regs[0] ?? 0n, outputs };
    const t = { pre, input: call, post: model.state, out };
    // `result` is X0 (the spec's name for it in every output table).
    for (const [name, reg] of [...r.outputs, ['result', 0] as const]) {
      const p = open[name];
      if (p !== undefined) choices.set(reg, { name, permits: (v) => p(t, v) });
    }
  }
  return { ...base, permitted, choices, outputRegs: outputRegsOf(r.outputs), answers };
}
