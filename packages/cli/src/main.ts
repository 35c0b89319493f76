#!/usr/bin/env node
/**
 * The `realmspec` executable.
 *
 * @packageDocumentation
 */
import { run } from './cli.js';
import { emit } from './output.js';

process.exitCode = emit(run(process.argv.slice(2)));
