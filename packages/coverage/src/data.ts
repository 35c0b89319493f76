/**
 * Coverage data: from a `RuleHits` to a coverage file, decoding a file, merging files.
 * Everything here is pure except {@link collect}, which switches the engine's process-wide
 * recorder for the duration of a call.
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { catalogue, RuleHits, type Catalogue } from '@realmspec/core';
import { formatValidationErrors, setRecording } from '@realmspec/core/internal';
import { count, CoverageFile, FORMAT, type OrderingCounters, type RuleCounters, type Source } from './schema.js';

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * A short digest of a catalogue's coverage points (every rule id and ordering id, in order):
 * files with the same digest count the same rules.
 */
export function catalogueDigest(cat: Catalogue = catalogue): string {
  const h = createHash('sha256');
  for (const r of cat.rules) h.update(r.id + '\n');
  for (const o of cat.orderings) h.update(o.id + '\n');
  return h.digest('hex').slice(0, 16);
}

const digest = catalogueDigest();

/** A file that counts nothing, produced by `sources`. */
export function emptyCoverage(sources: readonly Source[] = []): CoverageFile {
  return { format: FORMAT, catalogue: digest, sources: [...sources], calls: {}, rules: {}, orderings: {} };
}

/**
 * The coverage file of `hits` (counted against core's catalogue): every rule and ordering with a
 * counter that is not 0, keyed by id. `sources` say what produced the hits; the caller adds a
 * time to them if it wants one.
 */
export function coverageOf(hits: RuleHits, sources: readonly Source[]): CoverageFile {
  const rules: Record<string, RuleCounters> = {};
  for (const r of catalogue.rules) {
    const reached = hits.reached[r.n] as number;
    const held = hits.held[r.n] as number;
    const decided = hits.decided[r.n] as number;
    if (reached === 0 && held === 0 && decided === 0) continue;
    rules[r.id] = { reached: count(reached), held: count(held), ...(decided > 0 ? { decided: count(decided) } : {}) };
  }
  const orderings: Record<string, OrderingCounters> = {};
  for (const o of catalogue.orderings) {
    const both = hits.orderBoth[o.n] as number;
    if (both > 0) orderings[o.id] = { both: count(both), respected: count(hits.orderRespected[o.n] as number) };
  }
  const calls = Object.fromEntries([...hits.calls].filter(([, n]) => n > 0).map(([k, n]) => [k, count(n)]));
  return { ...emptyCoverage(sources), calls, rules, orderings };
}

/**
 * Runs `fn` with the engine recording every command, invariant check and REC exit made without
 * hits of their own (`setRecording`), and returns its result with the coverage file of what it
 * ran. This is how an exploration, a campaign or a conformance run that does not pass hits to
 * every call collects coverage. The recorder in place before (a vitest run's, say) gets the
 * counts too.
 */
export function collect<T>(sources: readonly Source[], fn: () => T): { readonly result: T; readonly coverage: CoverageFile } {
  const hits = new RuleHits();
  const was = setRecording(hits);
  try {
    const result = fn();
    return { result, coverage: coverageOf(hits, sources) };
  } finally {
    setRecording(was);
    was?.merge(hits);
  }
}

// -------------------------------------------------------------------------------------
// decoding
// -------------------------------------------------------------------------------------

/**
 * Decodes the text of a coverage file; problems name the field (`rules.X/y.held: expected Count,
 * got -1`) and are prefixed with `name`.
 */
export function decodeCoverage(text: string, name: string): E.Either<string[], CoverageFile> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return E.left([`${name}: not JSON: ${e instanceof Error ? e.message : String(e)}`]);
  }
  if (typeof data === 'object' && data !== null && 'format' in data && data.format !== FORMAT) {
    return E.left([`${name}: format ${JSON.stringify(data.format)} is not ${FORMAT}`]);
  }
  const r = CoverageFile.decode(data);
  return E.isLeft(r) ? E.left(formatValidationErrors(r.left).map((m) => `${name}: ${m}`)) : E.right(r.right);
}

