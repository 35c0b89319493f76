/**
 * The RMM-EL3 runtime interface: the SMCs the RMM (Realm world) makes to EL3 to move granules
 * between the Non-secure and Realm PAS and to fetch attestation material, and the one that ends
 * an RMI call (TF-A `docs/components/rmm-el3-comms-spec.rst`, "RMM-EL3 runtime services";
 * `services/std_svc/rmmd/rmmd_main.c` `rmmd_rmm_el3_handler`).
 *
 * @packageDocumentation
 */
import { GRANULE_SIZE, SMCCC_NOT_SUPPORTED, functionId } from '@realmspec/core';
import { Gpi } from './gpi.js';
import { gptLookup, withGpi } from './gpt.js';
import { updateEl3, type El3State } from './state.js';
import { World, switchWorld } from './world.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * TF-A rmm-el3-comms-spec: function ids of the RMM-EL3 interface (SMC64, standard service range
 * 0x1B0..0x1CF, and RMM_RMI_REQ_COMPLETE at the top of the RMI range, the one RMI id that comes
 * from the Realm world: TF-A `RMMD_RMI_REQ_COMPLETE`, handled by `rmmd_rmi_handler`).
 */
export const RmmEl3Fid = {
  /** Ends the RMI call in progress: its results (X1..X5) go to the Non-secure world as X0..X4. */
  RMM_RMI_REQ_COMPLETE: 0xc400018f,
  /** Moves a granule from the Non-secure PAS to the Realm PAS. */
  RMM_GTSI_DELEGATE: 0xc40001b0,
  /** Moves a granule from the Realm PAS to the Non-secure PAS. */
  RMM_GTSI_UNDELEGATE: 0xc40001b1,
  /** Fetches the Realm Attestation Key. */
  RMM_ATTEST_GET_REALM_KEY: 0xc40001b2,
  /** Fetches the CCA platform token for a challenge. */
  RMM_ATTEST_GET_PLAT_TOKEN: 0xc40001b3,
  /** The RMM's cold or warm boot has finished. */
  RMM_BOOT_COMPLETE: 0xc40001cf,
} as const;

/** TF-A rmm-el3-comms-spec: names of {@link RmmEl3Fid} values, for reports. */
export const rmmEl3FidName: ReadonlyMap<number, string> = new Map(Object.entries(RmmEl3Fid).map(([k, v]) => [v, k]));

/** TF-A rmm-el3-comms-spec "RMM-EL3 runtime service return codes" (signed 32-bit values in X0). */
export const RmmEl3Status = {
  /** No errors detected. */
  E_RMM_OK: 0,
  /** Unknown or generic error. */
  E_RMM_UNK: -1,
  /** The value of an address argument was invalid. */
  E_RMM_BAD_ADDR: -2,
  /** The granule is not in the PAS the call requires. */
  E_RMM_BAD_PAS: -3,
  /** Not enough memory. */
  E_RMM_NOMEM: -4,
  /** The value of an argument was invalid. */
  E_RMM_INVAL: -5,
} as const;
/** TF-A rmm-el3-comms-spec: one RMM-EL3 return code. */
export type RmmEl3Status = (typeof RmmEl3Status)[keyof typeof RmmEl3Status];

/** TF-A rmm-el3-comms-spec: names of {@link RmmEl3Status} values, for reports. */
export const rmmEl3StatusName: ReadonlyMap<number, string> = new Map(Object.entries(RmmEl3Status).map(([k, v]) => [v, k]));

/** TF-A rmm-el3-comms-spec "Supported ECC Curves": ECC SECP384R1. */
export const ECC_SECP384R1 = 0n;

/** The result of an SMC the RMM makes to EL3. */
export interface RmmEl3Result {
  /** EL3's state afterwards. */
  readonly el3: El3State;
  /** X0 (the return code, sign-extended) and the output registers. */
  readonly regs: readonly bigint[];
  /** What EL3 wrote to the EL3-RMM shared buffer: the RAK scalar or the platform token. */
  readonly data: Uint8Array | undefined;
}

