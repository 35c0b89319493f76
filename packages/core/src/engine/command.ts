/**
 * The shared command engine: a command is a context builder, an ordered failure table taken
 * from the catalogue (one predicate per spec label), a total apply function, and its
 * post-conditions (one predicate per success label, written from the spec; `engine/post.ts`).
 * The engine evaluates failure conditions in listed order, attributes each evaluation to its
 * rule, only applies the command when none holds (DEN0137 B1.6), and then evaluates the success
 * conditions and, in checked mode, the frame check.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import { catalogue, catalogueCommand, type CatalogueCommand, type Rule, type RuleId, type StatusName } from '../catalogue/index.js';
import { InputError, InternalError, isU64, requireU64 } from '../internal/errors.js';
import type { RmmState } from '../model/state.js';
import type { RuleHits } from './hits.js';
import { hitsOr, isCheckedMode } from './checked.js';
import { frameViolations, showChange } from './frame.js';
import { isConditional, type PostCheck, type PostDefinition, type Transition } from './post.js';
import type { Refinement } from './refine.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A spec failure: the first failure condition that held, with its status, index and defined outputs. @category Engine */
export interface SpecFailure {
  /** The catalogue id of the condition. */
  readonly rule: RuleId;
  /** Status name. */
  readonly status: StatusName;
  /** Status code. */
  readonly code: number;
  /** Error index (RMI only; 0 otherwise). */
  readonly index: number;
  /** Output registers the failure defines, by name. */
  readonly outputs: Readonly<Record<string, bigint>>;
}

/** The result of a command: a failure (state unchanged), or the new state and the outputs. @category Engine */
export type CommandResult<O> = E.Either<SpecFailure, readonly [RmmState, O]>;

/** A failure predicate over a command's context. Must be total: false when its inputs are not well formed. */
export type Check<C> = (c: C) => boolean;

/** A failure predicate with the values its catalogue row asks the code for. */
export interface FailureImpl<C> {
  /** Whether the condition holds. */
  readonly holds: Check<C>;
  /** The index, for a row whose catalogue index is symbolic (`walk.level`, `level`). */
  readonly index?: (c: C) => number;
  /** The outputs, for a row whose catalogue entry defines failure outputs. */
  readonly outputs?: (c: C) => Readonly<Record<string, bigint>>;
}

/** Register values by name. @category Engine */
export type Registers = Readonly<Record<string, bigint>>;

/**
 * What a command module supplies to {@link defineCommand}: input `I`, context `C`, outputs `O`,
 * the context `A` apply takes once the failure conditions passed (`C` when they establish
 * nothing apply needs; `engine/refine.ts`), and what the post-conditions read `P`.
 */
export interface CommandDefinition<I, C, O, A extends C = C, P = O> {
  /** Catalogue name of the command. */
  readonly name: string;
  /** Builds the context the predicates and apply read. Total: it reads, never fails. */
  readonly context: (s: RmmState, input: I) => C;
  /** One predicate per failure label of the catalogue entry; the catalogue gives the order. */
  readonly failures: Readonly<Record<string, Check<C> | FailureImpl<C>>>;
  /**
   * What the failure conditions establish for apply: the engine runs it after the ordered check
   * and before apply. Required when `A` is narrower than `C` ({@link CheckedWhenNarrowed}).
   */
  readonly checked?: Refinement<C, A>;
  /** Performs the command on the checked context; called only when no failure condition holds. Total. */
  readonly apply: (c: A) => readonly [RmmState, O];
  /**
   * The success conditions as predicates over a transition, the footprint's locators and the
   * outputs the spec leaves open (see `engine/post.ts`). Written from the spec, not from apply.
   */
  readonly post: PostDefinition<I, P>;
  /**
   * `conclusion` when the transition the post-conditions speak about ends later than apply
   * (RMI_REC_ENTER: when the REC exits); the caller then calls {@link Command.verify} itself.
   */
  readonly postAt?: 'conclusion';
}

/** A definition must give `checked` when apply's context `A` is narrower than the context `C` the predicates read. */
export type CheckedWhenNarrowed<C, A extends C> = [C] extends [A] ? unknown : { readonly checked: Refinement<C, A> };

