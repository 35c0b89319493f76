/**
 * The HTML report: one self-contained file (inline CSS and script, a Content-Security-Policy that
 * forbids every request) with the summary, one section per command listing every rule with its
 * text, section and counters, the invariants and the decisions. Uncovered rows are highlighted; a
 * filter box narrows the rows (by id, text or section; optionally to uncovered ones) and every
 * column sorts on a click.
 *
 * Every counter is in the markup as text and as a `data-` attribute (`data-id`, `data-reached`,
 * `data-held`, `data-decided`, `data-both`, `data-respected`, `data-covered`; the summary's
 * `data-kind`, `data-covered`, `data-total`), so tests and scripts can read them back.
 *
 * @packageDocumentation
 */
import { summaryLine, type CommandSection, type CoverageReport, type OrderingRow, type RuleRow } from './report.js';
import type { Tally } from './schema.js';
import { SCRIPT, STYLE } from './html-assets.js';

/** Text as HTML (element content and attribute values). */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const h = escapeHtml;
const pct = (t: Tally): string => (t.total === 0 ? '–' : `${Math.floor((100 * t.covered) / t.total)}%`);
const of = (t: Tally): string => `${t.covered} of ${t.total}`;

function th(label: string, num = false): string {
  return `<th scope="col"${num ? ' data-type="num"' : ''} tabindex="0">${h(label)}</th>`;
}

function ruleRow(r: RuleRow): string {
  const x = r.rule;
  const cls = !r.counted ? 'row established' : r.covered ? 'row covered' : 'row uncovered';
  const verdict = !r.counted ? `established by ${h(x.establishedBy ?? '')}` : r.covered ? 'yes' : 'no';
  const detail = [x.when !== undefined ? `when ${x.when}` : '', x.reason !== undefined ? `derived: ${x.reason}` : ''].filter((s) => s !== '').join(' · ');
  const failure = x.kind === 'failure';
  return (
    `<tr class="${cls}" data-id="${h(x.id)}" data-kind="${x.kind}" data-reached="${r.reached}" data-held="${r.held}"` +
    `${failure ? ` data-decided="${r.decided}"` : ''} data-covered="${r.covered ? 1 : 0}">` +
    `<td>${x.kind}${x.origin === 'derived' ? ' <span class="tag">derived</span>' : ''}</td>` +
    `<td><code>${h(x.label)}</code>${x.status !== undefined ? `<br><span class="status">${h(x.status)}</span>` : ''}</td>` +
    `<td>${h(x.text)}${detail !== '' ? `<div class="detail">${h(detail)}</div>` : ''}</td>` +
    `<td>${h(x.section)}</td><td class="num">${r.reached}</td><td class="num">${r.held}</td>` +
    `<td class="num">${failure ? r.decided : ''}</td><td>${verdict}</td></tr>`
  );
}

function orderingRow(o: OrderingRow): string {
  return (
    `<tr class="row ${o.covered ? 'covered' : 'uncovered'}${o.both > o.respected ? ' violated' : ''}" data-id="${h(o.id)}" data-kind="ordering"` +
    ` data-both="${o.both}" data-respected="${o.respected}" data-covered="${o.covered ? 1 : 0}">` +
    `<td><code>${h(o.before.label)}</code> before <code>${h(o.after.label)}</code></td><td>${h(o.before.section)}</td>` +
    `<td class="num">${o.both}</td><td class="num">${o.respected}</td><td>${o.covered ? 'yes' : 'no'}${o.both > o.respected ? ' (violated)' : ''}</td></tr>`
  );
}

const RULE_HEAD = `<thead><tr>${th('kind')}${th('rule')}${th('condition')}${th('section')}${th('reached', true)}${th('held', true)}${th('decided', true)}${th('covered')}</tr></thead>`;
const ORDER_HEAD = `<thead><tr>${th('ordering')}${th('section')}${th('both held', true)}${th('respected', true)}${th('covered')}</tr></thead>`;

function commandSection(c: CommandSection): string {
  const t = c.tally;
  const orderings =
    c.orderings.length === 0 ? '' : `<table class="sortable orderings">${ORDER_HEAD}<tbody>${c.orderings.map(orderingRow).join('')}</tbody></table>`;
  return (
    `<section class="command" id="${h(c.name)}" data-command="${h(c.name)}"><h2>${h(c.name)} <small>${h(c.section)}</small></h2>` +
    `<p class="tally" data-calls="${c.calls}">${c.calls} call(s) · failure conditions ${of(t.failures)} · success conditions ${of(t.success)}` +
    `${t.orderings.total > 0 ? ` · orderings ${of(t.orderings)}` : ''}` +
    `${!c.postConditions && t.success.total > 0 ? ' · <span class="pending">success conditions counted on success: no post-condition checked yet</span>' : ''}</p>` +
    `<table class="sortable rules">${RULE_HEAD}<tbody>${[...c.failures, ...c.success].map(ruleRow).join('')}</tbody></table>${orderings}</section>`
  );
}

