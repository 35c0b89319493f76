/**
 * Security states ("worlds") and the per-CPU bookkeeping EL3 keeps when it switches between them
 * (Arm ARM D1 "Security states" with FEAT_RME: Secure, Non-secure, Root and Realm; TF-A keeps one
 * saved context per world and CPU, `cm_el2_sysregs_context_save` / `restore`).
 *
 * @packageDocumentation
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Arm ARM D1 security states with FEAT_RME. The values are the {NSE, NS} encoding of each
 * state's own physical address space (Arm ARM D9: Secure 0b00, Non-secure 0b01, Root 0b10,
 * Realm 0b11).
 */
export const World = {
  /** Secure state (S-EL2 / S-EL1: the Secure world). */
  SECURE: 0b00,
  /** Non-secure state (NS-EL2 / NS-EL1: the Host and its VMs). */
  NON_SECURE: 0b01,
  /** Root state (EL3: the monitor itself). */
  ROOT: 0b10,
  /** Realm state (R-EL2: the RMM; R-EL1 / R-EL0: Realms). */
  REALM: 0b11,
} as const;
/** Arm ARM D1: one security state. */
export type World = (typeof World)[keyof typeof World];

// DECISION D-EL3-WORLDS: the four security states are bookkeeping on the CPUs and the PAS of
// their accesses. Only the Non-secure world (the Host) and the Realm world (the RMM model and its
// Realms) run software; the Secure world exists as its GPT carve-outs and Secure-PAS accesses, and
// Root as EL3 itself, whose own memory (the GPT, its contexts) is not physical memory in the model.

/** Arm ARM D1: names of the security states, for reports. */
export const worldName: Readonly<Record<World, string>> = {
  [World.SECURE]: 'Secure',
  [World.NON_SECURE]: 'Non-secure',
  [World.ROOT]: 'Root',
  [World.REALM]: 'Realm',
};

/** TF-A per-CPU context: which world a CPU runs, and how often EL3 has switched it. */
export interface Cpu {
  /** The world the CPU runs when it is not in EL3. */
  readonly world: World;
  /** World switches EL3 has made on this CPU since boot (each one saves and restores a context). */
  readonly switches: number;
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** `count` CPUs as a cold boot leaves them: in EL3 (Root), no switch made yet. */
export function bootCpus(count: number): readonly Cpu[] {
  return Array.from({ length: count }, () => ({ world: World.ROOT, switches: 0 }));
}

// -------------------------------------------------------------------------------------
// updates
// -------------------------------------------------------------------------------------

/**
 * TF-A world switch (`cm_prepare_el3_exit` after saving the outgoing context): CPU `cpu` leaves
 * EL3 into world `to`. A switch to the world the CPU already runs is counted all the same (EL3
 * still saves and restores its context).
 */
export function switchWorld(cpus: readonly Cpu[], cpu: number, to: World): readonly Cpu[] {
  const c = cpus[cpu];
  if (c === undefined) throw new RangeError(`switchWorld: no CPU ${cpu} (the machine has ${cpus.length})`);
  const out = cpus.slice();
  out[cpu] = { world: to, switches: c.switches + 1 };
  return out;
}
