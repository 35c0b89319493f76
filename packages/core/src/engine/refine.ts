/**
 * Checked contexts: what a command's failure conditions establish for its apply function.
 *
 * A command's context reads objects that may not exist (Realm(rd), Rec(rec), the RTT walk to an
 * IPA), because its failure predicates must be total (DECISIONS D-WELLFORMED). Apply runs only
 * when no condition holds (DEN0137 B1.6), and the conditions it then passed guarantee those
 * objects: rd_state makes Realm(rd) exist, ipa_bound and rtt_walk make the walk reach its level.
 * A {@link Refinement} states that guarantee as a type guard from the context to the narrower
 * context apply takes; the engine runs it after the ordered check and before apply, and a
 * context that fails it is a model bug (`InternalError` naming the command). Apply thus never
 * sees a value the check did not establish, and needs no cast.
 *
 * @packageDocumentation
 */

/**
 * What the failure conditions of a command establish, as a type guard from the context `C` the
 * predicates read to the context `A` apply takes. Cheap and allocation-free: the context itself
 * becomes apply's argument (README, "How the model is built").
 */
export interface Refinement<C, A extends C> {
  /** What the conditions establish, for the error when a context lacks it (a model bug). */
  readonly establishes: string;
  /** Whether `c` has it. */
  readonly holds: (c: C) => c is A;
}

/** Context `C` with its fields `K` defined: the context apply takes after {@link established}. */
export type Established<C, K extends keyof C> = C & { readonly [F in K]-?: Exclude<C[F], undefined> };

/**
 * The refinement that the context's fields `fields` are defined: the objects the failure
 * conditions make exist (e.g. `established('realm', 'walk')` for an RTT command whose rd_state
 * and ipa_bound rows passed).
 */
export function established<C, K extends keyof C>(...fields: readonly K[]): Refinement<C, Established<C, K>> {
  const establishes = `${fields.join(', ')} defined`;
  const [a, b] = fields;
  // One or two fields (every command in the model) are tested inline, without a loop.
  if (a !== undefined && b === undefined) return { establishes, holds: (c): c is Established<C, K> => c[a] !== undefined };
  if (a !== undefined && b !== undefined && fields.length === 2) return { establishes, holds: (c): c is Established<C, K> => c[a] !== undefined && c[b] !== undefined };
  return {
    establishes,
    holds: (c): c is Established<C, K> => {
      for (const f of fields) if (c[f] === undefined) return false;
      return true;
    },
  };
}
