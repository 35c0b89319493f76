#!/usr/bin/env node
// Bundles `realmspec driver` (dist/driver-main.js and everything it imports but the catalogue's
// data package and Node's own modules) into one file, dist/driver.bundle.mjs, which
// bin/realmspec.js runs for a driver run. A harness starts the driver once per run; one file
// starts in well under half the CPU time of the CLI's hundred-odd modules (no module resolution,
// no CommonJS export scanning of fp-ts and io-ts). Run by the build after tsc; without rolldown
// (an install without dev dependencies) it says so and the CLI runs the driver from its modules.
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/driver-main.js', import.meta.url));
const file = fileURLToPath(new URL('../dist/driver.bundle.mjs', import.meta.url));
let rolldown;
try {
  rolldown = await import('rolldown');
} catch {
  rmSync(file, { force: true });
  process.stderr.write('bundle-driver: rolldown is not installed: realmspec driver runs from the modules\n');
  process.exit(0);
}
if (!existsSync(entry)) throw new Error(`bundle-driver: ${entry} is not built (run tsc -b first)`);
await rolldown.build({
  input: entry,
  platform: 'node',
  // The catalogue's data package reads its JSON files next to itself: it stays a module.
  external: [/^@realmspec\/spec(\/|$)/, /^node:/],
  logLevel: 'warn',
  output: { file, format: 'esm', minify: true, comments: false },
});
