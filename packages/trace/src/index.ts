/**
 * The realmspec trace format, version 1: decode recorded traces of Host SMCs, memory accesses
 * and Realm steps, replay them against the model, and report step by step. Files of any length
 * decode and replay in bounded memory ({@link fileLines}, {@link decodeTrace}, {@link replaySteps}).
 *
 * @packageDocumentation
 */
export { parseTrace, decodeTrace, MAX_DEPTH, MAX_LINE_ERRORS, type LineError, type Step, type Trace, type TraceItem, type RealmAction, type RealmCall } from './parse.js';
export { fileChunks, fileLines, splitLines, textLines, MAX_LINE_BYTES, type RawLine } from './lines.js';
export { decodePlatformHeader, features0Problems, PlatformHeaderCodec, MAX_RANGES } from './header.js';
export { runTrace, replaySteps, replayStep, replayStart, crashOf, type ReplayResult, type ReplayOptions, type StepOutcome, type Shown } from './run.js';
export { closingLine, describeStep, exitCodeOf, ExitCode, jsonLine, jsonReport, malformedReport, ReplayTally, tallyReport, textLine, textReport } from './report.js';
export { RmiStatusName, RealmStatusName, boundedArray, closed, structCodec, RmiExpect, RealmExpect, ExitExpect, U64, MAX_HEX_BYTES, MAX_OUT, MAX_REALM_STEPS, MAX_CRASH_TEXT, CrashText, LimitsCodec, type Limits } from './codec.js';
export { commentLines, exitExpectOf, expectJson, headerLine, platformJson, realmActionJson, realmExpectOf, rmiExpectOf, stepJson, stepLine, toJson, type AnyExpect, type Json } from './write.js';
