/**
 * Drivers as the harness sees them (`../shared/contracts/driver-v1.md`): a process run as
 * `CMD... IN.jsonl -o OUT.jsonl` on a fresh implementation per run, or the model (or a mutant)
 * in-process. The platform and limits come from a header-only run. A driver's OUT file is
 * checked line for line against IN: a step missing, added, or answering another step is a
 * protocol error naming the driver, the run and the step.
 *
 * @packageDocumentation
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeTrace, fileLines, headerLine, stepLine, type Limits, type Step } from '@realmspec/trace';
import { functionId, type Platform } from '@realmspec/core';
import { answerSteps, type Impl } from './impl.js';
import type { Setting } from './gen/world.js';
import { replayStart } from '@realmspec/trace';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What one driver run gave. */
export type DriverResult =
  /** OUT written: one answered step per step of IN. */
  | { readonly kind: 'answers'; readonly steps: readonly Step[] }
  /** Exit status 2: the driver cannot express this trace (`IN:LINE: reason`). Not a finding. */
  | { readonly kind: 'cannot'; readonly reason: string }
  /** Another exit status, or a signal: the driver or the implementation failed. */
  | { readonly kind: 'failed'; readonly status: string; readonly stderr: string }
  /** No exit within the per-run timeout (the driver was killed). */
  | { readonly kind: 'timeout'; readonly ms: number }
  /** OUT is missing, malformed, or does not answer IN line for line. */
  | { readonly kind: 'protocol'; readonly problems: readonly string[] };

/** A driver: learns its setting once, then runs traces. */
export interface Driver {
  /** How reports name it (the command line). */
  readonly name: string;
  /** The platform and limits the implementation declares (a header-only run); a string says why it could not be learned. */
  setting(): Promise<Setting | string>;
  /** Runs `steps` (run number `run`) on a fresh implementation. */
  run(run: number, setting: Setting, steps: readonly Step[]): Promise<DriverResult>;
}

// -------------------------------------------------------------------------------------
// in-process
// -------------------------------------------------------------------------------------

/** The model or a mutant as a driver, in-process: no files, no processes. */
export class InProcessDriver implements Driver {
  /** @param name how reports name it @param impl the implementation @param platform its platform @param limits what it can express */
  constructor(
    readonly name: string,
    private readonly impl: Impl,
    private readonly platform: Platform,
    private readonly limits: Limits = {},
  ) {}

  /** The platform and limits given to the constructor. */
  async setting(): Promise<Setting> {
    return { platform: this.platform, limits: this.limits };
  }

  /** Answers the steps at once. */
  async run(_run: number, setting: Setting, steps: readonly Step[]): Promise<DriverResult> {
    return this.runSync(setting, steps);
  }

  /** {@link run}, synchronously (the in-process fast path). */
  runSync(setting: Setting, steps: readonly Step[]): DriverResult {
    return { kind: 'answers', steps: answerSteps(this.impl, replayStart(setting.platform), steps) };
  }
}

// -------------------------------------------------------------------------------------
// processes
// -------------------------------------------------------------------------------------

/** Splits a command line as a shell would split words (quotes and backslashes; nothing is expanded). */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quote !== undefined) throw new Error(`unterminated ${quote} in the driver command`);
  if (inWord) words.push(cur);
  return words;
}

/** The most bytes of a driver's standard error kept for a report. */
const STDERR_MAX = 4096;

/** Runs `argv` with a timeout; resolves with its exit status (or `timeout`) and the start of its standard error. */
function runProcess(argv: readonly string[], timeoutMs: number): Promise<{ status: number | string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    let stderr = '';
    let timedOut = false;
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < STDERR_MAX) stderr += d.toString('utf8').slice(0, STDERR_MAX - stderr.length);
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ status: `cannot be started: ${e.message}`, stderr, timedOut: false });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ status: code ?? `killed by ${signal ?? 'a signal'}`, stderr: stderr.trim(), timedOut });
    });
  });
}

/** Why OUT step `out` does not answer IN step `sent`, if it does not. */
function mismatch(sent: Step, out: Step): string | undefined {
  if (sent.kind !== out.kind) return `a ${out.kind} step answers a ${sent.kind} step`;
  if (sent.kind === 'rmi' && out.kind === 'rmi') {
    if (functionId(sent.fid) !== functionId(out.fid)) return `FID 0x${out.fid.toString(16)} answers FID 0x${sent.fid.toString(16)}`;
    const n = Math.max(sent.args.length, out.args.length);
    for (let k = 0; k < n; k++) if ((sent.args[k] ?? 0n) !== (out.args[k] ?? 0n)) return `X${k + 1} is 0x${(out.args[k] ?? 0n).toString(16)}, IN has 0x${(sent.args[k] ?? 0n).toString(16)}`;
    if ((sent.realm?.length ?? 0) !== (out.realm?.length ?? 0)) return `${out.realm?.length ?? 0} realm steps answer ${sent.realm?.length ?? 0}`;
    return undefined;
  }
  if ((sent.kind === 'write' || sent.kind === 'read') && (out.kind === 'write' || out.kind === 'read') && sent.pa !== out.pa) return `pa 0x${out.pa.toString(16)}, IN has 0x${sent.pa.toString(16)}`;
  return undefined;
}

