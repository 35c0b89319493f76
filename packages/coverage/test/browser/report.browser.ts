/**
 * The HTML report in a real browser (headless Chromium driven by playwright-core): it loads with
 * no console error and no request, the counts it shows equal the JSON report's, the filter box
 * narrows the rows, and columns sort. Run by `npm run test:browser`; needs a Chromium
 * (`apt-get install -y chromium`, or REALMSPEC_CHROMIUM naming the executable).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { catalogue } from '@realmspec/core';
import { buildReport, catalogueDecisions, count, coverageOf, encodeCoverage, htmlReport, uncovered, withSummary, type CoverageFile } from '../../src/index.js';
import { smallRun } from '../support.js';

/** The few DOM members the page functions use (the project's type check has no DOM library). */
interface Row {
  readonly className: string;
  readonly offsetParent: unknown;
  readonly textContent: string | null;
  readonly cells: ArrayLike<{ readonly textContent: string | null }>;
  getAttribute(name: string): string | null;
}
declare const getComputedStyle: (e: unknown) => { readonly backgroundColor: string };

const executable = process.env.REALMSPEC_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// A run with some of everything: covered and uncovered rows of every kind, an ordering violated.
const base = coverageOf(smallRun(), [{ kind: 'replay', name: 'small.jsonl' }]);
const [o1, o2] = catalogue.orderings;
const file: CoverageFile = { ...base, orderings: { [o1!.id]: { both: count(2), respected: count(2) }, [o2!.id]: { both: count(1), respected: count(0) } } };
const report = buildReport(file, catalogueDecisions());
// The JSON report, as `realmspec coverage --format json` writes it: the counts the page must show.
const json = JSON.parse(encodeCoverage(withSummary(file, report))) as CoverageFile & { summary: Record<string, { covered: number; total: number }> };

let dir: string;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  if (executable === undefined) throw new Error('no Chromium: install one (apt-get install -y chromium) or set REALMSPEC_CHROMIUM');
  dir = mkdtempSync(join(tmpdir(), 'realmspec-browser-'));
  writeFileSync(join(dir, 'report.html'), htmlReport(report));
  context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: executable, headless: true, args: ARGS });
  context.on('request', (r) => {
    if (!r.url().startsWith('file:')) problems.push(`request: ${r.url()}`);
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(pathToFileURL(join(dir, 'report.html')).href);
}, 60_000);

afterAll(async () => {
  await context?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** Every row of the main part: id, kind, classes, visible, and the text of its cells. */
const rows = async (): Promise<Array<{ id: string; kind: string; cls: string; visible: boolean; text: string; cells: string[] }>> =>
  page.$$eval('main tr.row', (trs) =>
    (trs as unknown as Row[]).map((tr) => ({
      id: tr.getAttribute('data-id') ?? '',
      kind: tr.getAttribute('data-kind') ?? '',
      cls: tr.className,
      visible: tr.offsetParent !== null,
      text: ((tr.getAttribute('data-id') ?? '') + ' ' + (tr.textContent ?? '')).toLowerCase(),
      cells: Array.from(tr.cells).map((c) => (c.textContent ?? '').trim()),
    })),
  );

describe('the HTML report in Chromium', () => {
  it('loads with no console error, no page error and no request', () => {
    expect(problems).toEqual([]);
  });

  it('shows the summary counts of the JSON report', async () => {
    const shown = await page.$$eval('#summary tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-kind'), tr.querySelector('.covered-count')?.textContent, tr.querySelector('.total-count')?.textContent]));
    expect(shown).toEqual(Object.entries(json.summary).map(([k, t]) => [k, String(t.covered), String(t.total)]));
    expect(await page.textContent('#summary-line')).toContain(`${json.summary.rules!.covered} of ${json.summary.rules!.total} rules covered`);
  });

  it('shows every rule and ordering with the counters of the JSON report', async () => {
    const all = await rows();
    const rules = all.filter((r) => ['failure', 'success', 'invariant'].includes(r.kind));
    expect(rules.map((r) => r.id).sort()).toEqual(catalogue.rules.map((r) => r.id).sort());
    for (const r of rules) {
      const c = json.rules[r.id];
      expect(r.cells.slice(4, 7), r.id).toEqual([String(c?.reached ?? 0), String(c?.held ?? 0), r.kind === 'failure' ? String(c?.decided ?? 0) : '']);
    }
    const orderings = all.filter((r) => r.kind === 'ordering');
    expect(orderings.map((r) => r.id).sort()).toEqual(catalogue.orderings.map((o) => o.id).sort());
    for (const r of orderings) {
      const c = json.orderings[r.id];
      expect(r.cells.slice(2, 4), r.id).toEqual([String(c?.both ?? 0), String(c?.respected ?? 0)]);
    }
    expect(all.find((r) => r.id === o2!.id)!.cls).toContain('violated');
  });

  it('highlights exactly the uncovered points', async () => {
    const all = await rows();
    const want = uncovered(report).flatMap((u) => [...u.rules.map((x) => x.rule.id), ...u.orderings.map((o) => o.id)]);
    const decisions = report.decisions.filter((d) => d.mapped && !d.exercised).map((d) => d.entry.ids.join(', '));
    expect(all.filter((r) => r.cls.split(' ').includes('uncovered')).map((r) => r.id).sort()).toEqual([...want, ...decisions].sort());
    const color = await page.$eval('main tr.uncovered', (tr) => getComputedStyle(tr).backgroundColor);
    const plain = await page.$eval('main tr.covered', (tr) => getComputedStyle(tr).backgroundColor);
    expect(color).not.toBe(plain);
  });

  it('the filter narrows the rows to those that match, and clearing it shows them all', async () => {
    const total = (await rows()).length;
    await page.fill('#filter', 'gran_align');
    const after = await rows();
    const visible = after.filter((r) => r.visible);
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.length).toBeLessThan(total);
    for (const r of after) expect(r.visible, r.id).toBe(r.text.includes('gran_align'));
    expect(visible.map((r) => r.id)).toEqual(expect.arrayContaining(catalogue.rules.filter((r) => r.label === 'gran_align').map((r) => r.id)));
    expect(await page.getAttribute('#shown', 'data-shown')).toBe(String(visible.length));
    await page.fill('#filter', '');
    expect((await rows()).filter((r) => r.visible)).toHaveLength(total);
  });

  it('"uncovered only" leaves the uncovered rows', async () => {
    await page.check('#uncovered-only');
    const all = await rows();
    expect(all.filter((r) => r.visible).length).toBe(all.filter((r) => r.cls.split(' ').includes('uncovered')).length);
    for (const r of all.filter((x) => x.visible)) expect(r.cls).toContain('uncovered');
    await page.uncheck('#uncovered-only');
  });

  it('sorts a column on a click, ascending then descending', async () => {
    const header = page.locator('section#RMI_GRANULE_DELEGATE table.rules thead th', { hasText: 'reached' });
    const column = async (): Promise<number[]> => page.$$eval('section#RMI_GRANULE_DELEGATE table.rules tbody tr', (trs) => (trs as unknown as Row[]).map((tr) => Number(tr.cells[4]!.textContent)));
    const before = await column();
    await header.click();
    expect(await column()).toEqual([...before].sort((a, b) => a - b));
    await header.click();
    expect(await column()).toEqual([...before].sort((a, b) => b - a));
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    expect(problems).toEqual([]);
  });
});
