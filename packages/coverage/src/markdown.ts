/**
 * The Markdown report: the one-line summary (`k of n rules covered`), a table of the kinds, a
 * table with one row per command, the invariants, the decisions and errata, and every uncovered
 * coverage point with its text and section.
 *
 * @packageDocumentation
 */
import { summaryLine, uncovered, type CoverageReport, type RuleRow } from './report.js';
import type { Tally } from './schema.js';

const of = (t: Tally): string => (t.total === 0 ? '–' : `${t.covered} of ${t.total}`);
/** Text safe inside a Markdown table cell. */
const cell = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function counters(r: RuleRow): string {
  if (r.rule.kind === 'failure') return `reached ${r.reached}, held ${r.held}, decided ${r.decided}`;
  return `${r.rule.kind === 'invariant' ? 'checked' : 'evaluated'} ${r.reached}, held ${r.held}`;
}

/** The report as Markdown (GitHub-flavoured tables). */
export function markdownReport(r: CoverageReport): string {
  const s = r.summary;
  const out: string[] = ['# Spec coverage (DEN0137 1.0-rel0)', '', `**${summaryLine(s)}**`, ''];
  if (r.sources.length > 0) {
    out.push(`Sources: ${r.sources.map((x) => `${x.kind} \`${cell(x.name)}\`${x.detail !== undefined ? ` (${cell(x.detail)})` : ''}${x.at !== undefined ? ` at ${x.at}` : ''}`).join('; ')}.`, '');
  }
  out.push('| kind | covered | meaning of covered |', '|---|---|---|');
  out.push(`| failure conditions | ${of(s.failures)} | decided the outcome of a call |`);
  out.push(`| success conditions | ${of(s.success)} | post-condition evaluated and held |`);
  out.push(`| orderings | ${of(s.orderings)} | both conditions held in one call and the outcome respected the order |`);
  out.push(`| invariants | ${of(s.invariants)} | checked and held |`);
  out.push(`| decisions | ${of(s.decisions)} | a rule it names was reached |`);
  out.push(`| errata | ${of(s.errata)} | a rule it names was reached |`);
  const pending = r.commands.filter((c) => !c.postConditions && c.tally.success.total > 0);
  if (pending.length > 0) {
    out.push('', `Success conditions of ${pending.length} of ${r.commands.length} commands (marked * below) are not yet checked as post-conditions by the model: they count as held whenever the command succeeded in their case.`);
  }
  out.push('', '## Commands', '', '| command | section | calls | failure conditions | success conditions | orderings |', '|---|---|---:|---:|---:|---:|');
  for (const c of r.commands) {
    const star = !c.postConditions && c.tally.success.total > 0 ? ' *' : '';
    out.push(`| ${c.name} | ${c.section} | ${c.calls} | ${of(c.tally.failures)} | ${of(c.tally.success)}${star} | ${of(c.tally.orderings)} |`);
  }
  out.push('', '## Invariants', '', '| invariant | section | checked | held | covered |', '|---|---|---:|---:|---|');
  for (const i of r.invariants) out.push(`| ${i.rule.label} | ${i.rule.section} | ${i.reached} | ${i.held} | ${i.covered ? 'yes' : '**no**'} |`);
  if (r.decisions.length > 0) {
    out.push('', '## Decisions and errata', '', '| id | kind | rules covered | reached | exercised | names no catalogue rule |', '|---|---|---:|---:|---|---|');
    for (const d of r.decisions) {
      const verdict = !d.mapped ? 'not mapped' : d.exercised ? 'yes' : '**no**';
      const stale = d.entry.unresolved.map((t) => `\`${cell(t)}\``).join(', ');
      out.push(`| ${d.entry.ids.join(', ')} | ${d.entry.kind} | ${d.rulesCovered} of ${d.rulesCounted} | ${d.reached} | ${verdict} | ${stale} |`);
    }
  }
  const missing = uncovered(r);
  out.push('', '## Not covered', '');
  if (missing.length === 0) out.push('Every coverage point is covered.');
  for (const u of missing) {
    out.push(`### ${u.command}`, '');
    for (const x of u.rules) out.push(`- \`${x.rule.id}\` (${x.rule.section}${x.rule.origin === 'derived' ? ', derived' : ''}): ${cell(x.rule.text)} — ${counters(x)}`);
    for (const o of u.orderings) out.push(`- \`${o.id}\` (${o.before.section}): both held ${o.both}, respected ${o.respected}`);
    out.push('');
  }
  return out.join('\n').trimEnd() + '\n';
}
