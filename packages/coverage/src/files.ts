/**
 * The file side of coverage: reading coverage files, writing reports, and finding the catalogue's
 * files (for LCOV line numbers and DECISIONS.md).
 *
 * @packageDocumentation
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { decodeCoverage, encodeCoverage, mergeCoverage, type Merged } from './data.js';
import { parseDecisions, type DecisionEntry } from './decisions.js';
import type { SpecTexts } from './lcov.js';
import type { CoverageFile } from './schema.js';

/** The folder of the `@realmspec/spec` package that core's catalogue comes from. */
export function specDir(): string {
  return dirname(createRequire(import.meta.url).resolve('@realmspec/spec'));
}

/** A file's reason for failing, without Node's stack: `ENOENT: no such file or directory`. */
function reason(e: unknown): string {
  if (e instanceof Error) return e.message.replace(/,\s*open '.*'$/, '');
  return String(e);
}

/**
 * Reads and merges coverage files. `Left`: every file that cannot be read or decoded, one line per
 * problem naming the file and field; `Right`: the merge and its warnings.
 */
export function readCoverageFiles(paths: readonly string[]): E.Either<string[], Merged> {
  const problems: string[] = [];
  const inputs = [];
  for (const p of paths) {
    let text: string;
    try {
      text = readFileSync(p, 'utf8');
    } catch (e) {
      problems.push(`${p}: cannot read: ${reason(e)}`);
      continue;
    }
    const d = decodeCoverage(text, p);
    if (E.isLeft(d)) problems.push(...d.left);
    else inputs.push({ name: p, coverage: d.right });
  }
  return problems.length > 0 ? E.left(problems) : E.right(mergeCoverage(inputs));
}

/** Writes `text` to `path`, creating its folder; `Left` with the reason when it cannot. */
export function writeText(path: string, text: string): E.Either<string, void> {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return E.right(undefined);
  } catch (e) {
    return E.left(`${path}: cannot write: ${reason(e)}`);
  }
}

/** Writes a coverage file to `path` (see {@link writeText}). */
export function writeCoverage(path: string, coverage: CoverageFile): E.Either<string, void> {
  return writeText(path, encodeCoverage(coverage));
}

/**
 * The catalogue's files, read from the `@realmspec/spec` package, with `SF:` paths relative to
 * `root` (default: the current directory, normally the repository root).
 */
export function specTexts(root: string = process.cwd()): SpecTexts {
  const dir = specDir();
  const rel = relative(root, dir).split(sep).join('/');
  return {
    root: rel,
    read: (path) => {
      try {
        return readFileSync(join(dir, path), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** The decisions and errata of the catalogue's DECISIONS.md (none when it cannot be read). */
export function catalogueDecisions(): DecisionEntry[] {
  try {
    return parseDecisions(readFileSync(join(specDir(), 'DECISIONS.md'), 'utf8'));
  } catch {
    return [];
  }
}