/** A coverage file as text: JSON, two-space indented, ending with a newline. */
export function encodeCoverage(file: CoverageFile): string {
  return JSON.stringify(CoverageFile.encode(file), null, 2) + '\n';
}

// -------------------------------------------------------------------------------------
// merging
// -------------------------------------------------------------------------------------

/** The result of a merge: the merged file and what the caller should be warned about. */
export interface Merged {
  /** Counters summed, sources united, summary dropped. */
  readonly coverage: CoverageFile;
  /**
   * One line per input produced against another catalogue, naming the rules, orderings and
   * commands that this catalogue does not know (their counts are kept in the merged file but no
   * report shows them).
   */
  readonly warnings: readonly string[];
}

const known = {
  rules: new Set(catalogue.rules.map((r) => r.id)),
  orderings: new Set(catalogue.orderings.map((o) => o.id)),
  commands: new Set(catalogue.commands.map((c) => c.name)),
};

function listed(ids: readonly string[]): string {
  return ids.length <= 8 ? ids.join(', ') : `${ids.slice(0, 8).join(', ')} and ${ids.length - 8} more`;
}

/**
 * Merges coverage files: every counter is summed, the sources are united (a source listed in two
 * inputs appears once), the summary is dropped. `inputs` name each file for the warnings.
 */
export function mergeCoverage(inputs: ReadonlyArray<{ readonly name: string; readonly coverage: CoverageFile }>): Merged {
  const rules: Record<string, { reached: number; held: number; decided: number }> = {};
  const orderings: Record<string, { both: number; respected: number }> = {};
  const calls: Record<string, number> = {};
  const sources = new Map<string, Source>();
  const warnings: string[] = [];
  for (const { name, coverage: f } of inputs) {
    for (const s of f.sources) sources.set(JSON.stringify([s.kind, s.name, s.at, s.detail]), s);
    for (const [id, c] of Object.entries(f.rules)) {
      const m = (rules[id] ??= { reached: 0, held: 0, decided: 0 });
      m.reached += c.reached;
      m.held += c.held;
      m.decided += c.decided ?? 0;
    }
    for (const [id, c] of Object.entries(f.orderings)) {
      const m = (orderings[id] ??= { both: 0, respected: 0 });
      m.both += c.both;
      m.respected += c.respected;
    }
    for (const [k, n] of Object.entries(f.calls)) calls[k] = (calls[k] ?? 0) + n;
    const unknown = [
      ...Object.keys(f.rules).filter((id) => !known.rules.has(id)),
      ...Object.keys(f.orderings).filter((id) => !known.orderings.has(id)),
      ...Object.keys(f.calls).filter((c) => !known.commands.has(c)).map((c) => `command ${c}`),
    ];
    if (unknown.length > 0) {
      const other = f.catalogue === digest ? '' : ` (it was produced against catalogue ${f.catalogue}, this is ${digest})`;
      warnings.push(`${name}: ${unknown.length} coverage point(s) not in this catalogue, not reported${other}: ${listed(unknown)}`);
    } else if (f.catalogue !== digest) {
      warnings.push(`${name}: produced against catalogue ${f.catalogue} (this is ${digest}); every point it counts is known, rules it lacks count 0`);
    }
  }
  const ruleOut: Record<string, RuleCounters> = {};
  for (const [id, c] of Object.entries(rules)) ruleOut[id] = { reached: count(c.reached), held: count(c.held), ...(c.decided > 0 ? { decided: count(c.decided) } : {}) };
  const orderingOut: Record<string, OrderingCounters> = {};
  for (const [id, c] of Object.entries(orderings)) orderingOut[id] = { both: count(c.both), respected: count(c.respected) };
  return {
    coverage: {
      ...emptyCoverage([...sources.values()]),
      calls: Object.fromEntries(Object.entries(calls).map(([k, n]) => [k, count(n)])),
      rules: ruleOut,
      orderings: orderingOut,
    },
    warnings,
  };
}
