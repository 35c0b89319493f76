/**
 * The decisions and errata of `spec/DECISIONS.md`, with the catalogue rules each one names, so
 * that a report can say which of them a run exercised.
 *
 * An entry is a level-2 heading that starts with one or more ids (`## D-VMID — VMIDs`,
 * `## D-HOST-ALLOC, D-HOST-ATOMIC — the Host`, `## E-ENTER-MMIO — …`); other headings
 * (`## Policy`) are not entries. Its fields are the list items under it (`- Rules: …`,
 * `- **Kind:** erratum.`), a field running on over indented lines. An entry is an erratum when its
 * Kind field says `erratum` or its id starts with `E-`; otherwise a decision.
 *
 * The Rules field is read token by token, a token being a `code span`:
 * - a catalogue rule id (`RMI_REALM_CREATE/vmid_valid`, `invariant/num_recs`) names that rule;
 * - `CMD/success/*` names every success condition of CMD, `CMD/*` every failure and success
 *   condition of CMD, and a bare command name (`RMI_VERSION`) the same;
 * - a bare label (`addr_align`) or `success/label` names that rule of the command the previous
 *   token named (as in "`RMI_RTT_MAP_UNPROTECTED/attr_valid`, `addr_align`"), a success
 *   condition first when the previous token was one;
 * - anything else (`smc`, `RMI_ERROR_RTT`, prose such as "every failure condition") names nothing.
 *
 * An entry whose Rules field names no catalogue rule is *not mapped*.
 *
 * @packageDocumentation
 */
import { catalogue, type Catalogue, type CatalogueCommand, type Rule } from '@realmspec/core';

/** One decision or erratum of DECISIONS.md. */
export interface DecisionEntry {
  /** The ids of the heading, e.g. `['D-VMID']`. */
  readonly ids: readonly string[];
  /** The heading after the ids. */
  readonly title: string;
  /** `erratum` for an `E-` id or a Kind field saying so; `decision` otherwise. */
  readonly kind: 'decision' | 'erratum';
  /** Line of the heading, from 1. */
  readonly line: number;
  /** The catalogue rules its Rules field names, in catalogue order (empty: not mapped). */
  readonly rules: readonly Rule[];
  /** The Rules field as written (empty when the entry has none). */
  readonly rulesText: string;
  /** Tokens of the Rules field written as rule ids (`CMD/label`, `invariant/id`) that name no catalogue rule. */
  readonly unresolved: readonly string[];
}

const HEADING = /^##\s+((?:[DE]-[A-Z0-9][A-Z0-9-]*)(?:\s*,\s*[DE]-[A-Z0-9][A-Z0-9-]*)*)\s*(?:—|-{1,2}|:)\s*(.*)$/;
const FIELD = /^-\s+(?:\*\*)?([A-Za-z][A-Za-z ]*?)\s*:\s*(?:\*\*)?\s*(.*)$/;

/** Every decision and erratum entry of the text of DECISIONS.md. */
export function parseDecisions(text: string, cat: Catalogue = catalogue): DecisionEntry[] {
  const lines = text.split(/\r?\n/);
  const out: DecisionEntry[] = [];
  let current: { ids: string[]; title: string; line: number; fields: Map<string, string> } | undefined;
  let field: string | undefined;
  const finish = (): void => {
    if (current === undefined) return;
    const kindField = current.fields.get('kind') ?? '';
    const erratum = /\berratum\b/i.test(kindField) || (kindField === '' && current.ids[0]?.startsWith('E-') === true);
    const rulesText = current.fields.get('rules') ?? '';
    const { rules, unresolved } = resolveRules(rulesText, cat);
    out.push({ ids: current.ids, title: current.title, kind: erratum ? 'erratum' : 'decision', line: current.line, rules, rulesText, unresolved });
    current = undefined;
  };
  lines.forEach((l, i) => {
    if (l.startsWith('#')) {
      finish();
      field = undefined;
      const h = HEADING.exec(l);
      if (h !== null) current = { ids: (h[1] as string).split(',').map((s) => s.trim()), title: (h[2] as string).trim(), line: i + 1, fields: new Map() };
      return;
    }
    if (current === undefined) return;
    const f = FIELD.exec(l);
    if (f !== null) {
      field = (f[1] as string).toLowerCase();
      current.fields.set(field, f[2] as string);
    } else if (field !== undefined && /^\s+\S/.test(l)) {
      current.fields.set(field, `${current.fields.get(field) ?? ''} ${l.trim()}`);
    } else {
      field = undefined;
    }
  });
  finish();
  return out;
}

/**
 * The catalogue rules that the code spans of a Rules field name (see the module documentation),
 * and the spans written as rule ids that name none.
 */
export function resolveRules(rulesText: string, cat: Catalogue = catalogue): { rules: Rule[]; unresolved: string[] } {
  const found = new Set<Rule>();
  const unresolved: string[] = [];
  let last: CatalogueCommand | undefined;
  let lastSuccess = false;
  const all = (c: CatalogueCommand): Rule[] => [...c.failures, ...c.success];
  for (const m of rulesText.matchAll(/`([^`]+)`/g)) {
    const token = (m[1] as string).trim();
    const rule = cat.byId.get(token);
    if (rule !== undefined) {
      found.add(rule);
      last = cat.byName.get(rule.command) ?? last;
      lastSuccess = rule.kind === 'success';
      continue;
    }
    const [head, ...rest] = token.split('/');
    const cmd = head === undefined ? undefined : cat.byName.get(head);
    if (cmd !== undefined) {
      last = cmd;
      lastSuccess = false;
      const tail = rest.join('/');
      if (tail === '' || tail === '*') all(cmd).forEach((r) => found.add(r));
      else if (tail === 'success/*') cmd.success.forEach((r) => found.add(r));
      else unresolved.push(token);
      continue;
    }
    if (/^invariant\//.test(token) || /^(RMI|RSI|PSCI)_[A-Z0-9_]+\//.test(token)) {
      unresolved.push(token);
      continue;
    }
    if (last === undefined) continue;
    const relative = (lastSuccess ? cat.byId.get(`${last.name}/success/${token}`) : undefined) ?? cat.byId.get(`${last.name}/${token}`);
    if (relative !== undefined) found.add(relative);
  }
  return { rules: cat.rules.filter((r) => found.has(r)), unresolved };
}
