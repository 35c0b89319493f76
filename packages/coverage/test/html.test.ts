/**
 * The HTML report as text: self-contained (no request of any kind), every coverage point in a
 * row with its counters, text escaped. Its behaviour in a browser is tested by
 * `npm run test:browser` (test/browser/).
 */
import { describe, expect, it } from 'vitest';
import { catalogue } from '@realmspec/core';
import { buildReport, catalogueDecisions, coverageOf, escapeHtml, htmlReport } from '../src/index.js';
import { smallRun } from './support.js';

const file = coverageOf(smallRun(), [{ kind: 'replay', name: 'a<script>alert(1)</script>.jsonl' }]);
const report = buildReport(file, catalogueDecisions());
const html = htmlReport(report);

describe('HTML report', () => {
  it('requests nothing: no external resource, and a policy that forbids every fetch', () => {
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">`);
    expect(html).not.toMatch(/<link\b|\bsrc\s*=|url\(|@import|https?:\/\//i);
  });

  it('has a row for every rule, ordering, invariant and decision, with its counters', () => {
    for (const r of catalogue.rules) expect(html).toContain(` data-id="${escapeHtml(r.id)}" data-kind="${r.kind}"`);
    for (const o of catalogue.orderings) expect(html).toContain(` data-id="${escapeHtml(o.id)}" data-kind="ordering"`);
    const align = file.rules['RMI_GRANULE_DELEGATE/gran_align']!;
    expect(html).toContain(`data-id="RMI_GRANULE_DELEGATE/gran_align" data-kind="failure" data-reached="${align.reached}" data-held="${align.held}" data-decided="${align.decided}" data-covered="1"`);
    for (const d of report.decisions) expect(html).toContain(`data-id="${escapeHtml(d.entry.ids.join(', '))}" data-kind="${d.entry.kind}"`);
  });

  it('shows the summary counts', () => {
    for (const [k, t] of Object.entries(report.summary)) expect(html).toContain(`<tr data-kind="${k}" data-covered="${t.covered}" data-total="${t.total}">`);
  });

  it('escapes text', () => {
    expect(html).toContain('a&lt;script&gt;alert(1)&lt;/script&gt;.jsonl');
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
