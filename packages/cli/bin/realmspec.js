#!/usr/bin/env node
// The `realmspec` command: runs the built CLI (dist/main.js). Plain JavaScript and committed, so
// that npm links it at install time, before anything is built.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('realmspec: not built yet: run npm run build (in the realmspec repository)\n');
  process.exit(2);
}
await import(main.href);
