// The rule catalogue as raw data. Decoding and validation happen in @realmspec/core
// (packages/core/src/catalogue), which is the only reader of this package.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The interface folders, in catalogue order. */
export const folders = ['rmi', 'rsi', 'psci'];

/**
 * Every command file of the catalogue, in folder order then file-name order.
 * A file that is not valid JSON is reported with its path and left to the decoder.
 */
export function rawCatalogue() {
  const out = [];
  for (const folder of folders) {
    const files = readdirSync(join(root, folder)).filter((f) => f.endsWith('.json')).sort();
    for (const f of files) {
      const path = `${folder}/${f}`;
      const text = readFileSync(join(root, folder, f), 'utf8');
      let data;
      try {
        data = JSON.parse(text);
      } catch (e) {
        data = { __parseError: String(e instanceof Error ? e.message : e) };
      }
      out.push({ path, data });
    }
  }
  return out;
}

/**
 * The state invariants of the catalogue (`invariants.json`), undecoded, or `{ __parseError }`
 * when the file is not JSON.
 */
export function rawInvariants() {
  const text = readFileSync(join(root, 'invariants.json'), 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    return { __parseError: String(e instanceof Error ? e.message : e) };
  }
}
