/**
 * The realmspec conformance harness: generates Host and Realm step sequences, runs them on an
 * RMM implementation through a driver (`../shared/contracts/driver-v1.md`), judges every answer
 * against the spec's permitted outcomes, and shrinks each distinct divergence to a trace that
 * `realmspec replay` reproduces.
 *
 * @packageDocumentation
 */
export { answerStep, answerSteps, bare, crashed, modelImpl, modelImplWith, readExit, type EnterAnswer, type ExitRecord, type Impl, type RmiAnswer } from './impl.js';
export { mutants, mutantById, implOf, type Mutant, type MutantArea, type MutantKind } from './mutants/index.js';
export { build, builtOf, type Built } from './gen/build.js';
export { opArbitrary, runArbitrary, buildScript, plainOp, HOST_OPS, REALM_OPS, type Op, type RealmOp, type Pick, type HostOpName } from './gen/ops.js';
export { POOL, HOST, type Setting } from './gen/world.js';
export { judgeRun, sameAnswer, classify, commandName, type Divergence, type DivergenceKind, type Judgement, type JudgeOptions } from './judge.js';
export { campaign, type CampaignOptions, type CampaignResult, type Finding, type Progress } from './campaign.js';
export { InProcessDriver, ProcessDriver, readAnswers, splitCommand, type Driver, type DriverResult, type ProcessOptions } from './driver.js';
export { modelDriver, modelDriverPlatform, beyondLimits, MODEL_LIMITS, type ModelDriverOptions } from './model-driver.js';
export { observe, groupKey, answeredPrefix, couldShow, type FindingKind, type Observation } from './observe.js';
export { findingTrace, findingJson, coverageTotals, summaryJson, summaryLines, type CoverageTotals, type FindingContext } from './report.js';
export { decodeWaivers, readWaivers, noWaivers, WaiversFile, type Waivers } from './waivers.js';
