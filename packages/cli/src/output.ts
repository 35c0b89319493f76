/**
 * What a command that produces little output returns: its lines and exit code, written to the
 * {@link Io} by {@link writeOutcome}. Commands whose output can be long (`replay`) write to the
 * `Io` as they go instead.
 *
 * @packageDocumentation
 */
import { writeLines, type Io } from './io.js';

/** What a CLI command produced. */
export interface Outcome {
  /** Lines for standard output. */
  readonly out: readonly string[];
  /** Lines for standard error. */
  readonly err: readonly string[];
  /** Process exit code (see {@link ExitStatus}). */
  readonly code: number;
}

/** The exit codes of `realmspec`. */
export const ExitStatus = {
  /** Every expectation held; the command did what was asked. */
  OK: 0,
  /** A finding: an expectation did not hold, a token did not verify, a check failed. */
  FINDING: 1,
  /** Bad input: a malformed trace, flag or challenge, a file that cannot be read or written. */
  BAD_INPUT: 2,
  /** An internal error of realmspec itself (sysexits EX_SOFTWARE): a bug to report. */
  INTERNAL: 70,
} as const;

/** Default file of `attest --out`: the token. */
export const DEFAULT_TOKEN_FILE = 'cca-token.cbor';
/** Default file of `attest --iak-out`: the IAK public key. */
export const DEFAULT_IAK_FILE = 'iak-pub.pem';

/** The reason of a file-system error without the path and system call (`ENOENT: no such file or directory`). */
export function fsReason(e: Error): string {
  return e.message.replace(/, (open|read|scandir|stat|rename|unlink|write) .*$/, '');
}

/** An outcome for bad input (exit code 2) with one message per problem. */
export function badInput(...messages: string[]): Outcome {
  return { out: [], err: messages, code: ExitStatus.BAD_INPUT };
}

/** Writes an outcome's lines to `io` and returns its exit code. */
export async function writeOutcome(io: Io, o: Outcome): Promise<number> {
  await writeLines(io, o.out);
  await writeLines(io, o.err, true);
  return o.code;
}

/** The first line of an exception's message, without the model's own "internal error" prefix. */
function oneLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return (m.split('\n')[0] ?? '').replace(/^realmspec internal error: /, '');
}

/**
 * Makes an exception that escapes every guard (a model bug) one line on standard error and exit
 * status 70, for the process entry points (`main.ts`, `driver-main.ts`).
 */
export function exitOnUncaught(): void {
  const die = (e: unknown): void => {
    process.stderr.write(internalErrorLine(e) + '\n');
    process.exit(ExitStatus.INTERNAL);
  };
  process.on('uncaughtException', die);
  process.on('unhandledRejection', die);
}

/** The line that reports an internal error. */
export function internalErrorLine(e: unknown): string {
  return `realmspec: internal error: ${oneLine(e)}`;
}
