// npm run bench:explore: realmspec explore on the configurations of proofs/configs, per
// configuration and mode: distinct states, transitions, depth, time, states/min, peak RSS.
// Modes: every check (the default of `realmspec explore`) and no checks (enumeration only), in one
// thread and in two worker threads.
// Usage: node --expose-gc bench/explore.js [CONFIG-NAME...] [--quick] [--max-states N]
//   [--workers 1,2] [--symmetry only|both] [--checks all|none|both]
// (default: every configuration of proofs/configs, symmetry on, both check modes, 1 and 2 workers)
// States and transitions are deterministic (for a run that is not bounded by --max-states, or with
// one thread); times depend on the machine and its load (cpuSeconds: the process's CPU time).
import { readdirSync, readFileSync } from 'node:fs';
import { buildSetup, explore, parseConfig } from '../packages/explore/dist/index.js';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
const quick = args.includes('--quick');
const maxStates = opt('--max-states') === undefined ? undefined : Number(opt('--max-states'));
const workerList = (opt('--workers') ?? (quick ? '1' : '1,2')).split(',').map(Number);
// Without symmetry most configurations are far larger: only on request (with --max-states).
const symmetries = opt('--symmetry') === 'both' ? [true, false] : [true];
const checkModes = opt('--checks') ?? 'both';
const valued = new Set(['--max-states', '--workers', '--symmetry', '--checks']);
const names = args.filter((a, i) => !a.startsWith('--') && !valued.has(args[i - 1]));
const configs = names.length > 0 ? names : readdirSync(new URL('../proofs/configs/', import.meta.url)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
const cpuSeconds = (u) => (u.user + u.system) / 1e6;
const NONE = { checked: false, permitted: false, invariants: false, teardown: false };
const rows = [];
for (const name of configs) {
  const file = new URL(`../proofs/configs/${name}.json`, import.meta.url);
  const c = parseConfig(readFileSync(file, 'utf8'), name);
  if (c._tag === 'Left') throw new Error(c.left.join('\n'));
  const modes = checkModes === 'all' ? [c.right.checks] : checkModes === 'none' ? [NONE] : [c.right.checks, NONE];
  for (const symmetry of symmetries) {
    for (const checks of modes) {
      for (const workers of workerList) {
        globalThis.gc?.();
        const setup = buildSetup({ ...c.right, symmetry, checks });
        if (setup._tag === 'Left') throw new Error(setup.left.join('\n'));
        const cpu0 = process.cpuUsage();
        const { result: r } = await explore(setup.right, { workers, coverage: checks !== NONE, ...(maxStates !== undefined ? { maxStates } : {}) });
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
          // CPU time of the process (every thread): less sensitive to a shared machine than wall time.
          cpuSeconds: +(cpuSeconds(process.cpuUsage(cpu0))).toFixed(2),
          statesPerCpuMin: Math.round((r.states / cpuSeconds(process.cpuUsage(cpu0))) * 60),
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
