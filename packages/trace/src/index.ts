/**
 * The realmspec trace format, version 1: decode a recorded trace of Host SMCs, memory accesses
 * and Realm steps, replay it against the model, and report step by step.
 *
 * @packageDocumentation
 */
export { parseTrace, type LineError, type Step, type Trace, type RealmAction, type RealmCall } from './parse.js';
export { runTrace, type ReplayResult, type ReplayOptions, type StepOutcome, type Shown } from './run.js';
export { closingLine, describeStep, exitCodeOf, ExitCode, jsonReport, malformedReport, tallyReport, textReport } from './report.js';
export { RmiStatusName, RealmStatusName, closed, structCodec, RmiExpect, RealmExpect, ExitExpect } from './codec.js';
