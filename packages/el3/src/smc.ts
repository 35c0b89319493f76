/**
 * SMC routing at EL3: an SMC is dispatched by its function id and by the world it comes from
 * (TF-A `services/std_svc/std_svc_setup.c` and `rmmd_main.c`): RMI calls from the Non-secure
 * world go to the RMM in the Realm world and come back with RMM_RMI_REQ_COMPLETE; RMM-EL3 calls
 * from the Realm world are EL3's own; a few standard calls EL3 answers itself; anything else gets
 * SMCCC_NOT_SUPPORTED (SMC_UNK).
 *
 * @packageDocumentation
 */
import { SMCCC_NOT_SUPPORTED, functionId } from '@realmspec/core';
import { RmmEl3Fid, rmmEl3Smc } from './rmm-el3.js';
import { updateEl3, type El3State } from './state.js';
import { World, switchWorld } from './world.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** SMCCC function ids EL3 answers itself (SMCCC DEN0028 SMCCC_VERSION; PSCI DEN0022 PSCI_VERSION). */
export const El3Fid = {
  /** SMCCC_VERSION. */
  SMCCC_VERSION: 0x8000_0000,
  /** PSCI_VERSION (the Host's PSCI, served by EL3). */
  PSCI_VERSION: 0x8400_0000,
} as const;

// DECISION D-EL3-SERVICES: EL3's own services are SMCCC_VERSION (1.2, the convention the RMM
// interfaces use, and what the RMM model reports to Realms) and PSCI_VERSION (1.1); the Host's
// PSCI power management and every other standard service are out of scope: SMCCC_NOT_SUPPORTED.

/** What EL3 answers SMCCC_VERSION with: 1.2, the register convention the RMM interfaces use (X0..X17). */
export const EL3_SMCCC_VERSION = 0x1_0002n;
/** What EL3 answers PSCI_VERSION with: 1.1. */
export const EL3_PSCI_VERSION = 0x1_0001n;

/** Where EL3 sends an SMC. */
export type SmcRoute =
  /** An RMI call from the Non-secure world: forwarded to the RMM (Realm world). */
  | 'rmi'
  /** An RMM-EL3 call (or RMM_RMI_REQ_COMPLETE) from the Realm world: served by EL3 ({@link rmmEl3Smc}). */
  | 'rmm-el3'
  /** A standard call EL3 answers itself ({@link El3Fid}). */
  | 'el3'
  /** Nothing answers it: SMCCC_NOT_SUPPORTED. */
  | 'unknown';

/** What the RMM does with a forwarded RMI call: its state and the result registers, given EL3's state (it may call EL3 back). */
export type RmmHandler<S> = (el3: El3State, rmm: S, regs: readonly bigint[]) => { readonly el3: El3State; readonly rmm: S; readonly regs: readonly bigint[] };

/** The result of an SMC at EL3. */
export interface El3SmcResult<S> {
  /** EL3's state afterwards (the calling CPU is back in the calling world). */
  readonly el3: El3State;
  /** The RMM's state afterwards (unchanged unless the call was forwarded to it). */
  readonly rmm: S;
  /** X0 and the output registers as the caller sees them. */
  readonly regs: readonly bigint[];
  /** Where EL3 sent the call. */
  readonly route: SmcRoute;
}

// -------------------------------------------------------------------------------------
// refinements
// -------------------------------------------------------------------------------------

/** SMCCC: type (bit 31 fast), calling convention (bit 30 SMC64), owning entity (bits 29:24), function number (bits 15:0). */
const smcType = (fid: number): number => (fid >>> 31) & 1;
const smcCc = (fid: number): number => (fid >>> 30) & 1;
const smcOen = (fid: number): number => (fid >>> 24) & 0x3f;
const smcNum = (fid: number): number => fid & 0xffff;
/** SMCCC OEN 4: standard secure service calls. */
const OEN_STD = 4;

/** TF-A `is_rmi_fid`: an SMC64 fast standard-service call with function number 0x150..0x18F (bits 23:17 zero; bit 16 is the SVE hint). */
export function isRmiFid(fid: number): boolean {
  const n = smcNum(fid);
  return smcType(fid) === 1 && smcCc(fid) === 1 && smcOen(fid) === OEN_STD && (fid & 0x00fe_0000) === 0 && n >= 0x150 && n <= 0x18f;
}

/** TF-A `is_rmm_el3_fid`: an SMC64 fast standard-service call with function number 0x1B0..0x1CF. */
export function isRmmEl3Fid(fid: number): boolean {
  const n = smcNum(fid);
  return smcType(fid) === 1 && smcCc(fid) === 1 && smcOen(fid) === OEN_STD && (fid & 0x00fe_0000) === 0 && n >= 0x1b0 && n <= 0x1cf;
}

// -------------------------------------------------------------------------------------
// routing
// -------------------------------------------------------------------------------------

