/**
 * Reading a trace one line at a time, in bounded memory: a file is read in fixed-size chunks and
 * split at newlines; a line longer than {@link MAX_LINE_BYTES} is not kept (only its length is),
 * so it is reported before anything tries to parse it.
 *
 * @packageDocumentation
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** The longest line a trace may hold, in bytes (4 MiB); longer lines are malformed and never parsed. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

/** One physical line of a trace. */
export interface RawLine {
  /** 1-based line number. */
  readonly line: number;
  /** The line without its line break; `undefined` when it is longer than the limit. */
  readonly text: string | undefined;
  /** Its length in bytes (UTF-8), without the line break. */
  readonly bytes: number;
}

const NL = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into lines (LF or CRLF). Lines longer than `maxBytes` are yielded with
 * `text: undefined` and their bytes are dropped as they arrive, so memory stays bounded by one
 * chunk plus one line of at most `maxBytes`.
 */
export function* splitLines(chunks: Iterable<Uint8Array>, maxBytes: number = MAX_LINE_BYTES): Generator<RawLine, void, undefined> {
  const limit = maxBytes + 1; // a CR before the LF is not part of the line
  let line = 0;
  let parts: Buffer[] = []; // the current line so far, while it is within the limit
  let total = 0; // bytes of the current line so far, kept or not
  const end = (tail: Buffer): RawLine => {
    line++;
    total += tail.length;
    let r: RawLine = { line, text: undefined, bytes: total };
    if (total <= limit) {
      const whole = parts.length === 0 ? tail : Buffer.concat([...parts, tail], total);
      const n = whole.length > 0 && whole[whole.length - 1] === CR ? whole.length - 1 : whole.length;
      r = { line, text: n <= maxBytes ? whole.toString('utf8', 0, n) : undefined, bytes: n };
    }
    parts = [];
    total = 0;
    return r;
  };
  for (const chunk of chunks) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let nl = buf.indexOf(NL, start); nl >= 0; nl = buf.indexOf(NL, start)) {
      yield end(buf.subarray(start, nl));
      start = nl + 1;
    }
    if (start < buf.length) {
      const rest = buf.subarray(start);
      total += rest.length;
      // Copy what is kept: the reader reuses its chunk buffer.
      if (total <= limit) parts.push(Buffer.from(rest));
      else parts = [];
    }
  }
  if (total > 0) yield end(Buffer.alloc(0));
}

/** A file's bytes in chunks of `size`, read synchronously; the file is closed when iteration ends. */
export function* fileChunks(path: string, size = 1 << 16): Generator<Uint8Array, void, undefined> {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(size);
    for (;;) {
      const n = readSync(fd, buf, 0, size, null);
      if (n === 0) return;
      yield buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/** The lines of a file ({@link fileChunks} then {@link splitLines}). */
export function fileLines(path: string, maxBytes: number = MAX_LINE_BYTES): Generator<RawLine, void, undefined> {
  return splitLines(fileChunks(path), maxBytes);
}

/** The lines of a text already in memory, with the same length limit as {@link splitLines}. */
export function* textLines(text: string, maxBytes: number = MAX_LINE_BYTES): Generator<RawLine, void, undefined> {
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    const s = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const bytes = Buffer.byteLength(s, 'utf8');
    yield { line, text: bytes <= maxBytes ? s : undefined, bytes };
  }
}
