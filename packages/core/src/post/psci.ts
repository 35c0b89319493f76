/**
 * Post-conditions of the PSCI functions the RMM provides to a Realm: PSCI_VERSION, PSCI_FEATURES,
 * PSCI_CPU_SUSPEND, PSCI_CPU_OFF, PSCI_CPU_ON, PSCI_AFFINITY_INFO, PSCI_SYSTEM_OFF and
 * PSCI_SYSTEM_RESET (DEN0137 B6.2, B6.3, A4.3.7), written from the success tables and the rules
 * of a REC exit due to PSCI, and the results they leave to the implementation.
 *
 * A REC exit due to PSCI carries the FID and the sanitised arguments in exit.gprs[0..3] and sets
 * rec.psci_pending exactly when the arguments include an MPIDR (A4.3.3, A4.3.7). The exit is
 * written once the call returns to RMI_REC_ENTER, so the rows read what the call asks of it (the
 * `exit` result); RMI_REC_ENTER's rec_exit checks the RmiRecExit written.
 *
 * @packageDocumentation
 */
import type { PostDefinition, Transition } from '../engine/post.js';
import { catalogueCommand } from '../catalogue/index.js';
import { RealmState } from '../model/realm.js';
import { PsciStatus } from '../abi/status.js';
import { CurrentRealm, CurrentRec, input, type RealmCall, type RealmResult } from './realm-view.js';

type T = Transition<RealmCall, RealmResult>;
type RealmPost = PostDefinition<RealmCall, RealmResult>;

// -------------------------------------------------------------------------------------
// arguments and exits
// -------------------------------------------------------------------------------------

/** SMCCC: bit 30 of the FID is set for SMC64 calls. */
const SMC64 = 0x4000_0000;
const W = 0xffff_ffffn;

/**
 * Argument `name`, sanitised (A4.3.7, D-PSCI-ARGS): bits 31:0 for a field the interface gives
 * as 31:0 (`narrow`) or for any argument of an SMC32 call; all 64 bits otherwise.
 */
function arg(t: T, name: string, narrow = false): bigint {
  const v = input(t.input, name);
  return narrow || (t.input.fid & SMC64) === 0 ? v & W : v;
}

/** X0 when the call returned to the Realm. */
const x0 = (t: T): bigint | undefined => (t.out.kind === 'return' ? t.out.x0 : undefined);

/**
 * A4.3.3, A4.3.7: the call ends in a REC exit due to PSCI with exit.gprs[0] the FID and
 * exit.gprs[1..3] `args`, zero where the function has fewer (D-PSCI-ARGS).
 */
function psciExit(t: T, ...args: bigint[]): boolean {
  if (t.out.kind !== 'exit' || t.out.cause.kind !== 'psci') return false;
  const g = t.out.cause.gprs ?? [];
  const want = [BigInt(t.input.fid), args[0] ?? 0n, args[1] ?? 0n, args[2] ?? 0n];
  return g.length === 4 && want.every((v, i) => g[i] === v);
}

/** A4.3.7: the exit sets rec.psci_pending to PSCI_REQUEST_PENDING (`true`) or NO_PSCI_REQUEST_PENDING. */
const pendingAfter = (t: T, pending: boolean): boolean => t.out.kind === 'exit' && t.out.cause.kind === 'psci' && t.out.cause.pending === pending;

/** The footprint's locator `rec`: CurrentRec(). */
const recLocator = (t: T): number => t.input.recGi;

// -------------------------------------------------------------------------------------
// PSCI_VERSION, PSCI_FEATURES
// -------------------------------------------------------------------------------------

/** B6.4.1: a PsciInterfaceVersion (major 30:16, minor 15:0, bits 63:31 MBZ) of at least 1.1 (B6.2); revision order is numeric order. */
const isVersionAtLeast11 = (v: bigint | undefined): boolean => v !== undefined && v >> 31n === 0n && v >= 0x1_0001n;

/** DEN0137 B6.3.8, B6.2, A4.3.7: X0 is a PSCI version of at least 1.1, and there is no REC exit. Open: which version (`result`). */
export const psciVersionPost: RealmPost = {
  success: {
    version: (t) => isVersionAtLeast11(x0(t)),
    no_exit: (t) => t.out.kind === 'return',
  },
  locate: {},
  choices: {
    // B6.2: "The RMM must support version >= 1.1": any later version is permitted.
    result: (_t, v) => isVersionAtLeast11(v),
  },
};

/** The function ids the spec lists for the PSCI functions of A4.3.7's table (B6.3): PSCI_FEATURES must report them. */
const LISTED = new Set(
  ['PSCI_VERSION', 'PSCI_FEATURES', 'PSCI_CPU_SUSPEND', 'PSCI_CPU_OFF', 'PSCI_CPU_ON', 'PSCI_AFFINITY_INFO', 'PSCI_SYSTEM_OFF', 'PSCI_SYSTEM_RESET'].map((n) => Number(BigInt(catalogueCommand(n).spec.fid))),
);
/** SMCCC_VERSION (SMCCC 1.1+), which PSCI_FEATURES may report (D-SMCCC-VERSION). */
const SMCCC_VERSION_FID = 0x8000_0000;
/**
 * Function ids an RMM may or may not implement: the SMC32 ids of the functions B6.3 lists by their
 * SMC64 id (A4.3.7's table names functions, not calling conventions), and SMCCC_VERSION.
 */
const OPTIONAL = new Set([...['PSCI_CPU_SUSPEND', 'PSCI_CPU_ON', 'PSCI_AFFINITY_INFO'].flatMap((n) => catalogueCommand(n).fids.filter((f) => !LISTED.has(f))), SMCCC_VERSION_FID]);

/** psci_func_id: X1[31:0] (B6.3.5.1.1). */
const funcId = (t: T): number => Number(input(t.input, 'psci_func_id') & W);

