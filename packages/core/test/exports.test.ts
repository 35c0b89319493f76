/**
 * The core's two entry points: the root (`@realmspec/core`) exports the public API, each name
 * with its documentation `@category`, and `@realmspec/core/internal` the helpers the other
 * packages build on. The root's names are pinned here, by category, so that a helper leaking into
 * the root (or a public name losing its category) fails this test and is reviewed.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import * as root from '../src/index.js';
import * as internal from '../src/internal.js';

const words = (s: string): string[] => s.split(/\s+/).filter((w) => w !== '');

/** The root's names by documentation category: the reviewed public API. */
const ROOT: Readonly<Record<string, readonly string[]>> = {
  'State': words(`
    Change granuleAt initialState PMap RmmState showChange stateChanges stateEquals stateHash stateKey ValueHasher
  `),
  'Platform': words(`
    decodeFeatures0 decodePlatform DEFAULT_FEATURES0 defaultFeatures0 defaultPlatform Features0 Gpt gptName
    GptRange HexBytes hexBytes HostGpt initialGpt isDelegableGranule makePlatform MeasurementDigest
    measurementDigest MeasurementMode PaRange Platform PlatformCodec PlatformConfig shaDigest symbolicDigest U64
    withAttestation withMeasurementMode
  `),
  'Granule': words(`
    Granule granule GRANULE_SHIFT GRANULE_SIZE granuleAddr granuleBytes GranuleCtx GranuleIndex granuleIndex
    GranuleProtectionFault GranuleState granuleStateName hostRead hostWrite isGranuleAligned nsAccessPermitted
    rmiGranuleDelegate rmiGranuleUndelegate
  `),
  'Realm': words(`
    decodeRealmParams HashAlgorithm hashSize MEASUREMENT_BYTES MEASUREMENT_SLOTS MIN_IPA_WIDTH Realm
    RealmCreateCtx RealmCtx realmIsLive RealmParams realmParamsAreValid realmParamsSupported RealmState
    realmStateName rmiRealmActivate rmiRealmCreate rmiRealmDestroy rttConfigIsValid rttStartTables
  `),
  'REC': words(`
    AttestState GICV3_HCR_HOST_BITS gicv3ConfigIsValid gicv3NumLrs PsciCompleteCtx psciReturnCodePermitted Rec
    REC_GPRS recAuxCount RecAuxCountCtx RecCreateCtx RecDestroyCtx RecEnterConclusion RecEnterCtx RecEnterFlag
    RecEnterValues RecEntryReport recIndexOfMpidr RecState rmiPsciComplete rmiRecAuxCount rmiRecCreate
    rmiRecDestroy rmiRecEnter
  `),
  'RTT': words(`
    addrInIpaSpace addrIsProtected addrIsRttLevelAligned addrIsUnprotected alignDownToRttLevel DataCreateCtx
    DataCreateUnknownCtx DataCreateUnknownInput DEFAULT_GEOMETRY Geometry geometryOf ipaSpaceTop LevelWalkCtx
    MAX_LEVEL_BITS maxIpaWidth MIN_LEVEL_BITS minIpaWidth protectedTop Ripas ripasName RipasRangeCtx rmiDataCreate
    rmiDataCreateUnknown rmiDataDestroy rmiRttCreate rmiRttDestroy rmiRttFold rmiRttInitRipas rmiRttMapUnprotected
    rmiRttReadEntry rmiRttSetRipas rmiRttUnmapUnprotected Rtt RTT_MIN_LEVEL RTT_PAGE_LEVEL RttCreateCtx
    rttDescriptorFields rttDescriptorIsValidForUnprotected rttEntries RttEntry rttEntry rttEntryDescriptor
    RttEntryState rttEntryStateName RttFoldCtx rttIsLive RttLevelInput rttLevelIsBlockOrPage rttLevelIsStarting
    rttLevelIsValid rttLevelShift rttLevelSize RttMapCtx RttMapInput RttNsCtx rttOutputAddress RttReadCtx
    RttReadOutput RttStructureCtx RttUnmapInput rttWalk RttWalkResult SetRipasCtx WalkCtx
  `),
  'REC execution': words(`
    AccessOutcome accessSize ecOf ESR_IL ESR_ISV ESR_SF ESR_SSE ESR_WNR esrSrt ExceptionClass ExitCause faultOf
    FaultStatus hpfarOf ipaOfHpfar isvOf ProtectedTarget RealmAccessAction RealmAction RealmAsyncAction
    RealmCallAction RealmCallCtx RealmCallInput RealmCallResult RealmCommand RealmOutcome realmStep
    RealmStepResult RealmWfxAction recEnterConcluded RecEnterInput RecEnterRun recExitFieldPermits RecExitFields
    RecExitReason recExitReasonName RunObserver runRec RunResult
  `),
  'RSI': words(`
    addrRangeIsProtected HOST_CALL_ALIGN MemoryCtx realmConfigBytes RSI_ABI_VERSION rsiAttestationTokenContinue
    rsiAttestationTokenInit rsiFeatures rsiHostCall rsiIpaStateGet rsiIpaStateSet rsiMeasurementExtend
    rsiMeasurementRead rsiRealmConfig rsiVersion
  `),
  'PSCI': words(`
    mpidrEqual mpidrIsUsed mpidrIsValid PSCI_REALM_VERSION psciAffinityInfo psciCpuOff psciCpuOn psciCpuSuspend
    psciFeatures psciSystemOff psciSystemReset PsciTargetCtx psciVersion SMCCC_VERSION_FID
  `),
  'Measurement & attestation': words(`
    AttestationPort buildCcaToken CCA_TOKEN_TAG CcaCollectionKey ccaToken CcaTokenClaims CcaTokenError
    CcaTokenErrorKind CcaTrustAnchor COSE_ALG_ES384 COSE_SIGN1_TAG CoseError CoseErrorKind CoseSign1 coseSign1
    coseSign1Verify decodeCoseKeyP384 decodeCoseSign1 decodePlatformClaims decodeRealmClaims DESCRIPTOR_SIZE
    encodeCoseKeyP384 HASH_ALGO_IDS HASH_SIZES HashAlgoId hashAlgoIdSize hashWith iakPublicKeyBytes isHashAlgoId
    isPlatformLifecycle LifecycleCodec measure MeasurementDescriptorType P384_BYTES p384PublicKey PLATFORM_PROFILE
    PlatformClaimKey PlatformClaims PlatformClaimsCodec PlatformLifecycle platformTokenPayload RAK_HASH_ALGO
    REALM_PROFILE RealmClaimKey RealmClaims RealmClaimsCodec realmClaimsFromMap RealmHashAlgo realmHashAlgoName
    RealmTokenClaims realmTokenPayload remExtend rimExtendData rimExtendRec rimExtendRipas rimInit signRealmToken
    sigStructure1 SwComponent SwComponentKey verifyCcaToken verifyCoseSign1 ZERO_MEASUREMENT
  `),
  'Codecs': words(`
    decodeStruct encodeStruct encodeStructInto FieldLayout hasZeroReservedBits Layout readField
    realmParamsMeasured recParamsMeasured RmiRealmParams RmiRecEnter RmiRecExit RmiRecParams RsiHostCall
    RsiRealmConfig StructValue
  `),
  'SMC/ABI': words(`
    decodeRmiResult encodeRmiResult FeaturesCtx functionId HostSmcResult PsciStatus psciStatusName realmCommandOf
    realmCommands realmRoute RegisterCommand RMI_ABI_VERSION RMI_STATUS_NAMES rmiCommands rmiFeatures rmiRoute
    rmiStatusName rmiVersion RoutedCommand RoutedRealmCommand RsiStatus rsiStatusName smc SMCCC_NOT_SUPPORTED
    SMCCC_SVE_HINT SMCCC_VERSION SmcOptions SmcResult VersionCtx
  `),
  'Relation': words(`
    CallOutcomes judge ModelAnswer Observed Outcomes outcomes realmCallOutcomes rmiCallOutcomes rmiStatusText
    rmiStatusValue Verdict
  `),
  'Invariants': words(`
    InvariantViolation invariantViolations showViolations transitionViolations
  `),
  'Catalogue': words(`
    Catalogue catalogue CatalogueCommand catalogueCommand CommandSpec decodeCatalogue FailureCondition
    FootprintEntry FootprintItem FootprintTarget Interface InvariantSpec Ordering OrderingRule REALM_FIELDS
    RealmField REC_FIELDS RecField RegisterField Rule RuleId statusCode StatusName SuccessCondition
  `),
  'Engine': words(`
    CheckedAll Command CommandResult Evaluation CommandTally ConditionalPost isCheckedMode Locator PostCheck PostDefinition Registers
    RuleHits setCheckedMode SpecFailure Transition
  `),
  'Errors': words(`
    InputError InternalError
  `),
};

