/**
 * Granules: the 4 KB units of physical memory the RMM tracks, with their lifecycle state and
 * GPT entry (DEN0137 A2.2, C1.5–C1.7).
 *
 * @packageDocumentation
 */
import { Gpt, initialGpt, type Platform } from './platform.js';
import type { GranuleIndex } from './bits.js';
import { hashValue } from '../internal/canon.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** RmmGranuleState (DEN0137 A2.2.3, C1.7). @category Granule */
export const GranuleState = {
  /** Not delegated: owned by the Host or another agent. */
  UNDELEGATED: 0,
  /** Delegated to the RMM and free. */
  DELEGATED: 1,
  /** Realm Descriptor. */
  RD: 2,
  /** Realm Execution Context. */
  REC: 3,
  /** Auxiliary storage of a REC. */
  REC_AUX: 4,
  /** Realm code or data, mapped at a Protected IPA. */
  DATA: 5,
  /** Realm Translation Table. */
  RTT: 6,
} as const;
/** A granule lifecycle state (DEN0137 A2.2.3). @category Granule */
export type GranuleState = (typeof GranuleState)[keyof typeof GranuleState];
/** Names of {@link GranuleState} values, for reports. @category Granule */
export const granuleStateName: Readonly<Record<GranuleState, string>> = [
  'UNDELEGATED',
  'DELEGATED',
  'RD',
  'REC',
  'REC_AUX',
  'DATA',
  'RTT',
];

/** The attributes of one granule (DEN0137 A2.2.2): lifecycle state and GPT entry. Values are interned. @category Granule */
export interface Granule {
  /** Lifecycle state. */
  readonly state: GranuleState;
  /** GPT entry. */
  readonly gpt: Gpt;
  /** @internal Precomputed hash. */
  readonly h: number;
}

const interned: Granule[][] = [];
for (let s = 0; s <= 6; s++) {
  const row: Granule[] = [];
  for (let g = 0; g <= 4; g++) row.push(Object.freeze({ state: s as GranuleState, gpt: g as Gpt, h: hashValue(s * 8 + g) }));
  interned.push(row);
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** The (interned) granule with this state and GPT entry. @category Granule */
export function granule(state: GranuleState, gpt: Gpt): Granule {
  return (interned[state] as Granule[])[gpt] as Granule;
}

/** A DELEGATED or owned granule: in the Realm PAS. @internal */
export function realmGranule(state: GranuleState): Granule {
  return granule(state, Gpt.REALM);
}

/** The granule a platform starts with at `gi`: UNDELEGATED with its initial GPT entry. @internal */
export function initialGranule(p: Platform, gi: GranuleIndex): Granule {
  return granule(GranuleState.UNDELEGATED, initialGpt(p, gi));
}

// -------------------------------------------------------------------------------------
// queries
// -------------------------------------------------------------------------------------

/** DEN0137 B3 GranuleAccessPermitted(addr, PAS_NS): the GPT lets the Non-secure PAS access it. @category Granule */
export function nsAccessPermitted(g: Granule): boolean {
  return g.gpt === Gpt.NS || g.gpt === Gpt.AAP;
}
