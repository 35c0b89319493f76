/**
 * realmspec core internals: the helpers the other realmspec packages (machine, conformance,
 * explore, coverage, trace, ...) and the core's own tests build on, such as the state and record
 * updaters, the RTT storage encoding, the command engine's builder and the ESR constructors of
 * REC exits (DEN0137 A2, A4.3, A5.5). Not part of the public API (`@realmspec/core`): no
 * stability promise, and not in the documentation.
 *
 * @packageDocumentation
 */
export { asRegisterCommand, callWithRegisters, type DispatchTable, dispatchTable, routed } from './abi/smc.js';
export { footprintLocators, parseFootprint } from './catalogue/footprint.js';
export { mix32 } from './internal/pmap.js';
export { setRecording, takeCallerHits } from './engine/checked.js';
export { type Check, type CheckedWhenNarrowed, type CommandDefinition, defineCommand, type FailureImpl, permittedFailures } from './engine/command.js';
export { established, type Established, type Refinement } from './engine/refine.js';
export { frameViolations } from './engine/frame.js';
export { type AccessStep, realmAccess } from './exec/access.js';
export { CALL_ARG_REGS, type CallStep, realmCall } from './exec/call.js';
export { formatValidationErrors } from './internal/errors.js';
export { bits, fromInt64, GRANULE_MASK, hex, toInt64, U64_MAX } from './model/bits.js';
export { initialGranule, realmGranule } from './model/granule.js';
export { fieldOf } from './model/layout.js';
export { granuleView, wipeGranule, withGranuleBytes, ZERO_GRANULE } from './model/memory.js';
export { u64sToBytes } from './model/realm-params.js';
export { updateRealm, withMeasurement } from './model/realm.js';
export { NO_LRS, NO_TOKEN, REC_RUN_INITIAL, updateRec } from './model/rec.js';
export {
  rttEntryIndex,
  rttEntryIpa,
  rttEntryIsLive,
  rttFold,
  rttIsHomogeneous,
  rttSkipEntriesUnless,
  rttSkipEntriesWithRipas,
  rttSkipNonLiveEntries,
  rttTopIpa,
  rttUnfold,
} from './model/rtt-walk.js';
export {
  makeRtt,
  metaRipas,
  metaState,
  packedMeta,
  packMeta,
  RTT_CHUNK,
  rttAddr,
  rttAddrs,
  rttLength,
  rttMeta,
  rttMetas,
  rttWithEntry,
  rttWithRipas,
  uniformRtt,
} from './model/rtt.js';
export { updateState, withGranule, withRealmRecord, withRec } from './model/state.js';
export {
  dataAbortEsr,
  emulatableAbortView,
  esrEc,
  farView,
  instructionAbortEsr,
  permissionFault,
  protectedAbortView,
  sasOf,
  serrorEsr,
  serrorView,
  translationFault,
  unprotectedAbortView,
  wfxEsr,
  wfxView,
} from './realm/esr.js';
export { exitFields, type ExitResult, recExit } from './realm/exit.js';
export { leBytes, leValue, protectedTarget, readBytes, writeBytes } from './realm/memory.js';
