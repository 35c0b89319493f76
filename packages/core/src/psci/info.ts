/**
 * PSCI_VERSION, PSCI_FEATURES and PSCI_AFFINITY_INFO as the RMM provides them to a Realm
 * (DEN0137 B6.3.8, B6.3.5, B6.3.1, A4.3.7).
 *
 * @packageDocumentation
 */
import { catalogue } from '../catalogue/index.js';
import { defineCommand } from '../engine/command.js';
import { realmContext, returnToRealm, type RealmCallInput, type RealmCallCtx, type RealmOutcome } from '../realm/command.js';
import { PsciStatus } from '../abi/status.js';
import { psciAffinityInfoPost, psciFeaturesPost, psciVersionPost } from '../post/psci.js';
import { psciArg, psciExit, psciTargetContext, type PsciTargetCtx } from './common.js';

// -------------------------------------------------------------------------------------
// PSCI_VERSION
// -------------------------------------------------------------------------------------

/** PSCI version the RMM implements for Realms: 1.1 (DEN0137 B6.2; PsciInterfaceVersion). @category PSCI */
export const PSCI_REALM_VERSION = 0x1_0001n;

/** DEN0137 B6.3.8 PSCI_VERSION: X0 = the implemented PSCI version (1.1); no REC exit. @category PSCI */
export const psciVersion = defineCommand<RealmCallInput, RealmCallCtx, RealmOutcome>({
  name: 'PSCI_VERSION',
  context: realmContext,
  failures: {},
  apply: (c) => [c.s, returnToRealm(PSCI_REALM_VERSION)],
  post: psciVersionPost,
});

// -------------------------------------------------------------------------------------
// PSCI_FEATURES
// -------------------------------------------------------------------------------------

/** SMCCC_VERSION's function id (SMCCC v1.1+). @category PSCI */
export const SMCCC_VERSION_FID = 0x8000_0000;

// DECISION D-PSCI-FEATURES: the supported functions are the PSCI functions of the catalogue
// (with their SMC32 and SMC64 ids) and SMCCC_VERSION, which the model answers (D-SMCCC-VERSION).
// TF-RMM's list is the same except that it leaves out PSCI_VERSION itself.
const supported = new Set<number>([...catalogue.commands.filter((c) => c.iface === 'PSCI').flatMap((c) => c.fids), SMCCC_VERSION_FID]);

/** Whether psci_func_id names a function the RMM implements for Realms. */
const isSupported = (c: RealmCallCtx): boolean => supported.has(Number(psciArg(c, 'psci_func_id', true)));

/** DEN0137 B6.3.5 PSCI_FEATURES: PSCI_SUCCESS if psci_func_id (X1[31:0]) is implemented, else PSCI_NOT_SUPPORTED. @category PSCI */
export const psciFeatures = defineCommand<RealmCallInput, RealmCallCtx, RealmOutcome>({
  name: 'PSCI_FEATURES',
  context: realmContext,
  failures: {},
  apply: (c) => [c.s, returnToRealm(isSupported(c) ? PsciStatus.PSCI_SUCCESS : PsciStatus.PSCI_NOT_SUPPORTED)],
  post: psciFeaturesPost,
});

// -------------------------------------------------------------------------------------
// PSCI_AFFINITY_INFO
// -------------------------------------------------------------------------------------

const levelOf = (c: RealmCallCtx): bigint => psciArg(c, 'lowest_affinity_level', true);
/** The query names the calling REC itself. */
const isSelf = (c: PsciTargetCtx): boolean => c.self;

/**
 * DEN0137 B6.3.1 PSCI_AFFINITY_INFO: a REC exit due to PSCI with psci_pending set; the Host
 * names the target REC in RMI_PSCI_COMPLETE, which gives the Realm ON (PSCI_SUCCESS) or PSCI_OFF.
 * @category PSCI
 */
export const psciAffinityInfo = defineCommand<RealmCallInput, PsciTargetCtx, RealmOutcome>({
  name: 'PSCI_AFFINITY_INFO',
  context: psciTargetContext('target_affinity'),
  failures: {
    // lowest_affinity_level != 0.
    target_bound: (c) => levelOf(c) !== 0n,
    // !MpidrIsUsed(target_affinity): not a valid MPIDR, or no REC index that low (D-MPIDR). No REC
    // is looked up: the Host names the target in RMI_PSCI_COMPLETE (E-PSCI-TARGET).
    target_match: (c) => !c.used,
  },
  apply: (c) => {
    // ERRATUM E-PSCI-AFFINITY-SELF: a query about the calling REC is answered at once with ON
    // (PSCI_SUCCESS; the caller is running), as TF-RMM does. Forwarded to the Host (B6.3.1: "causes
    // a REC exit") it could never complete: RMI_PSCI_COMPLETE with calling_rec == target_rec fails
    // its alias condition (B4.3.7).
    if (isSelf(c)) return [c.s, returnToRealm(PsciStatus.PSCI_SUCCESS)];
    return [c.s, psciExit(c, [c.mpidr, levelOf(c)], true)];
  },
  post: psciAffinityInfoPost,
});
