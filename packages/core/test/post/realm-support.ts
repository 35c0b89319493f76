/**
 * Post-condition tests of Realm calls (RSI and PSCI): the transition a call from R.rec makes, and
 * which success rows apply and hold on it.
 */
import * as E from 'fp-ts/lib/Either.js';
import { catalogue, type RealmCallInput, type RealmCommand, type RealmOutcome, type RmmState, type Transition } from '../../src/index.js';
import { REC_GI, WORLD } from '../realm/support.js';
import { applicable, holds } from './rtt-support.js';

/** A Realm call's transition. */
export type T = Transition<RealmCallInput, RealmOutcome>;
/** A Realm command as these tests call it. */
export type Cmd = Pick<RealmCommand, 'post' | 'verify' | 'entry'> & ((s: RmmState, i: RealmCallInput) => E.Either<unknown, readonly [RmmState, RealmOutcome]>);

/** Calls `command` from R.rec with FID `fid` and inputs `regs` on `pre`: the transition (the call must succeed). */
export function callFid(command: Cmd, fid: number, regs: Record<string, bigint> = {}, pre: RmmState = WORLD): T {
  const input = { recGi: REC_GI, fid, regs };
  const r = command(pre, input);
  if (E.isLeft(r)) throw new Error(`0x${fid.toString(16)} failed`);
  return { pre, input, post: r.right[0], out: r.right[1] };
}

/** Calls `command` by its catalogue name, with its first FID. */
export function call(command: Cmd, name: string, regs: Record<string, bigint>, pre: RmmState = WORLD): T {
  return callFid(command, catalogue.byName.get(name)!.fids[0]!, regs, pre);
}

/** The rows whose case applies to `t` and whether each holds. */
export function rows(command: Cmd, t: T): Record<string, boolean> {
  return Object.fromEntries(applicable(command, t).map((k) => [k, holds(command, k, t)]));
}

export { holds };
