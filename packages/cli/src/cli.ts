/**
 * Command-line parsing: the commands and flags of `realmspec`, validated before anything runs.
 * {@link execute} writes to an {@link Io} as it goes; {@link run} collects the lines instead.
 *
 * @packageDocumentation
 */
import { parseArgs } from 'node:util';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CollectingIo, writeLines, type Io } from './io.js';
import { badInput, DEFAULT_IAK_FILE, DEFAULT_TOKEN_FILE, ExitStatus, fsReason, writeOutcome, type Outcome } from './output.js';

// The commands are loaded when they run: usage errors and `help` answer without loading the model.
const replayCommand = async (): Promise<typeof import('./commands/replay.js')> => import('./commands/replay.js');

/** Usage text. */
export const USAGE = [
  'usage: realmspec <command> [options]',
  '',
  'commands:',
  '  replay FILE... [--json] [--strict] [--coverage] [--coverage-out FILE]\n                                         replay traces (realmspec/1) against the spec: an answer the spec permits passes\n                                         (reported as permitted); --strict demands the model\'s own answer; --coverage-out: write their spec coverage',
  '  demo [DIR]                             replay every *.jsonl trace in DIR (default: the examples shipped with realmspec) with the rule tally',
  '  start [DIR] [--all]                    demo, then the launch scenario on a whole CCA machine (--all: every step)',
  '  attest --challenge HEX [--out FILE] [--iak-out FILE]',
  `                                         launch a Realm, obtain a CCA token through RSI, verify it; write it (default ${DEFAULT_TOKEN_FILE})`,
  `                                         and the IAK public key, the trust anchor (default ${DEFAULT_IAK_FILE}); print the claims`,
  '  coverage FILE... [--format json|md|html|lcov] [--out FILE] [--baseline FILE]',
  '                                         merge coverage files and report spec coverage rule by rule (default md, to stdout);',
  '                                         --baseline: exit 1 listing the rules covered in FILE and not now',
  '  explore CONFIG [--max-states N] [--workers N] [--shard I/N --out FILE] [--json] [--coverage-out FILE] [--trace-out FILE]',
  '                                         explore every state of a small configuration (proofs/configs), checking every',
  '                                         transition; a violation writes a shortest counterexample trace',
  '  explore --merge FILE... [--json]       merge the result files of the shards of one configuration',
  '  help                                   this text',
  '',
  'exit codes: 0 every expectation held, 1 an expectation failed (a finding), 2 bad input (malformed file or flag,',
  '            unreadable or unwritable file), 70 an internal error of realmspec (please report it)',
];

const SEE_HELP = "(run 'realmspec help' for usage)";

function parse(args: readonly string[], flags: Record<string, { type: 'boolean' | 'string' }>): { values: Record<string, string | boolean | undefined>; positionals: string[] } | string {
  try {
    const r = parseArgs({ args: [...args], options: flags, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | undefined>, positionals: r.positionals };
  } catch (e) {
    // parseArgs explains in one sentence, sometimes followed by a hint; keep the sentence.
    const m = e instanceof Error ? e.message : String(e);
    return m.split(/(?<=\.) /)[0] ?? m;
  }
}

/**
 * The example traces `demo` and `start` replay by default: those shipped with the package (copied
 * next to its `dist` at build time), else `examples` in the current directory.
 */
export function defaultExamplesDir(): string {
  const shipped = fileURLToPath(new URL('../examples', import.meta.url));
  return existsSync(shipped) ? shipped : 'examples';
}

async function demoOrStart(command: 'demo' | 'start', rest: readonly string[], io: Io): Promise<number> {
  const p = parse(rest, command === 'start' ? { all: { type: 'boolean' } } : {});
  if (typeof p === 'string') return writeOutcome(io, badInput(`realmspec ${command}: ${p} ${SEE_HELP}`));
  if (p.positionals.length > 1) return writeOutcome(io, badInput(`realmspec ${command}: at most one directory ${SEE_HELP}`));
  const dir = p.positionals[0] ?? defaultExamplesDir();
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort().map((f) => join(dir, f));
  } catch (e) {
    return writeOutcome(io, badInput(`realmspec ${command}: cannot read directory ${dir}: ${e instanceof Error ? fsReason(e) : String(e)}`));
  }
  if (files.length === 0) return writeOutcome(io, badInput(`realmspec ${command}: no .jsonl traces in ${dir}`));
  const demo = await (await replayCommand()).replay(files, { json: false, strict: false, coverage: true }, io);
  if (command === 'demo' || demo === ExitStatus.BAD_INPUT || io.closed) return demo;
  const { startScenario } = await import('./commands/start.js');
  const scenario = await writeOutcome(io, startScenario({ all: p.values.all === true }));
  return Math.max(demo, scenario);
}

