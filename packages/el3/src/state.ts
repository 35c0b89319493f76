/**
 * The state of the EL3 monitor: the GPT it owns, its per-CPU world bookkeeping, the root of trust
 * it fetches attestation material from, and whether the RMM has finished booting (TF-A BL31 with
 * the RMM dispatcher, `services/std_svc/rmmd`).
 *
 * @packageDocumentation
 */
import type { AttestationPort, Platform } from '@realmspec/core';
import { makeGpt, ppsFor, type Gpt } from './gpt.js';
import { bootCpus, type Cpu } from './world.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * What EL3 asks the platform's root of trust (the HES) for on the RMM's behalf (TF-A
 * `plat_rmmd_get_cca_realm_attest_key`, `plat_rmmd_get_cca_attest_token`). `Hes` of
 * `@realmspec/hes` has this shape.
 */
export interface RootOfTrust {
  /** The Realm Attestation Key (private scalar and public COSE_Key) and the platform token bound to it. */
  attestationPort(): AttestationPort;
  /** A CCA platform token for `challenge` (32, 48 or 64 bytes), signed by the IAK. */
  platformToken(challenge: Uint8Array): Uint8Array;
}

/** The EL3 monitor's state: a value, like the RMM model's state. */
export interface El3State {
  /** The Granule Protection Table. */
  readonly gpt: Gpt;
  /** Per-CPU world bookkeeping, indexed by CPU number. */
  readonly cpus: readonly Cpu[];
  /** The root of trust EL3 takes the RAK and the platform token from; undefined when the platform has none. */
  readonly rootOfTrust: RootOfTrust | undefined;
  /** The RMM has reported the end of its cold boot (RMM_BOOT_COMPLETE). */
  readonly rmmBooted: boolean;
}

/** Settings of {@link bootEl3}. */
export interface El3Config {
  /** The platform: its GPT carve-outs and PA width set up the GPT. */
  readonly platform: Platform;
  /** Number of CPUs (default 1). */
  readonly cpus?: number;
  /** The root of trust for attestation (default none). */
  readonly rootOfTrust?: RootOfTrust;
  /** GPCCR_EL3.PPS in bits (default {@link ppsFor} the platform). */
  readonly pps?: number;
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * EL3 after its own cold boot (TF-A BL31 `bl31_main` with ENABLE_RME): the GPT is set up from the
 * platform's memory map and every CPU is still in EL3 (Root); the RMM has not booted yet.
 */
export function bootEl3(config: El3Config): El3State {
  return {
    gpt: makeGpt(config.platform, config.pps ?? ppsFor(config.platform)),
    cpus: bootCpus(config.cpus ?? 1),
    rootOfTrust: config.rootOfTrust,
    rmmBooted: false,
  };
}

/** `el3` with `patch` applied (the only way EL3 states are updated). @internal */
export function updateEl3(el3: El3State, patch: Partial<El3State>): El3State {
  return {
    gpt: patch.gpt ?? el3.gpt,
    cpus: patch.cpus ?? el3.cpus,
    rootOfTrust: 'rootOfTrust' in patch ? patch.rootOfTrust : el3.rootOfTrust,
    rmmBooted: patch.rmmBooted ?? el3.rmmBooted,
  };
}
