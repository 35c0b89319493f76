/**
 * Booting the machine: the HES measures the platform and derives its keys, EL3 sets up the GPT,
 * and the RMM's cold boot fetches the Realm Attestation Key and the CCA platform token through
 * the RMM-EL3 interface before every CPU is handed to the Non-secure world (TF-A `rmmd_setup`,
 * TF-RMM `attest_init_realm_attestation_key` / `attest_setup_platform_token`; DEN0137 A7.2.3).
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { p384 } from '@noble/curves/nist.js';
import { RAK_HASH_ALGO, decodePlatform, defaultPlatform, encodeCoseKeyP384, functionId, hashWith, initialState, withAttestation, type AttestationPort, type Platform, type RuleHits } from '@realmspec/core';
import { ECC_SECP384R1, RmmEl3Fid, World, bootEl3, el3SwitchWorld, rmmEl3FidName, rmmEl3Smc, rmmEl3StatusName, type El3State } from '@realmspec/el3';
import { bootHes, decodeHesConfig } from '@realmspec/hes';
import { Index } from './codecs.js';
import { decodeError, decodeWith, type HostError, type HostResult } from './errors.js';
import type { Machine } from './state.js';
import type { Step } from './steps.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Settings of {@link bootMachine}; every field is optional. */
export interface MachineOptions {
  /** The platform, as the trace contract's `"platform"` object (DRAM ranges, features0, GPT carve-outs, ...). */
  readonly platform?: unknown;
  /** The HES settings (`seed` as hex text, `lifecycle`, `platformConfig`, `verificationService`). */
  readonly hes?: unknown;
  /** Number of CPUs, 1 to 64 (default 2). */
  readonly cpus?: unknown;
  /** A rule-hit counter the RMM model reports every command to. */
  readonly hits?: RuleHits;
}

/** What booting did. */
export interface BootReport {
  /** EL3's services to the booting RMM, in order. */
  readonly steps: readonly Step[];
  /** What the RMM obtained for attestation (the RAK and the platform token bound to it). */
  readonly attestation: AttestationPort | undefined;
}

const Cpus = t.refinement(Index, (n) => n >= 1 && n <= 64, 'a CPU count from 1 to 64');

// -------------------------------------------------------------------------------------
// boot
// -------------------------------------------------------------------------------------

/** The RMM's boot on CPU `cpu`: on the first CPU it fetches the attestation material; every CPU ends with RMM_BOOT_COMPLETE. */
function rmmBoot(el3: El3State, cpu: number, cold: boolean, steps: Step[]): { el3: El3State; port: AttestationPort | undefined } {
  let e = el3SwitchWorld(el3, cpu, World.REALM);
  const call = (regs: readonly bigint[], buffer?: Uint8Array): Uint8Array | undefined => {
    const r = rmmEl3Smc(e, cpu, regs, buffer);
    e = r.el3;
    const status = rmmEl3StatusName.get(Number(BigInt.asIntN(64, r.regs[0] ?? 0n))) ?? 'SMC_UNK';
    steps.push({ actor: 'el3', kind: 'rmm-el3', cpu, call: rmmEl3FidName.get(functionId(regs[0] ?? 0n)) ?? 'unknown', pa: undefined, status, gpi: undefined });
    return r.regs[0] === 0n ? r.data : undefined;
  };
  let port: AttestationPort | undefined;
  if (cold) {
    const rak = call([BigInt(RmmEl3Fid.RMM_ATTEST_GET_REALM_KEY), 0n, 0n, ECC_SECP384R1]);
    if (rak !== undefined) {
      // TF-RMM derives the public key from the scalar and asks for a platform token bound to
      // SHA-256 of its COSE_Key (DEN0137 A7.2.3.2.2, DECISIONS D-TOKEN-CLAIMS).
      const rakPublicKey = encodeCoseKeyP384(p384.getPublicKey(rak, false));
      const challenge = hashWith(RAK_HASH_ALGO, rakPublicKey);
      const token = call([BigInt(RmmEl3Fid.RMM_ATTEST_GET_PLAT_TOKEN), 0n, 0n, BigInt(challenge.length)], challenge);
      if (token !== undefined) port = { rakPrivateKey: rak, rakPublicKey, platformToken: token };
    }
  }
  call([BigInt(RmmEl3Fid.RMM_BOOT_COMPLETE)]);
  return { el3: e, port };
}

function decodeOptions(o: MachineOptions): E.Either<HostError, { platform: Platform; cpus: number }> {
  let platform = defaultPlatform;
  if (o.platform !== undefined) {
    const p = decodePlatform(o.platform);
    if (E.isLeft(p)) return E.left(decodeError('platform', p.left));
    platform = p.right;
  }
  const cpus = o.cpus === undefined ? E.right(2) : decodeWith(Cpus, 'cpus', o.cpus);
  return E.isLeft(cpus) ? cpus : E.right({ platform, cpus: cpus.right });
}

/**
 * Boots a machine: the HES (measured boot, IAK and RAK), EL3 (the GPT from the platform's memory
 * map), then the RMM on every CPU, the first one fetching the RAK and the platform token from EL3;
 * the RMM model starts on the platform with that attestation material, and every CPU is left in
 * the Non-secure world for the Host. Bad options give a decode error naming the field.
 */
export function bootMachine(options: MachineOptions = {}): HostResult<Machine, BootReport> {
  const decoded = decodeOptions(options);
  if (E.isLeft(decoded)) return decoded;
  const hesConfig = decodeHesConfig(options.hes ?? {});
  if (E.isLeft(hesConfig)) return E.left({ kind: 'decode', what: 'hes', errors: hesConfig.left.errors });
  const { platform, cpus } = decoded.right;
  const hes = bootHes(hesConfig.right);
  let el3 = bootEl3({ platform, cpus, rootOfTrust: hes });
  const steps: Step[] = [];
  let port: AttestationPort | undefined;
  for (let cpu = 0; cpu < cpus; cpu++) {
    const r = rmmBoot(el3, cpu, cpu === 0, steps);
    el3 = r.el3;
    if (cpu === 0) port = r.port;
  }
  const [start, end] = platform.dramGranules[0] ?? [0, 0];
  // DECISION D-HOST-ALLOC: the Host hands out granules of the first DRAM range in address order
  // and never reuses one (a bump allocator); granules not in the Non-secure PAS are skipped.
  const machine: Machine = {
    core: initialState(withAttestation(platform, port)),
    el3,
    hes,
    host: { next: start, end, realms: [] },
    hits: options.hits,
  };
  return E.right([machine, { steps, attestation: port }]);
}
