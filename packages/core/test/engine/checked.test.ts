/**
 * Checked mode: after every apply the engine evaluates the command's post-conditions (written
 * from the spec, not from apply) and the frame check against the catalogue's footprint, and a
 * violation is a model bug (InternalError naming the rule). Here apply is replaced by mistaken
 * ones, which checked mode must catch.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import {
  GranuleState,
  Gpt,
  granule,
  granuleIndex,
  initialState,
  InternalError,
  isCheckedMode,
  RuleHits,
  rmiGranuleDelegate,
  setCheckedMode,
  stateChanges,
  type GranuleCtx,
  type RmmState,
} from '../../src/index.js';
import { withGranule, defineCommand } from '../../src/internal.js';
import { G } from '../support/fixtures.js';

/** RMI_GRANULE_DELEGATE with its real post-conditions and a given apply; no failure holds. */
const delegateWith = (apply: (c: GranuleCtx) => readonly [RmmState, Record<string, never>]) =>
  defineCommand<{ readonly addr: bigint }, GranuleCtx, Record<string, never>>({
    name: 'RMI_GRANULE_DELEGATE',
    context: (s, i) => ({ s, addr: i.addr, gi: granuleIndex(i.addr) }),
    failures: { gran_align: () => false, gran_bound: () => false, gran_state: () => false, gran_gpt: () => false },
    apply,
    post: rmiGranuleDelegate.post!,
  });

const s0 = initialState();
const inRealmPas = (st: GranuleState) => granule(st, Gpt.REALM);

describe('checked mode', () => {
  afterEach(() => {
    setCheckedMode(true);
  });

  it('is on in the project tests (test/setup/checked.ts)', () => {
    expect(isCheckedMode()).toBe(true);
  });

  it('passes the real command', () => {
    expect(E.isRight(rmiGranuleDelegate(s0, { addr: G(3) }))).toBe(true);
  });

  it('names the post-condition an apply breaks: a delegate that leaves the granule in the NS PAS breaks gran_gpt (B4.3.5.3)', () => {
    const wrong = delegateWith((c) => [withGranule(c.s, c.gi, granule(GranuleState.DELEGATED, Gpt.NS)), {}]);
    expect(() => wrong(s0, { addr: G(3) })).toThrow(/RMI_GRANULE_DELEGATE\/success\/gran_gpt does not hold/);
  });

  it('names the post-condition an apply breaks: a delegate that makes an RD breaks gran_state', () => {
    const wrong = delegateWith((c) => [withGranule(c.s, c.gi, inRealmPas(GranuleState.RD)), {}]);
    expect(() => wrong(s0, { addr: G(3) })).toThrow(/gran_state does not hold/);
  });

  it('catches a change outside the footprint: a delegate that also delegates the next granule', () => {
    const wrong = delegateWith((c) => [withGranule(withGranule(c.s, c.gi, inRealmPas(GranuleState.DELEGATED)), c.gi + 1, inRealmPas(GranuleState.DELEGATED)), {}]);
    expect(() => wrong(s0, { addr: G(3) })).toThrow(InternalError);
    expect(() => wrong(s0, { addr: G(3) })).toThrow(`Granule(${granuleIndex(G(4))}).state`);
  });

  it('with checked mode off, the mistakes go unnoticed (the check costs nothing then)', () => {
    setCheckedMode(false);
    const wrong = delegateWith((c) => [withGranule(c.s, c.gi, inRealmPas(GranuleState.RD)), {}]);
    expect(E.isRight(wrong(s0, { addr: G(3) }))).toBe(true);
  });

  it('counts a success condition as held only when its predicate held', () => {
    setCheckedMode(false);
    const hits = new RuleHits();
    const wrong = delegateWith((c) => [withGranule(c.s, c.gi, granule(GranuleState.DELEGATED, Gpt.NS)), {}]);
    wrong(s0, { addr: G(3) }, hits);
    const byLabel = (l: string) => rmiGranuleDelegate.entry.success.find((r) => r.label === l)!;
    expect([hits.reached[byLabel('gran_state').n], hits.held[byLabel('gran_state').n]]).toEqual([1, 1]);
    expect([hits.reached[byLabel('gran_gpt').n], hits.held[byLabel('gran_gpt').n]]).toEqual([1, 0]);
  });
});

describe('stateChanges', () => {
  it('names every changed part of the state, and nothing when nothing changed', () => {
    expect(stateChanges(s0, s0)).toEqual([]);
    const r = rmiGranuleDelegate(s0, { addr: G(3) });
    if (E.isLeft(r)) throw new Error('delegate failed');
    expect(stateChanges(s0, r.right[0])).toEqual([
      { kind: 'granule', gi: granuleIndex(G(3)), field: 'state' },
      { kind: 'granule', gi: granuleIndex(G(3)), field: 'gpt' },
    ]);
  });
});
