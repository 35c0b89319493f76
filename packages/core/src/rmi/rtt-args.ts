/**
 * Context readers and failure predicates shared by the RTT and DATA commands: the Int64 `level`
 * argument, the IPA and walk a command reads, and the `RMI_ERROR_RTT` rows whose index is the
 * level the walk reached (DEN0137 B4.3.1–B4.3.3, B4.3.15–B4.3.22).
 *
 * @internal
 * @packageDocumentation
 */
import type { Check, FailureImpl } from '../engine/command.js';
import { InternalError } from '../internal/errors.js';
import { toInt64 } from '../model/bits.js';
import { GranuleState } from '../model/granule.js';
import type { Realm } from '../model/realm.js';
import { rttSkipNonLiveEntries, rttWalk, type RttWalkResult } from '../model/rtt-walk.js';
import type { RmmState } from '../model/state.js';
import { granuleArg, realmAt, withRealm, type HasState } from './common.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The context every RTT and DATA command builds (DEN0137 B4.3.1–B4.3.22 contexts): the Realm, one IPA, and the walk to it. */
export interface WalkCtx extends HasState {
  /** The rd input. */
  readonly rd: bigint;
  /** Realm(rd), read whatever rd is (DECISIONS D-WELLFORMED). */
  readonly realm: Realm | undefined;
  /** The IPA the command walks to. */
  readonly ipa: bigint;
  /** The same IPA as a number; meaningful only where `walk` is defined. */
  readonly ipaN: number;
  /** The walk, when there is a Realm and its starting tables cover the IPA. */
  readonly walk: RttWalkResult | undefined;
}

// -------------------------------------------------------------------------------------
// readers
// -------------------------------------------------------------------------------------

/**
 * The `level` input (Int64, DEN0137 B4.3.15.1.1) as a number. Values beyond 2^53 in magnitude
 * are rounded, which keeps them invalid. @internal
 */
export function levelArg(v: bigint): number {
  return Number(toInt64(v));
}

/**
 * The Realm of `rd` and the walk `RttWalk(rd, ipa, level)`. The walk exists whenever the
 * starting tables cover `ipa`, even above 2^ipa_width, so that walk conditions stay evaluable
 * next to `ipa_bound` (ordering checks); the listed order never lets them be reported there.
 * @internal
 */
export function walkContext(s: RmmState, rd: bigint, ipa: bigint, level: number): WalkCtx {
  const realm = realmAt(s, rd);
  const ipaN = ipa < 2 ** 53 ? Number(ipa) : -1;
  const walk = realm === undefined || ipaN < 0 ? undefined : rttWalk(s, realm, ipaN, level);
  return { s, rd, realm, ipa, ipaN, walk };
}

/** The rd_align, rd_bound and rd_state rows: rd is the PA of an RD (DEN0137 B4.3). @internal */
export function rdArg<C extends HasState & { readonly rd: bigint }>(): Record<string, Check<C>> {
  return granuleArg<C>('rd', (c) => c.rd, GranuleState.RD);
}

/** {@link withRealm} on the context's Realm: false when Realm(rd) is undefined (D-WELLFORMED). @internal */
export function onRealm<C extends { readonly realm: Realm | undefined }>(p: (r: Realm, c: C) => boolean): Check<C> {
  return withRealm((c: C) => c.realm, p);
}

/** An RMI_ERROR_RTT row on the walk, with index walk.level; false when there is no walk. @internal */
export function onWalk<C extends { readonly walk: RttWalkResult | undefined }>(p: (w: RttWalkResult, c: C) => boolean): FailureImpl<C> {
  return {
    holds: (c) => c.walk !== undefined && p(c.walk, c),
    index: (c) => walked(c).level,
  };
}

/**
 * DEN0137 B3.76: walk_top = RttSkipNonLiveEntries(Rtt(walk.rtt_addr), walk.level, ipa) on the
 * state before the command, as a failure output (`top`). @internal
 */
export function walkTopOutput(c: WalkCtx): Readonly<Record<string, bigint>> {
  return { top: BigInt(rttSkipNonLiveEntries(walked(c).table, c.ipaN)) };
}

/**
 * The walk an apply function works on. Every command's listed conditions guarantee it (its IPA
 * passed ipa_bound or an equivalent); its absence is a model bug. @internal
 */
export function walked(c: { readonly walk: RttWalkResult | undefined }): RttWalkResult {
  if (c.walk === undefined) throw new InternalError('an RTT command reached apply without a walk');
  return c.walk;
}

/** {@link onWalk} with the `top = walk_top` failure output. @internal */
export function onWalkWithTop<C extends WalkCtx>(p: (w: RttWalkResult, c: C) => boolean): FailureImpl<C> {
  return { ...onWalk(p), outputs: walkTopOutput };
}
