/**
 * Pairs of failure conditions (issue 8 §4): for every pair of failure conditions of a command
 * whose answers differ (status, or RMI error index), a case where both hold, or an exclusion
 * saying why they cannot. In each case the permitted failures must be exactly those the spec
 * digest's ordering lines allow (DEN0137 B1.6: every holding condition that no holding condition
 * precedes, transitively), at the command level (`permitted`, `outcomes`) and at the register
 * level (`judge`).
 *
 * Expectations come from the digest (`test/support/digest.ts`), not from the catalogue: the
 * statuses, indexes and ordering of the spec's rows, with the transitive closure computed here.
 * Derived rows (not in the digest) are stated by hand by each test file, with the reason they
 * are unordered. Which conditions hold in a case is stated by hand too, and checked.
 *
 * A case is made from recipes: each failure label has one (knobs of a command-specific builder
 * that make the condition hold, and the other conditions that then hold too); a pair merges the
 * two recipes, or has an override of its own (knobs, or an exclusion).
 */
import { describe, expect, it } from 'vitest';
import {
  catalogue,
  judge,
  outcomes,
  realmCallOutcomes,
  realmStep,
  rmiCallOutcomes,
  smc,
  type CallOutcomes,
  type CatalogueCommand,
  type Command,
  type RealmCallInput,
  type RmmState,
  type Rule,
} from '../../src/index.js';
import { digest } from '../../../../test/support/digest.js';

// -------------------------------------------------------------------------------------
// pairs
// -------------------------------------------------------------------------------------

/** Two failure conditions of one command, in listed order. */
export interface Pair {
  readonly a: Rule;
  readonly b: Rule;
  /** `a|b` by label. */
  readonly key: string;
}

/** Every pair of failure conditions of `entry` whose answers can differ: status, or index (an RMI index is part of X0). */
export function pairsOf(entry: CatalogueCommand): Pair[] {
  const out: Pair[] = [];
  const fs = entry.failures;
  for (let i = 0; i < fs.length; i++) {
    for (let j = i + 1; j < fs.length; j++) {
      const a = fs[i] as Rule;
      const b = fs[j] as Rule;
      if (a.status !== b.status || String(a.index ?? 0) !== String(b.index ?? 0)) out.push({ a, b, key: `${a.label}|${b.label}` });
    }
  }
  return out;
}

// -------------------------------------------------------------------------------------
// expectations from the digest
// -------------------------------------------------------------------------------------

/** A derived row (not in the digest), stated by hand: its status and why no ordering applies to it. */
export interface Derived {
  readonly status: string;
  readonly index?: number;
  /** Why it is unordered: permitted whenever it holds. */
  readonly reason: string;
}

/** An expected failure: label, status, index. */
export type Expected = readonly [string, string, number];

/** `before` precedes `after` in the digest's ordering, transitively (DEN0137 B1.6.2). */
export function digestPrecedes(name: string): (before: string, after: string) => boolean {
  const d = digest.get(name);
  const edges = new Map<string, Set<string>>();
  for (const [b, a] of d?.ordering ?? []) {
    if (!edges.has(b)) edges.set(b, new Set());
    edges.get(b)?.add(a);
  }
  // Reachability from each label: a closure computed here, independent of listed order.
  const reach = (from: string): Set<string> => {
    const seen = new Set<string>();
    const todo = [...(edges.get(from) ?? [])];
    while (todo.length > 0) {
      const x = todo.pop() as string;
      if (seen.has(x)) continue;
      seen.add(x);
      todo.push(...(edges.get(x) ?? []));
    }
    return seen;
  };
  const memo = new Map<string, Set<string>>();
  return (before, after) => {
    if (!memo.has(before)) memo.set(before, reach(before));
    return memo.get(before)?.has(after) === true;
  };
}

/**
 * The failures the digest permits when exactly the conditions `holds` hold: every one that no
 * other holding one precedes, with its status and index (`index` gives the values of symbolic
 * indexes such as walk.level).
 */