function summaryTable(r: CoverageReport): string {
  const s = r.summary;
  const kinds: Array<[keyof typeof s, string]> = [
    ['rules', 'all rules'],
    ['failures', 'failure conditions'],
    ['success', 'success conditions'],
    ['orderings', 'orderings'],
    ['invariants', 'invariants'],
    ['decisions', 'decisions (exercised)'],
    ['errata', 'errata (exercised)'],
  ];
  const rows = kinds.map(([k, label]) => {
    const t = s[k];
    const w = t.total === 0 ? 0 : (100 * t.covered) / t.total;
    return (
      `<tr data-kind="${k}" data-covered="${t.covered}" data-total="${t.total}"><th scope="row">${h(label)}</th>` +
      `<td class="num covered-count">${t.covered}</td><td class="num total-count">${t.total}</td><td class="num">${pct(t)}</td>` +
      `<td><div class="bar"><div style="width:${w.toFixed(1)}%"></div></div></td></tr>`
    );
  });
  return `<table id="summary"><thead><tr><th>kind</th><th>covered</th><th>of</th><th></th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function invariantsSection(r: CoverageReport): string {
  return `<section class="command" id="INVARIANTS" data-command="INVARIANT"><h2>Invariants <small>spec/invariants.json</small></h2><table class="sortable rules">${RULE_HEAD}<tbody>${r.invariants.map(ruleRow).join('')}</tbody></table></section>`;
}

function decisionsSection(r: CoverageReport): string {
  if (r.decisions.length === 0) return '';
  const rows = r.decisions.map((d) => {
    const cls = !d.mapped ? 'row unmapped' : d.exercised ? 'row covered' : 'row uncovered';
    const verdict = !d.mapped ? 'not mapped' : d.exercised ? 'yes' : 'no';
    return (
      `<tr class="${cls}" data-id="${h(d.entry.ids.join(', '))}" data-kind="${d.entry.kind}" data-reached="${d.reached}" data-covered="${d.mapped && d.exercised ? 1 : 0}">` +
      `<td><code>${h(d.entry.ids.join(', '))}</code></td><td>${d.entry.kind}</td><td>${h(d.entry.title)}` +
      `${d.entry.unresolved.length > 0 ? `<div class="detail">names no catalogue rule: ${h(d.entry.unresolved.join(', '))}</div>` : ''}</td>` +
      `<td class="num">${d.rulesCounted}</td><td class="num">${d.rulesCovered}</td><td class="num">${d.reached}</td><td>${verdict}</td></tr>`
    );
  });
  const head = `<thead><tr>${th('id')}${th('kind')}${th('title')}${th('rules counted', true)}${th('rules covered', true)}${th('reached', true)}${th('exercised')}</tr></thead>`;
  return `<section class="command" id="DECISIONS" data-command="DECISIONS"><h2>Decisions and errata <small>spec/DECISIONS.md</small></h2><table class="sortable decisions">${head}<tbody>${rows.join('')}</tbody></table></section>`;
}

/** The report as one self-contained HTML file. */
export function htmlReport(r: CoverageReport): string {
  const sources = r.sources.map((s) => `<li>${h(s.kind)} <code>${h(s.name)}</code>${s.detail !== undefined ? ` (${h(s.detail)})` : ''}${s.at !== undefined ? ` at ${h(s.at)}` : ''}</li>`).join('');
  const nav = r.commands.map((c) => `<a href="#${h(c.name)}" class="${c.tally.failures.covered + c.tally.success.covered + c.tally.orderings.covered === c.tally.failures.total + c.tally.success.total + c.tally.orderings.total ? 'full' : 'partial'}">${h(c.name)}</a>`).join(' ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Spec coverage: DEN0137 1.0-rel0</title>
<style>${STYLE}</style></head>
<body>
<header><h1>Spec coverage: DEN0137 1.0-rel0</h1>
<p id="summary-line">${h(summaryLine(r.summary))}</p>
${summaryTable(r)}
${sources === '' ? '' : `<details><summary>Sources (${r.sources.length})</summary><ul id="sources">${sources}</ul></details>`}
<nav>${nav}</nav>
<div id="controls"><input id="filter" type="search" placeholder="Filter: rule id, label, text, section" aria-label="Filter rows">
<label><input type="checkbox" id="uncovered-only"> uncovered only</label> <span id="shown"></span></div>
</header>
<main>
${r.commands.map(commandSection).join('\n')}
${invariantsSection(r)}
${decisionsSection(r)}
</main>
<script>${SCRIPT}</script>
</body></html>
`;
}
