/**
 * The rule catalogue, decoded and indexed: the single source of the model's failure order,
 * status codes, register layout, rule ids and coverage reports.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import { rawCatalogue, rawInvariants, type RawCommandFile } from '@realmspec/spec';
import { CommandSpec, InvariantsFile, type FailureCondition, type Interface, type StatusName } from './schema.js';
import { footprintLocators, parseFootprint, type FootprintTarget } from './footprint.js';
import { formatValidationErrors, InternalError } from '../internal/errors.js';

export { CommandSpec, InvariantSpec, FailureCondition, FootprintEntry, Ordering, SuccessCondition, RegisterField, StatusName, Interface } from './schema.js';
export { parseFootprint, footprintLocators, REALM_FIELDS, REC_FIELDS, type FootprintTarget, type RealmField, type RecField } from './footprint.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A rule id: `<COMMAND>/<label>` for a failure condition, `<COMMAND>/success/<label>` for a
 * success condition, `invariant/<id>` for a state invariant.
 * @category Catalogue
 */
export type RuleId = string;

/** One catalogue rule: a failure or success condition of one command. @category Catalogue */
export interface Rule {
  /** Stable id. */
  readonly id: RuleId;
  /** Dense number of the rule, for counters (position in {@link Catalogue.rules}). */
  readonly n: number;
  /** The command's name (`INVARIANT` for an invariant). */
  readonly command: string;
  /** Failure condition, success condition, or state invariant. */
  readonly kind: 'failure' | 'success' | 'invariant';
  /** The spec label. */
  readonly label: string;
  /** The condition in words. */
  readonly text: string;
  /** Spec section. */
  readonly section: string;
  /** `spec` for rows of the spec's tables, `derived` for conditions the model adds. */
  readonly origin: 'spec' | 'derived';
  /** Position among the command's failure (or success) conditions, from 0. */
  readonly position: number;
  /** For failures: the status name. */
  readonly status?: StatusName;
  /** For failures: the status code (see {@link statusCode}). */
  readonly code?: number;
  /** For failures: the index, or the name of the value the command supplies. */
  readonly index?: number | string;
  /** For failures: the outputs the failure defines. */
  readonly outputs?: Readonly<Record<string, string>>;
  /** For failures: `exit` when the condition can only hold as the REC exit is written (A4.3.3). */
  readonly heldAt?: 'exit';
  /** For success conditions: the command whose later call establishes it. */
  readonly establishedBy?: string;
  /** For success conditions that apply only in some cases: the case, in words. */
  readonly when?: string;
  /** For derived rules: why the model adds it. */
  readonly reason?: string;
  /** For RMI_REC_ENTER success conditions: `exit` when it holds once the REC exit is written. */
  readonly at?: 'exit';
  /** For invariants: a property of each transition rather than of each state. */
  readonly transition?: boolean;
}

/** One footprint entry of a command, parsed (DEN0137 B4.3.x.4). @category Catalogue */
export interface FootprintItem {
  /** The entry's id (the spec's footprint ID for `spec` entries). */
  readonly id: string;
  /** The value as written, e.g. `Granule(addr).state`. */
  readonly value: string;
  /** `spec` for a row of the spec's footprint table, `derived` for one the model adds. */
  readonly origin: 'spec' | 'derived';
  /** Spec section. */
  readonly section: string;
  /** For derived entries: why. */
  readonly reason?: string;
  /** What the value names. */
  readonly target: FootprintTarget;
  /** The locator names the command's post-condition definition must give values for. */
  readonly locators: readonly string[];
}

