/**
 * Context readers and failure predicates shared by the RTT and DATA commands: the Int64 `level`
 * argument, the IPA and walk a command reads, the ipa_align / ipa_bound rows several commands
 * share, and the `RMI_ERROR_RTT` rows whose index is the level the walk reached (DEN0137
 * B4.3.1–B4.3.3, B4.3.15–B4.3.22).
 *
 * Contexts are built per command call: every builder here and in the command modules writes its
 * context as one explicit object literal, not a spread of another context (with the other
 * changes of that round, RTT_READ_ENTRY went from about 2.2 µs to 0.7 µs a call).
 *
 * @internal
 * @packageDocumentation
 */
import type { Check, FailureImpl } from '../engine/command.js';
import type { Established } from '../engine/refine.js';
import { InternalError } from '../internal/errors.js';
import { toInt64 } from '../model/bits.js';
import type { Realm } from '../model/realm.js';
import { addrInIpaSpace, addrIsRttLevelAligned, rttSkipNonLiveEntries, rttWalk, type RttWalkResult } from '../model/rtt-walk.js';
import type { RmmState } from '../model/state.js';
import { realmAt, withRealm, type HasState } from './common.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The context every RTT and DATA command builds (DEN0137 B4.3.1–B4.3.22 contexts): the Realm, one IPA, and the walk to it. @category RTT */
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

/**
 * A {@link WalkCtx} once no failure condition holds: the walk exists (rd_state makes Realm(rd)
 * exist; ipa_bound, or ipa_align for RTT_SET_RIPAS's base, puts ipa under the starting tables).
 */
export type Walked<C extends WalkCtx> = Established<C, 'walk'>;

/** Inputs of the commands that name an RTT level: RMI_RTT_DESTROY, RMI_RTT_FOLD, RMI_RTT_READ_ENTRY, RMI_RTT_UNMAP_UNPROTECTED (DEN0137 B4.3.16.1.1). @category RTT */
export interface RttLevelInput {
  readonly rd: bigint;
  readonly ipa: bigint;
  readonly level: bigint;
}

/** A {@link WalkCtx} whose walk goes to the `level` input: RMI_RTT_READ_ENTRY, RMI_RTT_(UN)MAP_UNPROTECTED (DEN0137 B4.3.20.1.2, B4.3.22.1.2). @category RTT */
export interface LevelWalkCtx extends WalkCtx {
  /** The level input. */
  readonly level: number;
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

/** An IPA input as a number for the walk; −1 (no walk) from 2^53 up, beyond every IPA space (DEN0137 A5.2.1). @internal */
export function ipaNumber(ipa: bigint): number {
  return ipa < 2 ** 53 ? Number(ipa) : -1;
}

/**
 * DEN0137 B3.78 RttWalk(rd, ipa, level) for a context: undefined when there is no Realm or no
 * walk (`ipaN` −1, or beyond the starting tables). The walk exists whenever the starting tables
 * cover `ipa`, even above 2^ipa_width, so that walk conditions stay evaluable next to
 * `ipa_bound` (ordering checks); the listed order never lets them be reported there. @internal
 */
export function walkTo(s: RmmState, realm: Realm | undefined, ipaN: number, level: number): RttWalkResult | undefined {
  return realm === undefined || ipaN < 0 ? undefined : rttWalk(s, realm, ipaN, level);
}

/** The Realm of `rd` and the walk `RttWalk(rd, ipa, level)` (DEN0137 B3.78). @internal */
export function walkContext(s: RmmState, rd: bigint, ipa: bigint, level: number): WalkCtx {
  const realm = realmAt(s, rd);
  const ipaN = ipaNumber(ipa);
  return { s, rd, realm, ipa, ipaN, walk: walkTo(s, realm, ipaN, level) };
}

/** The context of a command whose walk goes to its `level` input (DEN0137 B4.3.20.1.2, B4.3.22.1.2). @internal */
export function levelWalkContext(s: RmmState, i: RttLevelInput): LevelWalkCtx {
  const level = levelArg(i.level);
  const realm = realmAt(s, i.rd);
  const ipaN = ipaNumber(i.ipa);
  return { s, rd: i.rd, realm, ipa: i.ipa, ipaN, walk: walkTo(s, realm, ipaN, level), level };
}

// -------------------------------------------------------------------------------------
// failure predicates
// -------------------------------------------------------------------------------------

/** {@link withRealm} on the context's Realm: false when Realm(rd) is undefined (D-WELLFORMED). @internal */
export function onRealm<C extends { readonly realm: Realm | undefined }>(p: (r: Realm, c: C) => boolean): Check<C> {
  return withRealm((c: C) => c.realm, p);
}

/** !AddrIsRttLevelAligned(ipa, level): the ipa_align row of RTT_READ_ENTRY and RTT_(UN)MAP_UNPROTECTED (DEN0137 B4.3.20.2, B4.3.19.2, B4.3.22.2). @internal */
export const ipaNotLevelAligned: Check<LevelWalkCtx> = (c) => !addrIsRttLevelAligned(c.s.platform.geometry, c.ipa, c.level);

/** ipa ≥ 2^ipa_width: the ipa_bound row of RTT_CREATE, RTT_DESTROY, RTT_FOLD and RTT_READ_ENTRY (DEN0137 B4.3.15.2, B4.3.20.2). @internal */
export const ipaOutsideIpaSpace: Check<WalkCtx> = onRealm((r: Realm, c: WalkCtx) => !addrInIpaSpace(r, c.ipa));

/** An RMI_ERROR_RTT row on the walk, with index walk.level; false when there is no walk. @internal */
export function onWalk<C extends { readonly walk: RttWalkResult | undefined }>(p: (w: RttWalkResult, c: C) => boolean): FailureImpl<C> {
  return {
    holds: (c) => c.walk !== undefined && p(c.walk, c),
    index: (c) => walked(c).level,
  };
}

/**
 * DEN0137 B3.76: walk_top = RttSkipNonLiveEntries(Rtt(walk.rtt_addr), walk.level, ipa) on the
 * state before the command, as a failure output (`top`).
 */
function walkTopOutput(c: WalkCtx): Readonly<Record<string, bigint>> {
  return { top: BigInt(rttSkipNonLiveEntries(c.s.platform.geometry, walked(c).table, c.ipaN)) };
}

/** The walk of a context whose walk condition holds (its index and outputs are read only then). */
function walked(c: { readonly walk: RttWalkResult | undefined }): RttWalkResult {
  if (c.walk === undefined) throw new InternalError('an RTT command reached apply without a walk');
  return c.walk;
}

/** {@link onWalk} with the `top = walk_top` failure output. @internal */
export function onWalkWithTop<C extends WalkCtx>(p: (w: RttWalkResult, c: C) => boolean): FailureImpl<C> {
  const w = onWalk(p);
  return { holds: w.holds, index: w.index, outputs: walkTopOutput };
}
