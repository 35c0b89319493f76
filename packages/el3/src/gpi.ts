/**
 * Granule Protection Information: the 4-bit GPI values a Granule Protection Table entry holds
 * for each granule, in the Arm architecture's encodings (Arm ARM D9 "The Granule Protection
 * Check", GPT entry GPI field; TF-A `lib/gpt_rme` uses the same values), and their
 * correspondence with the RMM's abstract GPT entries (DEN0137 A2.2.2, C1.8).
 *
 * @packageDocumentation
 */
import { Gpt as CoreGpt, type Gpt as CoreGptValue } from '@realmspec/core';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Arm ARM D9 GPC: GPI encodings of a GPT entry (the values the architecture defines for a 4-bit GPI). */
export const Gpi = {
  /** 0b0000: no accesses permitted. */
  NO_ACCESS: 0b0000,
  /** 0b1000: accesses permitted to the Secure PAS only. */
  SECURE: 0b1000,
  /** 0b1001: accesses permitted to the Non-secure PAS only. */
  NS: 0b1001,
  /** 0b1010: accesses permitted to the Root PAS only. */
  ROOT: 0b1010,
  /** 0b1011: accesses permitted to the Realm PAS only. */
  REALM: 0b1011,
  /** 0b1111: accesses permitted to any PAS. */
  ANY: 0b1111,
} as const;
/** Arm ARM D9 GPC: one GPI value. */
export type Gpi = (typeof Gpi)[keyof typeof Gpi];

/** Arm ARM D9 GPC: names of the GPI values, for reports (`GPI_NS`, `GPI_REALM`, ...). */
export const gpiName: Readonly<Record<Gpi, string>> = {
  [Gpi.NO_ACCESS]: 'GPI_NO_ACCESS',
  [Gpi.SECURE]: 'GPI_SECURE',
  [Gpi.NS]: 'GPI_NS',
  [Gpi.ROOT]: 'GPI_ROOT',
  [Gpi.REALM]: 'GPI_REALM',
  [Gpi.ANY]: 'GPI_ANY',
};

const GPI_VALUES: ReadonlySet<number> = new Set(Object.values(Gpi));

// -------------------------------------------------------------------------------------
// refinements
// -------------------------------------------------------------------------------------

/** Arm ARM D9 GPC: whether `v` is one of the GPI encodings this model uses (others are reserved). */
export function isGpi(v: number): v is Gpi {
  return GPI_VALUES.has(v);
}

// -------------------------------------------------------------------------------------
// conversions
// -------------------------------------------------------------------------------------

/** DEN0137 C1.8 ↔ Arm ARM D9: the GPI of each of the RMM's abstract GPT entries (GPT_AAP is GPI_ANY). */
const GPI_OF_CORE_GPT: Readonly<Record<CoreGptValue, Gpi>> = {
  [CoreGpt.NS]: Gpi.NS,
  [CoreGpt.REALM]: Gpi.REALM,
  [CoreGpt.SECURE]: Gpi.SECURE,
  [CoreGpt.ROOT]: Gpi.ROOT,
  [CoreGpt.AAP]: Gpi.ANY,
};
const CORE_GPT_OF_GPI: ReadonlyMap<Gpi, CoreGptValue> = new Map(Object.values(CoreGpt).map((g) => [GPI_OF_CORE_GPT[g], g]));

/** DEN0137 C1.8 ↔ Arm ARM D9: the GPI that encodes the RMM's abstract GPT entry `g` (GPT_AAP is GPI_ANY). */
export function gpiOfCoreGpt(g: CoreGptValue): Gpi {
  return GPI_OF_CORE_GPT[g];
}

/**
 * DEN0137 C1.8 ↔ Arm ARM D9: the RMM's abstract GPT entry for GPI `g`; undefined for
 * GPI_NO_ACCESS, which the RMM specification has no name for.
 */
export function coreGptOfGpi(g: Gpi): CoreGptValue | undefined {
  return CORE_GPT_OF_GPI.get(g);
}
