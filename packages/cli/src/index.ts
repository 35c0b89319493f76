/**
 * The realmspec command line as a library: {@link execute} runs a command and writes to an
 * {@link Io} as it goes (streams, with backpressure); {@link run} collects what it printed and the
 * exit code, without touching the process.
 *
 * @packageDocumentation
 */
export { execute, guarded, internalErrorLine, run, defaultExamplesDir, USAGE } from './cli.js';
export { CollectingIo, StreamIo, writeLines, type Io } from './io.js';
export { badInput, DEFAULT_IAK_FILE, DEFAULT_TOKEN_FILE, ExitStatus, fsReason, writeOutcome, type Outcome } from './output.js';
export { replay, replayFile, type ReplayOptions, type Totals } from './commands/replay.js';
export { startScenario, stepLines, type StartOptions } from './commands/start.js';
export { attest, claimLines, parseChallenge, type AttestOptions } from './commands/attest.js';
