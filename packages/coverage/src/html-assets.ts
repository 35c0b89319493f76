/**
 * The inline style sheet and script of the HTML report (no external resources).
 *
 * @packageDocumentation
 */

/** The report's CSS. @internal */
export const STYLE = `
:root { --bad: #fde2e1; --bad-edge: #c62828; --good: #e8f5e9; --muted: #666; --line: #ddd; }
body { font: 14px/1.4 system-ui, sans-serif; margin: 0 1.5em 3em; color: #222; }
header { position: sticky; top: 0; background: #fff; padding: .5em 0; border-bottom: 1px solid var(--line); z-index: 1; }
h1 { font-size: 1.4em; margin: .3em 0; }
h2 { font-size: 1.15em; margin: 1.5em 0 .2em; }
h2 small { color: var(--muted); font-weight: normal; }
#summary-line { font-weight: 600; }
table { border-collapse: collapse; margin: .4em 0; }
th, td { border: 1px solid var(--line); padding: .2em .45em; vertical-align: top; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.sortable thead th { cursor: pointer; user-select: none; background: #f6f6f6; }
table.sortable thead th[aria-sort="ascending"]::after { content: " \\25B2"; }
table.sortable thead th[aria-sort="descending"]::after { content: " \\25BC"; }
tr.uncovered { background: var(--bad); }
tr.uncovered td:first-child { border-left: 4px solid var(--bad-edge); }
tr.violated { outline: 2px solid var(--bad-edge); }
tr.established, tr.unmapped { color: var(--muted); }
.tag { font-size: .8em; background: #eee; border-radius: 3px; padding: 0 .3em; }
.status { font-size: .85em; color: var(--muted); }
.detail { font-size: .85em; color: var(--muted); margin-top: .2em; }
.tally { color: var(--muted); margin: 0; }
.pending { color: #8a6d00; }
.bar { width: 10em; height: .8em; background: var(--bad); }
.bar > div { height: 100%; background: #43a047; }
nav { margin: .4em 0; font-size: .85em; }
nav a { margin-right: .3em; }
nav a.partial { color: var(--bad-edge); }
#controls { display: flex; gap: 1em; align-items: center; }
#filter { width: 28em; padding: .3em; }
.hidden { display: none; }
`;

/** The report's script: the filter box and sortable columns. @internal */
export const SCRIPT = `
(function () {
  'use strict';
  var filter = document.getElementById('filter');
  var only = document.getElementById('uncovered-only');
  var shown = document.getElementById('shown');
  var rows = Array.prototype.slice.call(document.querySelectorAll('main tr.row'));
  var text = rows.map(function (r) { return (r.getAttribute('data-id') + ' ' + r.textContent).toLowerCase(); });
  function apply() {
    var q = filter.value.trim().toLowerCase();
    var words = q === '' ? [] : q.split(/\\s+/);
    var n = 0;
    rows.forEach(function (r, i) {
      var ok = words.every(function (w) { return text[i].indexOf(w) >= 0; }) && (!only.checked || r.classList.contains('uncovered'));
      r.classList.toggle('hidden', !ok);
      if (ok) n++;
    });
    document.querySelectorAll('main section').forEach(function (s) {
      s.classList.toggle('hidden', s.querySelector('tr.row:not(.hidden)') === null);
    });
    shown.textContent = n + ' of ' + rows.length + ' rows shown';
    shown.setAttribute('data-shown', String(n));
  }
  filter.addEventListener('input', apply);
  only.addEventListener('change', apply);
  function sortBy(th) {
    var table = th.closest('table');
    var col = Array.prototype.indexOf.call(th.parentNode.children, th);
    var num = th.getAttribute('data-type') === 'num';
    var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    table.querySelectorAll('thead th').forEach(function (x) { x.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
    var body = table.tBodies[0];
    var list = Array.prototype.slice.call(body.rows);
    list.sort(function (a, b) {
      var x = a.cells[col].textContent.trim();
      var y = b.cells[col].textContent.trim();
      var c = num ? (Number(x) || 0) - (Number(y) || 0) : x.localeCompare(y);
      return dir * c;
    });
    list.forEach(function (r) { body.appendChild(r); });
  }
  document.querySelectorAll('table.sortable thead th').forEach(function (th) {
    th.addEventListener('click', function () { sortBy(th); });
    th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(th); } });
  });
  apply();
})();
`;
