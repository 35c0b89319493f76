/**
 * The LCOV report: spec coverage shown on the catalogue files themselves, so that genhtml, editor
 * coverage gutters and CI coverage services display it. Each coverage point becomes a line of a
 * catalogue file:
 * - a failure or success condition: the line of its `"label"` in `spec/<iface>/<CMD>.json`
 *   (hits: decided for a failure condition, held for a success condition; a success condition
 *   another command establishes gets no line);
 * - an ordering constraint: the line of the `ordering` entry that states it (hits: respected);
 * - an invariant: the line of its `"id"` in `spec/invariants.json` (hits: held);
 * - a decision or erratum: its heading in `spec/DECISIONS.md` (hits: reached over the rules it
 *   names; entries that name none get no line);
 * - a command: a function (`FN`) at its `"name"` line, with its calls as hits.
 *
 * Where several points share a line (an ordering entry with several pairs), the line's `DA` hits
 * are the smallest of theirs, so it counts as covered only when all of them are, and each point is
 * also a branch (`BRDA`).
 *
 * @packageDocumentation
 */
import { catalogue, type CatalogueCommand } from '@realmspec/core';
import type { CoverageReport } from './report.js';

/** Where the catalogue files are and how to read them. */
export interface SpecTexts {
  /** The catalogue folder as `SF:` paths should name it, relative to the repository root (e.g. `spec`). */
  readonly root: string;
  /** The text of a catalogue file by its path in the catalogue (`rmi/RMI_VERSION.json`, `invariants.json`, `DECISIONS.md`), or undefined. */
  readonly read: (path: string) => string | undefined;
}

/** One top-level-or-deeper line of a JSON text, with the nesting depth at its start. */
interface JsonLine {
  readonly text: string;
  readonly depth: number;
}

/** The lines of a JSON text with the bracket depth at the start of each (strings are skipped). */
function jsonLines(text: string): JsonLine[] {
  const out: JsonLine[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (const line of text.split('\n')) {
    out.push({ text: line, depth });
    for (const ch of line) {
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === '\\') escaped = true;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') depth--;
    }
  }
  return out;
}

/** Lines (from 1) of a command file's rows: `failures`/`success` label → line, ordering entry k → line, the name line. */
export function commandLines(text: string): { failures: Map<string, number>; success: Map<string, number>; ordering: number[]; name: number | undefined } {
  const failures = new Map<string, number>();
  const success = new Map<string, number>();
  const ordering: number[] = [];
  let section: string | undefined;
  let name: number | undefined;
  jsonLines(text).forEach((l, i) => {
    const key = /^\s*"(\w+)"\s*:/.exec(l.text);
    if (l.depth === 1 && key !== null) {
      section = key[1];
      if (section === 'name') name = i + 1;
    }
    if (section === 'ordering' && l.depth === 2 && /^\s*\{/.test(l.text)) ordering.push(i + 1);
    const label = /"label"\s*:\s*"([^"]+)"/.exec(l.text);
    if (label === null || l.depth < 2) return;
    const map = section === 'failures' ? failures : section === 'success' ? success : undefined;
    if (map !== undefined && !map.has(label[1] as string)) map.set(label[1] as string, i + 1);
  });
  return { failures, success, ordering, name };
}

/** One coverage point placed on a line. */
interface Point {
  readonly line: number;
  readonly hits: number;
}

function record(sf: string, points: readonly Point[], fns: ReadonlyArray<{ line: number; name: string; hits: number }>): string[] {
  const out = ['TN:realmspec', `SF:${sf}`];
  for (const f of fns) out.push(`FN:${f.line},${f.name}`);
  for (const f of fns) out.push(`FNDA:${f.hits},${f.name}`);
  if (fns.length > 0) out.push(`FNF:${fns.length}`, `FNH:${fns.filter((f) => f.hits > 0).length}`);
  const byLine = new Map<number, number[]>();
  for (const p of points) byLine.set(p.line, [...(byLine.get(p.line) ?? []), p.hits]);
  const lines = [...byLine.keys()].sort((a, b) => a - b);
  let branches = 0;
  let taken = 0;
  for (const line of lines) {
    const hs = byLine.get(line) as number[];
    if (hs.length < 2) continue;
    hs.forEach((h, k) => out.push(`BRDA:${line},0,${k},${h}`));
    branches += hs.length;
    taken += hs.filter((h) => h > 0).length;
  }
  if (branches > 0) out.push(`BRF:${branches}`, `BRH:${taken}`);
  for (const line of lines) out.push(`DA:${line},${Math.min(...(byLine.get(line) as number[]))}`);
  out.push(`LF:${lines.length}`, `LH:${lines.filter((l) => Math.min(...(byLine.get(l) as number[])) > 0).length}`, 'end_of_record');
  return out;
}

/** The LCOV tracefile of a report; `warnings` name the points whose line was not found. */
export function lcovReport(report: CoverageReport, spec: SpecTexts): { readonly text: string; readonly warnings: readonly string[] } {
  const out: string[] = [];
  const warnings: string[] = [];
  const sf = (path: string): string => (spec.root === '' ? path : `${spec.root}/${path}`);
  for (const section of report.commands) {
    const c = catalogue.byName.get(section.name) as CatalogueCommand;
    const path = `${c.iface.toLowerCase()}/${c.name}.json`;
    const text = spec.read(path);
    if (text === undefined) {
      warnings.push(`${sf(path)}: cannot read; ${c.name} left out`);
      continue;
    }
    const lines = commandLines(text);
    const points: Point[] = [];
    const place = (line: number | undefined, hits: number, id: string): void => {
      if (line === undefined) warnings.push(`${sf(path)}: no line for ${id}`);
      else points.push({ line, hits });
    };
    for (const r of section.failures) place(lines.failures.get(r.rule.label), r.decided, r.rule.id);
    for (const r of section.success) if (r.counted) place(lines.success.get(r.rule.label), r.held, r.rule.id);
    for (const o of section.orderings) {
      const k = c.spec.ordering.findIndex((e) => e.before.includes(o.before.label) && e.after.includes(o.after.label));
      place(lines.ordering[k], o.respected, o.id);
    }
    const fns = lines.name === undefined ? [] : [{ line: lines.name, name: c.name, hits: section.calls }];
    out.push(...record(sf(path), points, fns));
  }
  const invText = spec.read('invariants.json');
  if (invText === undefined) warnings.push(`${sf('invariants.json')}: cannot read; invariants left out`);
  else {
    const ids = new Map<string, number>();
    invText.split('\n').forEach((l, i) => {
      const m = /"id"\s*:\s*"([^"]+)"/.exec(l);
      if (m !== null && !ids.has(m[1] as string)) ids.set(m[1] as string, i + 1);
    });
    const points: Point[] = [];
    for (const r of report.invariants) {
      const line = ids.get(r.rule.label);
      if (line === undefined) warnings.push(`${sf('invariants.json')}: no line for ${r.rule.id}`);
      else points.push({ line, hits: r.held });
    }
    out.push(...record(sf('invariants.json'), points, []));
  }
  const mapped = report.decisions.filter((d) => d.mapped);
  if (mapped.length > 0) out.push(...record(sf('DECISIONS.md'), mapped.map((d) => ({ line: d.entry.line, hits: d.reached })), []));
  return { text: out.join('\n') + '\n', warnings };
}