/** One command of the catalogue with its rules. @category Catalogue */
export interface CatalogueCommand {
  /** The command as written in `spec/`. */
  readonly spec: CommandSpec;
  /** Command name. */
  readonly name: string;
  /** Interface. */
  readonly iface: Interface;
  /** Function id, and aliases. */
  readonly fids: readonly number[];
  /** Failure conditions in listed order. */
  readonly failures: readonly Rule[];
  /** Success conditions. */
  readonly success: readonly Rule[];
  /** Ordering constraints as pairs of rule positions `[before, after]`. */
  readonly orderPairs: ReadonlyArray<readonly [number, number]>;
  /**
   * The transitive closure of {@link CatalogueCommand.orderPairs}: `precedes[a]` holds the
   * positions of the conditions that take precedence over condition `a` (DEN0137 B1.6.2: the
   * ordering is a partial order).
   */
  readonly precedes: ReadonlyArray<ReadonlySet<number>>;
  /** What the command may change, parsed. */
  readonly footprint: readonly FootprintItem[];
  /** Input registers: each input's name and register number (X1 = 1), decoded once from `spec.inputs`. */
  readonly inputRegs: ReadonlyArray<readonly [string, number]>;
  /** Output registers: each output's name and register number, decoded once from `spec.outputs`. */
  readonly outputRegs: ReadonlyArray<readonly [string, number]>;
}

/**
 * One ordering constraint between two failure conditions of a command (DEN0137 B1.6.2): when
 * both hold, `before` (or a condition preceding it) is reported, never `after`.
 * @category Catalogue
 */
export interface OrderingRule {
  /** Stable id: `<COMMAND>/order/<before><<after>`. */
  readonly id: string;
  /** Dense number, for counters (position in {@link Catalogue.orderings}). */
  readonly n: number;
  /** The command's name. */
  readonly command: string;
  /** The condition that takes precedence. */
  readonly before: Rule;
  /** The condition it takes precedence over. */
  readonly after: Rule;
}

/** The decoded catalogue. @category Catalogue */
export interface Catalogue {
  /** Commands in catalogue order (RMI, RSI, PSCI; by name). */
  readonly commands: readonly CatalogueCommand[];
  /** Every rule, numbered densely. */
  readonly rules: readonly Rule[];
  /** Command by name. */
  readonly byName: ReadonlyMap<string, CatalogueCommand>;
  /** Rule by id. */
  readonly byId: ReadonlyMap<RuleId, Rule>;
  /** The state invariants (`spec/invariants.json`), also in {@link Catalogue.rules}. */
  readonly invariants: readonly Rule[];
  /** Every stated ordering constraint, one per pair, numbered densely. */
  readonly orderings: readonly OrderingRule[];
}

// -------------------------------------------------------------------------------------
// status codes
// -------------------------------------------------------------------------------------

const codes: Readonly<Record<StatusName, number>> = {
  RMI_ERROR_INPUT: 1,
  RMI_ERROR_REALM: 2,
  RMI_ERROR_REC: 3,
  RMI_ERROR_RTT: 4,
  RSI_ERROR_INPUT: 1,
  RSI_ERROR_STATE: 2,
  RSI_ERROR_UNKNOWN: 4,
  PSCI_NOT_SUPPORTED: -1,
  PSCI_INVALID_PARAMETERS: -2,
  PSCI_DENIED: -3,
  PSCI_ALREADY_ON: -4,
  PSCI_INVALID_ADDRESS: -9,
};

/** DEN0137 B4.4.25 RmiStatusCode, B5.4.1 RsiCommandReturnCode, B6.4 PsciReturnCode: the code of a status name. @category Catalogue */
export function statusCode(s: StatusName): number {
  return codes[s];
}

// -------------------------------------------------------------------------------------
// decoding
// -------------------------------------------------------------------------------------

/**
 * Decodes and cross-checks raw catalogue files and the invariants file; every problem is
 * reported with its file and path.
 * @category Catalogue
 */
