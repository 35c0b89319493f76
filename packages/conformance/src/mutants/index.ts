/**
 * The mutant catalogue: the model with one seeded fault each, spread over every command area
 * and kind of mistake. `realmspec driver --mutant ID` runs one as a driver; the detection
 * benchmark measures how fast `realmspec conform` finds each.
 *
 * @packageDocumentation
 */
import { modelImpl, type Impl } from '../impl.js';
import { hostMutants } from './host.js';
import type { Mutant } from './kit.js';
import { realmMutants } from './realm.js';

export type { Mutant, MutantArea, MutantKind } from './kit.js';

/** Every mutant, by area. */
export const mutants: readonly Mutant[] = [...hostMutants, ...realmMutants];

const byId = new Map(mutants.map((m) => [m.id, m]));
if (byId.size !== mutants.length) throw new Error('two mutants share an id');

/** The mutant with `id`, if any. */
export function mutantById(id: string): Mutant | undefined {
  return byId.get(id);
}

/** The implementation a driver runs: the model, or the model with mutant `id`. */
export function implOf(id: string | undefined): Impl {
  if (id === undefined) return modelImpl;
  const m = byId.get(id);
  if (m === undefined) throw new Error(`no mutant '${id}'`);
  return m.wrap(modelImpl);
}