/** A command of the model: call it to run check then apply. @category Engine */
export interface Command<I, C, O, P = O> {
  /** Runs the command: the first failure condition that holds, or the new state and outputs. */
  (s: RmmState, input: I, hits?: RuleHits): CommandResult<O>;
  /** The catalogue entry. */
  readonly entry: CatalogueCommand;
  /**
   * The context builder: what the failure predicates and apply read for this state and input.
   * Total and pure. A conformance driver uses it to model an implementation that skips a check
   * (apply on the context of a call whose condition holds).
   */
  readonly context: (s: RmmState, input: I) => C;
  /** The check phase alone: the failure, or the context that apply would take. Changes nothing. */
  readonly check: (s: RmmState, input: I, hits?: RuleHits) => E.Either<SpecFailure, C>;
  /**
   * The apply phase alone, on a context the check phase built: it runs the definition's
   * refinement first, so a context lacking what the failure conditions establish (a call whose
   * conditions hold) throws {@link InternalError} naming the command.
   */
  readonly apply: (c: C) => readonly [RmmState, O];
  /** Every failure condition that holds for this state and input, in listed order (for ordering checks). */
  readonly holding: (s: RmmState, input: I) => Rule[];
  /**
   * The failures the spec permits for this state and input (DEN0137 B1.6): every condition that
   * holds and that no holding condition precedes, with its status, index and outputs. Empty
   * exactly when the command must succeed.
   */
  readonly permitted: (s: RmmState, input: I) => SpecFailure[];
  /**
   * The failure of condition `label`, which the catalogue marks `heldAt: exit`, for context `c`,
   * counted as held in `hits` (RMI_REC_ENTER's `exit_pas`: a GPF writing the exit, A4.3.3).
   */
  readonly failure: (label: string, c: C, hits?: RuleHits) => SpecFailure;
  /**
   * The check phase with every failure condition evaluated once (counted in `hits` as
   * {@link Command.check} counts them): the failure the model reports (the first that holds), or
   * the context apply would take, and every condition that holds, in listed order, from which the
   * permitted failures follow (`permittedFailures`, DEN0137 B1.6) without a second evaluation. Changes nothing.
   */
  readonly checkAll: (s: RmmState, input: I, hits?: RuleHits) => CheckedAll<C>;
  /**
   * Runs the command (check, then apply and the post-conditions) on inputs the caller has already
   * checked (the SMC layer, or an exploration alphabet checked once), with every failure condition
   * evaluated once: the result and the conditions that held (exploration derives the permitted
   * set from them).
   */
  readonly evaluate: (s: RmmState, input: I, hits?: RuleHits) => Evaluation<O>;
  /** Runs the command on inputs the caller has already checked (the SMC layer: 64-bit registers). @internal */
  readonly trusted: (s: RmmState, input: I, hits?: RuleHits) => CommandResult<O>;
  /** The post-conditions, locators and open outputs. */
  readonly post: PostDefinition<I, P>;
  /**
   * Evaluates the success conditions over transition `t` (counting them in `hits`) and, in
   * checked mode, the frame check over `frame` (default: `t.pre` to `t.post`); a violation
   * in checked mode throws {@link InternalError} naming the rule. Run calls it after apply.
   */
  readonly verify: (t: Transition<I, P>, hits?: RuleHits, frame?: { readonly pre: RmmState; readonly post: RmmState }) => void;
}

/** The result of {@link Command.checkAll}: the check with every failure condition evaluated once (DEN0137 B1.6). @category Engine */
export interface CheckedAll<C> {
  /** The failure the model reports, or the context apply would take. */
  readonly checked: E.Either<SpecFailure, C>;
  /** Every failure condition that holds, in listed order (empty exactly when the check passes). */
  readonly held: readonly Rule[];
}

/** The result of {@link Command.evaluate}: a run with the conditions that held (DEN0137 B1.6). @category Engine */
export interface Evaluation<O> {
  /** The command's result, as the command itself returns it. */
  readonly result: CommandResult<O>;
  /** Every failure condition that held, in listed order (empty exactly on success). */
  readonly held: readonly Rule[];
}

interface Row<C> {
  readonly rule: Rule;
  readonly holds: Check<C>;
  readonly index: (c: C) => number;
  readonly outputs: ((c: C) => Readonly<Record<string, bigint>>) | undefined;
}