export function expectedFailures(name: string, holds: readonly string[], index: Readonly<Record<string, number>>, derived: Readonly<Record<string, Derived>>): Expected[] {
  const rows = digest.get(name)?.rows ?? [];
  const precedes = digestPrecedes(name);
  const row = (label: string): { status: string; index: number | string } => {
    const r = rows.find((x) => x.label === label);
    if (r !== undefined) return r;
    const d = derived[label];
    if (d === undefined) throw new Error(`${name}/${label} is neither in the digest nor stated as derived`);
    return { status: d.status, index: d.index ?? 0 };
  };
  return holds
    .filter((h) => !holds.some((g) => g !== h && precedes(g, h)))
    .map((h) => {
      const r = row(h);
      const i = typeof r.index === 'number' ? r.index : index[h];
      if (i === undefined) throw new Error(`${name}/${h}: index ${r.index} needs a value in the case`);
      return [h, r.status, i] as const;
    });
}

// -------------------------------------------------------------------------------------
// recipes and cases
// -------------------------------------------------------------------------------------

/** Knob values: plain values, so that two recipes can be compared and builds cached. */
export type Knob = string | number | boolean | bigint;

/** What makes one condition hold: knobs of the builder, and what else then holds. */
export interface Recipe<K> {
  readonly knobs: Partial<K>;
  /** Other conditions that hold with these knobs, stated by hand. */
  readonly brings?: readonly string[];
  /** Values of symbolic indexes (walk.level, level) in this recipe. */
  readonly index?: Readonly<Record<string, number>>;
  /**
   * Where the model is known to differ from the spec in these cases: what it does. The case keeps
   * the spec's expectation and is expected to fail (`it.fails`) until the model is fixed.
   */
  readonly deviation?: string;
}

/** Why two conditions cannot hold together. */
export type Exclusion =
  /** Logically: the two read one value, or one implies the other is false. */
  | { readonly exclusive: string }
  /** In no state the commands can reach (the reason names what prevents it). */
  | { readonly unreachable: string };

/** A pair's own plan: a recipe for both (knobs replace the merge), or an exclusion. */
export type Override<K> = Recipe<K> | Exclusion;

const isExclusion = <K>(o: Override<K>): o is Exclusion => 'exclusive' in o || 'unreachable' in o;

/** One concrete case: state, input, and every condition that holds in it (by hand). */
export interface PairCase<I> {
  readonly s: RmmState;
  readonly input: I;
  readonly holds: readonly string[];
  readonly index: Readonly<Record<string, number>>;
}

/** A command's pair suite. */
export interface PairSpec<I, K> {
  // The context and output types do not matter here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly command: Command<I, any, any, any>;
  /** The builder: knobs (unset ones take the builder's defaults) to a state and input. */
  readonly build: (k: Partial<K>) => { readonly s: RmmState; readonly input: I };
  /** One recipe per condition that a merged pair needs. */
  readonly recipes: Readonly<Record<string, Recipe<K>>>;
  /** Pairs (`a|b`, listed order) with a plan of their own. */
  readonly overrides?: Readonly<Record<string, Override<K>>>;
  /** Derived rows of the command, by hand. */
  readonly derived?: Readonly<Record<string, Derived>>;
}

const show = (v: unknown): string => (typeof v === 'bigint' ? `0x${v.toString(16)}` : String(v));
const knobKey = (k: object): string =>
  Object.entries(k)
    .filter(([, v]) => v !== undefined)
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([n, v]) => `${n}=${show(v)}`)
    .join(',');

/** The plan of `pair`: its case (or why there is none), or an error saying what is missing. */
export function planOf<I, K>(spec: PairSpec<I, K>, pair: Pair): { readonly case: Recipe<K> & { readonly holds: readonly string[] } } | { readonly exclusion: Exclusion } | { readonly missing: string } {
  const o = spec.overrides?.[pair.key];
  const { a, b } = pair;
  if (o !== undefined) {
    if (isExclusion(o)) return { exclusion: o };
    const deviation = o.deviation ?? spec.recipes[a.label]?.deviation ?? spec.recipes[b.label]?.deviation;
    return { case: { ...o, holds: [...new Set([a.label, b.label, ...(o.brings ?? [])])], ...(deviation !== undefined ? { deviation } : {}) } };
  }
  const ra = spec.recipes[a.label];
  const rb = spec.recipes[b.label];
  if (ra === undefined || rb === undefined) return { missing: `no recipe for ${ra === undefined ? a.label : b.label}` };
  const knobs: Record<string, unknown> = { ...ra.knobs };
  for (const [n, v] of Object.entries(rb.knobs as object)) {
    if (n in knobs && knobs[n] !== v) return { missing: `the recipes set ${n} to ${show(knobs[n])} and ${show(v)}: the pair needs an override` };
    knobs[n] = v;
  }
  const holds = [...new Set([a.label, b.label, ...(ra.brings ?? []), ...(rb.brings ?? [])])];
  const deviation = ra.deviation ?? rb.deviation;
  return { case: { knobs: knobs as Partial<K>, holds, index: { ...ra.index, ...rb.index }, ...(deviation !== undefined ? { deviation } : {}) } };
}

