/**
 * The PSCI power functions as the RMM provides them to a Realm: PSCI_CPU_SUSPEND, PSCI_CPU_OFF,
 * PSCI_CPU_ON, PSCI_SYSTEM_OFF and PSCI_SYSTEM_RESET (DEN0137 B6.3.4, B6.3.2, B6.3.3, B6.3.6,
 * B6.3.7, A4.3.7).
 *
 * @packageDocumentation
 */
import { defineCommand } from '../engine/command.js';
import { RealmState, updateRealm } from '../model/realm.js';
import { updateRec } from '../model/rec.js';
import { addrIsProtected } from '../model/rtt-walk.js';
import { withRealmRecord, withRec } from '../model/state.js';
import { realmContext, type RealmCallInput, type RealmCallCtx, type RealmOutcome } from '../realm/command.js';
import { PsciStatus } from '../abi/status.js';
import { psciCpuOffPost, psciCpuOnPost, psciCpuSuspendPost, psciSystemOffPost, psciSystemResetPost } from '../post/psci.js';
import { psciArg, psciExit, psciTargetContext, type PsciTargetCtx } from './common.js';

// -------------------------------------------------------------------------------------
// PSCI_CPU_SUSPEND, PSCI_CPU_OFF
// -------------------------------------------------------------------------------------

/**
 * DEN0137 B6.3.4 PSCI_CPU_SUSPEND: every power state is a plain suspend; a REC exit due to PSCI
 * with no request pending, and the Realm sees PSCI_SUCCESS when the REC is entered again.
 * @category PSCI
 */
export const psciCpuSuspend = defineCommand<RealmCallInput, RealmCallCtx, RealmOutcome>({
  name: 'PSCI_CPU_SUSPEND',
  context: realmContext,
  failures: {},
  apply: (c) => [c.s, psciExit(c, [psciArg(c, 'power_state', true), psciArg(c, 'entry_point_address'), psciArg(c, 'context_id')], false, PsciStatus.PSCI_SUCCESS)],
  post: psciCpuSuspendPost,
});

/** DEN0137 B6.3.2 PSCI_CPU_OFF: the REC becomes NOT_RUNNABLE; a REC exit due to PSCI with no request pending. @category PSCI */
export const psciCpuOff = defineCommand<RealmCallInput, RealmCallCtx, RealmOutcome>({
  name: 'PSCI_CPU_OFF',
  context: realmContext,
  failures: {},
  apply: (c) => {
    const rec = updateRec(c.rec, { runnable: false });
    // Control does not return to the caller; X0 = PSCI_SUCCESS is what TF-RMM leaves in the REC.
    return [withRec(c.s, c.recGi, rec), psciExit(c, [], false, PsciStatus.PSCI_SUCCESS)];
  },
  post: psciCpuOffPost,
});

// -------------------------------------------------------------------------------------
// PSCI_CPU_ON
// -------------------------------------------------------------------------------------

const entryOf = (c: RealmCallCtx): bigint => psciArg(c, 'entry_point_address');

/**
 * DEN0137 B6.3.3 PSCI_CPU_ON: a REC exit due to PSCI with psci_pending set; RMI_PSCI_COMPLETE,
 * given the target REC by the Host, starts it (pc = entry_point_address, X0 = context_id,
 * RUNNABLE) or answers PSCI_ALREADY_ON when it is RUNNABLE (B4.3.7 on_already).
 * @category PSCI
 */
export const psciCpuOn = defineCommand<RealmCallInput, PsciTargetCtx, RealmOutcome>({
  name: 'PSCI_CPU_ON',
  context: psciTargetContext('target_cpu'),
  failures: {
    // entry_point_address is not a Protected IPA.
    entry: (c) => !addrIsProtected(c.realm, entryOf(c)),
    // !MpidrIsUsed(target_cpu): not a valid MPIDR, or no REC index that low (D-MPIDR).
    mpidr: (c) => !c.used,
    // target_rec.flags.runnable == RUNNABLE.
    // ERRATUM E-PSCI-TARGET: at call time the RMM knows only its own REC (which is running, so
    // RUNNABLE); it keeps no map from MPIDRs to RECs (A4.3.7). For another target the REC exit
    // happens and RMI_PSCI_COMPLETE, with the REC the Host names, answers PSCI_ALREADY_ON
    // (B4.3.7 on_already) when that REC is RUNNABLE.
    runnable: (c) => c.self,
  },
  // entry and runnable are established by RMI_PSCI_COMPLETE (catalogue establishedBy).
  apply: (c) => [c.s, psciExit(c, [c.mpidr, entryOf(c), psciArg(c, 'context_id', true)], true)],
  post: psciCpuOnPost,
});

// -------------------------------------------------------------------------------------
// PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET
// -------------------------------------------------------------------------------------

/** The Realm is in REALM_SYSTEM_OFF; a REC exit due to PSCI with no request pending (B6.3.6.3, B6.3.7.3). */
function systemOff(c: RealmCallCtx): readonly [ReturnType<typeof withRealmRecord>, RealmOutcome] {
  const realm = updateRealm(c.realm, { state: RealmState.REALM_SYSTEM_OFF });
  return [withRealmRecord(c.s, c.rec.owner, realm), psciExit(c, [], false)];
}

/** DEN0137 B6.3.6 PSCI_SYSTEM_OFF: the Realm moves to REALM_SYSTEM_OFF; no REC of it can be entered again. @category PSCI */
export const psciSystemOff = defineCommand<RealmCallInput, RealmCallCtx, RealmOutcome>({
  name: 'PSCI_SYSTEM_OFF',
  context: realmContext,
  failures: {},
  apply: systemOff,
  post: psciSystemOffPost,
});

/** DEN0137 B6.3.7 PSCI_SYSTEM_RESET: as PSCI_SYSTEM_OFF; the Host must destroy and re-create the Realm. @category PSCI */
export const psciSystemReset = defineCommand<RealmCallInput, RealmCallCtx, RealmOutcome>({
  name: 'PSCI_SYSTEM_RESET',
  context: realmContext,
  failures: {},
  apply: systemOff,
  post: psciSystemResetPost,
});
