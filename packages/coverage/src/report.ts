/**
 * A coverage report: a coverage file read against the whole catalogue, so that every rule has a
 * row (a command never called shows 0 of n) with its text, section and counters, and a verdict.
 *
 * What counts as covered:
 * - a failure condition, when it *decided* an outcome at least once (it was the failure
 *   reported); reached and held are shown too;
 * - a success condition, when its post-condition was evaluated and held at least once; a row
 *   that another command establishes (`establishedBy`) is shown but not counted;
 * - an ordering constraint (DEN0137 B1.6.2), when both its conditions held in one call and the
 *   outcome respected it; a call where both held and the outcome did not is a violation;
 * - an invariant, when it was checked and held;
 * - a decision or erratum, when it is *exercised*: one of the rules its Rules field names was
 *   reached (a failure condition's antecedent evaluated, a success condition's post-condition
 *   evaluated, an invariant checked). One that names no catalogue rule is *not mapped* and left
 *   out of the totals.
 *
 * @packageDocumentation
 */
import { catalogue, realmCommands, rmiCommands, type Rule } from '@realmspec/core';
import type { DecisionEntry } from './decisions.js';
import { count, type CoverageFile, type Source, type Summary, type Tally } from './schema.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One catalogue rule in a report. */
export interface RuleRow {
  /** The rule. */
  readonly rule: Rule;
  /** Evaluations: a failure condition's antecedent, a success condition's post-condition, an invariant's check. */
  readonly reached: number;
  /** Times it held. */
  readonly held: number;
  /** Failure conditions: times it was the failure reported. */
  readonly decided: number;
  /** Whether it counts in the totals (false for a success condition another command establishes). */
  readonly counted: boolean;
  /** Whether it is covered (see the module documentation). */
  readonly covered: boolean;
}

/** One ordering constraint in a report. */
export interface OrderingRow {
  /** `<CMD>/order/<before><<after>`. */
  readonly id: string;
  /** The condition that takes precedence. */
  readonly before: Rule;
  /** The condition it takes precedence over. */
  readonly after: Rule;
  /** Calls in which both held. */
  readonly both: number;
  /** Of those, calls whose outcome respected the constraint. */
  readonly respected: number;
  /** `respected > 0`. */
  readonly covered: boolean;
}

/** One command of the catalogue in a report. */
export interface CommandSection {
  /** Command name. */
  readonly name: string;
  /** The command's spec section (B4.3.x, B5.3.x, B6.3.x). */
  readonly section: string;
  /** Calls counted. */
  readonly calls: number;
  /** Failure conditions in listed order. */
  readonly failures: readonly RuleRow[];
  /** Success conditions in listed order. */
  readonly success: readonly RuleRow[];
  /** Ordering constraints. */
  readonly orderings: readonly OrderingRow[];
  /**
   * Whether the model checks the command's success conditions as post-conditions (engine `post`);
   * when not yet, a success condition counts as held whenever the command succeeded in its case.
   */
  readonly postConditions: boolean;
  /** Covered of counted, per kind. */
  readonly tally: { readonly failures: Tally; readonly success: Tally; readonly orderings: Tally };
}

/** One decision or erratum in a report. */
export interface DecisionRow {
  /** The entry of DECISIONS.md. */
  readonly entry: DecisionEntry;
  /** Sum of `reached` over the rules it names. */
  readonly reached: number;
  /** How many of the rules it names count (a success condition another command establishes does not). */
  readonly rulesCounted: number;
  /** How many of those are covered. */
  readonly rulesCovered: number;
  /** Whether it names a catalogue rule. */
  readonly mapped: boolean;
  /** Whether one of its rules was reached. */
  readonly exercised: boolean;
}

/** A coverage file read against the catalogue. */
export interface CoverageReport {
  /** What produced the counts. */
  readonly sources: readonly Source[];
  /** Totals. */
  readonly summary: Summary;
  /** Every command, in catalogue order. */
  readonly commands: readonly CommandSection[];
  /** Every invariant. */
  readonly invariants: readonly RuleRow[];
  /** Every decision and erratum given. */
  readonly decisions: readonly DecisionRow[];
}

// -------------------------------------------------------------------------------------
// building
// -------------------------------------------------------------------------------------

/** Commands whose success conditions the model evaluates as post-conditions. */
const withPost = new Set([...rmiCommands, ...realmCommands].filter((c) => c.post !== undefined).map((c) => c.entry.name));

const tally = (rows: ReadonlyArray<{ readonly covered: boolean; readonly counted?: boolean }>): Tally => {
  const counted = rows.filter((r) => r.counted !== false);
  return { covered: count(counted.filter((r) => r.covered).length), total: count(counted.length) };
};

const add = (...ts: Tally[]): Tally => ({ covered: count(ts.reduce((a, t) => a + t.covered, 0)), total: count(ts.reduce((a, t) => a + t.total, 0)) });

/** The row of rule `r` with the counters of `file`. */
function ruleRow(file: CoverageFile, r: Rule): RuleRow {
  const c = file.rules[r.id];
  const reached = c?.reached ?? 0;
  const held = c?.held ?? 0;
  const decided = c?.decided ?? 0;
  const counted = r.establishedBy === undefined;
  const covered = counted && (r.kind === 'failure' ? decided > 0 : held > 0);
  return { rule: r, reached, held, decided, counted, covered };
}

