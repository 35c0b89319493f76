/**
 * The realmspec command line as a library: {@link run} takes the arguments and returns what to
 * print and the exit code, without touching the process.
 *
 * @packageDocumentation
 */
export { run, USAGE } from './cli.js';
export { emit, badInput, type Outcome } from './output.js';
export { replay, replayFile, type ReplayOptions } from './commands/replay.js';
export { startScenario, stepLines, type StartOptions } from './commands/start.js';
export { attest, claimLines, parseChallenge, DEFAULT_IAK_FILE, DEFAULT_TOKEN_FILE, type AttestOptions } from './commands/attest.js';