const noOutputs: Readonly<Record<string, bigint>> = Object.freeze({});

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** The rows the ordered check evaluates: every failure condition but those held only at REC exit. */
function buildRows<C>(entry: CatalogueCommand, impls: Readonly<Record<string, Check<C> | FailureImpl<C>>>): Row<C>[] {
  const checked = entry.failures.filter((r) => r.heldAt === undefined);
  const labels = new Set(checked.map((r) => r.label));
  for (const k of Object.keys(impls)) {
    if (!labels.has(k)) throw new InternalError(`${entry.name}: the code checks '${k}', which the catalogue does not list as checked before apply`);
  }
  return checked.map((rule) => {
    const impl = impls[rule.label];
    if (impl === undefined) throw new InternalError(`${rule.id}: listed in the catalogue but not checked by the code`);
    const f: FailureImpl<C> = typeof impl === 'function' ? { holds: impl } : impl;
    let index: (c: C) => number;
    if (typeof rule.index === 'string') {
      if (f.index === undefined) throw new InternalError(`${rule.id}: the catalogue index '${rule.index}' needs a value from the code`);
      index = f.index;
    } else {
      if (f.index !== undefined) throw new InternalError(`${rule.id}: the catalogue fixes index ${String(rule.index)}; the code must not supply one`);
      const fixed = rule.index ?? 0;
      index = () => fixed;
    }
    if ((rule.outputs !== undefined) !== (f.outputs !== undefined)) {
      throw new InternalError(`${rule.id}: failure outputs in the catalogue and in the code disagree`);
    }
    return { rule, holds: f.holds, index, outputs: f.outputs };
  });
}

function failureOf<C>(row: Row<C>, c: C): SpecFailure {
  return {
    rule: row.rule.id,
    status: row.rule.status as StatusName,
    code: row.rule.code as number,
    index: row.index(c),
    outputs: row.outputs === undefined ? noOutputs : row.outputs(c),
  };
}

/** A failure the catalogue marks `heldAt: exit`: fixed index, no outputs (the schema check keeps it so). */
function exitRow<C>(rule: Rule): Row<C> {
  if (typeof rule.index === 'string' || rule.outputs !== undefined) throw new InternalError(`${rule.id}: a condition held at exit takes a fixed index and no outputs`);
  const fixed = rule.index ?? 0;
  return {
    rule,
    // Stryker disable next-line ArrowFunction,BooleanLiteral: equivalent; a row held at exit is never in the ordered check, so nothing calls it.
    holds: () => false,
    index: () => fixed,
    outputs: undefined,
  };
}

interface PostRow<I, P> {
  readonly rule: Rule;
  readonly when: PostCheck<I, P> | undefined;
  readonly holds: PostCheck<I, P>;
}

/** The success conditions a command establishes, each with its predicate; code and catalogue must agree label for label, locator for locator. */
function buildPosts<I, P>(entry: CatalogueCommand, post: PostDefinition<I, P>): PostRow<I, P>[] {
  const counted = entry.success.filter((r) => r.establishedBy === undefined);
  const labels = new Set(counted.map((r) => r.label));
  for (const k of Object.keys(post.success)) {
    if (!labels.has(k)) throw new InternalError(`${entry.name}: the code has a post-condition '${k}', which the catalogue does not list as established by this command`);
  }
  const locators = new Set(entry.footprint.flatMap((f) => f.locators));
  for (const k of Object.keys(post.locate)) if (!locators.has(k)) throw new InternalError(`${entry.name}: the code locates '${k}', which no footprint entry names`);
  for (const k of locators) if (post.locate[k] === undefined) throw new InternalError(`${entry.name}: footprint locator '${k}' has no value in the code`);
  // `result` is X0, as every output table of the spec names it (B4.3.x.1.3, B5.3.x.1.3, B6.3.x.1.2).
  const outputs = new Set(['result', ...entry.spec.outputs.map((o) => o.name)]);
  for (const k of Object.keys(post.choices ?? {})) if (!outputs.has(k)) throw new InternalError(`${entry.name}: '${k}' is not an output`);
  return counted.map((rule) => {
    const impl = post.success[rule.label];
    if (impl === undefined) throw new InternalError(`${rule.id}: listed in the catalogue but has no post-condition in the code`);
    if (isConditional(impl) !== (rule.when !== undefined)) throw new InternalError(`${rule.id}: the catalogue and the code disagree on whether the condition applies only in some cases`);
    return isConditional(impl) ? { rule, when: impl.when, holds: impl.holds } : { rule, when: undefined, holds: impl };
  });
}

/** A command input for messages: 64-bit values in hex. */
function showInput(input: unknown): string {
  if (typeof input !== 'object' || input === null) return String(input);
  return Object.entries(input as Record<string, unknown>)
    .map(([k, v]) => `${k}=${typeof v === 'bigint' ? `0x${v.toString(16)}` : typeof v === 'object' ? JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `0x${x.toString(16)}` : x)) : String(v)}`)
    .join(', ');
}

/**
 * Builds a command from its definition, checking that the code and the catalogue entry agree
 * label for label (a mismatch is a model bug and throws at load time).
 */
