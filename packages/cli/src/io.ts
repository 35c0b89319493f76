/**
 * Where the CLI writes: line by line, with backpressure, so that output of any length streams in
 * bounded memory, and a reader that goes away (`realmspec ... | head`) ends the run quietly.
 *
 * @packageDocumentation
 */
import type { Writable } from 'node:stream';

/** The CLI's output, one line at a time. */
export interface Io {
  /** Writes a line to standard output; `false` when the caller should `await drain()` before writing more. */
  out(line: string): boolean;
  /** Writes a line to standard error; `false` when the caller should `await drain()` before writing more. */
  err(line: string): boolean;
  /** Resolves when both streams can take more (or can take nothing more because they closed). */
  drain(): Promise<void>;
  /** Whether standard output's reader went away: commands stop producing output. */
  readonly closed: boolean;
}

/** Writes `lines` to standard output (`err`: standard error), waiting whenever the stream asks to. */
export async function writeLines(io: Io, lines: readonly string[], err = false): Promise<void> {
  for (const l of lines) {
    if (io.closed && !err) return;
    if (!(err ? io.err(l) : io.out(l))) await io.drain();
  }
}

/** An {@link Io} that keeps every line in memory, for tests and for callers that want the lines. */
export class CollectingIo implements Io {
  /** The lines written to standard output. */
  readonly outLines: string[] = [];
  /** The lines written to standard error. */
  readonly errLines: string[] = [];
  /** Never true: memory is never closed. */
  readonly closed = false;

  /** Keeps a standard output line. */
  out(line: string): boolean {
    this.outLines.push(line);
    return true;
  }

  /** Keeps a standard error line. */
  err(line: string): boolean {
    this.errLines.push(line);
    return true;
  }

  /** Nothing to wait for. */
  async drain(): Promise<void> {}
}

/** Bytes gathered before one write to the stream. */
const CHUNK = 1 << 16;

/** A stream written in chunks of several lines. */
class Chunked {
  private parts: string[] = [];
  private size = 0;
  /** The stream reported an error (its reader went away, the disk is full, ...). */
  failed: (Error & { code?: string }) | undefined;

  constructor(readonly stream: Writable) {
    // Without a listener an EPIPE would be thrown as an uncaught exception.
    stream.on('error', (e: Error & { code?: string }) => {
      this.failed ??= e;
    });
  }

  get dead(): boolean {
    return this.failed !== undefined || this.stream.destroyed;
  }

  add(line: string): boolean {
    if (this.dead) return false;
    this.parts.push(line);
    this.size += line.length + 1;
    return this.size < CHUNK || this.flush();
  }

  flush(): boolean {
    if (this.size === 0) return !this.stream.writableNeedDrain;
    const chunk = this.parts.join('\n') + '\n';
    this.parts = [];
    this.size = 0;
    if (this.dead) return false;
    return this.stream.write(chunk);
  }

  async drained(): Promise<void> {
    this.flush();
    const s = this.stream;
    if (this.dead || !s.writableNeedDrain) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        s.off('drain', done);
        s.off('close', done);
        s.off('error', done);
        resolve();
      };
      s.on('drain', done);
      s.on('close', done);
      s.on('error', done);
    });
  }
}

/**
 * An {@link Io} over two writable streams (the process's standard output and error): lines are
 * gathered into chunks of about 64 KB, `out` and `err` report the streams' backpressure, and a
 * failed standard output (EPIPE when the reader closes the pipe) makes {@link StreamIo.closed} true.
 */
export class StreamIo implements Io {
  private readonly stdout: Chunked;
  private readonly stderr: Chunked;

  /** @param stdout where `out` lines go @param stderr where `err` lines go */
  constructor(stdout: Writable, stderr: Writable) {
    this.stdout = new Chunked(stdout);
    this.stderr = new Chunked(stderr);
  }

  /** Whether standard output can take nothing more. */
  get closed(): boolean {
    return this.stdout.dead;
  }

  /** Why standard output failed, unless its reader simply went away (EPIPE). */
  get writeError(): Error | undefined {
    const e = this.stdout.failed;
    return e === undefined || e.code === 'EPIPE' ? undefined : e;
  }

  /** Writes a line to standard output (after any pending standard error lines, to keep their order). */
  out(line: string): boolean {
    this.stderr.flush();
    return this.stdout.add(line);
  }

  /** Writes a line to standard error (after any pending standard output lines). */
  err(line: string): boolean {
    this.stdout.flush();
    return this.stderr.add(line);
  }

  /** Flushes both streams and waits until they can take more. */
  async drain(): Promise<void> {
    await Promise.all([this.stdout.drained(), this.stderr.drained()]);
  }

  /** Flushes everything; resolves when both streams have taken it. */
  async end(): Promise<void> {
    await this.drain();
  }
}
