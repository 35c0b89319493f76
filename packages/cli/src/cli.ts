/**
 * Command-line parsing: the commands and flags of `realmspec`, validated before anything runs.
 * {@link execute} writes to an {@link Io} as it goes; {@link run} collects the lines instead.
 *
 * @packageDocumentation
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { CollectingIo, writeLines, type Io } from './io.js';
import { intFlag, parse, SEE_HELP } from './flags.js';
import { badInput, DEFAULT_IAK_FILE, DEFAULT_TOKEN_FILE, ExitStatus, fsReason, internalErrorLine, writeOutcome, type Outcome } from './output.js';

export { internalErrorLine } from './output.js';

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
  '  conform --driver "CMD ..." [--time S | --runs N] [--seed N] [--workers N] [--waivers FILE] [--out DIR] [--json]',
  '          [--strict] [--timeout MS]       test an RMM implementation against the spec through a driver (driver-v1):',
  '                                         generated Host and Realm sequences, every answer judged, one shrunk replayable',
  '                                         trace per finding group; default --time 60, --workers 2, --timeout 10000',
  '  driver [--mutant ID] [--rec-aux-count N] IN.jsonl -o OUT.jsonl',
  '                                         the model as a driver (driver-v1), with one seeded fault when a mutant is named',
  '  driver --list-mutants [--json]         the mutant catalogue',
  '  help                                   this text',
  '',
  'exit codes: 0 every expectation held, 1 an expectation failed (a finding), 2 bad input (malformed file or flag,',
  '            unreadable or unwritable file), 70 an internal error of realmspec (please report it)',
];


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

/** The flags of `conform`, as parseArgs gives them (strings), decoded. */
const ConformFlags = t.intersection([
  t.type({ driver: t.string }),
  t.partial({
    time: intFlag(1, 7 * 24 * 3600),
    runs: intFlag(1, 1e9),
    seed: intFlag(0, 2 ** 31 - 1),
    workers: intFlag(1, 64),
    timeout: intFlag(100, 3_600_000),
    waivers: t.string,
    out: t.string,
    json: t.boolean,
    strict: t.boolean,
  }),
]);

/** Decodes the flags of `conform`: each problem as `--flag: expected ...`. */
function conformFlags(values: Record<string, unknown>): t.TypeOf<typeof ConformFlags> | string {
  if (typeof values.driver !== 'string') return '--driver "CMD ..." is required';
  const r = ConformFlags.decode(values);
  if (E.isLeft(r)) {
    const e = r.left[0];
    const key = e?.context.map((c) => c.key).filter((k) => k !== '' && !/^\d+$/.test(k)).pop() ?? '';
    return `--${key}: expected ${e?.message ?? e?.context[e.context.length - 1]?.type.name ?? 'a valid value'}, got '${String(e?.value)}'`;
  }
  if (r.right.time !== undefined && r.right.runs !== undefined) return 'give --time or --runs, not both';
  return r.right;
}

async function conformCommand(rest: readonly string[], io: Io): Promise<number> {
  const s = { type: 'string' } as const;
  const b = { type: 'boolean' } as const;
  const p = parse(rest, { driver: s, time: s, runs: s, seed: s, workers: s, timeout: s, waivers: s, out: s, json: b, strict: b });
  if (typeof p === 'string') return writeOutcome(io, badInput(`realmspec conform: ${p} ${SEE_HELP}`));
  if (p.positionals.length > 0) return writeOutcome(io, badInput(`realmspec conform: unexpected argument '${p.positionals[0] ?? ''}' ${SEE_HELP}`));
  const f = conformFlags(p.values);
  if (typeof f === 'string') return writeOutcome(io, badInput(`realmspec conform: ${f} ${SEE_HELP}`));
  const { conform } = await import('./commands/conform.js');
  return conform(
    {
      driver: f.driver,
      timeS: f.runs === undefined ? (f.time ?? 60) : undefined,
      runs: f.runs,
      seed: f.seed ?? Math.floor(Math.random() * 2 ** 31),
      workers: f.workers ?? 2,
      waivers: f.waivers,
      out: f.out,
      json: f.json === true,
      strict: f.strict === true,
      timeoutMs: f.timeout ?? 10_000,
      progress: f.json !== true && process.stderr.isTTY === true,
    },
    io,
  );
}

async function driverCommand(rest: readonly string[], io: Io): Promise<number> {
  const commands = await import('./commands/driver.js');
  return commands.driverCommand(rest, io);
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
    case 'conform':
      return conformCommand(rest, io);
    case 'driver':
      return driverCommand(rest, io);
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

/** Runs the CLI on `argv` and collects what it printed (every line in memory; for tests and small outputs). */
export async function run(argv: readonly string[]): Promise<Outcome> {
  const io = new CollectingIo();
  const code = await guarded(argv, io);
  return { out: io.outLines, err: io.errLines, code };
}
