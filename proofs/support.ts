/**
 * Loading the exploration configurations of `proofs/configs/` for the pinned-count tests.
 */
import { readFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import { buildSetup, parseConfig, type Config, type Setup } from '@realmspec/explore';

/** The configuration `proofs/configs/NAME.json`, with `patch` applied, built. */
export function loadSetup(name: string, patch: Partial<Config> = {}): Setup {
  const file = new URL(`./configs/${name}.json`, import.meta.url);
  const c = parseConfig(readFileSync(file, 'utf8'), `${name}.json`);
  if (E.isLeft(c)) throw new Error(c.left.join('\n'));
  const s = buildSetup({ ...c.right, ...patch });
  if (E.isLeft(s)) throw new Error(s.left.join('\n'));
  return s.right;
}