// -------------------------------------------------------------------------------------
// the suite
// -------------------------------------------------------------------------------------

/** The register-level outcomes of a call and the model's own failure. */
function registerOutcomes<I>(entry: CatalogueCommand, s: RmmState, input: I): CallOutcomes {
  const named = (entry.iface === 'RMI' ? input : (input as unknown as RealmCallInput).regs) as unknown as Readonly<Record<string, bigint>>;
  const regs: bigint[] = [BigInt(entry.fids[0] as number)];
  for (const [name, reg] of entry.inputRegs) {
    while (regs.length <= reg) regs.push(0n);
    regs[reg] = named[name] ?? 0n;
  }
  if (entry.iface === 'RMI') return rmiCallOutcomes(s, regs, smc(s, regs));
  const gi = (input as unknown as RealmCallInput).recGi;
  const m = realmStep(s, gi, { kind: 'call', regs });
  return realmCallOutcomes(s, gi, regs, { regs: m.call?.regs ?? [], failure: m.call?.failure, state: m.state });
}

/** Checks one case: what holds, the permitted set (command and register level), and the judge. */
export function checkCase<I>(entry: CatalogueCommand, c: PairCase<I>, derived: Readonly<Record<string, Derived>>, command: PairSpec<I, unknown>['command']): void {
  const labelOf = (rule: string): string => rule.slice(entry.name.length + 1);
  const sorted = <T>(xs: readonly T[]): T[] => [...xs].sort((x, y) => (String(x) < String(y) ? -1 : 1));
  expect(sorted(command.holding(c.s, c.input).map((r) => r.label)), 'the conditions that hold').toEqual(sorted(c.holds));
  const want = expectedFailures(entry.name, c.holds, c.index, derived);
  const got = command.permitted(c.s, c.input).map((f): Expected => [labelOf(f.rule), f.status, f.index]);
  expect(sorted(got.map((x) => x.join(' '))), 'permitted()').toEqual(sorted(want.map((x) => x.join(' '))));
  const o = outcomes(command, c.s, c.input);
  expect([o.success, sorted(o.failures.map((f) => labelOf(f.rule)))], 'outcomes()').toEqual([false, sorted(want.map(([l]) => l))]);
  // Register level: the model's own answer is permitted; every holding condition's answer is
  // accepted exactly when a permitted failure gives the same status and index.
  const reg = registerOutcomes(entry, c.s, c.input);
  expect(want.map(([l]) => l), "the model's answer").toContain(labelOf(reg.failure?.rule ?? ''));
  const permits = new Set(want.map(([, st, ix]) => `${st} ${ix}`));
  for (const h of c.holds) {
    const [, status, index] = expectedFailures(entry.name, [h], c.index, derived)[0] as Expected;
    const v = judge(reg, entry.iface === 'RMI' ? { status, index } : { status });
    expect([h, v.kind === 'mismatch' ? 'rejected' : 'accepted'], `judge: ${status} ${index}`).toEqual([h, permits.has(`${status} ${index}`) ? 'accepted' : 'rejected']);
  }
}

/** A pair spec with its types erased, for {@link pairSuites}. */
export type AnyPairSpec = PairSpec<unknown, Record<string, unknown>>;

/** Checks a spec's types, then erases them. */
export function pairSpec<I, K>(spec: PairSpec<I, K>): AnyPairSpec {
  return spec as unknown as AnyPairSpec;
}

