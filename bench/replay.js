// realmspec replay benchmark: `realmspec replay` on a generated trace of RMI_GRANULE_DELEGATE /
// RMI_GRANULE_UNDELEGATE pairs (a million steps by default, each with an expectation), in a child
// process so its peak RSS is the replay's alone. Prints steps per second (wall and CPU) and the
// peak RSS, for the text report and for --json.
// Run with `npm run bench:replay` (builds first), or `node bench/replay.js [STEPS]`.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (process.argv[2] === '--child') {
  // The measured run: the CLI's own entry (execute with the process streams' Io), output to /dev/null.
  const { execute, StreamIo } = await import('../packages/cli/dist/index.js');
  const { createWriteStream } = await import('node:fs');
  const sink = createWriteStream('/dev/null');
  const io = new StreamIo(sink, process.stderr);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const code = await execute(['replay', ...process.argv.slice(3)], io);
  await io.end();
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(JSON.stringify({ code, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS }) + '\n');
} else {
  const steps = Number(process.argv[2] ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'realmspec-bench-'));
  const file = join(dir, `${steps}.jsonl`);
  const fd = openSync(file, 'w');
  let chunk = '';
  for (let i = 0; i < steps; i++) {
    const pa = '0x' + (0x8000_0000 + ((i >> 1) % 65_536) * 0x1000).toString(16);
    const cmd = i % 2 === 0 ? 'RMI_GRANULE_DELEGATE' : 'RMI_GRANULE_UNDELEGATE';
    chunk += `{"op": "rmi", "cmd": "${cmd}", "args": ["${pa}"], "expect": {"status": "RMI_SUCCESS"}}\n`;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
  console.log(`trace: ${steps} steps, ${(statSync(file).size / 1e6).toFixed(1)} MB`);
  for (const flags of [[], ['--json']]) {
    const r = spawnSync(process.execPath, [new URL(import.meta.url).pathname, '--child', file, ...flags], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const m = JSON.parse(r.stdout);
    const label = `replay ${flags.join(' ') || '(text)'}`.padEnd(18);
    console.log(
      `${label} exit ${m.code}  ${(m.ms / 1000).toFixed(2)} s  ${Math.round(steps / (m.ms / 1000)).toLocaleString('en')} steps/s wall, ` +
        `${Math.round(steps / (m.cpuMs / 1000)).toLocaleString('en')} steps/s CPU  peak RSS ${(m.maxRssKb / 1024).toFixed(0)} MB`,
    );
  }
  rmSync(dir, { recursive: true, force: true });
}
