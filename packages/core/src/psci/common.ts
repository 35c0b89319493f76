/**
 * What the PSCI functions share: MPIDR matching between the Realm's view and the REC records
 * (DEN0137 B3.23 MpidrEqual, B3.24 MpidrIsUsed, B3.37 RecFromMpidr), argument sanitising for
 * SMC32 callers, and the REC exit due to PSCI (A4.3.7).
 *
 * @packageDocumentation
 */
import type { GranuleIndex } from '../model/bits.js';
import type { Rec } from '../model/rec.js';
import type { RmmState } from '../model/state.js';
import { arg, realmContext, type RealmCallCtx, type RealmCallInput, type RealmOutcome } from '../realm/command.js';

// -------------------------------------------------------------------------------------
// MPIDR
// -------------------------------------------------------------------------------------

/**
 * DEN0137 B3.23 MpidrEqual(rmm_mpidr, rmi_mpidr): the affinity fields of an MPIDR value the Realm
 * gives (Aff0[3:0], Aff1 15:8, Aff2 23:16, Aff3 31:24) equal those of a REC's RmiRecMpidr.
 */
export function mpidrEqual(realmMpidr: bigint, recMpidr: bigint): boolean {
  // DECISION D-MPIDR: MpidrEqual as the spec writes it: bits 3:0, 15:8, 23:16 and 31:24 of the
  // Realm's value against aff0..aff3 of the RmiRecMpidr; other bits are ignored. TF-RMM reads
  // Aff3 at bits 39:32 (MPIDR_EL1 layout); the two only differ for Aff3 ≠ 0, which no REC has
  // (a REC index below 2^20).
  const mask = 0xffff_ff0fn;
  return (realmMpidr & mask) === (recMpidr & mask);
}

/** DEN0137 B3.37 RecFromMpidr: the REC of the Realm with RD `owner` whose MPIDR is `mpidr`, with its granule index. */
export function recFromMpidr(s: RmmState, owner: GranuleIndex, mpidr: bigint): readonly [GranuleIndex, Rec] | undefined {
  let found: readonly [GranuleIndex, Rec] | undefined;
  s.recs.some((gi, r) => {
    if (r.owner !== owner || !mpidrEqual(mpidr, r.mpidr)) return false;
    found = [gi, r];
    return true;
  });
  return found;
}

// -------------------------------------------------------------------------------------
// arguments and exits
// -------------------------------------------------------------------------------------

/** The context of a PSCI function that names a REC by MPIDR: the target resolved once per call (DEN0137 B3.37, B6.3.1, B6.3.3). */
export interface PsciTargetCtx extends RealmCallCtx {
  /** The MPIDR input, sanitised as SMC32 or SMC64 (DEN0137 B6.1). */
  readonly mpidr: bigint;
  /** RecFromMpidr(mpidr) in the calling Realm, with its granule index; undefined when !MpidrIsUsed(mpidr). */
  readonly target: readonly [GranuleIndex, Rec] | undefined;
}

/** The context builder of a PSCI function whose MPIDR input is `name` (DEN0137 B3.37 RecFromMpidr). */
export function psciTargetContext(name: string): (s: RmmState, i: RealmCallInput) => PsciTargetCtx {
  return (s, i) => {
    const c = realmContext(s, i);
    const mpidr = psciArg(c, name);
    return { s: c.s, recGi: c.recGi, rec: c.rec, realm: c.realm, fid: c.fid, in: c.in, mpidr, target: recFromMpidr(s, c.rec.owner, mpidr) };
  };
}

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
