/**
 * realmspec EL3: the EL3 monitor of an Arm CCA platform as pure functions over an immutable
 * state. It owns the Granule Protection Table (GPI values in the Arm ARM's encodings, with the
 * lookup the memory model's granule protection check uses), performs the granule transitions
 * the RMM asks for through the RMM-EL3 interface, routes SMCs by function id and calling world,
 * switches worlds, and hands the RMM the attestation key and platform token from the HES.
 *
 * @example
 * ```ts
 * import { bootEl3, gtsiDelegate, gpiAt, Gpi } from '@realmspec/el3';
 * import { defaultPlatform } from '@realmspec/core';
 * const el3 = bootEl3({ platform: defaultPlatform });
 * const r = gtsiDelegate(el3, 0x8000_0000n);      // RMM_GTSI_DELEGATE
 * gpiAt(r.el3.gpt, 0x80000) === Gpi.REALM;        // true
 * ```
 *
 * @packageDocumentation
 */
export { Gpi, gpiName, isGpi, gpiOfCoreGpt, coreGptOfGpi } from './gpi.js';
export { PPS_WIDTHS, ppsFor, makeGpt, layoutGpi, inPps, gpiAt, gptLookup, gptChanges, withGpi, type Gpt, type GptRegion, type GptLookup } from './gpt.js';
export { World, worldName, bootCpus, switchWorld, type Cpu } from './world.js';
export { bootEl3, type El3State, type El3Config, type RootOfTrust } from './state.js';
export {
  RmmEl3Fid,
  rmmEl3FidName,
  RmmEl3Status,
  rmmEl3StatusName,
  ECC_SECP384R1,
  statusRegister,
  gtsiDelegate,
  gtsiUndelegate,
  attestGetRealmKey,
  attestGetPlatToken,
  rmiReqComplete,
  rmmEl3Smc,
  type RmmEl3Result,
} from './rmm-el3.js';
export {
  El3Fid,
  EL3_SMCCC_VERSION,
  EL3_PSCI_VERSION,
  isRmiFid,
  isRmmEl3Fid,
  routeSmc,
  el3Service,
  el3SwitchWorld,
  el3Smc,
  type SmcRoute,
  type RmmHandler,
  type El3SmcResult,
} from './smc.js';
export { gptDisagreements, gptChangedGranules, gptDisagreementsSince, describeDisagreement, type GptDisagreement } from './crosscheck.js';
