/**
 * realmspec machine: a whole Arm CCA machine to drive from tests. It composes the RMM model
 * (`@realmspec/core`), the EL3 monitor (`@realmspec/el3`), the hardware memory model
 * (`@realmspec/memory`) and the HES (`@realmspec/hes`) with CPUs and a Normal-world Host whose API
 * launches and runs Realms the way a VMM such as kvmtool does. Every Host API call validates its
 * input and returns `Either<HostError, [machine, result]>`; machines are immutable values, and
 * after every SMC the EL3 GPT is checked against the RMM model's view of it.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js';
 * import { bootMachine, launchRealm, runRealm, demoKernel, rsi } from '@realmspec/machine';
 * const [m0] = E.getOrElseW(() => { throw new Error('boot'); })(bootMachine());
 * const launched = launchRealm(m0, { kernel: demoKernel(), recs: 1 });
 * if (E.isRight(launched)) {
 *   const [m1, realm] = launched.right;
 *   runRealm(m1, { rd: realm.realm.rd, script: [rsi.version()] });
 * }
 * ```
 *
 * @packageDocumentation
 */
export type { Machine, HostState, HostRealm, HostRec, SharedPage, ImagePlacement } from './state.js';
export { hostRealm } from './state.js';
export { bootMachine, type MachineOptions, type BootReport } from './boot.js';
export { describeHostError, type HostError, type HostResult, type DecodeError, type InvalidError, type RmiError, type HostMemoryError, type OutOfMemoryError } from './errors.js';
export { Address, Size, Index, Bytes, RealmCallCodec, RealmAccessCodec, RealmAsyncCodec, RealmWfxCodec, RealmActionCodec, RealmScriptCodec } from './codecs.js';
export { describeStep, callText, type Step, type HostSmcStep, type El3Step, type HostMemoryStep, type RealmStep, type VmmStep, type NoteStep } from './steps.js';
export { rmiResultName, realmStatusName, realmCallName, describeAction, describeExit } from './names.js';
export { effectsOf, runEffects, type PlatformEffect, type EffectsRun } from './effects.js';
export type { SmcOutcome, RecRun, RealmActionRun } from './smc.js';
export { hostSmc, hostRead, hostWrite, mapShared, unprotectedDescriptor, HostSmcCodec, MapSharedCodec, type SharedMapping } from './host.js';
export { rttGeometry, tablesFor, type RttGeometry } from './rtt.js';
export { ARM64_IMAGE_MAGIC, ARM64_HEADER_SIZE, parseArm64Image, makeArm64Image, type Arm64Image } from './kernel.js';
export { launchRealm, mpidrOfIndex, LaunchSpecCodec, type LaunchSpec, type LaunchReport } from './launch.js';
export { validateLaunch, type LaunchPlan } from './launch-plan.js';
export { runRealm, RunSpecCodec, type RunSpec, type RunReport, type RunEnd } from './run.js';
export type { RunStop, ExitDecision, VmmEffects } from './vmm.js';
export { call, doublewords, rsi, psci, store, storeReg, load, storeBytes, copy } from './program.js';
export { demoKernel, demoInitrd, DEMO } from './demo.js';
export { sharedBufferScenario, DEMO_MESSAGE, DEMO_REPLY, DEMO_CHALLENGE, type ScenarioReport, type ScenarioPhase } from './scenario.js';
export { machineViolations } from './check.js';
export { obtainAttestationToken, ATTEST_CHUNK, type AttestationRun, type AttestationOptions } from './attest.js';
