/**
 * The refinement between a command's check and its apply (`engine/refine.ts`): what the failure
 * conditions establish is tested before apply runs, and a context that lacks it is a model bug
 * (an InternalError naming the command), never a cast in apply.
 */
import { describe, expect, it } from 'vitest';
import { InternalError, catalogue, initialState, rmiRealmActivate, rmiRecDestroy, type Rule } from '../../src/index.js';
import { defineCommand, established, type Established } from '../../src/internal.js';
import { G } from '../support/fixtures.js';

const s0 = initialState();
const never = (rules: readonly Rule[]) => Object.fromEntries(rules.filter((r) => r.heldAt === undefined).map((r) => [r.label, () => false]));
const entry = catalogue.byName.get('RMI_REALM_ACTIVATE')!;

interface Ctx {
  readonly realm: { readonly n: number } | undefined;
}

/** RMI_REALM_ACTIVATE with no condition that holds, a context without Realm(rd) and the refinement `realm defined`. */
const broken = defineCommand<{ readonly rd: bigint }, Ctx, Record<string, never>, Established<Ctx, 'realm'>>({
  name: 'RMI_REALM_ACTIVATE',
  context: () => ({ realm: undefined }),
  failures: never(entry.failures),
  checked: established('realm'),
  // Reads the narrowed context without a cast; it must never run here.
  apply: (c) => {
    expect.unreachable(`apply ran on realm ${c.realm.n}`);
    return [s0, {}];
  },
  post: rmiRealmActivate.post,
});

describe('the refinement between check and apply', () => {
  it('a context that lacks what the conditions establish throws an InternalError naming the command, before apply runs', () => {
    expect(() => broken(s0, { rd: G(3) })).toThrow(InternalError);
    expect(() => broken(s0, { rd: G(3) })).toThrow(/RMI_REALM_ACTIVATE.*realm defined/);
    expect(() => broken.apply({ realm: undefined })).toThrow(/RMI_REALM_ACTIVATE/);
  });

  it('the real commands run it: apply on the context of a call whose rd_state holds (no RD at rd) is a model bug', () => {
    // Granule 3 of the initial state is UNDELEGATED, so Realm(rd) does not exist (B4.3.8.2 rd_state).
    const c = rmiRealmActivate.context(s0, { rd: G(3) });
    expect(c.realm).toBeUndefined();
    expect(() => rmiRealmActivate.apply(c)).toThrow(InternalError);
    expect(() => rmiRealmActivate.apply(c)).toThrow(/error: RMI_REALM_ACTIVATE: /);
    // RMI_REC_DESTROY: rec_gran_state holds, Rec(rec_ptr) does not exist (B4.3.13.2).
    expect(() => rmiRecDestroy.apply(rmiRecDestroy.context(s0, { rec_ptr: G(3) }))).toThrow(/error: RMI_REC_DESTROY: .*rec, owner defined/);
  });

  it('established tests every field it names, however many', () => {
    const ctx = (a?: number, b?: number, d?: number) => ({ a, b, d });
    type C = ReturnType<typeof ctx>;
    const one = established<C, 'a'>('a');
    const two = established<C, 'a' | 'b'>('a', 'b');
    const three = established<C, 'a' | 'b' | 'd'>('a', 'b', 'd');
    expect([one.holds(ctx(1)), one.holds(ctx(undefined, 2, 3))]).toEqual([true, false]);
    expect([two.holds(ctx(1, 2)), two.holds(ctx(1)), two.holds(ctx(undefined, 2))]).toEqual([true, false, false]);
    expect([three.holds(ctx(1, 2, 3)), three.holds(ctx(1, 2)), three.holds(ctx(undefined, 2, 3))]).toEqual([true, false, false]);
    // Zero is defined: only undefined is missing.
    expect(one.holds(ctx(0))).toBe(true);
    expect(three.establishes).toBe('a, b, d defined');
  });

  it('a definition whose apply takes a narrower context must give the refinement (a type error otherwise)', () => {
    const define = () =>
      // @ts-expect-error -- `checked` is required when apply's context is narrower than the predicates'.
      defineCommand<{ readonly rd: bigint }, Ctx, Record<string, never>, Established<Ctx, 'realm'>>({
        name: 'RMI_REALM_ACTIVATE',
        context: () => ({ realm: undefined }),
        failures: never(entry.failures),
        apply: () => [s0, {}],
        post: rmiRealmActivate.post,
      });
    expect(define).toBeTypeOf('function');
  });
});
