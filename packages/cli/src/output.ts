/**
 * The CLI's single exit point: every command returns an {@link Outcome} (lines for stdout and
 * stderr and an exit code) and only `main` prints and exits.
 *
 * @packageDocumentation
 */

/** What a CLI command produced. */
export interface Outcome {
  /** Lines for standard output. */
  readonly out: readonly string[];
  /** Lines for standard error. */
  readonly err: readonly string[];
  /** Process exit code: 0 success, 1 a check failed, 2 bad input. */
  readonly code: number;
}

/** An outcome for bad input (exit code 2) with one message per problem. */
export function badInput(...messages: string[]): Outcome {
  return { out: [], err: messages, code: 2 };
}

/** Writes an outcome to the process streams and returns its exit code. */
export function emit(o: Outcome): number {
  if (o.out.length > 0) process.stdout.write(o.out.join('\n') + '\n');
  if (o.err.length > 0) process.stderr.write(o.err.join('\n') + '\n');
  return o.code;
}
