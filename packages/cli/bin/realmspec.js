#!/usr/bin/env node
// The `realmspec` command: runs the built CLI (dist/main.js). Plain JavaScript and committed, so
// that npm links it at install time, before anything is built.
//
// `realmspec driver IN -o OUT` (a run, not --list-mutants) runs from dist/driver.bundle.mjs, a
// one-file bundle of the driver that starts faster (scripts/bundle-driver.js), unless a package it
// bundles was rebuilt after it (in the repository: a newer dist/.tsbuildinfo), when the CLI's
// modules run it instead.
import { existsSync, readdirSync, statSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('realmspec: not built yet: run npm run build (in the realmspec repository)\n');
  process.exit(2);
}

/** Whether the driver bundle exists and no package's build is newer than it. */
function bundleFresh(bundle) {
  let t;
  try {
    t = statSync(bundle).mtimeMs;
  } catch {
    return false;
  }
  const packages = new URL('../../', import.meta.url);
  try {
    for (const p of readdirSync(packages)) {
      try {
        if (statSync(new URL(`${p}/dist/.tsbuildinfo`, packages)).mtimeMs > t) return false;
      } catch {
        // not a package of the repository, or not built: nothing to compare
      }
    }
  } catch {
    // no sibling packages to compare with
  }
  return true;
}

const bundle = new URL('../dist/driver.bundle.mjs', import.meta.url);
if (process.argv[2] === 'driver' && !process.argv.includes('--list-mutants') && bundleFresh(bundle)) await import(bundle.href);
else await import(main.href);