/** D-PSCI-FEATURES: the model supports every listed function, the optional ones too. */
const modelSupports = (t: T): boolean => LISTED.has(funcId(t)) || OPTIONAL.has(funcId(t));

/**
 * DEN0137 B6.3.5.3, A4.3.7: PSCI_SUCCESS for a supported function, PSCI_NOT_SUPPORTED otherwise;
 * no REC exit. Open (`result`): the SMC32 ids of CPU_SUSPEND, CPU_ON and AFFINITY_INFO and
 * SMCCC_VERSION may be reported either way.
 */
export const psciFeaturesPost: RealmPost = {
  success: {
    func_ok: { when: modelSupports, holds: (t) => x0(t) === PsciStatus.PSCI_SUCCESS },
    func_not_ok: { when: (t) => !modelSupports(t), holds: (t) => x0(t) === PsciStatus.PSCI_NOT_SUPPORTED },
  },
  locate: {},
  choices: {
    result: (t, v) => {
      const f = funcId(t);
      if (LISTED.has(f)) return v === PsciStatus.PSCI_SUCCESS;
      if (OPTIONAL.has(f)) return v === PsciStatus.PSCI_SUCCESS || v === PsciStatus.PSCI_NOT_SUPPORTED;
      return v === PsciStatus.PSCI_NOT_SUPPORTED;
    },
  },
};

// -------------------------------------------------------------------------------------
// PSCI_CPU_SUSPEND, PSCI_CPU_OFF
// -------------------------------------------------------------------------------------

/**
 * DEN0137 B6.3.4, A4.3.7: a REC exit due to PSCI with the arguments (power_state is 31:0), no
 * request pending, and PSCI_SUCCESS for the Realm on the next entry (D-PSCI-REGS: every power
 * state is a plain suspend, which the Host need not complete).
 */
export const psciCpuSuspendPost: RealmPost = {
  success: {
    exit: (t) => psciExit(t, arg(t, 'power_state', true), arg(t, 'entry_point_address'), arg(t, 'context_id')),
    psci_pending: (t) => pendingAfter(t, false),
    result: (t) => t.out.kind === 'exit' && t.out.cause.kind === 'psci' && t.out.cause.result === PsciStatus.PSCI_SUCCESS,
  },
  locate: {},
};

/** DEN0137 B6.3.2, A2.3.2, A4.3.7: the calling REC becomes NOT_RUNNABLE; a REC exit due to PSCI with no arguments and no request pending. */
export const psciCpuOffPost: RealmPost = {
  success: {
    runnable: (t) => CurrentRec(t.post, t.input)?.runnable === false,
    exit: (t) => psciExit(t),
    psci_pending: (t) => pendingAfter(t, false),
  },
  locate: { rec: recLocator },
};

// -------------------------------------------------------------------------------------
// PSCI_CPU_ON, PSCI_AFFINITY_INFO
// -------------------------------------------------------------------------------------

/**
 * DEN0137 B6.3.3, A4.3.7: a REC exit due to PSCI with target_cpu, entry_point_address and
 * context_id (31:0), and the request pending until the Host names the target REC in
 * RMI_PSCI_COMPLETE, which establishes `entry` and `runnable` (E-PSCI-TARGET: no target REC is
 * resolved now, so the locator `target_rec` names nothing and the call changes no REC's flags).
 */
export const psciCpuOnPost: RealmPost = {
  success: {
    exit: (t) => psciExit(t, arg(t, 'target_cpu'), arg(t, 'entry_point_address'), arg(t, 'context_id', true)),
    psci_pending: (t) => pendingAfter(t, true),
  },
  locate: { rec: recLocator, target_rec: () => undefined },
};

/** target_rec is the calling REC: target_affinity (sanitised) is its MPIDR, bit for bit (D-MPIDR). */
const selfTarget = (t: T): boolean => CurrentRec(t.pre, t.input)?.mpidr === arg(t, 'target_affinity');

/**
 * DEN0137 B6.3.1, A4.3.7: about the calling REC, PSCI_SUCCESS (ON) at once (E-PSCI-AFFINITY-SELF);
 * about another, a REC exit due to PSCI with target_affinity and lowest_affinity_level (31:0),
 * the request pending, and RMI_PSCI_COMPLETE gives ON or OFF (E-PSCI-TARGET).
 */
export const psciAffinityInfoPost: RealmPost = {
  success: {
    runnable: { when: selfTarget, holds: (t) => x0(t) === PsciStatus.PSCI_SUCCESS },
    exit: { when: (t) => !selfTarget(t), holds: (t) => psciExit(t, arg(t, 'target_affinity'), arg(t, 'lowest_affinity_level', true)) },
    psci_pending: { when: (t) => !selfTarget(t), holds: (t) => pendingAfter(t, true) },
  },
  locate: { rec: recLocator },
};

// -------------------------------------------------------------------------------------
// PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET
// -------------------------------------------------------------------------------------

/** DEN0137 B6.3.6.3, B6.3.7.3, A4.3.7: the Realm is REALM_SYSTEM_OFF; a REC exit due to PSCI with no arguments and no request pending. */
export const psciSystemOffPost: RealmPost = {
  success: {
    state: (t) => CurrentRealm(t.post, t.input)?.realm.state === RealmState.REALM_SYSTEM_OFF,
    exit: (t) => psciExit(t),
    psci_pending: (t) => pendingAfter(t, false),
  },
  locate: { realm: (t) => CurrentRec(t.pre, t.input)?.owner },
};

/** DEN0137 B6.3.7.3: as PSCI_SYSTEM_OFF (the Host destroys and re-creates the Realm to reset it). */
export const psciSystemResetPost: RealmPost = psciSystemOffPost;
