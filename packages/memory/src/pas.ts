/**
 * Physical address spaces: every physical access carries the PAS it is made in, and a world may
 * only make accesses in some of them (Arm ARM D9 "Physical address spaces" with FEAT_RME; the
 * table of security states and PAS access rights in TF-A's GPT library design).
 *
 * @packageDocumentation
 */
import { World } from '@realmspec/el3';

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

/** Arm ARM D9: names of the physical address spaces, for reports. */
export const pasName: Readonly<Record<Pas, string>> = {
  [Pas.SECURE]: 'Secure PAS',
  [Pas.NON_SECURE]: 'Non-secure PAS',
  [Pas.ROOT]: 'Root PAS',
  [Pas.REALM]: 'Realm PAS',
};

// -------------------------------------------------------------------------------------
// queries
// -------------------------------------------------------------------------------------

/** Arm ARM D9: the PAS a world's own accesses are made in (its translation regime's default output PAS). */
export function worldPas(w: World): Pas {
  switch (w) {
    case World.SECURE:
      return Pas.SECURE;
    case World.NON_SECURE:
      return Pas.NON_SECURE;
    case World.ROOT:
      return Pas.ROOT;
    case World.REALM:
      return Pas.REALM;
  }
}

/**
 * Arm ARM D9 (TF-A GPT library, "Security states and PAS access rights"): the PAS a world can
 * make accesses in. Root: all four; Realm: Realm and Non-secure; Secure: Secure and Non-secure;
 * Non-secure: Non-secure only.
 */
export function permittedPas(w: World): readonly Pas[] {
  switch (w) {
    case World.ROOT:
      return [Pas.SECURE, Pas.NON_SECURE, Pas.ROOT, Pas.REALM];
    case World.REALM:
      return [Pas.REALM, Pas.NON_SECURE];
    case World.SECURE:
      return [Pas.SECURE, Pas.NON_SECURE];
    case World.NON_SECURE:
      return [Pas.NON_SECURE];
  }
}

/** Whether world `w` can make an access in PAS `pas` at all (before any granule protection check). */
export function worldMayAccess(w: World, pas: Pas): boolean {
  return permittedPas(w).includes(pas);
}
