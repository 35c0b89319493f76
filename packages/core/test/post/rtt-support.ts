/**
 * Helpers for the post-condition tests of the RTT commands: a transition made by the real
 * command, the evaluation of one success predicate or open-output predicate on it, and doctored
 * states (one RTT entry or granule changed) to show that a predicate can fail.
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  granule,
  granuleIndex,
  rttEntry,
  type CatalogueCommand,
  type Change,
  type CommandResult,
  type Gpt,
  type GranuleState,
  type PostDefinition,
  type RmmState,
  type RttEntry,
  type Transition,
} from '../../src/index.js';
import { frameViolations, packMeta, rttWithEntry, updateState, withGranule } from '../../src/internal.js';

/** A command with post-conditions. */
export interface WithPost<I, O> {
  readonly post: PostDefinition<I, O> | undefined;
  readonly entry: CatalogueCommand;
}

/** The transition `cmd` makes from `s` on `input`; the command must succeed. */
export function transition<I, O>(cmd: WithPost<I, O> & ((s: RmmState, input: I) => CommandResult<O>), s: RmmState, input: I): Transition<I, O> {
  const r = cmd(s, input);
  if (E.isLeft(r)) throw new Error(`${cmd.entry.name} failed: ${r.left.rule}`);
  return { pre: s, input, post: r.right[0], out: r.right[1] };
}

function row<I, O>(cmd: WithPost<I, O>, label: string) {
  const p = cmd.post?.success[label];
  if (p === undefined) throw new Error(`${cmd.entry.name} has no post-condition ${label}`);
  return p;
}

/** Whether success condition `label` of `cmd` holds on `t` (its `when` is not consulted). */
export function holds<I, O>(cmd: WithPost<I, O>, label: string, t: Transition<I, O>): boolean {
  const p = row(cmd, label);
  return typeof p === 'function' ? p(t) : p.holds(t);
}

/** The labels of `cmd` whose case applies to `t` (every unconditional one, and those whose `when` holds). */
export function applicable<I, O>(cmd: WithPost<I, O>, t: Transition<I, O>): string[] {
  return Object.entries(cmd.post?.success ?? {})
    .filter(([, p]) => typeof p === 'function' || p.when(t))
    .map(([k]) => k)
    .sort();
}

/** The labels of `cmd` that apply to `t` and do not hold. */
export function broken<I, O>(cmd: WithPost<I, O>, t: Transition<I, O>): string[] {
  return applicable(cmd, t).filter((k) => !holds(cmd, k, t));
}

/** Whether the open output `name` of `cmd` may take `value` in transition `t`. */
export function permits<I, O>(cmd: WithPost<I, O>, name: string, t: Transition<I, O>, value: bigint): boolean {
  const c = cmd.post?.choices?.[name];
  if (c === undefined) throw new Error(`${cmd.entry.name}: ${name} is not an open output`);
  return c(t, value);
}

/** The changes from `t.pre` to `post` that the footprint of `cmd`, located on `t`, does not allow. */
export function outsideFootprint<I, O>(cmd: WithPost<I, O>, t: Transition<I, O>, post: RmmState): Change[] {
  const locate = cmd.post?.locate ?? {};
  return frameViolations(cmd.entry.footprint, (n) => locate[n]?.(t), t.pre, post);
}

/** `s` with entry `i` of the RTT at `rtt` changed by `patch` (state, RIPAS, address, attributes). */
export function withEntry(s: RmmState, rtt: bigint, i: number, patch: Partial<RttEntry>): RmmState {
  const g = granuleIndex(rtt);
  const table = s.rtts.get(g);
  if (table === undefined) throw new Error('no RTT');
  const e = { ...rttEntry(table, i), ...patch };
  return updateState(s, { rtts: s.rtts.set(g, rttWithEntry(table, i, packMeta(e.state, e.ripas, e.memAttr, e.s2ap), e.addr)) });
}

/** `s` with the granule at `pa` in state `state` and PAS `gpt`. */
export function withGranuleState(s: RmmState, pa: bigint, state: GranuleState, gpt: Gpt): RmmState {
  return withGranule(s, granuleIndex(pa), granule(state, gpt));
}

/** `t` with its post-state or outputs replaced. */
export function doctor<I, O>(t: Transition<I, O>, patch: { post?: RmmState; out?: Partial<O> }): Transition<I, O> {
  return { ...t, post: patch.post ?? t.post, out: { ...t.out, ...patch.out } };
}
