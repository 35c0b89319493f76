// realmspec conform benchmark (`npm run bench:conform`, after a build). Measures, and prints as it goes:
//  - detection: for every mutant, the harness with its default settings (2 workers, 10 s per-run
//    timeout, 60 operations per run, default shrink budget) against `realmspec driver --mutant ID`
//    run as a separate process: seconds to the first run that shows the mutant, seconds to the
//    shrunk finding, and the shrunk trace's length; up to --budget seconds (default 60) each;
//  - the clean driver: findings in a run of --clean seconds (default 600);
//  - throughput: generated and judged steps/s with the model in-process (1 process, and 2
//    processes at once on the 2 cores), and through the process driver with 1 and 2 workers.
//  - with --in-process (and --only detection): detection with each mutant in-process, in generated runs
//    to the first run that shows it, up to --max-runs (default 400, about what the process driver
//    runs in 60 s): what generation alone decides, whatever the machine's load.
// Options: --only detection|clean|throughput, --mutants a,b,c, --budget S, --clean S, --seed N, --json FILE,
// --in-process, --max-runs N.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const { campaign, implOf, InProcessDriver, ProcessDriver, MODEL_LIMITS, modelDriverPlatform, modelImpl, mutants } = await import('../packages/conformance/dist/index.js');

const args = process.argv.slice(2);
/** CPU seconds of this process and of its children that exited (Linux /proc; USER_HZ 100): load-independent cost. */
const cpuSeconds = () => {
  const self = process.cpuUsage();
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (self.user + self.system) / 1e6 + (Number(f[13]) + Number(f[14])) / 100;
};
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const cli = fileURLToPath(new URL('../packages/cli/bin/realmspec.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'realmspec-bench-conform-'));
const seed = Number(opt('seed', '20261206'));
const only = opt('only', undefined);
const results = { seed, detection: [], clean: undefined, throughput: {} };
const save = () => {
  const f = opt('json', undefined);
  if (f !== undefined) writeFileSync(f, JSON.stringify(results, null, 1) + '\n');
};
const driverOf = (id, sub) => new ProcessDriver(`${process.execPath} ${cli} driver${id ? ` --mutant ${id}` : ''}`, { dir: join(dir, sub), timeoutMs: 10_000 });

async function settingOf(d) {
  const s = await d.setting();
  if (typeof s === 'string') throw new Error(s);
  return s;
}

if (args[0] === '--in-process-child') {
  // One in-process campaign of the clean model, for the 2-process throughput measurement.
  const platform = modelDriverPlatform(1);
  const c0 = cpuSeconds();
  const r = await campaign({ driver: new InProcessDriver('model', modelImpl, platform, MODEL_LIMITS), setting: { platform, limits: MODEL_LIMITS }, seed: Number(args[1]), timeMs: Number(args[2]) * 1000 });
  process.stdout.write(JSON.stringify({ steps: r.steps, runs: r.runs, ms: r.elapsedMs, cpu: cpuSeconds() - c0, findings: r.groups.length }) + '\n');
  process.exit(0);
}

if (only === undefined || only === 'throughput') {
  const secs = Number(opt('seconds', '20'));
  const child = (k) =>
    new Promise((resolve) => {
      let out = '';
      const c = spawn(process.execPath, [fileURLToPath(import.meta.url), '--in-process-child', String(seed + k), String(secs)], { stdio: ['ignore', 'pipe', 'inherit'] });
      c.stdout.on('data', (d) => (out += d));
      c.on('close', () => resolve(JSON.parse(out)));
    });
  const one = await child(0);
  const rate = (r) => Math.round(r.steps / (r.ms / 1000));
  console.log(`load average ${load()}`);
  console.log(`in-process, 1 process:   ${rate(one).toLocaleString('en')} steps/s generated and judged (wall), ${Math.round(one.steps / one.cpu).toLocaleString('en')} steps per CPU second (${one.runs} runs in ${secs} s, ${one.findings} findings)`);
  const two = await Promise.all([child(1), child(2)]);
  const sum = two.reduce((a, r) => a + rate(r), 0);
  console.log(`in-process, 2 processes: ${sum.toLocaleString('en')} steps/s together (wall; ${two.map(rate).join(' + ')}), ${two.map((r) => Math.round(r.steps / r.cpu)).join(' + ')} steps per CPU second`);
  results.throughput.inProcess = { one: rate(one), oneCpu: one.steps / one.cpu, two: sum, twoCpu: two.map((r) => r.steps / r.cpu) };
  for (const workers of [1, 2]) {
    const d = driverOf(undefined, `tp${workers}`);
    const c0 = cpuSeconds();
    const r = await campaign({ driver: d, setting: await settingOf(d), seed, timeMs: 30_000, workers });
    const cpu = cpuSeconds() - c0;
    const line = `process driver, ${workers} worker(s): ${rate({ steps: r.steps, ms: r.elapsedMs })} steps/s, ${(r.runs / (r.elapsedMs / 1000)).toFixed(2)} runs/s wall; ${(cpu / r.runs).toFixed(3)} CPU s per run, ${Math.round(r.steps / cpu)} steps per CPU second (${r.runs} runs, ${r.groups.length} findings; load ${load()})`;
    console.log(line);
    results.throughput[`process${workers}`] = { stepsPerSecond: rate({ steps: r.steps, ms: r.elapsedMs }), runsPerSecond: r.runs / (r.elapsedMs / 1000), cpuPerRun: cpu / r.runs };
  }
  save();
}

if (only === 'detection' && args.includes('--in-process')) {
  const maxRuns = Number(opt('max-runs', '400'));
  const wanted = opt('mutants', undefined)?.split(',');
  const list = mutants.filter((m) => (wanted === undefined ? m.permitted !== true : wanted.includes(m.id)));
  const platform = modelDriverPlatform(1);
  const setting = { platform, limits: MODEL_LIMITS };
  console.log(`in-process detection: ${list.length} mutants, up to ${maxRuns} runs each, seed ${seed}`);
  for (const m of list) {
    let runs = 0;
    let at;
    const r = await campaign({ driver: new InProcessDriver(m.id, implOf(m.id), platform, MODEL_LIMITS), setting, seed, runs: maxRuns, workers: 2, stopAtFirst: true, coverageEvery: 0, onProgress: (p) => (runs = p.runs), onDetect: () => (at ??= runs + 1) });
    const f = r.groups.find((g) => g.waived === undefined);
    const row = { id: m.id, found: f !== undefined, runs: f ? at : null, steps: f ? f.steps.shrunk : null, group: f ? f.group : null };
    results.detection.push(row);
    console.log(`${m.id.padEnd(36)} ${f ? `found at run ${at}, ${f.steps.original} -> ${f.steps.shrunk} steps  ${f.group}` : `NOT FOUND in ${maxRuns} runs`}`);
    save();
  }
  const found = results.detection.filter((x) => x.found);
  const lengths = found.map((x) => x.steps).sort((a, b) => a - b);
  console.log(`found ${found.length}/${list.length} within ${maxRuns} runs; median shrunk length ${lengths[Math.floor((lengths.length - 1) / 2)] ?? null} steps`);
  save();
} else if (only === undefined || only === 'detection') {
  const budget = Number(opt('budget', '60'));
  const wanted = opt('mutants', undefined)?.split(',');
  const list = mutants.filter((m) => (wanted === undefined ? m.permitted !== true : wanted.includes(m.id)));
  console.log(`detection: ${list.length} mutants, up to ${budget} s each, seed ${seed}`);
  for (const m of list) {
    const d = driverOf(m.id, m.id);
    const c0 = cpuSeconds();
    let detect;
    const r = await campaign({ driver: d, setting: await settingOf(d), seed, timeMs: budget * 1000, workers: 2, stopAtFirst: true, onDetect: (_o, ms) => (detect ??= { ms, cpu: cpuSeconds() - c0, runs: undefined }) });
    const cpu = cpuSeconds() - c0;
    const f = r.groups.find((g) => g.waived === undefined);
    const row = { id: m.id, area: m.area, kind: m.kind, found: f !== undefined, detectS: f ? f.foundAtMs / 1000 : null, detectCpuS: f && detect ? detect.cpu : null, reportS: f ? (f.foundAtMs + f.shrinkMs) / 1000 : null, reportCpuS: f ? cpu : null, steps: f ? f.steps.shrunk : null, original: f ? f.steps.original : null, group: f ? f.group : null, runs: r.runs, load: load() };
    results.detection.push(row);
    console.log(`${m.id.padEnd(36)} ${f ? `found ${row.detectS.toFixed(1)} s (${row.detectCpuS?.toFixed(1)} CPU s), shrunk at ${row.reportS.toFixed(1)} s (${cpu.toFixed(1)} CPU s), ${row.original} -> ${row.steps} steps  ${row.group}` : `NOT FOUND in ${budget} s (${r.runs} runs, ${cpu.toFixed(1)} CPU s)`}  load ${row.load}`);
    save();
  }
  const found = results.detection.filter((x) => x.found && x.detectS <= budget);
  const lengths = found.map((x) => x.steps).sort((a, b) => a - b);
  const median = lengths.length === 0 ? null : lengths[Math.floor((lengths.length - 1) / 2)];
  console.log(`found ${found.length}/${list.length} (${Math.round((100 * found.length) / Math.max(1, list.length))}%) within ${budget} s; median shrunk length ${median} steps`);
  save();
}

if (only === undefined || only === 'clean') {
  const secs = Number(opt('clean', '600'));
  const d = driverOf(undefined, 'clean');
  const r = await campaign({ driver: d, setting: await settingOf(d), seed, timeMs: secs * 1000, workers: 2 });
  results.clean = { seconds: secs, runs: r.runs, steps: r.steps, findings: r.groups.map((g) => g.group) };
  console.log(`clean driver: ${r.groups.length} findings in ${secs} s (${r.runs} runs, ${r.steps} steps)${r.groups.map((g) => `\n  ${g.group}`).join('')}`);
  save();
}
