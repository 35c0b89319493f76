/**
 * realmspec core: the Arm CCA Realm Management Monitor specification (DEN0137 1.0-rel0) as a
 * pure, executable model. Every command is `(state, input) -> Either<failure, [state, output]>`;
 * {@link smc} is the register-level entry the Host uses.
 *
 * @example
 * ```ts
 * import { initialState, smc } from '@realmspec/core';
 * const s0 = initialState();
 * const r = smc(s0, [0xc4000151n, 0x8000_0000n]); // RMI_GRANULE_DELEGATE
 * r.regs[0]; // 0n: RMI_SUCCESS
 * ```
 *
 * @packageDocumentation
 */
export * from './catalogue/index.js';
export { defineCommand, permittedFailures } from './engine/command.js';
export { outcomes, type Outcomes } from './relation/outcomes.js';
export { judge, rmiStatusValue, rmiStatusText, type CallOutcomes, type Observed, type Verdict } from './relation/judge.js';
export { rmiCallOutcomes, realmCallOutcomes, type ModelAnswer } from './relation/calls.js';
export type { Check, CheckedAll, Command, CommandDefinition, CommandResult, Evaluation, FailureImpl, Registers, SpecFailure } from './engine/command.js';
export { RuleHits, type CommandTally } from './engine/hits.js';
export { setCheckedMode, isCheckedMode, setRecording, takeCallerHits } from './engine/checked.js';
export { invariantViolations, transitionViolations, showViolations, type InvariantViolation } from './invariants/index.js';
export { stateChanges, frameViolations, showChange, type Change } from './engine/frame.js';
export type { Transition, PostCheck, ConditionalPost, PostDefinition, Locator } from './engine/post.js';
export { InternalError, InputError, formatValidationErrors } from './internal/errors.js';
export { PMap, type ValueHasher } from './internal/pmap.js';
export * from './model/bits.js';
export * from './model/platform.js';
export * from './model/granule.js';
export * from './model/layout.js';
export * from './model/structs.js';
export * from './model/realm.js';
export * from './model/realm-params.js';
export * from './model/rec.js';
export * from './model/rtt.js';
export * from './model/rtt-walk.js';
export * from './model/state.js';
export * from './model/memory.js';
export * from './model/measurement.js';
export * from './abi/smc.js';
export { RMI_STATUS_NAMES, RsiStatus, PsciStatus, rmiStatusName, decodeRmiResult, rsiStatusName, psciStatusName } from './abi/status.js';
export { smc, rmiCommands, rmiRoute, type SmcOptions, type HostSmcResult } from './dispatch/smc.js';
export { rmiVersion, rmiFeatures, RMI_ABI_VERSION, type VersionCtx, type FeaturesCtx } from './rmi/features.js';
export { rmiGranuleDelegate, rmiGranuleUndelegate, type GranuleCtx } from './rmi/granule.js';
export { rmiRealmCreate, rmiRealmActivate, rmiRealmDestroy, realmIsLive, type RealmCreateCtx, type RealmCtx } from './rmi/realm.js';
export { rmiRecAuxCount, rmiRecCreate, rmiRecDestroy, recAuxCount, type RecAuxCountCtx, type RecCreateCtx, type RecDestroyCtx } from './rmi/rec.js';
export { rmiDataCreate, rmiDataCreateUnknown, rmiDataDestroy, type DataCreateCtx, type DataCreateUnknownCtx, type DataCreateUnknownInput } from './rmi/data.js';
export { rmiRttCreate, rmiRttDestroy, rmiRttFold, rmiRttReadEntry, type RttCreateCtx, type RttFoldCtx, type RttLevelInput, type RttReadCtx, type RttReadOutput, type RttStructureCtx } from './rmi/rtt.js';
export { rmiRttMapUnprotected, rmiRttUnmapUnprotected, type RttMapCtx, type RttMapInput, type RttNsCtx, type RttUnmapInput } from './rmi/rtt-ns.js';
export { rmiRttInitRipas, rmiRttSetRipas, type RipasRangeCtx, type SetRipasCtx } from './rmi/ripas.js';
export type { LevelWalkCtx, WalkCtx } from './rmi/rtt-args.js';
export * from './attestation/index.js';
export { rmiRecEnter, RecEnterFlag, type RecEnterConclusion, type RecEnterCtx, type RecEnterValues, type RecEntryReport } from './rmi/rec-enter.js';
export { rmiPsciComplete, psciReturnCodePermitted, type PsciCompleteCtx } from './rmi/psci-complete.js';
export * from './realm/types.js';
export { recEnterConcluded, runRec, type RecEnterInput, type RecEnterRun, type RunObserver, type RunResult } from './exec/run.js';
export { recExitFieldPermits } from './post/rec-enter.js';
export { realmStep } from './exec/step.js';
export { realmCall, realmCommands, realmCommandOf, realmRoute, SMCCC_VERSION, CALL_ARG_REGS, type CallStep, type RoutedRealmCommand } from './exec/call.js';
export { realmAccess, type AccessStep } from './exec/access.js';
export { recExit, exitFields, type ExitResult } from './realm/exit.js';
export { gicv3ConfigIsValid, gicv3NumLrs, GICV3_HCR_HOST_BITS } from './realm/gic.js';
export { protectedTarget, readBytes, writeBytes, leBytes, leValue, type ProtectedTarget } from './realm/memory.js';
export type { MemoryCtx } from './rsi/realm-memory.js';
export * from './realm/esr.js';
export { type RealmCallInput, type RealmCallCtx, type RealmCommand, type RealmOutcome } from './realm/command.js';
export { rsiVersion, rsiFeatures, RSI_ABI_VERSION } from './rsi/version.js';
export { rsiMeasurementRead, rsiMeasurementExtend } from './rsi/measurement.js';
export { rsiAttestationTokenInit, rsiAttestationTokenContinue } from './rsi/attestation.js';
export { rsiRealmConfig, realmConfigBytes } from './rsi/config.js';
export { rsiIpaStateSet, rsiIpaStateGet, addrRangeIsProtected } from './rsi/ipa-state.js';
export { rsiHostCall, HOST_CALL_ALIGN } from './rsi/host-call.js';
export { psciVersion, psciFeatures, psciAffinityInfo, PSCI_REALM_VERSION, SMCCC_VERSION_FID } from './psci/info.js';
export { psciCpuSuspend, psciCpuOff, psciCpuOn, psciSystemOff, psciSystemReset } from './psci/power.js';
export { mpidrEqual, mpidrIsUsed, mpidrIsValid, type PsciTargetCtx } from './psci/common.js';
