/**
 * What the PSCI functions share: the MPIDR values a Realm passes (DEN0137 B3.23 MpidrEqual,
 * B3.24 MpidrIsUsed, A2.3.3 REC index), argument sanitising for SMC32 callers, and the REC exit
 * due to PSCI (A4.3.7). The RMM resolves no target REC at call time: the Host names it in
 * RMI_PSCI_COMPLETE (E-PSCI-TARGET).
 *
 * @packageDocumentation
 */
import type { Realm } from '../model/realm.js';
import { recIndexOfMpidr, type Rec } from '../model/rec.js';
import type { RmmState } from '../model/state.js';
import { arg, realmContext, type RealmCallCtx, type RealmCallInput, type RealmOutcome } from '../realm/command.js';

// -------------------------------------------------------------------------------------
// MPIDR
// -------------------------------------------------------------------------------------

/** Bits of an RmiRecMpidr value that are SBZ: Aff0[7:4] and 63:32 (DEN0137 B4.4.18). */
const MPIDR_RESERVED = 0xffff_ffff_0000_00f0n;

/**
 * DEN0137 B3.23 MpidrEqual(rmm_mpidr, rmi_mpidr): bits 3:0, 15:8, 23:16 and 31:24 of the first
 * value equal aff0..aff3 of the RmiRecMpidr; other bits are not compared. The PSCI functions do
 * not use it on a Realm's argument (D-MPIDR): it would let values no REC has match a REC.
 * @category PSCI
 */
export function mpidrEqual(rmmMpidr: bigint, recMpidr: bigint): boolean {
  const mask = 0xffff_ff0fn;
  return (rmmMpidr & mask) === (recMpidr & mask);
}

/**
 * MpidrIsValid for a Realm's MPIDR argument: an RmiRecMpidr encoding (DEN0137 B4.4.18) with
 * Aff0[7:4] and bits 63:32 zero.
 * @category PSCI
 */
export function mpidrIsValid(mpidr: bigint): boolean {
  return (mpidr & MPIDR_RESERVED) === 0n;
}

/**
 * DEN0137 B3.24 MpidrIsUsed(mpidr) in `realm`: a valid encoding whose REC index (A2.3.3) is below
 * realm.rec_index, the index of the next REC to be created.
 * @category PSCI
 */
export function mpidrIsUsed(realm: Realm, mpidr: bigint): boolean {
  // DECISION D-MPIDR: B3.24 has no body. RECs are created in index order (REC_CREATE mpidr_index),
  // so every index below rec_index was given to a REC; the RMM keeps no map from MPIDRs to RECs
  // (A4.3.7), only that count. The value must be a valid RmiRecMpidr encoding: reserved bits are
  // not ignored, so a value no REC has (bits 7:4 or 63:32 set) never names one. For valid values
  // MpidrEqual, RecIndex equality and bit equality agree, which is what RMI_PSCI_COMPLETE checks.
  return mpidrIsValid(mpidr) && recIndexOfMpidr(mpidr) < realm.recIndex;
}

// -------------------------------------------------------------------------------------
// arguments and exits
// -------------------------------------------------------------------------------------

/** The context of a PSCI function that names a REC by MPIDR (DEN0137 B6.3.1, B6.3.3; E-PSCI-TARGET). @category PSCI */
export interface PsciTargetCtx extends RealmCallCtx {
  /** The MPIDR input, sanitised as SMC32 or SMC64 (DEN0137 B6.1). */
  readonly mpidr: bigint;
  /** MpidrIsUsed(mpidr) in the calling Realm (D-MPIDR). */
  readonly used: boolean;
  /** The MPIDR is the calling REC's own: the one target the RMM knows at call time. */
  readonly self: boolean;
}

/**
 * The context builder of a PSCI function whose MPIDR input is `name`. No REC is looked up by
 * MPIDR: the Host names the target in RMI_PSCI_COMPLETE (DEN0137 A4.3.7; E-PSCI-TARGET).
 */
export function psciTargetContext(name: string): (s: RmmState, i: RealmCallInput) => PsciTargetCtx {
  return (s, i) => {
    const c = realmContext(s, i);
    const mpidr = psciArg(c, name);
    const used = mpidrIsUsed(c.realm, mpidr);
    return { s: c.s, recGi: c.recGi, rec: c.rec, realm: c.realm, fid: c.fid, in: c.in, mpidr, used, self: used && isOwnMpidr(c.rec, mpidr) };
  };
}

/** `mpidr` (a valid encoding) is the MPIDR of REC `rec` (DEN0137 B4.4.18: equal encodings). */
const isOwnMpidr = (rec: Rec, mpidr: bigint): boolean => rec.mpidr === mpidr;

/** SMCCC: bit 30 of the FID is set for SMC64 calls. */
const SMC64 = 0x4000_0000;
const W = 0xffff_ffffn;

/**
 * Input `name` of a PSCI call, sanitised (DEN0137 A4.3.7): a 32-bit field (`bits` 31:0 in the
 * catalogue) or any argument of an SMC32 call keeps only bits 31:0.
 */
export function psciArg(c: RealmCallCtx, name: string, narrow = false): bigint {
  const v = arg(c, name);
  // DECISION D-PSCI-ARGS: an SMC32 call passes W registers, so its arguments are read as 32 bits;
  // 32-bit fields (power_state, context_id of CPU_ON, lowest_affinity_level, psci_func_id) keep
  // bits 31:0 (their bits 63:32 are SBZ). These sanitised values are what the checks use, what
  // exit.gprs[1..3] show (A4.3.3: "sanitised parameters"; the spec's full argument list, not
  // TF-RMM's FID and X1 only) and what RMI_PSCI_COMPLETE reads from the REC's gprs[1..3].
  return narrow || (c.fid & SMC64) === 0 ? v & W : v;
}

/**
 * A REC exit due to PSCI (DEN0137 A4.3.7): exit.gprs[0] = FID, [1..3] = `args` (zero-filled);
 * `pending` when the call names an MPIDR; `result` when the RMM completes the call itself.
 */
export function psciExit(c: RealmCallCtx, args: readonly bigint[], pending: boolean, result?: bigint): RealmOutcome {
  return {
    kind: 'exit',
    cause: { kind: 'psci', gprs: [BigInt(c.fid), args[0] ?? 0n, args[1] ?? 0n, args[2] ?? 0n], pending, result },
  };
}