/** X0 of a return code: the signed value as a 64-bit register. */
export function statusRegister(s: RmmEl3Status): bigint {
  return BigInt.asUintN(64, BigInt(s));
}

const result = (el3: El3State, s: RmmEl3Status, regs: readonly bigint[] = [], data?: Uint8Array): RmmEl3Result => ({ el3, regs: [statusRegister(s), ...regs], data });

// -------------------------------------------------------------------------------------
// granule transitions
// -------------------------------------------------------------------------------------

/**
 * A granule transition between two PAS (TF-A `gpt_delegate_pas` / `gpt_undelegate_pas` for one
 * 4 KB granule): E_RMM_BAD_ADDR when `pa` is not the base of a granule inside the PPS,
 * E_RMM_BAD_PAS when the granule's GPI is not `from`; otherwise its GPI becomes `to`.
 */
function transition(el3: El3State, pa: bigint, from: Gpi, to: Gpi): RmmEl3Result {
  if (pa % BigInt(GRANULE_SIZE) !== 0n) return result(el3, RmmEl3Status.E_RMM_BAD_ADDR);
  const g = gptLookup(el3.gpt, pa);
  if (g.kind !== 'gpi') return result(el3, RmmEl3Status.E_RMM_BAD_ADDR);
  if (g.gpi !== from) return result(el3, RmmEl3Status.E_RMM_BAD_PAS);
  return result(updateEl3(el3, { gpt: withGpi(el3.gpt, g.gi, to) }), RmmEl3Status.E_RMM_OK);
}

/** TF-A RMM_GTSI_DELEGATE: the granule at `pa` moves from the Non-secure PAS (GPI_NS) to the Realm PAS (GPI_REALM). */
export function gtsiDelegate(el3: El3State, pa: bigint): RmmEl3Result {
  return transition(el3, pa, Gpi.NS, Gpi.REALM);
}

/** TF-A RMM_GTSI_UNDELEGATE: the granule at `pa` moves from the Realm PAS (GPI_REALM) back to the Non-secure PAS (GPI_NS). */
export function gtsiUndelegate(el3: El3State, pa: bigint): RmmEl3Result {
  return transition(el3, pa, Gpi.REALM, Gpi.NS);
}

// -------------------------------------------------------------------------------------
// attestation hand-over
// -------------------------------------------------------------------------------------

/** Challenge sizes RMM_ATTEST_GET_PLAT_TOKEN accepts: SHA-256, SHA-384, SHA-512 digests. */
const CHALLENGE_SIZES: readonly number[] = [32, 48, 64];

/**
 * TF-A RMM_ATTEST_GET_REALM_KEY: the RAK scalar for curve `curve` (X1 = its size; the key is
 * written to the shared buffer). E_RMM_INVAL for any curve but ECC SECP384R1; E_RMM_UNK without a
 * root of trust.
 */
export function attestGetRealmKey(el3: El3State, curve: bigint): RmmEl3Result {
  if (curve !== ECC_SECP384R1) return result(el3, RmmEl3Status.E_RMM_INVAL);
  if (el3.rootOfTrust === undefined) return result(el3, RmmEl3Status.E_RMM_UNK);
  const key = el3.rootOfTrust.attestationPort().rakPrivateKey;
  return result(el3, RmmEl3Status.E_RMM_OK, [BigInt(key.length)], key);
}

/**
 * TF-A RMM_ATTEST_GET_PLAT_TOKEN: the CCA platform token for `challenge` (X1 = its size; the
 * token is written to the shared buffer). E_RMM_INVAL when the challenge is not a SHA-256,
 * SHA-384 or SHA-512 digest in size; E_RMM_UNK without a root of trust.
 */
export function attestGetPlatToken(el3: El3State, challenge: Uint8Array): RmmEl3Result {
  if (!CHALLENGE_SIZES.includes(challenge.length)) return result(el3, RmmEl3Status.E_RMM_INVAL);
  if (el3.rootOfTrust === undefined) return result(el3, RmmEl3Status.E_RMM_UNK);
  const token = el3.rootOfTrust.platformToken(challenge);
  return result(el3, RmmEl3Status.E_RMM_OK, [BigInt(token.length)], token);
}