/**
 * TF-A `rmmd_rmi_handler` / `rmmd_rmm_el3_handler` and the standard service table: where an SMC
 * with function id `fid` (SVE hint cleared, core `functionId`) from world `from` goes. RMI calls
 * are forwarded only from the Non-secure world; from the Realm world the one RMI id EL3 handles is
 * RMM_RMI_REQ_COMPLETE. RMM-EL3 calls are served only from the Realm world. Anything else from
 * those worlds is unknown (SMC_UNK).
 */
export function routeSmc(from: World, fid: number): SmcRoute {
  if (isRmiFid(fid)) {
    if (from === World.NON_SECURE) return 'rmi';
    return from === World.REALM && fid === RmmEl3Fid.RMM_RMI_REQ_COMPLETE ? 'rmm-el3' : 'unknown';
  }
  if (isRmmEl3Fid(fid)) return from === World.REALM ? 'rmm-el3' : 'unknown';
  if ((fid === El3Fid.SMCCC_VERSION || fid === El3Fid.PSCI_VERSION) && from !== World.ROOT) return 'el3';
  return 'unknown';
}

/** EL3's own services (SMCCC_VERSION, PSCI_VERSION); any other id gets SMCCC_NOT_SUPPORTED. */
export function el3Service(fid: number): readonly bigint[] {
  if (fid === El3Fid.SMCCC_VERSION) return [EL3_SMCCC_VERSION];
  if (fid === El3Fid.PSCI_VERSION) return [EL3_PSCI_VERSION];
  return [SMCCC_NOT_SUPPORTED];
}

/**
 * TF-A world switch at EL3 (`cm_prepare_el3_exit`): CPU `cpu` leaves EL3 into world `to`, its
 * outgoing context saved; counted in the CPU's switches.
 */
export function el3SwitchWorld(el3: El3State, cpu: number, to: World): El3State {
  return updateEl3(el3, { cpus: switchWorld(el3.cpus, cpu, to) });
}

/**
 * An SMC on CPU `cpu` from the world that CPU runs (Non-secure, Secure, or Root before boot),
 * with X0..Xn = `regs`. An RMI call from the Non-secure world switches the CPU to the Realm
 * world, runs `handler` (the RMM) on `rmm`, and returns when the RMM ends it with
 * RMM_RMI_REQ_COMPLETE (its results, at most X0..X4, reach the caller); EL3 answers its own
 * services; anything else gets SMCCC_NOT_SUPPORTED and changes nothing. The RMM's own calls to
 * EL3 are made with {@link rmmEl3Smc} from inside `handler`: a CPU in the Realm world making an
 * RMM-EL3 call here is a bug of the caller (RangeError).
 */
export function el3Smc<S>(el3: El3State, cpu: number, regs: readonly bigint[], rmm: S, handler: RmmHandler<S>): El3SmcResult<S> {
  const c = el3.cpus[cpu];
  if (c === undefined) throw new RangeError(`el3Smc: no CPU ${cpu} (the machine has ${el3.cpus.length})`);
  const fid = functionId(regs[0] ?? 0n);
  const route = routeSmc(c.world, fid);
  switch (route) {
    case 'rmi': {
      // DECISION D-EL3-ROUTE: RMI ids from the Non-secure world go to the RMM whether or not the
      // RMM implements them (TF-A forwards the whole 0x150..0x18F range); the RMM answers
      // SMCCC_NOT_SUPPORTED for the ones it lacks (DECISIONS D-FID).
      const entered = el3SwitchWorld(el3, cpu, World.REALM);
      const r = handler(entered, rmm, regs);
      if (r.el3.cpus[cpu]?.world !== World.REALM) throw new RangeError(`el3Smc: the RMM left CPU ${cpu} outside the Realm world during an RMI call`);
      // The RMM ends the call with RMM_RMI_REQ_COMPLETE, its results in X1..X5 (TF-A rmmd_rmi_handler).
      const done = rmmEl3Smc(r.el3, cpu, [BigInt(RmmEl3Fid.RMM_RMI_REQ_COMPLETE), ...r.regs]);
      return { el3: done.el3, rmm: r.rmm, regs: done.regs, route };
    }
    case 'rmm-el3':
      // DECISION D-EL3-RMM-ENTRY: the RMM runs inside the RMI handler and calls EL3 through
      // rmmEl3Smc (boot, GTSI, attestation), which takes the shared buffer and returns what EL3
      // wrote there; el3Smc has neither, so it does not serve the Realm world's RMM-EL3 calls.
      throw new RangeError(`el3Smc: CPU ${cpu} is in the Realm world; the RMM calls EL3 with rmmEl3Smc`);
    case 'el3':
      return { el3, rmm, regs: el3Service(fid), route };
    case 'unknown':
      return { el3, rmm, regs: [SMCCC_NOT_SUPPORTED], route };
  }
}