/** Reads and checks a driver's OUT file against the steps sent. */
export function readAnswers(outPath: string, sent: readonly Step[]): DriverResult {
  if (!existsSync(outPath)) return { kind: 'protocol', problems: ['OUT: the driver exited 0 and wrote no file'] };
  const problems: string[] = [];
  const steps: Step[] = [];
  let header = false;
  for (const item of decodeTrace(fileLines(outPath))) {
    if (item.kind === 'header') header = true;
    else if (item.kind === 'malformed') {
      for (const e of item.errors) if (problems.length < 8) problems.push(`OUT:${e.line}: ${e.message}`);
    } else {
      const k = steps.length;
      const s = sent[k];
      if (s === undefined) {
        problems.push(`OUT:${item.step.line}: a step IN does not have (IN has ${sent.length} steps)`);
        break;
      }
      const why = mismatch(s, item.step);
      if (why !== undefined && problems.length < 8) problems.push(`OUT:${item.step.line}: answers another trace: step ${k + 1} (IN line ${s.line}): ${why}`);
      steps.push({ ...item.step, line: s.line });
    }
  }
  if (!header) problems.unshift('OUT: the first line is not a header');
  if (steps.length < sent.length && problems.length === 0) problems.push(`OUT: ${steps.length} answers for ${sent.length} steps: step ${steps.length + 1} (IN line ${sent[steps.length]?.line ?? '?'}) has none`);
  return problems.length > 0 ? { kind: 'protocol', problems } : { kind: 'answers', steps };
}

/** Options of a {@link ProcessDriver}. */
export interface ProcessOptions {
  /** Where IN and OUT files go (kept for a failed run, removed otherwise). */
  readonly dir: string;
  /** The per-run timeout. */
  readonly timeoutMs: number;
}

/** A driver that is a command, run once per trace (driver contract, "Invocation"). */
export class ProcessDriver implements Driver {
  /** The command line, as given. */
  readonly name: string;
  private readonly argv: readonly string[];

  /** @param command the driver command line (split like a shell would) @param options where files go, and the timeout */
  constructor(
    command: string,
    private readonly options: ProcessOptions,
  ) {
    this.name = command;
    this.argv = splitCommand(command);
    if (this.argv.length === 0) throw new Error('the driver command is empty');
    mkdirSync(options.dir, { recursive: true });
  }

  private paths(run: number | string): [string, string] {
    return [join(this.options.dir, `run-${run}.in.jsonl`), join(this.options.dir, `run-${run}.out.jsonl`)];
  }

  /** Runs a trace that holds only a header, and reads the platform and limits from OUT's header. */
  async setting(): Promise<Setting | string> {
    const [inPath, outPath] = this.paths('header');
    writeFileSync(inPath, '{"trace": "realmspec/1"}\n');
    const r = await runProcess([...this.argv, inPath, '-o', outPath], this.options.timeoutMs);
    if (r.timedOut) return `the header-only run did not end within ${this.options.timeoutMs} ms`;
    if (r.status !== 0) return `the header-only run exited ${r.status}${r.stderr !== '' ? `: ${r.stderr.split('\n')[0] ?? ''}` : ''}`;
    if (!existsSync(outPath)) return 'the header-only run wrote no OUT file';
    for (const item of decodeTrace(fileLines(outPath))) {
      rmSync(inPath, { force: true });
      rmSync(outPath, { force: true });
      if (item.kind === 'header') return { platform: item.platform, limits: item.limits ?? {} };
      return item.kind === 'malformed' ? `OUT:${item.line}: ${item.errors[0]?.message ?? 'malformed'}` : 'OUT: the first line is not a header';
    }
    return 'OUT of the header-only run is empty';
  }

  /** Writes IN, runs the driver, reads OUT. Files of a run that gave answers are removed. */
  async run(run: number, setting: Setting, steps: readonly Step[]): Promise<DriverResult> {
    const [inPath, outPath] = this.paths(run);
    rmSync(outPath, { force: true });
    writeFileSync(inPath, [headerLine(setting.platform), ...steps.map((s) => stepLine(s, null))].join('\n') + '\n');
    const r = await runProcess([...this.argv, inPath, '-o', outPath], this.options.timeoutMs);
    let result: DriverResult;
    if (r.timedOut) result = { kind: 'timeout', ms: this.options.timeoutMs };
    else if (r.status === 2) result = { kind: 'cannot', reason: r.stderr.split('\n')[0] ?? '' };
    else if (r.status !== 0) result = { kind: 'failed', status: typeof r.status === 'number' ? `exit status ${r.status}` : r.status, stderr: r.stderr };
    else result = readAnswers(outPath, steps);
    if (result.kind === 'answers' || result.kind === 'cannot') {
      rmSync(inPath, { force: true });
      rmSync(outPath, { force: true });
    }
    return result;
  }
}