// -------------------------------------------------------------------------------------
// end of an RMI call
// -------------------------------------------------------------------------------------

/**
 * The world switch of TF-A RMM_RMI_REQ_COMPLETE: the RMM ends the RMI call in progress on CPU
 * `cpu`, and EL3 switches the CPU back to the Non-secure world. A CPU that is not in the Realm
 * world has no RMI call in progress: the call is refused (RangeError), a bug of the caller.
 */
export function rmiReqComplete(el3: El3State, cpu: number): El3State {
  if (el3.cpus[cpu]?.world !== World.REALM) throw new RangeError(`RMM_RMI_REQ_COMPLETE on CPU ${cpu}, which is not in the Realm world`);
  return updateEl3(el3, { cpus: switchWorld(el3.cpus, cpu, World.NON_SECURE) });
}

// -------------------------------------------------------------------------------------
// dispatch
// -------------------------------------------------------------------------------------

/** TF-A `rmmd_rmi_handler`: RMM_RMI_REQ_COMPLETE hands X1..X5 to the Non-secure world as X0..X4. */
const REQ_COMPLETE_RESULTS = 5;

/**
 * An SMC from the RMM to EL3 on CPU `cpu` (TF-A `rmmd_rmm_el3_handler`, and `rmmd_rmi_handler`
 * for RMM_RMI_REQ_COMPLETE): X0 = `regs[0]` (its SVE hint ignored), X1.. the arguments; `buffer`
 * stands for the EL3-RMM shared buffer's contents on the call (the challenge of
 * RMM_ATTEST_GET_PLAT_TOKEN, X3 bytes). RMM_RMI_REQ_COMPLETE does not return to the RMM: its
 * `regs` are what the Non-secure world receives. A call from a CPU that is not in the Realm world,
 * or with an id outside the interface, gets SMC_UNK (−1) and changes nothing.
 */
export function rmmEl3Smc(el3: El3State, cpu: number, regs: readonly bigint[], buffer: Uint8Array = new Uint8Array(0)): RmmEl3Result {
  // DECISION D-EL3-SHARED-BUF: the EL3-RMM shared buffer is not physical memory in the model: what
  // EL3 writes there is returned as `data`, and what the RMM passes in it is the `buffer` argument.
  const unknown: RmmEl3Result = { el3, regs: [SMCCC_NOT_SUPPORTED], data: undefined };
  if (el3.cpus[cpu]?.world !== World.REALM) return unknown;
  const fid = functionId(regs[0] ?? 0n);
  const x1 = regs[1] ?? 0n;
  switch (fid) {
    case RmmEl3Fid.RMM_RMI_REQ_COMPLETE:
      return { el3: rmiReqComplete(el3, cpu), regs: regs.slice(1, 1 + REQ_COMPLETE_RESULTS), data: undefined };
    case RmmEl3Fid.RMM_GTSI_DELEGATE:
      return gtsiDelegate(el3, x1);
    case RmmEl3Fid.RMM_GTSI_UNDELEGATE:
      return gtsiUndelegate(el3, x1);
    case RmmEl3Fid.RMM_ATTEST_GET_REALM_KEY:
      return attestGetRealmKey(el3, regs[3] ?? 0n);
    case RmmEl3Fid.RMM_ATTEST_GET_PLAT_TOKEN:
      // DECISION D-EL3-CHALLENGE-SIZE: `buffer` is exactly the challenge the RMM put in the shared
      // buffer; X3 (its size) must equal its length, else E_RMM_INVAL: neither side truncates.
      if ((regs[3] ?? 0n) !== BigInt(buffer.length)) return result(el3, RmmEl3Status.E_RMM_INVAL);
      return attestGetPlatToken(el3, buffer);
    case RmmEl3Fid.RMM_BOOT_COMPLETE: {
      // The RMM's boot is over on this CPU: EL3 returns it to the Non-secure world.
      const cpus = switchWorld(el3.cpus, cpu, World.NON_SECURE);
      return result(updateEl3(el3, { cpus, rmmBooted: true }), RmmEl3Status.E_RMM_OK);
    }
    default:
      return unknown;
  }
}

