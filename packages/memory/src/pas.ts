/**
 * Physical address spaces: every physical access carries the PAS it is made in, which the granule
 * protection check judges (Arm ARM D9 "Physical address spaces" with FEAT_RME).
 *
 * @packageDocumentation
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Arm ARM D9 physical address spaces, encoded as {NSE, NS}: Secure 0b00, Non-secure 0b01, Root 0b10, Realm 0b11. */
export const Pas = {
  /** The Secure PAS. */
  SECURE: 0b00,
  /** The Non-secure PAS. */
  NON_SECURE: 0b01,
  /** The Root PAS. */
  ROOT: 0b10,
  /** The Realm PAS. */
  REALM: 0b11,
} as const;
/** Arm ARM D9: one physical address space. */
export type Pas = (typeof Pas)[keyof typeof Pas];

// DECISION D-MEM-PAS-TAG: physical accesses are tagged with their PAS, not with the world making
// them; which PAS a world can reach is structural: the Host's accessors use the Non-secure PAS and
// a Realm's accesses use the PAS stage 2 translation outputs (Realm or Non-secure, both open to the
// Realm world; Arm ARM D9). No accessor takes a world, so no world-to-PAS table is kept.

/** Arm ARM D9: names of the physical address spaces, for reports. */
export const pasName: Readonly<Record<Pas, string>> = {
  [Pas.SECURE]: 'Secure PAS',
  [Pas.NON_SECURE]: 'Non-secure PAS',
  [Pas.ROOT]: 'Root PAS',
  [Pas.REALM]: 'Realm PAS',
};