/** The commands each test file of this folder covers (`pairs.test.ts` checks that together they are every command with a pair). */
export const AREAS: Readonly<Record<string, readonly string[]>> = {
  lifecycle: ['RMI_REALM_ACTIVATE', 'RMI_REALM_DESTROY', 'RMI_REC_CREATE', 'RMI_REC_DESTROY'],
  'RMI_REC_ENTER': ['RMI_REC_ENTER'],
  DATA: ['RMI_DATA_CREATE', 'RMI_DATA_CREATE_UNKNOWN', 'RMI_DATA_DESTROY'],
  'RTT structure': ['RMI_RTT_CREATE', 'RMI_RTT_DESTROY', 'RMI_RTT_FOLD'],
  'RTT Unprotected': ['RMI_RTT_MAP_UNPROTECTED', 'RMI_RTT_UNMAP_UNPROTECTED'],
  RIPAS: ['RMI_RTT_INIT_RIPAS', 'RMI_RTT_SET_RIPAS'],
  'Realm calls': ['RSI_ATTESTATION_TOKEN_CONTINUE', 'PSCI_CPU_ON'],
};

/** Runs the pair suite of each command in `specs` (the commands of `AREAS[area]`); the last test of each fails on a pair with no plan. */
export function pairSuites(area: string, specs: readonly AnyPairSpec[]): void {
  describe(`pairs of failure conditions: ${area}`, () => {
    it('covers the commands of its area', () => {
      expect(specs.map((s) => s.command.entry.name)).toEqual(AREAS[area]);
    });
    for (const spec of specs) {
      const entry = spec.command.entry;
      const cache = new Map<string, { readonly s: RmmState; readonly input: unknown }>();
      const build = (k: Partial<Record<string, unknown>>) => {
        const key = knobKey(k);
        if (!cache.has(key)) cache.set(key, spec.build(k));
        return cache.get(key) as { readonly s: RmmState; readonly input: unknown };
      };
      describe(entry.name, () => {
        for (const pair of pairsOf(entry)) {
          const plan = planOf(spec, pair);
          if (!('case' in plan)) continue;
          const name = `${pair.a.label} (${pair.a.status} ${pair.a.index ?? 0}) with ${pair.b.label} (${pair.b.status} ${pair.b.index ?? 0})`;
          const deviation = plan.case.deviation;
          (deviation === undefined ? it : it.fails)(deviation === undefined ? name : `${name} [known deviation: ${deviation}]`, () => {
            const { s, input } = build(plan.case.knobs);
            checkCase(entry, { s, input, holds: plan.case.holds, index: plan.case.index ?? {} }, spec.derived ?? {}, spec.command);
          });
        }
        it('has a case or an exclusion for every pair whose answers differ, and no stale override', () => {
          const pairs = pairsOf(entry);
          expect(pairs.flatMap((p) => { const x = planOf(spec, p); return 'missing' in x ? [`${p.key}: ${x.missing}`] : []; })).toEqual([]);
          const keys = new Set(pairs.map((p) => p.key));
          expect(Object.keys(spec.overrides ?? {}).filter((k) => !keys.has(k))).toEqual([]);
          for (const [label, d] of Object.entries(spec.derived ?? {})) expect([label, entry.failures.find((f) => f.label === label)?.origin, d.reason.length > 0]).toEqual([label, 'derived', true]);
        });
      });
    }
  });
}

/** Totals of a suite, for reports: pairs, cases, exclusions by kind. */
export function totals(spec: AnyPairSpec): { pairs: number; cases: number; deviations: number; exclusive: number; unreachable: number } {
  const t = { pairs: 0, cases: 0, deviations: 0, exclusive: 0, unreachable: 0 };
  for (const p of pairsOf(spec.command.entry)) {
    const x = planOf(spec, p);
    t.pairs++;
    if ('case' in x) {
      t.cases++;
      if (x.case.deviation !== undefined) t.deviations++;
    }
    else if ('exclusion' in x) t['exclusive' in x.exclusion ? 'exclusive' : 'unreachable']++;
  }
  return t;
}

/** The catalogue entry of `name`. */
export const entryOf = (name: string): CatalogueCommand => catalogue.byName.get(name) as CatalogueCommand;
