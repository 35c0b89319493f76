#!/usr/bin/env node
/**
 * The `realmspec` executable: runs the CLI on the process's arguments and streams. Every failure
 * is one line on standard error: exit 2 for bad input, 1 for a finding, 70 for an internal error
 * (an exception anywhere, even outside the command's own guard). When the reader of standard
 * output goes away (`realmspec ... | head`), the run stops quietly with exit code 0.
 *
 * @packageDocumentation
 */
import { guarded } from './cli.js';
import { StreamIo } from './io.js';
import { ExitStatus, exitOnUncaught } from './output.js';

exitOnUncaught();

const io = new StreamIo(process.stdout, process.stderr);
const code = await guarded(process.argv.slice(2), io);
await io.end();
const failed = io.writeError;
if (failed !== undefined) {
  process.stderr.write(`realmspec: cannot write standard output: ${failed.message}\n`);
  process.exitCode = ExitStatus.BAD_INPUT;
} else process.exitCode = io.closed ? ExitStatus.OK : code;