/** Runs the CLI on `argv` (without the node and script names), writing to `io`; returns the exit code. */
export async function execute(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'replay': {
      const p = parse(rest, { json: { type: 'boolean' }, strict: { type: 'boolean' }, coverage: { type: 'boolean' }, 'coverage-out': { type: 'string' } });
      if (typeof p === 'string') return writeOutcome(io, badInput(`realmspec replay: ${p} ${SEE_HELP}`));
      if (p.positionals.length === 0) return writeOutcome(io, badInput(`realmspec replay: give at least one trace file ${SEE_HELP}`));
      const coverageOut = p.values['coverage-out'];
      const opts = { json: p.values.json === true, strict: p.values.strict === true, coverage: p.values.coverage === true, ...(typeof coverageOut === 'string' ? { coverageOut } : {}) };
      return (await replayCommand()).replay(p.positionals, opts, io);
    }
    case 'demo':
    case 'start':
      return demoOrStart(command, rest, io);
    case 'attest': {
      const p = parse(rest, { challenge: { type: 'string' }, out: { type: 'string' }, 'iak-out': { type: 'string' } });
      if (typeof p === 'string') return writeOutcome(io, badInput(`realmspec attest: ${p} ${SEE_HELP}`));
      if (p.positionals.length > 0) return writeOutcome(io, badInput(`realmspec attest: unexpected argument '${p.positionals[0] ?? ''}' ${SEE_HELP}`));
      const challenge = p.values.challenge;
      if (typeof challenge !== 'string') return writeOutcome(io, badInput(`realmspec attest: --challenge HEX is required ${SEE_HELP}`));
      const out = typeof p.values.out === 'string' ? p.values.out : DEFAULT_TOKEN_FILE;
      const iakOut = typeof p.values['iak-out'] === 'string' ? p.values['iak-out'] : DEFAULT_IAK_FILE;
      const { attest } = await import('./commands/attest.js');
      return writeOutcome(io, attest({ challenge, out, iakOut }));
    }
    case 'coverage': {
      const { coverage } = await import('./commands/coverage.js');
      return writeOutcome(io, coverage(rest));
    }
    case 'explore': {
      const { EXPLORE_FLAGS, EXPLORE_USAGE, exploreCommand } = await import('./commands/explore.js');
      const p = parse(rest, EXPLORE_FLAGS);
      if (typeof p === 'string') return writeOutcome(io, badInput(`realmspec explore: ${p} ${SEE_HELP}`, ...EXPLORE_USAGE));
      return writeOutcome(io, await exploreCommand(p.values, p.positionals));
    }
    case 'help':
    case '--help':
    case '-h':
      await writeLines(io, USAGE);
      return ExitStatus.OK;
    case undefined:
      return writeOutcome(io, badInput(`realmspec: give a command ${SEE_HELP}`));
    default:
      return writeOutcome(io, badInput(`realmspec: unknown command '${command}' ${SEE_HELP}`));
  }
}

/** The first line of an exception's message, without the model's own "internal error" prefix. */
function oneLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return (m.split('\n')[0] ?? '').replace(/^realmspec internal error: /, '');
}

/**
 * {@link execute}, with a guard: an exception (a bug in realmspec) becomes one line on standard
 * error, `realmspec: internal error: MESSAGE`, and exit code 70; no stack trace reaches the user.
 */
export async function guarded(argv: readonly string[], io: Io): Promise<number> {
  try {
    return await execute(argv, io);
  } catch (e) {
    io.err(internalErrorLine(e));
    return ExitStatus.INTERNAL;
  }
}

/** The line that reports an internal error. */
export function internalErrorLine(e: unknown): string {
  return `realmspec: internal error: ${oneLine(e)}`;
}

/** Runs the CLI on `argv` and collects what it printed (every line in memory; for tests and small outputs). */
export async function run(argv: readonly string[]): Promise<Outcome> {
  const io = new CollectingIo();
  const code = await guarded(argv, io);
  return { out: io.outLines, err: io.errLines, code };
}