export function decodeCatalogue(files: readonly RawCommandFile[], invariantsFile: unknown = { invariants: [] }): E.Either<string[], Catalogue> {
  const problems: string[] = [];
  const commands: CatalogueCommand[] = [];
  const rules: Rule[] = [];
  const fidOwner = new Map<number, string>();
  for (const { path, data } of files) {
    const decoded = CommandSpec.decode(data);
    if (E.isLeft(decoded)) {
      for (const m of formatValidationErrors(decoded.left)) problems.push(`${path}: ${m}`);
      continue;
    }
    const c = decoded.right;
    const expectedPath = `${c.interface.toLowerCase()}/${c.name}.json`;
    if (path !== expectedPath) problems.push(`${path}: command ${c.name} of ${c.interface} belongs in ${expectedPath}`);
    const fids = [c.fid, ...(c.fidAliases ?? [])].map((f) => Number(BigInt(f)));
    for (const f of fids) {
      const other = fidOwner.get(f);
      if (other !== undefined) problems.push(`${path}: FID 0x${f.toString(16)} is also ${other}`);
      fidOwner.set(f, c.name);
    }
    const seen = new Set<string>();
    const failures = c.failures.map((f: FailureCondition, position): Rule => {
      if (seen.has(f.label)) problems.push(`${path}: failure label ${f.label} appears twice`);
      seen.add(f.label);
      if (c.interface === 'RMI' && f.index === undefined) problems.push(`${path}: RMI failure ${f.label} has no index`);
      if (f.origin === 'derived' && f.reason === undefined) problems.push(`${path}: derived failure ${f.label} gives no reason`);
      const rule: Rule = {
        id: `${c.name}/${f.label}`,
        n: rules.length,
        command: c.name,
        kind: 'failure',
        label: f.label,
        text: f.when,
        section: f.section,
        origin: f.origin,
        position,
        status: f.status,
        code: statusCode(f.status),
        ...(f.index !== undefined ? { index: f.index } : {}),
        ...(f.outputs !== undefined ? { outputs: f.outputs } : {}),
        ...(f.heldAt !== undefined ? { heldAt: f.heldAt } : {}),
        ...(f.reason !== undefined ? { reason: f.reason } : {}),
      };
      rules.push(rule);
      return rule;
    });
    const successSeen = new Set<string>();
    const success = c.success.map((s, position): Rule => {
      if (successSeen.has(s.label)) problems.push(`${path}: success label ${s.label} appears twice`);
      successSeen.add(s.label);
      if (s.origin === 'derived' && s.reason === undefined) problems.push(`${path}: derived success condition ${s.label} gives no reason`);
      if (s.at !== undefined && c.name !== 'RMI_REC_ENTER') problems.push(`${path}: success condition ${s.label}: only RMI_REC_ENTER conditions hold at exit`);
      const rule: Rule = {
        id: `${c.name}/success/${s.label}`,
        n: rules.length,
        command: c.name,
        kind: 'success',
        label: s.label,
        text: s.then,
        section: s.section,
        origin: s.origin,
        position,
        ...(s.establishedBy !== undefined ? { establishedBy: s.establishedBy } : {}),
        ...(s.when !== undefined ? { when: s.when } : {}),
        ...(s.reason !== undefined ? { reason: s.reason } : {}),
        ...(s.at !== undefined ? { at: s.at } : {}),
      };
      rules.push(rule);
      return rule;
    });
    const footprintSeen = new Set<string>();
    const footprint = (c.footprint ?? []).map((e): FootprintItem => {
      if (footprintSeen.has(e.id)) problems.push(`${path}: footprint id ${e.id} appears twice`);
      footprintSeen.add(e.id);
      if (e.origin === 'derived' && e.reason === undefined) problems.push(`${path}: derived footprint entry ${e.id} gives no reason`);
      // The codec has checked that the value parses.
      const target = parseFootprint(e.value) as FootprintTarget;
      return { id: e.id, value: e.value, origin: e.origin, section: e.section, ...(e.reason !== undefined ? { reason: e.reason } : {}), target, locators: footprintLocators(target) };
    });
    const pos = new Map(failures.map((f) => [f.label, f.position]));
    const orderPairs: Array<readonly [number, number]> = [];
    for (const o of c.ordering) {
      for (const l of [...o.before, ...o.after]) if (!pos.has(l)) problems.push(`${path}: ordering names unknown failure ${l}`);
      for (const b of o.before) for (const a of o.after) {
        const pb = pos.get(b);
        const pa = pos.get(a);
        if (pb === undefined || pa === undefined) continue;
        if (pb >= pa) problems.push(`${path}: ${b} must precede ${a} but is listed after it`);
        orderPairs.push([pb, pa]);
      }
    }
    const regNumber = (r: string): number => Number(r.slice(1));
    const inputRegs = c.inputs.map((i) => [i.name, regNumber(i.reg)] as const);
    const outputRegs = c.outputs.map((o) => [o.name, regNumber(o.reg)] as const);
    if (new Set(inputRegs.map(([n]) => n)).size !== inputRegs.length) problems.push(`${path}: two inputs share a name`);
    commands.push({ spec: c, name: c.name, iface: c.interface, fids, failures, success, orderPairs, precedes: closure(failures.length, orderPairs), footprint, inputRegs, outputRegs });
  }
  const invariants: Rule[] = [];
  const inv = InvariantsFile.decode(invariantsFile);
  if (E.isLeft(inv)) for (const m of formatValidationErrors(inv.left)) problems.push(`invariants.json: ${m}`);
  else {
    const seen = new Set<string>();
    inv.right.invariants.forEach((i, position) => {
      if (seen.has(i.id)) problems.push(`invariants.json: invariant ${i.id} appears twice`);
      seen.add(i.id);
      const rule: Rule = {
        id: `invariant/${i.id}`,
        n: rules.length,
        command: 'INVARIANT',
        kind: 'invariant',
        label: i.id,
        text: i.text,
        section: i.section,
        origin: 'spec',
        position,
        ...(i.transition === true ? { transition: true } : {}),
      };
      rules.push(rule);
      invariants.push(rule);
    });
  }
  if (problems.length > 0) return E.left(problems);
  const orderings = commands.flatMap((c) => c.orderPairs.map(([b, a]) => ({ command: c.name, before: c.failures[b] as Rule, after: c.failures[a] as Rule })));
  return E.right({
    commands,
    invariants,
    orderings: orderings.map((o, n) => ({ ...o, n, id: `${o.command}/order/${o.before.label}<${o.after.label}` })),
    rules,
    byName: new Map(commands.map((c) => [c.name, c])),
    byId: new Map(rules.map((r) => [r.id, r])),
  });
}

