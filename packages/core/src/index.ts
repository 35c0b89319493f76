/**
 * realmspec core: the Arm CCA Realm Management Monitor specification (DEN0137 1.0-rel0) as a
 * pure, executable model. Every command is `(state, input) -> Either<failure, [state, output]>`;
 * {@link smc} is the register-level entry the Host uses.
 *
 * The root exports the public API, grouped by `@category` in the documentation; the helpers the
 * other realmspec packages build on (state updaters, RTT storage, the command engine's builder)
 * are in `@realmspec/core/internal`, with no stability promise; packages/core/test/exports.test.ts
 * keeps the two apart.
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

// State
export { type Change, showChange, stateChanges } from './engine/frame.js';
export { PMap, type ValueHasher } from './internal/pmap.js';
export { granuleAt, initialState, type RmmState, stateEquals, stateHash, stateKey } from './model/state.js';

// Platform
export {
  decodeFeatures0,
  decodePlatform,
  DEFAULT_FEATURES0,
  defaultFeatures0,
  defaultPlatform,
  type Features0,
  Gpt,
  gptName,
  type GptRange,
  HexBytes,
  hexBytes,
  type HostGpt,
  initialGpt,
  isDelegableGranule,
  makePlatform,
  type MeasurementDigest,
  measurementDigest,
  type MeasurementMode,
  type PaRange,
  type Platform,
  PlatformCodec,
  type PlatformConfig,
  shaDigest,
  symbolicDigest,
  U64,
  withAttestation,
  withMeasurementMode,
} from './model/platform.js';

// Granule
export { GRANULE_SHIFT, GRANULE_SIZE, granuleAddr, type GranuleIndex, granuleIndex, isGranuleAligned } from './model/bits.js';
export { type Granule, granule, GranuleState, granuleStateName, nsAccessPermitted } from './model/granule.js';
export { granuleBytes, type GranuleProtectionFault, hostRead, hostWrite } from './model/memory.js';
export { type GranuleCtx, rmiGranuleDelegate, rmiGranuleUndelegate } from './rmi/granule.js';

// Realm
export {
  decodeRealmParams,
  MIN_IPA_WIDTH,
  type RealmParams,
  realmParamsAreValid,
  realmParamsSupported,
  rttConfigIsValid,
  rttStartTables,
} from './model/realm-params.js';
export { HashAlgorithm, hashSize, MEASUREMENT_BYTES, MEASUREMENT_SLOTS, type Realm, RealmState, realmStateName } from './model/realm.js';
export { type RealmCreateCtx, type RealmCtx, realmIsLive, rmiRealmActivate, rmiRealmCreate, rmiRealmDestroy } from './rmi/realm.js';

// REC
export { AttestState, type Rec, REC_GPRS, recIndexOfMpidr, RecState } from './model/rec.js';
export { GICV3_HCR_HOST_BITS, gicv3ConfigIsValid, gicv3NumLrs } from './realm/gic.js';
export { type PsciCompleteCtx, psciReturnCodePermitted, rmiPsciComplete } from './rmi/psci-complete.js';
export { type RecEnterConclusion, type RecEnterCtx, RecEnterFlag, type RecEnterValues, type RecEntryReport, rmiRecEnter } from './rmi/rec-enter.js';
export { recAuxCount, type RecAuxCountCtx, type RecCreateCtx, type RecDestroyCtx, rmiRecAuxCount, rmiRecCreate, rmiRecDestroy } from './rmi/rec.js';

// RTT
export {
  addrInIpaSpace,
  addrIsProtected,
  addrIsRttLevelAligned,
  addrIsUnprotected,
  alignDownToRttLevel,
  ipaSpaceTop,
  protectedTop,
  RTT_MIN_LEVEL,
  RTT_PAGE_LEVEL,
  rttDescriptorFields,
  rttDescriptorIsValidForUnprotected,
  rttEntryDescriptor,
  rttLevelIsBlockOrPage,
  rttLevelIsStarting,
  rttLevelIsValid,
  rttOutputAddress,
  rttWalk,
  type RttWalkResult,
} from './model/rtt-walk.js';
export {
  DEFAULT_GEOMETRY,
  type Geometry,
  geometryOf,
  MAX_LEVEL_BITS,
  maxIpaWidth,
  MIN_LEVEL_BITS,
  minIpaWidth,
  Ripas,
  ripasName,
  type Rtt,
  rttEntries,
  type RttEntry,
  rttEntry,
  RttEntryState,
  rttEntryStateName,
  rttIsLive,
  rttLevelShift,
  rttLevelSize,
} from './model/rtt.js';
export { type DataCreateCtx, type DataCreateUnknownCtx, type DataCreateUnknownInput, rmiDataCreate, rmiDataCreateUnknown, rmiDataDestroy } from './rmi/data.js';
export { type RipasRangeCtx, rmiRttInitRipas, rmiRttSetRipas, type SetRipasCtx } from './rmi/ripas.js';
export { type LevelWalkCtx, type RttLevelInput, type WalkCtx } from './rmi/rtt-args.js';
export { rmiRttMapUnprotected, rmiRttUnmapUnprotected, type RttMapCtx, type RttMapInput, type RttNsCtx, type RttUnmapInput } from './rmi/rtt-ns.js';
export {
  rmiRttCreate,
  rmiRttDestroy,
  rmiRttFold,
  rmiRttReadEntry,
  type RttCreateCtx,
  type RttFoldCtx,
  type RttReadCtx,
  type RttReadOutput,
  type RttStructureCtx,
} from './rmi/rtt.js';

// REC execution
export { recEnterConcluded, type RecEnterInput, type RecEnterRun, type RunObserver, runRec, type RunResult } from './exec/run.js';
export { realmStep } from './exec/step.js';
export { recExitFieldPermits } from './post/rec-enter.js';
export { type RealmCallCtx, type RealmCallInput, type RealmCommand, type RealmOutcome } from './realm/command.js';
export {
  accessSize,
  ecOf,
  ESR_IL,
  ESR_ISV,
  ESR_SF,
  ESR_SSE,
  ESR_WNR,
  esrSrt,
  ExceptionClass,
  faultOf,
  FaultStatus,
  hpfarOf,
  ipaOfHpfar,
  isvOf,
} from './realm/esr.js';
export { type ProtectedTarget } from './realm/memory.js';
export {
  type AccessOutcome,
  type ExitCause,
  type RealmAccessAction,
  type RealmAction,
  type RealmAsyncAction,
  type RealmCallAction,
  type RealmCallResult,
  type RealmStepResult,
  type RealmWfxAction,
  type RecExitFields,
  RecExitReason,
  recExitReasonName,
} from './realm/types.js';

// RSI
export { rsiAttestationTokenContinue, rsiAttestationTokenInit } from './rsi/attestation.js';
export { realmConfigBytes, rsiRealmConfig } from './rsi/config.js';
export { HOST_CALL_ALIGN, rsiHostCall } from './rsi/host-call.js';
export { addrRangeIsProtected, rsiIpaStateGet, rsiIpaStateSet } from './rsi/ipa-state.js';
export { rsiMeasurementExtend, rsiMeasurementRead } from './rsi/measurement.js';
export { type MemoryCtx } from './rsi/realm-memory.js';
export { RSI_ABI_VERSION, rsiFeatures, rsiVersion } from './rsi/version.js';

// PSCI
export { mpidrEqual, mpidrIsUsed, mpidrIsValid, type PsciTargetCtx } from './psci/common.js';
export { PSCI_REALM_VERSION, psciAffinityInfo, psciFeatures, psciVersion, SMCCC_VERSION_FID } from './psci/info.js';
export { psciCpuOff, psciCpuOn, psciCpuSuspend, psciSystemOff, psciSystemReset } from './psci/power.js';

// Measurement & attestation
export {
  COSE_ALG_ES384,
  COSE_SIGN1_TAG,
  type CoseError,
  type CoseErrorKind,
  type CoseSign1,
  coseSign1,
  coseSign1Verify,
  decodeCoseKeyP384,
  decodeCoseSign1,
  encodeCoseKeyP384,
  P384_BYTES,
  p384PublicKey,
  sigStructure1,
  verifyCoseSign1,
} from './attestation/cose.js';
export {
  decodePlatformClaims,
  isPlatformLifecycle,
  LifecycleCodec,
  PLATFORM_PROFILE,
  PlatformClaimKey,
  type PlatformClaims,
  PlatformClaimsCodec,
  PlatformLifecycle,
  platformTokenPayload,
  type SwComponent,
  SwComponentKey,
} from './attestation/platform.js';
export { decodeRealmClaims, RealmClaimsCodec, realmClaimsFromMap, type RealmTokenClaims } from './attestation/realm-claims.js';
export {
  buildCcaToken,
  CCA_TOKEN_TAG,
  CcaCollectionKey,
  ccaToken,
  HASH_ALGO_IDS,
  HASH_SIZES,
  type HashAlgoId,
  hashAlgoIdSize,
  hashWith,
  isHashAlgoId,
  RAK_HASH_ALGO,
  REALM_PROFILE,
  RealmClaimKey,
  type RealmClaims,
  type RealmHashAlgo,
  realmHashAlgoName,
  realmTokenPayload,
  signRealmToken,
} from './attestation/token.js';
export {
  type CcaTokenClaims,
  type CcaTokenError,
  type CcaTokenErrorKind,
  type CcaTrustAnchor,
  iakPublicKeyBytes,
  verifyCcaToken,
} from './attestation/verify.js';
export {
  DESCRIPTOR_SIZE,
  measure,
  MeasurementDescriptorType,
  remExtend,
  rimExtendData,
  rimExtendRec,
  rimExtendRipas,
  rimInit,
  ZERO_MEASUREMENT,
} from './model/measurement.js';
export { type AttestationPort } from './model/platform.js';

// Codecs
export {
  decodeStruct,
  encodeStruct,
  encodeStructInto,
  type FieldLayout,
  hasZeroReservedBits,
  type Layout,
  readField,
  type StructValue,
} from './model/layout.js';
export { realmParamsMeasured, recParamsMeasured, RmiRealmParams, RmiRecEnter, RmiRecExit, RmiRecParams, RsiHostCall, RsiRealmConfig } from './model/structs.js';

// SMC/ABI
export { encodeRmiResult, functionId, type RegisterCommand, type RoutedCommand, SMCCC_NOT_SUPPORTED, SMCCC_SVE_HINT, type SmcResult } from './abi/smc.js';
export { decodeRmiResult, PsciStatus, psciStatusName, RMI_STATUS_NAMES, rmiStatusName, RsiStatus, rsiStatusName } from './abi/status.js';
export { type HostSmcResult, rmiCommands, rmiRoute, smc, type SmcOptions } from './dispatch/smc.js';
export { realmCommandOf, realmCommands, realmRoute, type RoutedRealmCommand, SMCCC_VERSION } from './exec/call.js';
export { type FeaturesCtx, RMI_ABI_VERSION, rmiFeatures, rmiVersion, type VersionCtx } from './rmi/features.js';

// Relation
export { type ModelAnswer, realmCallOutcomes, rmiCallOutcomes } from './relation/calls.js';
export { type CallOutcomes, judge, type Observed, rmiStatusText, rmiStatusValue, type Verdict } from './relation/judge.js';
export { type Outcomes, outcomes } from './relation/outcomes.js';

// Invariants
export { type InvariantViolation, invariantViolations, showViolations, transitionViolations } from './invariants/index.js';

// Catalogue
export { type FootprintTarget, REALM_FIELDS, type RealmField, REC_FIELDS, type RecField } from './catalogue/footprint.js';
export {
  type Catalogue,
  catalogue,
  type CatalogueCommand,
  catalogueCommand,
  decodeCatalogue,
  type FootprintItem,
  type OrderingRule,
  type Rule,
  type RuleId,
  statusCode,
} from './catalogue/index.js';
export {
  CommandSpec,
  FailureCondition,
  FootprintEntry,
  Interface,
  InvariantSpec,
  Ordering,
  RegisterField,
  StatusName,
  SuccessCondition,
} from './catalogue/schema.js';

// Engine
export { isCheckedMode, setCheckedMode } from './engine/checked.js';
export { type CheckedAll, type Command, type CommandResult, type Evaluation, type Registers, type SpecFailure } from './engine/command.js';
export { type CommandTally, RuleHits } from './engine/hits.js';
export { type ConditionalPost, type Locator, type PostCheck, type PostDefinition, type Transition } from './engine/post.js';

// Errors
export { InputError, InternalError } from './internal/errors.js';