/** Reads `file` against the catalogue; `decisions` are the entries of DECISIONS.md to report on. */
export function buildReport(file: CoverageFile, decisions: readonly DecisionEntry[] = []): CoverageReport {
  const rows = new Map<Rule, RuleRow>(catalogue.rules.map((r) => [r, ruleRow(file, r)]));
  const row = (r: Rule): RuleRow => rows.get(r) as RuleRow;
  const commands = catalogue.commands.map((c): CommandSection => {
    const failures = c.failures.map(row);
    const success = c.success.map(row);
    const orderings = catalogue.orderings
      .filter((o) => o.command === c.name)
      .map((o): OrderingRow => {
        const k = file.orderings[o.id];
        const respected = k?.respected ?? 0;
        return { id: o.id, before: o.before, after: o.after, both: k?.both ?? 0, respected, covered: respected > 0 };
      });
    const tallies = { failures: tally(failures), success: tally(success), orderings: tally(orderings) };
    return { name: c.name, section: c.spec.section, calls: file.calls[c.name] ?? 0, failures, success, orderings, postConditions: withPost.has(c.name), tally: tallies };
  });
  const invariants = catalogue.invariants.map(row);
  const decisionRows = decisions.map((entry): DecisionRow => {
    const named = entry.rules.map(row);
    const reached = named.reduce((a, r) => a + r.reached, 0);
    return { entry, reached, rulesCounted: named.filter((r) => r.counted).length, rulesCovered: named.filter((r) => r.covered).length, mapped: named.length > 0, exercised: reached > 0 };
  });
  const ofKind = (kind: DecisionEntry['kind']): Tally => tally(decisionRows.filter((d) => d.mapped && d.entry.kind === kind).map((d) => ({ covered: d.exercised })));
  const failures = add(...commands.map((c) => c.tally.failures));
  const success = add(...commands.map((c) => c.tally.success));
  const orderings = add(...commands.map((c) => c.tally.orderings));
  const inv = tally(invariants);
  return {
    sources: file.sources,
    summary: { rules: add(failures, success, orderings, inv), failures, success, orderings, invariants: inv, decisions: ofKind('decision'), errata: ofKind('erratum') },
    commands,
    invariants,
    decisions: decisionRows,
  };
}

/** `file` with the report's summary, for `--format json`. */
export function withSummary(file: CoverageFile, report: CoverageReport): CoverageFile {
  return { ...file, summary: report.summary };
}

// -------------------------------------------------------------------------------------
// reading a report
// -------------------------------------------------------------------------------------

const of = (t: Tally): string => `${t.covered} of ${t.total}`;

/**
 * The one-line summary, as TF-RMM's CBMC coverage reports put it: `k of n rules covered`, then
 * the kinds.
 */
export function summaryLine(s: Summary): string {
  return (
    `${of(s.rules)} rules covered (failure conditions ${of(s.failures)}, success conditions ${of(s.success)}, ` +
    `orderings ${of(s.orderings)}, invariants ${of(s.invariants)}); decisions exercised ${of(s.decisions)}, errata ${of(s.errata)}`
  );
}

/** The ids of every coverage point the report covers (rules, orderings, invariants). */
export function coveredIds(r: CoverageReport): Set<string> {
  const out = new Set<string>();
  for (const c of r.commands) {
    for (const x of [...c.failures, ...c.success]) if (x.covered) out.add(x.rule.id);
    for (const o of c.orderings) if (o.covered) out.add(o.id);
  }
  for (const x of r.invariants) if (x.covered) out.add(x.rule.id);
  return out;
}

/** What a report leaves uncovered, per command (commands with nothing uncovered are left out). */
export interface Uncovered {
  /** Command name, or `INVARIANT`. */
  readonly command: string;
  /** Failure and success conditions, and invariants. */
  readonly rules: readonly RuleRow[];
  /** Ordering constraints. */
  readonly orderings: readonly OrderingRow[];
}

/** The uncovered coverage points, grouped by command, in catalogue order. */
export function uncovered(r: CoverageReport): Uncovered[] {
  const out: Uncovered[] = [];
  for (const c of r.commands) {
    const rules = [...c.failures, ...c.success].filter((x) => x.counted && !x.covered);
    const orderings = c.orderings.filter((o) => !o.covered);
    if (rules.length + orderings.length > 0) out.push({ command: c.name, rules, orderings });
  }
  const inv = r.invariants.filter((x) => !x.covered);
  if (inv.length > 0) out.push({ command: 'INVARIANT', rules: inv, orderings: [] });
  return out;
}

/**
 * The coverage points `baseline` covers and `now` does not (rules, orderings, invariants), in
 * catalogue order: what `--baseline` reports.
 */
export function lostSince(baseline: CoverageReport, now: CoverageReport): string[] {
  const was = coveredIds(baseline);
  const is = coveredIds(now);
  const order = [...catalogue.rules.map((r) => r.id), ...catalogue.orderings.map((o) => o.id)];
  return order.filter((id) => was.has(id) && !is.has(id));
}