/** For each of `n` conditions, every condition that precedes it through a chain of `pairs`. */
function closure(n: number, pairs: ReadonlyArray<readonly [number, number]>): Array<ReadonlySet<number>> {
  const before = Array.from({ length: n }, () => new Set<number>());
  for (const [b, a] of pairs) before[a]?.add(b);
  // Listed order satisfies every pair (checked above), so one pass in listed order closes the relation.
  for (let a = 0; a < n; a++) for (const b of [...(before[a] as Set<number>)]) for (const x of before[b] ?? []) before[a]?.add(x);
  return before;
}

function load(): Catalogue {
  const r = decodeCatalogue(rawCatalogue(), rawInvariants());
  if (E.isLeft(r)) throw new InternalError(`the rule catalogue in @realmspec/spec does not decode:\n  ${r.left.join('\n  ')}`);
  return r.right;
}

/** The rule catalogue shipped in `@realmspec/spec`, decoded at load. @category Catalogue */
export const catalogue: Catalogue = load();

/** The catalogue entry of command `name`; throws {@link InternalError} when there is none. @category Catalogue */
export function catalogueCommand(name: string): CatalogueCommand {
  const c = catalogue.byName.get(name);
  if (c === undefined) throw new InternalError(`command ${name} is not in the rule catalogue`);
  return c;
}
