/**
 * Building blocks of the mutant catalogue: wrappers around an {@link Impl} that change one
 * command's behaviour the way a real implementation gets it wrong (a skipped check, another
 * status or index, a wrong output, a wrong state update after the command, a wrong REC exit).
 * None edits the model: each runs the model and transforms its input, answer or state.
 *
 * @packageDocumentation
 */
import {
  catalogue,
  encodeRmiResult,
  functionId,
  granuleIndex,
  rmiRoute,
  statusCode,
  type RealmAction as CoreRealmAction,
  type RmmState,
  type RoutedCommand,
  type Rule,
  type StatusName,
} from '@realmspec/core';
import { updateState } from '@realmspec/core/internal';
import type { EnterAnswer, Impl, RmiAnswer } from '../impl.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The command area a mutant belongs to. */
export type MutantArea = 'granule' | 'realm' | 'rec' | 'rtt' | 'data' | 'ripas' | 'rec-exit' | 'rsi' | 'psci' | 'features';

/** What kind of mistake a mutant makes. */
export type MutantKind =
  | 'order-permitted'
  | 'order-outside'
  | 'missing-check'
  | 'wrong-status'
  | 'wrong-index'
  | 'wrong-output'
  | 'wrong-state'
  | 'wrong-measurement'
  | 'wrong-exit'
  | 'off-by-one'
  | 'crash';

/** One seeded fault: the model with one mistake an implementation could make. */
export interface Mutant {
  /** Stable id, e.g. `delegate-gpt-unchecked`. */
  readonly id: string;
  /** The command area. */
  readonly area: MutantArea;
  /** The kind of mistake. */
  readonly kind: MutantKind;
  /** One line: what the mutant gets wrong. */
  readonly description: string;
  /** The catalogue rule it violates (a failure or success condition, or an ordering `CMD/order/a<b`). */
  readonly rule: string;
  /**
   * The spec permits what the mutant does (a negative control: another failure of the permitted
   * set); the harness must not report it, except with `--strict`.
   */
  readonly permitted?: true;
  /** The implementation with the fault. */
  readonly wrap: (base: Impl) => Impl;
}

/** A routed RMI command by name. */
export interface Routed extends RoutedCommand {
  /** The command's FID. */
  readonly fid: bigint;
}

const routes = new Map<string, Routed>();

/** The RMI command `name` with its register layout. */
export function route(name: string): Routed {
  let r = routes.get(name);
  if (r === undefined) {
    const fid = catalogue.byName.get(name)?.fids[0];
    const rr = fid === undefined ? undefined : rmiRoute(fid);
    if (fid === undefined || rr === undefined) throw new Error(`no RMI command ${name}`);
    r = { ...rr, fid: BigInt(fid) };
    routes.set(name, r);
  }
  return r;
}

/** The named inputs of a call to `r` with registers `regs` (X0 = FID). */
export function inputOf(r: RoutedCommand, regs: readonly bigint[]): Record<string, bigint> {
  const input: Record<string, bigint> = {};
  for (const [name, reg] of r.inputs) input[name] = BigInt.asUintN(64, regs[reg] ?? 0n);
  return input;
}

/** The FID of catalogue command `name`. */
export function fidOf(name: string): bigint {
  const f = catalogue.byName.get(name)?.fids[0];
  if (f === undefined) throw new Error(`no command ${name}`);
  return BigInt(f);
}

/** X0 of a failure with `status` and `index`. */
export function failureX0(status: StatusName, index = 0): bigint {
  return encodeRmiResult(statusCode(status), index);
}

/** The rule of `name` with `label`. */
export function ruleOf(name: string, label: string): Rule {
  const r = catalogue.byName.get(name)?.failures.find((f) => f.label === label);
  if (r === undefined) throw new Error(`no failure ${name}/${label}`);
  return r;
}

// -------------------------------------------------------------------------------------
// wrappers
// -------------------------------------------------------------------------------------

/** Handles one RMI command: `f` answers calls of `name` (given the model's implementation), others go to the base. */
export type RmiHook = (s: RmmState, regs: readonly bigint[], base: Impl, r: Routed) => RmiAnswer;

/** An implementation whose answers to command `name` come from `f`. */
export function onRmi(name: string, f: RmiHook): (base: Impl) => Impl {
  const r = route(name);
  const fid = functionId(r.fid);
  return (base) => ({
    enter: base.enter,
    rmi: (s, regs) => (functionId(regs[0] ?? 0n) === fid ? f(s, regs, base, r) : base.rmi(s, regs)),
  });
}

/** The answer of applying command `r` to the call even though its checks fail: success with apply's outputs. */
export function applyAnyway(s: RmmState, regs: readonly bigint[], r: Routed): RmiAnswer {
  const input = inputOf(r, regs);
  const [state, out] = r.command.apply(r.command.context(s, input));
  const res = new Array<bigint>(r.width).fill(0n);
  for (const [n, reg] of r.outputs) res[reg] = (out as Record<string, bigint>)[n] ?? 0n;
  return { state, regs: res };
}

