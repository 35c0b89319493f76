/**
 * Vitest global setup: builds the packages (`npm run build`: `tsc -b` and the CLI's example
 * copies and the driver bundle) once before any test, so that tests which spawn the `realmspec` executable or pack the
 * packages run the current sources, never a stale build. A no-op when the build is up to date.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Builds every package. */
export default function setup(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', 'packages/cli'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, ['packages/cli/scripts/copy-examples.js'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, ['packages/cli/scripts/bundle-driver.js'], { cwd: root, stdio: 'inherit' });
}