export function defineCommand<I, C, O, A extends C = C, P = O>(def: CommandDefinition<I, C, O, A, P> & CheckedWhenNarrowed<C, A>): Command<I, C, O, P> {
  const entry = catalogueCommand(def.name);
  const rows = buildRows(entry, def.failures);
  // Success conditions another command establishes (e.g. on the next REC entry) are not counted here.
  const posts = buildPosts(entry, def.post);
  const orderings = catalogue.orderings.filter((o) => o.command === entry.name);
  // An RMI command takes its inputs as named 64-bit registers: checked at the boundary, so that a
  // call from plain JavaScript with a string or an out-of-range number names the field.
  const registerInputs = entry.iface === 'RMI' ? entry.inputRegs.map(([name]) => name) : undefined;
  const validate = (input: I): void => {
    if (typeof input !== 'object' || input === null) throw new InputError(entry.name, `an object of inputs (${(registerInputs ?? []).join(', ')})`, input);
    const named = input as Record<string, unknown>;
    for (const name of registerInputs ?? []) if (!isU64(named[name])) requireU64(`${entry.name}.${name}`, named[name]);
  };
  const atExit = entry.failures.filter((r) => r.heldAt !== undefined).map((r) => exitRow<C>(r));

  // DECISION D-ORDER: the first condition to hold in listed order is reported.
  // Every row, once: counted in `hits` (reached up to the reported one, held, decided, orderings)
  // and, when `heldOut` is given, the rules that hold appended to it.
  const allRows = (c: C, hits: RuleHits | undefined, heldOut: Rule[] | undefined): Row<C> | undefined => {
    hits?.call(entry.name);
    let decided: Row<C> | undefined;
    // Positions of the rows that held (a catalogue command has fewer than 31 rows; checked below).
    let mask = 0;
    for (const row of rows) {
      const n = row.rule.n;
      if (decided === undefined && hits !== undefined) hits.reached[n] = (hits.reached[n] as number) + 1;
      if (row.holds(c)) {
        mask |= 1 << row.rule.position;
        heldOut?.push(row.rule);
        if (hits !== undefined) hits.held[n] = (hits.held[n] as number) + 1;
        if (decided === undefined) {
          decided = row;
          if (hits !== undefined) hits.decided[n] = (hits.decided[n] as number) + 1;
        }
      }
    }
    if (decided === undefined || hits === undefined) return decided;
    for (const o of orderings) {
      if ((mask & (1 << o.before.position)) === 0 || (mask & (1 << o.after.position)) === 0) continue;
      hits.orderBoth[o.n] = (hits.orderBoth[o.n] as number) + 1;
      if (decided.rule !== o.after) hits.orderRespected[o.n] = (hits.orderRespected[o.n] as number) + 1;
    }
    return decided;
  };
  if (rows.some((r) => r.rule.position > 30)) throw new InternalError(`${entry.name}: more than 31 failure conditions`);

  // The ordered check on inputs already known to be well typed (the SMC layer checked the registers).
  const checkTrusted = (s: RmmState, input: I, given?: RuleHits): E.Either<SpecFailure, C> => {
    const c = def.context(s, input);
    const hits = hitsOr(given);
    if (hits === undefined) {
      for (const row of rows) if (row.holds(c)) return E.left(failureOf(row, c));
      return E.right(c);
    }
    // With hits, every condition is evaluated (predicates are total, D-WELLFORMED), so that
    // conditions holding behind the reported one and ordering pairs are counted.
    const decided = allRows(c, hits, undefined);
    return decided === undefined ? E.right(c) : E.left(failureOf(decided, c));
  };

  // Every row on inputs already known to be well typed.
  const checkAllTrusted = (s: RmmState, input: I, given?: RuleHits): CheckedAll<C> => {
    const c = def.context(s, input);
    const held: Rule[] = [];
    const decided = allRows(c, hitsOr(given), held);
    return { checked: decided === undefined ? E.right(c) : E.left(failureOf(decided, c)), held };
  };

  const checkAll = (s: RmmState, input: I, given?: RuleHits): CheckedAll<C> => {
    if (registerInputs !== undefined) validate(input);
    return checkAllTrusted(s, input, given);
  };

  const verify = (t: Transition<I, P>, given?: RuleHits, frame?: { readonly pre: RmmState; readonly post: RmmState }): void => {
    const checking = isCheckedMode();
    const hits = hitsOr(given);
    if (!checking && hits === undefined) return;
    if (hits !== undefined) for (const r of atExit) hits.reached[r.rule.n] = (hits.reached[r.rule.n] as number) + 1;
    for (const p of posts) {
      if (p.when !== undefined && !p.when(t)) continue;
      const ok = p.holds(t);
      if (hits !== undefined) {
        hits.reached[p.rule.n] = (hits.reached[p.rule.n] as number) + 1;
        if (ok) hits.held[p.rule.n] = (hits.held[p.rule.n] as number) + 1;
      }
      if (!ok && checking) throw new InternalError(`${p.rule.id} does not hold (${p.rule.text}) for ${entry.name}(${showInput(t.input)})`);
    }
    if (!checking) return;
    const locate = def.post.locate;
    const bad = frameViolations(entry.footprint, (name) => (locate[name] as (t: Transition<I, P>) => ReturnType<(typeof locate)[string]>)(t), frame?.pre ?? t.pre, frame?.post ?? t.post);
    if (bad.length > 0) throw new InternalError(`${entry.name}(${showInput(t.input)}) changed what its footprint does not name: ${bad.map(showChange).join(', ')}`);
  };

  const check = (s: RmmState, input: I, given?: RuleHits): E.Either<SpecFailure, C> => {
    if (registerInputs !== undefined) validate(input);
    return checkTrusted(s, input, given);
  };

  // The refinement between check and apply (engine/refine.ts): a type guard, so the context
  // itself is apply's argument (no copy). Without one, A is C (CheckedWhenNarrowed makes
  // `checked` required otherwise), and apply is the definition's.
  const refinement = def.checked;
  const apply: (c: C) => readonly [RmmState, O] =
    refinement === undefined
      ? (def.apply as (c: C) => readonly [RmmState, O])
      : (c) => {
          if (!refinement.holds(c)) throw new InternalError(`${entry.name}: apply reached without what the failure conditions establish (${refinement.establishes})`);
          return def.apply(c);
        };

  const trusted = (s: RmmState, input: I, hits?: RuleHits): CommandResult<O> => {
    const checked = checkTrusted(s, input, hits);
    if (E.isLeft(checked)) return checked;
    const out = apply(checked.right);
    if (def.postAt === undefined) verify({ pre: s, input, post: out[0], out: out[1] as unknown as P }, hits);
    return E.right(out);
  };

  const evaluate = (s: RmmState, input: I, hits?: RuleHits): Evaluation<O> => {
    const { checked, held } = checkAllTrusted(s, input, hits);
    if (E.isLeft(checked)) return { result: checked, held };
    const out = apply(checked.right);
    if (def.postAt === undefined) verify({ pre: s, input, post: out[0], out: out[1] as unknown as P }, hits);
    return { result: E.right(out), held };
  };

  const run = (s: RmmState, input: I, hits?: RuleHits): CommandResult<O> => {
    if (registerInputs !== undefined) validate(input);
    return trusted(s, input, hits);
  };

  const failure = (label: string, c: C, given?: RuleHits): SpecFailure => {
    const hits = hitsOr(given);
    const row = atExit.find((r) => r.rule.label === label);
    if (row === undefined) throw new InternalError(`${entry.name}: no failure condition '${label}' held at exit in the catalogue`);
    if (hits !== undefined) {
      const n = row.rule.n;
      hits.reached[n] = (hits.reached[n] as number) + 1;
      hits.held[n] = (hits.held[n] as number) + 1;
      hits.decided[n] = (hits.decided[n] as number) + 1;
    }
    return failureOf(row, c);
  };

  const holding = (s: RmmState, input: I): Rule[] => {
    if (registerInputs !== undefined) validate(input);
    const c = def.context(s, input);
    return rows.filter((r) => r.holds(c)).map((r) => r.rule);
  };

  const permitted = (s: RmmState, input: I): SpecFailure[] => {
    if (registerInputs !== undefined) validate(input);
    const c = def.context(s, input);
    const held = rows.filter((r) => r.holds(c));
    const ok = new Set(permittedFailures(entry, held.map((r) => r.rule)));
    return held.filter((r) => ok.has(r.rule)).map((r) => failureOf(r, c));
  };

  return Object.assign(run, { entry, context: def.context, check, checkAll, evaluate, apply, holding, permitted, failure, post: def.post, verify, trusted });
}

/**
 * DEN0137 B1.6: the failures an implementation may report when `held` (the conditions that hold,
 * in listed order) are all true: those that no ordering constraint, followed transitively, puts
 * after another holding one.
 */
export function permittedFailures(entry: CatalogueCommand, held: readonly Rule[]): Rule[] {
  const pos = new Set(held.map((r) => r.position));
  // Stryker disable next-line ArrayDeclaration: equivalent; precedes has one set per failure row (catalogue closure()), so `?? []` is never taken.
  return held.filter((r) => ![...(entry.precedes[r.position] ?? [])].some((b) => pos.has(b)));
}