/**
 * A missing check: when condition `label` is the only one that holds, the command succeeds as
 * if it did not (apply on the call's context). `also` narrows the case further.
 */
export function skipCheck(name: string, label: string, also: (s: RmmState, input: Record<string, bigint>) => boolean = () => true): (base: Impl) => Impl {
  return onRmi(name, (s, regs, base, r) => {
    const input = inputOf(r, regs);
    const held = r.command.holding(s, input);
    if (held.length === 1 && held[0]?.label === label && also(s, input)) return applyAnyway(s, regs, r);
    return base.rmi(s, regs);
  });
}

/** A wrong status or index: when the model reports failure `label`, answer X0 `x0(index)` instead. */
export function misreport(name: string, label: string, x0: (index: number, s: RmmState, input: Record<string, bigint>) => bigint): (base: Impl) => Impl {
  const rule = ruleOf(name, label);
  return onRmi(name, (s, regs, base, r) => {
    const a = base.rmi(s, regs);
    const f = r.command.permitted(s, inputOf(r, regs));
    const mine = f.find((x) => x.rule === rule.id);
    if (mine === undefined || (a.regs[0] ?? 0n) !== encodeRmiResult(mine.code, mine.index)) return a;
    const regsOut = [...a.regs];
    regsOut[0] = x0(mine.index, s, inputOf(r, regs));
    return { state: a.state, regs: regsOut };
  });
}

/** A wrong output or state update after success: `f` rewrites the model's successful answer. */
export function afterSuccess(name: string, f: (pre: RmmState, a: RmiAnswer, input: Record<string, bigint>) => RmiAnswer): (base: Impl) => Impl {
  return onRmi(name, (s, regs, base, r) => {
    const a = base.rmi(s, regs);
    return a.regs[0] === 0n ? f(s, a, inputOf(r, regs)) : a;
  });
}

/**
 * Failure order: when several conditions hold, report the first holding one that `choose` picks
 * from (held, permitted): outside the permitted set, or another member of it.
 */
export function reorder(name: string, choose: (held: readonly Rule[], permitted: ReadonlySet<string>) => Rule | undefined): (base: Impl) => Impl {
  return onRmi(name, (s, regs, base, r) => {
    const input = inputOf(r, regs);
    const held = r.command.holding(s, input);
    if (held.length < 2) return base.rmi(s, regs);
    const permitted = r.command.permitted(s, input);
    const pick = choose(held, new Set(permitted.map((f) => f.rule)));
    if (pick === undefined) return base.rmi(s, regs);
    const f = permitted.find((x) => x.rule === pick.id);
    const x0 = f !== undefined ? encodeRmiResult(f.code, f.index) : failureX0(pick.status as StatusName, typeof pick.index === 'number' ? pick.index : 0);
    const out = new Array<bigint>(r.width).fill(0n);
    out[0] = x0;
    return { state: s, regs: out };
  });
}

/** Rewrites RMI_REC_ENTER answers. */
export function onEnter(f: (s: RmmState, rec: bigint, runPtr: bigint, actions: readonly CoreRealmAction[], base: Impl) => EnterAnswer): (base: Impl) => Impl {
  return (base) => ({ rmi: base.rmi, enter: (s, rec, runPtr, actions) => f(s, rec, runPtr, actions, base) });
}

/** A wrong REC exit: `f` rewrites the exit record of a successful entry whose exit reason is `reason`. */
export function onExit(reason: number, f: (exit: Record<string, bigint | readonly bigint[]>, actions: readonly CoreRealmAction[], a: EnterAnswer) => void): (base: Impl) => Impl {
  return onEnter((s, rec, runPtr, actions, base) => {
    const a = base.enter(s, rec, runPtr, actions);
    if (a.exit === undefined || a.exit.exit_reason !== BigInt(reason)) return a;
    const exit = { ...a.exit };
    f(exit, actions, a);
    return { ...a, exit };
  });
}

/** A wrong Realm call result: `f` rewrites X0.. of each call to `name` that returned to the Realm (given the call's registers). */
export function onRealmCall(name: string, f: (call: readonly bigint[], result: bigint[]) => void): (base: Impl) => Impl {
  const fids = new Set(catalogue.byName.get(name)?.fids ?? []);
  return onEnter((s, rec, runPtr, actions, base) => {
    const a = base.enter(s, rec, runPtr, actions);
    let changed = false;
    const calls = a.calls.map((regs, k) => {
      const act = actions[k];
      if (regs === undefined || act?.kind !== 'call' || !fids.has(functionId(act.regs[0] ?? 0n))) return regs;
      const out = [...regs];
      f(act.regs, out);
      changed = true;
      return out;
    });
    return changed ? { ...a, calls } : a;
  });
}

/** `s` with the RTT entry that `rtts` locates replaced. */
export function withRtts(s: RmmState, rtts: RmmState['rtts']): RmmState {
  return updateState(s, { rtts });
}

/** The granule index of the RD named by input `rd`. */
export function rdOf(input: Record<string, bigint>): number {
  return granuleIndex(input.rd ?? 0n);
}
