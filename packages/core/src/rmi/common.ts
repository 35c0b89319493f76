/**
 * Failure predicates and context readers shared by the RMI commands: the align / bound / state
 * triple every granule argument goes through, and safe readers of Realms and RECs.
 *
 * @packageDocumentation
 */
import { granuleIndex, isGranuleAligned } from '../model/bits.js';
import { GranuleState, nsAccessPermitted } from '../model/granule.js';
import { isDelegableGranule } from '../model/platform.js';
import { granuleAt, type RmmState } from '../model/state.js';
import type { Realm } from '../model/realm.js';
import { RecState, type Rec } from '../model/rec.js';
import type { Check } from '../engine/command.js';

/** A command context always carries the state it runs on. @internal */
export interface HasState {
  readonly s: RmmState;
}

/** DEN0137 B3 PaIsDelegable: `addr` lies in a delegable granule. @internal */
export function isDelegable(s: RmmState, addr: bigint): boolean {
  return isDelegableGranule(s.platform, granuleIndex(addr));
}

/** The state of the granule containing `addr`. @internal */
export function granuleStateOf(s: RmmState, addr: bigint): GranuleState {
  return granuleAt(s, granuleIndex(addr)).state;
}

/** DEN0137 B3 GranuleAccessPermitted(addr, PAS_NS). @internal */
export function nsAccessible(s: RmmState, addr: bigint): boolean {
  return nsAccessPermitted(granuleAt(s, granuleIndex(addr)));
}

/**
 * The `<arg>_align`, `<arg>_bound` and `<arg>_state` predicates of a granule argument: not
 * granule aligned; not delegable; not in state `expected` (DEN0137 B4.3, every command that
 * takes a granule address). `stateLabel` overrides the third label (`rec_gran_state`).
 * @internal
 */
export function granuleArg<C extends HasState>(
  arg: string,
  addr: (c: C) => bigint,
  expected: GranuleState,
  stateLabel = `${arg}_state`,
): Record<string, Check<C>> {
  return {
    [`${arg}_align`]: (c) => !isGranuleAligned(addr(c)),
    [`${arg}_bound`]: (c) => !isDelegable(c.s, addr(c)),
    [stateLabel]: (c) => granuleStateOf(c.s, addr(c)) !== expected,
  };
}

/** The rd_align, rd_bound and rd_state rows: rd is the PA of an RD (DEN0137 B4.3, every command that takes rd). @internal */
export function rdArg<C extends HasState & { readonly rd: bigint }>(): Record<string, Check<C>> {
  return granuleArg<C>('rd', (c) => c.rd, GranuleState.RD);
}

/** The `<arg>_align`, `<arg>_bound`, `<arg>_pas` predicates of a Non-secure granule argument. @internal */
export function nsGranuleArg<C extends HasState>(arg: string, addr: (c: C) => bigint): Record<string, Check<C>> {
  return {
    [`${arg}_align`]: (c) => !isGranuleAligned(addr(c)),
    [`${arg}_bound`]: (c) => !isDelegable(c.s, addr(c)),
    [`${arg}_pas`]: (c) => !nsAccessible(c.s, addr(c)),
  };
}

/**
 * DEN0137 B3 Realm(rd): the Realm whose RD is the granule containing `rd`. Predicates read it
 * without first checking rd_align / rd_state, as the spec's conditions are written; the listed
 * order puts those checks first, so apply only ever sees a well-formed Realm. @internal
 */
export function realmAt(s: RmmState, rd: bigint): Realm | undefined {
  // DECISION D-WELLFORMED: read the object whatever the earlier conditions say; listed order protects apply.
  return s.realms.get(granuleIndex(rd));
}

/** DEN0137 B3 Rec(rec): the REC whose granule contains `rec` (read like {@link realmAt}). @internal */
export function recAt(s: RmmState, rec: bigint): Rec | undefined {
  return s.recs.get(granuleIndex(rec));
}

/**
 * A check that reads an object the context may lack (a Realm, a REC): false when `get` gives
 * undefined, so every predicate stays total (well-formedness, D-WELLFORMED; DEN0137 B1.6). @internal
 */
export function whenDefined<C, T>(get: (c: C) => T | undefined, p: (x: T, c: C) => boolean): Check<C> {
  return (c) => {
    const x = get(c);
    return x !== undefined && p(x, c);
  };
}

/** {@link whenDefined} for a check that reads a Realm. @internal */
export const withRealm: <C>(realm: (c: C) => Realm | undefined, p: (r: Realm, c: C) => boolean) => Check<C> = whenDefined;

/** {@link whenDefined} for a check that reads a REC. @internal */
export const onRec: <C>(rec: (c: C) => Rec | undefined, p: (r: Rec, c: C) => boolean) => Check<C> = whenDefined;

/** Rec.state == REC_RUNNING: the rec_state rows of RMI_REC_ENTER, RMI_REC_DESTROY and RMI_RTT_SET_RIPAS (DEN0137 B4.3.14.2, B4.3.13.2, B4.3.21.2). @internal */
export function recRunning(r: Rec): boolean {
  return r.state === RecState.REC_RUNNING;
}