/** Some of the internal entry's names: the kind of helper that must never be in the root. */
const NEVER_ROOT = words('defineCommand updateState withGranule withRec withRealmRecord updateRealm updateRec packMeta rttWithEntry rttMeta hex formatValidationErrors');

const src = (f: string): string => fileURLToPath(new URL(`../src/${f}`, import.meta.url));

/** The names module `file` exports (values and types), each with the `@category` tags of its declarations. */
function exportsOf(program: ts.Program, file: string): Map<string, string[]> {
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(file);
  const module = sf === undefined ? undefined : checker.getSymbolAtLocation(sf);
  if (module === undefined) throw new Error(`${file} is not a module`);
  const out = new Map<string, string[]>();
  for (const e of checker.getExportsOfModule(module)) {
    const target = e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e;
    const categories = (target.declarations ?? []).flatMap((d) =>
      ts.getJSDocTags(d).filter((t) => t.tagName.text === 'category').map((t) => ts.getTextOfJSDocComment(t.comment)?.trim() ?? ''),
    );
    out.set(e.name, categories);
  }
  return out;
}

describe('the core entry points', () => {
  const index = src('index.ts');
  const internals = src('internal.ts');
  const program = ts.createProgram([index, internals], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
  });
  const rootNames = exportsOf(program, index);
  const internalNames = exportsOf(program, internals);
  const pinned = new Map(Object.entries(ROOT).flatMap(([category, names]) => names.map((n) => [n, category] as const)));

  it('the root exports exactly the reviewed names', () => {
    expect([...rootNames.keys()].sort()).toEqual([...pinned.keys()].sort());
  });

  it('every root name is documented in the category it is pinned under (and in no other)', () => {
    const wrong = [...rootNames].filter(([name, categories]) => categories.length === 0 || categories.some((c) => c !== pinned.get(name)));
    expect(wrong).toEqual([]);
  });

  it('no internal helper is in the root, and none is documented with a category', () => {
    expect([...internalNames.keys()].filter((n) => rootNames.has(n))).toEqual([]);
    expect(NEVER_ROOT.filter((n) => !internalNames.has(n))).toEqual([]);
    expect([...internalNames].filter(([, categories]) => categories.length > 0).map(([n]) => n)).toEqual([]);
  });

  it('the modules load with the same names at run time (values only: types leave no trace)', () => {
    const values = Object.keys(root);
    expect(values.filter((n) => !pinned.has(n))).toEqual([]);
    expect(Object.keys(internal).filter((n) => n in root)).toEqual([]);
    expect(values).toContain('smc');
    expect(Object.keys(internal)).toContain('defineCommand');
  });

  it("the README's library example imports root names only (test/pack.test.ts runs it from the tarballs)", () => {
    const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
    const example = /^## Library\n[\s\S]*?^```ts\n([\s\S]*?)^```/m.exec(readme)?.[1] ?? '';
    const imports = [...example.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'(@realmspec\/[^']+)'/g)];
    expect(imports.map((m) => m[2])).toEqual(['@realmspec/core']);
    const names = imports.flatMap((m) => (m[1] as string).split(',').map((n) => n.trim().replace(/^type\s+/, '')));
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => !pinned.has(n))).toEqual([]);
  });
});
