/**
 * The LCOV report: a well-formed tracefile (checked by a parser here, and by genhtml when lcov is
 * installed) whose every line points at the catalogue row of its coverage point.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogue } from '@realmspec/core';
import { buildReport, catalogueDecisions, commandLines, coverageOf, lcovReport, specTexts } from '../src/index.js';
import { smallRun } from './support.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

interface LcovRecord {
  readonly sf: string;
  readonly da: Map<number, number>;
  readonly brda: Array<[number, number]>;
  readonly fn: Map<string, number>;
}

/** Parses a tracefile, checking every line's form and every record's totals. */
function parseLcov(text: string): LcovRecord[] {
  const out: LcovRecord[] = [];
  let cur: { sf: string; da: Map<number, number>; brda: Array<[number, number]>; fn: Map<string, number>; fnLines: Map<string, number>; totals: Record<string, number> } | undefined;
  for (const line of text.trimEnd().split('\n')) {
    let m: RegExpExecArray | null;
    if (line === 'TN:realmspec') {
      expect(cur).toBeUndefined();
      cur = { sf: '', da: new Map(), brda: [], fn: new Map(), fnLines: new Map(), totals: {} };
    } else if (cur === undefined) throw new Error(`outside a record: ${line}`);
    else if ((m = /^SF:(\S.*)$/.exec(line))) cur.sf = m[1]!;
    else if ((m = /^FN:(\d+),(\w+)$/.exec(line))) cur.fnLines.set(m[2]!, Number(m[1]));
    else if ((m = /^FNDA:(\d+),(\w+)$/.exec(line))) cur.fn.set(m[2]!, Number(m[1]));
    else if ((m = /^BRDA:(\d+),0,(\d+),(\d+)$/.exec(line))) cur.brda.push([Number(m[1]), Number(m[3])]);
    else if ((m = /^DA:(\d+),(\d+)$/.exec(line))) {
      expect(cur.da.has(Number(m[1]))).toBe(false);
      cur.da.set(Number(m[1]), Number(m[2]));
    } else if ((m = /^(LF|LH|BRF|BRH|FNF|FNH):(\d+)$/.exec(line))) cur.totals[m[1]!] = Number(m[2]);
    else if (line === 'end_of_record') {
      const t = cur.totals;
      expect(t.LF).toBe(cur.da.size);
      expect(t.LH).toBe([...cur.da.values()].filter((h) => h > 0).length);
      if (cur.brda.length > 0) expect([t.BRF, t.BRH]).toEqual([cur.brda.length, cur.brda.filter(([, h]) => h > 0).length]);
      if (cur.fn.size > 0) expect([t.FNF, t.FNH]).toEqual([cur.fn.size, [...cur.fn.values()].filter((h) => h > 0).length]);
      expect([...cur.fnLines.keys()]).toEqual([...cur.fn.keys()]);
      out.push(cur);
      cur = undefined;
    } else throw new Error(`not an LCOV line: ${line}`);
  }
  expect(cur).toBeUndefined();
  return out;
}

const report = buildReport(coverageOf(smallRun(), []), catalogueDecisions());
const { text, warnings } = lcovReport(report, specTexts(repo));
const records = parseLcov(text);
const fileLines = (sf: string): string[] => readFileSync(join(repo, sf), 'utf8').split('\n');

describe('LCOV', () => {
  it('is well formed, one record per catalogue file, paths relative to the repository root', () => {
    expect(warnings).toEqual([]);
    expect(records.map((r) => r.sf)).toEqual([...catalogue.commands.map((c) => `spec/${c.iface.toLowerCase()}/${c.name}.json`), 'spec/invariants.json', 'spec/DECISIONS.md']);
    for (const r of records) expect(existsSync(join(repo, r.sf))).toBe(true);
  });

  it('puts each failure and success condition on the line of its label, in its own list, with its hits', () => {
    for (const c of report.commands) {
      const sf = `spec/${catalogue.byName.get(c.name)!.iface.toLowerCase()}/${c.name}.json`;
      const rec = records.find((r) => r.sf === sf)!;
      const lines = fileLines(sf);
      const start = (key: string): number => lines.findIndex((l) => l.startsWith(`  "${key}"`)) + 1;
      for (const row of [...c.failures, ...c.success]) {
        if (!row.counted) continue;
        const line = commandLines(lines.join('\n'))[row.rule.kind === 'failure' ? 'failures' : 'success'].get(row.rule.label)!;
        expect(lines[line - 1]).toContain(`"label": "${row.rule.label}"`);
        const [from, to] = row.rule.kind === 'failure' ? [start('failures'), start('ordering')] : [start('success'), lines.length];
        expect(line).toBeGreaterThan(from);
        expect(line).toBeLessThan(to);
        expect(rec.da.get(line)).toBe(row.rule.kind === 'failure' ? row.decided : row.held);
      }
      expect(rec.fn.get(c.name)).toBe(c.calls);
    }
  });

  it('puts each ordering on the line that states it; a line with several is covered only when all are', () => {
    for (const c of report.commands.filter((x) => x.orderings.length > 0)) {
      const sf = `spec/${catalogue.byName.get(c.name)!.iface.toLowerCase()}/${c.name}.json`;
      const rec = records.find((r) => r.sf === sf)!;
      const lines = fileLines(sf);
      for (const o of c.orderings) {
        const states = (l: number): boolean => ['"before"', `"${o.before.label}"`, `"${o.after.label}"`].every((x) => lines[l - 1]!.includes(x));
        const line = [...rec.da.keys()].find(states);
        expect(line, o.id).toBeDefined();
        if (!rec.brda.some(([l]) => l === line)) expect(rec.da.get(line!)).toBe(o.respected);
      }
      for (const [l] of rec.brda) expect(rec.da.get(l)).toBe(Math.min(...rec.brda.filter(([x]) => x === l).map(([, h]) => h)));
    }
  });

  it('puts invariants on their id in invariants.json and decisions on their heading', () => {
    const inv = records.find((r) => r.sf === 'spec/invariants.json')!;
    const invLines = fileLines('spec/invariants.json');
    expect(inv.da.size).toBe(catalogue.invariants.length);
    for (const r of report.invariants) expect([...inv.da.entries()].find(([l]) => invLines[l - 1]!.includes(`"id": "${r.rule.label}"`))?.[1]).toBe(r.held);
    const dec = records.find((r) => r.sf === 'spec/DECISIONS.md')!;
    const decLines = fileLines('spec/DECISIONS.md');
    expect(dec.da.size).toBe(report.decisions.filter((d) => d.mapped).length);
    for (const l of dec.da.keys()) expect(decLines[l - 1]).toMatch(/^## [DE]-/);
  });

  const genhtml = ['/usr/bin/genhtml', '/usr/local/bin/genhtml'].find((p) => existsSync(p));
  it.runIf(genhtml !== undefined)('genhtml renders it (when lcov is installed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'realmspec-lcov-'));
    try {
      writeFileSync(join(dir, 'spec.lcov'), text);
      execFileSync(genhtml as string, ['--branch-coverage', '--quiet', '-o', join(dir, 'html'), join(dir, 'spec.lcov')], { cwd: repo, stdio: 'pipe' });
      expect(existsSync(join(dir, 'html', 'index.html'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
