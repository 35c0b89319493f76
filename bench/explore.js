// npm run bench:explore: realmspec explore on the configurations of proofs/configs, per
// configuration and mode: distinct states, transitions, depth, time, states/min, peak RSS.
// Modes: every check (the default of `realmspec explore`) and no checks (enumeration only), in one
// thread and in two worker threads. Usage: node bench/explore.js [CONFIG-NAME...] [--quick]
import { readFileSync } from 'node:fs';
import { buildSetup, explore, parseConfig } from '../packages/explore/dist/index.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const names = args.filter((a) => !a.startsWith('--'));
const configs = names.length > 0 ? names : ['lifecycle-4', 'rtt-data-enter'];
const NONE = { checked: false, permitted: false, invariants: false, teardown: false };
const rows = [];
for (const name of configs) {
  const file = new URL(`../proofs/configs/${name}.json`, import.meta.url);
  const c = parseConfig(readFileSync(file, 'utf8'), name);
  if (c._tag === 'Left') throw new Error(c.left.join('\n'));
  for (const symmetry of [true, false]) {
    for (const checks of [c.right.checks, NONE]) {
      for (const workers of quick ? [1] : [1, 2]) {
        const setup = buildSetup({ ...c.right, symmetry, checks });
        if (setup._tag === 'Left') throw new Error(setup.left.join('\n'));
        const { result: r } = await explore(setup.right, { workers, coverage: checks !== NONE });
        const row = {
          config: name,
          symmetry,
          checks: checks === NONE ? 'none' : 'all',
          workers,
          states: r.states,
          transitions: r.transitions,
          depth: r.depth,
          bounded: r.bounded,
          seconds: +(r.ms / 1000).toFixed(2),
          statesPerMin: Math.round((r.states / r.ms) * 60_000),
          transitionsPerSec: Math.round((r.transitions / r.ms) * 1000),
          peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
          violation: r.violation?.check,
        };
        rows.push(row);
        console.log(JSON.stringify(row));
      }
    }
  }
}
console.table(rows);
