/**
 * Failure predicates and context readers shared by the RMI commands: the align / bound / state
 * triple every granule argument goes through, and safe readers of Realms and RECs.
 *
 * @packageDocumentation
 */
import { granuleIndex, isGranuleAligned } from '../model/bits.js';
import { nsAccessPermitted, type GranuleState } from '../model/granule.js';
import { isDelegableGranule } from '../model/platform.js';
import { granuleAt, type RmmState } from '../model/state.js';
import type { Realm } from '../model/realm.js';
import type { Rec } from '../model/rec.js';
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

/** A bound check that reads a Realm: false when the Realm is not defined (well-formedness, DEN0137 B1.6). @internal */
export function withRealm<C>(realm: (c: C) => Realm | undefined, p: (r: Realm, c: C) => boolean): Check<C> {
  return (c) => {
    const r = realm(c);
    return r !== undefined && p(r, c);
  };
}
