/**
 * Command-line parsing: the commands and flags of `realmspec`, validated before anything runs.
 *
 * @packageDocumentation
 */
import { parseArgs } from 'node:util';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { replay } from './commands/replay.js';
import { startScenario } from './commands/start.js';
import { attest, DEFAULT_IAK_FILE, DEFAULT_TOKEN_FILE } from './commands/attest.js';
import { coverage, COVERAGE_USAGE } from './commands/coverage.js';
import { badInput, type Outcome } from './output.js';

/** Usage text. */
export const USAGE = [
  'usage: realmspec <command> [options]',
  '',
  'commands:',
  '  replay FILE... [--json] [--coverage] [--coverage-out FILE]',
  '                                         replay traces (realmspec/1) against the model; --coverage-out: write their spec coverage',
  '  demo [DIR]                             replay every example trace in DIR (default: examples) with the rule tally',
  '  start [DIR] [--all]                    demo, then the launch scenario on a whole CCA machine (--all: every step)',
  '  attest --challenge HEX [--out FILE] [--iak-out FILE]',
  `                                         launch a Realm, obtain a CCA token through RSI, verify it; write it (default ${DEFAULT_TOKEN_FILE})`,
  `                                         and the IAK public key, the trust anchor (default ${DEFAULT_IAK_FILE}); print the claims`,
  ...COVERAGE_USAGE,
  '  help                                   this text',
  '',
  'exit codes: 0 every expectation held, 1 an expectation failed, 2 bad input (malformed file or flag)',
];

function parse(args: readonly string[], flags: Record<string, { type: 'boolean' | 'string' }>): { values: Record<string, string | boolean | undefined>; positionals: string[] } | string {
  try {
    const r = parseArgs({ args: [...args], options: flags, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | undefined>, positionals: r.positionals };
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Runs the CLI on `argv` (without the node and script names). */
export function run(argv: readonly string[]): Outcome {
  const [command, ...rest] = argv;
  switch (command) {
    case 'replay': {
      const p = parse(rest, { json: { type: 'boolean' }, coverage: { type: 'boolean' }, 'coverage-out': { type: 'string' } });
      if (typeof p === 'string') return badInput(`realmspec replay: ${p}`, ...USAGE);
      if (p.positionals.length === 0) return badInput('realmspec replay: give at least one trace file', ...USAGE);
      const coverageOut = p.values['coverage-out'];
      return replay(p.positionals, { json: p.values.json === true, coverage: p.values.coverage === true, ...(typeof coverageOut === 'string' ? { coverageOut } : {}) });
    }
    case 'demo':
    case 'start': {
      const p = parse(rest, command === 'start' ? { all: { type: 'boolean' } } : {});
      if (typeof p === 'string') return badInput(`realmspec ${command}: ${p}`, ...USAGE);
      if (p.positionals.length > 1) return badInput(`realmspec ${command}: at most one directory`, ...USAGE);
      const dir = p.positionals[0] ?? 'examples';
      let files: string[];
      try {
        files = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort().map((f) => join(dir, f));
      } catch (e) {
        return badInput(`realmspec ${command}: cannot read ${dir}: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (files.length === 0) return badInput(`realmspec ${command}: no .jsonl traces in ${dir}`);
      const demo = replay(files, { json: false, coverage: true });
      if (command === 'demo' || demo.code === 2) return demo;
      const scenario = startScenario({ all: p.values.all === true });
      return { out: [...demo.out, ...scenario.out], err: [...demo.err, ...scenario.err], code: Math.max(demo.code, scenario.code) };
    }
    case 'attest': {
      const p = parse(rest, { challenge: { type: 'string' }, out: { type: 'string' }, 'iak-out': { type: 'string' } });
      if (typeof p === 'string') return badInput(`realmspec attest: ${p}`, ...USAGE);
      if (p.positionals.length > 0) return badInput(`realmspec attest: unexpected argument '${p.positionals[0] ?? ''}'`, ...USAGE);
      const challenge = p.values.challenge;
      if (typeof challenge !== 'string') return badInput('realmspec attest: --challenge HEX is required', ...USAGE);
      const out = typeof p.values.out === 'string' ? p.values.out : DEFAULT_TOKEN_FILE;
      const iakOut = typeof p.values['iak-out'] === 'string' ? p.values['iak-out'] : DEFAULT_IAK_FILE;
      return attest({ challenge, out, iakOut });
    }
    case 'coverage':
      return coverage(rest);
    case 'help':
    case '--help':
    case '-h':
      return { out: USAGE, err: [], code: 0 };
    case undefined:
      return badInput(...USAGE);
    default:
      return badInput(`realmspec: unknown command '${command}'`, ...USAGE);
  }
}
