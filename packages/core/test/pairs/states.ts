/**
 * State helpers for the pair cases. States are built through commands; the only records added
 * directly are copies of a Realm or REC record at an address that holds no such object, for
 * pairs whose conditions are ordered by a well-formedness ordering (`[rd_bound, rd_state] <
 * [realm_state]`, ...): in reachable states the later condition's object does not exist when the
 * earlier condition holds, so both hold only in an arbitrary state, as the ordering tests and
 * the spec's CBMC testbenches use (decision D-WELLFORMED).
 */
import { granuleIndex, type Realm, type Rec, type RmmState } from '../../src/index.js';
import { updateRealm, updateRec, updateState } from '../../src/internal.js';
import { G, OUTSIDE, R } from '../support/fixtures.js';

/** `s` with a copy of the Realm record of `from` (changed by `patch`) at the granule containing `at`. */
export function injectRealm(s: RmmState, at: bigint, from: bigint = R.rd, patch: Partial<Realm> = {}): RmmState {
  const model = s.realms.get(granuleIndex(from));
  if (model === undefined) throw new Error(`no Realm at 0x${from.toString(16)}`);
  return updateState(s, { realms: s.realms.set(granuleIndex(at), updateRealm(model, patch)) });
}

/** `s` with a copy of the REC record of `from` (changed by `patch`) at the granule containing `at`. */
export function injectRec(s: RmmState, at: bigint, from: bigint = R.rec, patch: Partial<Rec> = {}): RmmState {
  const model = s.recs.get(granuleIndex(from));
  if (model === undefined) throw new Error(`no REC at 0x${from.toString(16)}`);
  return updateState(s, { recs: s.recs.set(granuleIndex(at), updateRec(model, patch)) });
}

/** A value made on first use. */
export function lazy<T>(make: () => T): () => T {
  let v: { readonly value: T } | undefined;
  return () => (v ??= { value: make() }).value;
}

/** A memo of one value per key. */
export function memo<T>(make: (key: string) => T): (key: string) => T {
  const m = new Map<string, T>();
  return (key) => {
    if (!m.has(key)) m.set(key, make(key));
    return m.get(key) as T;
  };
}

/** rd as a command gets it: the RD, unaligned inside it, outside DRAM, a granule that is no RD. */
export type RdKnob = 'ok' | 'align' | 'bound' | 'state';

/** A DRAM granule that is no RD (UNDELEGATED in the worlds of these tests). */
export const NOT_RD = G(5);

/** The rd input for `k`; for `bound` and `state` a copy of the Realm record is placed there (D-WELLFORMED). */
export function rdInput(s: RmmState, k: RdKnob | undefined): { s: RmmState; rd: bigint } {
  if (k === 'align') return { s, rd: R.rd + 8n };
  if (k === 'bound') return { s: injectRealm(s, OUTSIDE), rd: OUTSIDE };
  if (k === 'state') return { s: injectRealm(s, NOT_RD), rd: NOT_RD };
  return { s, rd: R.rd };
}

/** The rd recipes: an unaligned rd inside the RD; OUTSIDE is not delegable, and its granule is no RD either. */
export const rdRecipes = {
  rd_align: { knobs: { rd: 'align' as RdKnob } },
  rd_bound: { knobs: { rd: 'bound' as RdKnob }, brings: ['rd_state'] },
  rd_state: { knobs: { rd: 'state' as RdKnob } },
} as const;
