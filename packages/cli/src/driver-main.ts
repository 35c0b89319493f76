/**
 * The entry of `realmspec driver IN.jsonl -o OUT.jsonl` as `bin/realmspec.js` runs it from the
 * one-file bundle the build makes of this module (`dist/driver.bundle.mjs`): a harness starts the
 * driver once per run, and a bundle starts in less than half the CPU time of the CLI's modules
 * (one file to compile, no module resolution, no CommonJS export scanning). It runs on import,
 * like `main.ts`, with the same exit statuses; `--list-mutants` goes through `main.ts`.
 *
 * @packageDocumentation
 */
import { driver, driverArgs } from './commands/driver.js';
import { StreamIo } from './io.js';
import { badInput, exitOnUncaught, writeOutcome } from './output.js';

exitOnUncaught();

const io = new StreamIo(process.stdout, process.stderr);
const a = driverArgs(process.argv.slice(3));
const code = await writeOutcome(io, 'code' in a ? a : 'list' in a ? badInput('realmspec driver: --list-mutants: run through the CLI') : driver(a));
await io.end();
process.exitCode = code;
