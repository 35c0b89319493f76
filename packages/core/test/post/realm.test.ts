/**
 * The post-conditions of RMI_REALM_CREATE, RMI_REALM_ACTIVATE and RMI_REALM_DESTROY (post/realm.ts;
 * DEN0137 B4.3.9.3, B4.3.8.3, B4.3.10.3) hold on the model's transitions and fail on doctored
 * ones: each doctored post-state breaks exactly what the row says. Expected values by hand from
 * the spec and the fixture's parameters.
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import {
  DEFAULT_FEATURES0,
  GranuleState,
  makePlatform,
  HashAlgorithm,
  initialState,
  RealmState,
  Ripas,
  rmiRealmActivate,
  rmiRealmCreate,
  rmiRealmDestroy,
  RttEntryState,
  granuleIndex,
  type Command,
  type Realm,
  type RmmState,
  type Transition,
} from '../../src/index.js';
import { packMeta, realmGranule, rttWithEntry, updateRealm, updateState, withGranule, withRealmRecord } from '../../src/internal.js';
import { delegate, G, R, realmParamsFields, withRealm, write, realmParams } from '../support/fixtures.js';

/** The transition of a command that must succeed. */
function run<I, C, O>(cmd: Command<I, C, O>, pre: RmmState, input: I): Transition<I, O> {
  const r = cmd(pre, input);
  if (E.isLeft(r)) throw new Error(`${cmd.entry.name} failed: ${r.left.rule}`);
  return { pre, input, post: r.right[0], out: r.right[1] };
}

/** The predicate of success row `label` (the `holds` part of a conditional row). */
function row<I, C, O>(cmd: Command<I, C, O>, label: string): (t: Transition<I, O>) => boolean {
  const p = cmd.post?.success[label];
  if (p === undefined) throw new Error(`${cmd.entry.name} has no post-condition ${label}`);
  return typeof p === 'function' ? p : p.holds;
}

const rdGi = granuleIndex(R.rd);
const rttGi = granuleIndex(R.rtt);

/** `t` with the post-state's Realm at R.rd patched. */
const withRealmPatch = <I, O>(t: Transition<I, O>, patch: Partial<Realm>): Transition<I, O> => ({
  ...t,
  post: withRealmRecord(t.post, rdGi, updateRealm(t.post.realms.get(rdGi) as Realm, patch)),
});

/** `t` with entry `i` of the starting RTT set to `state` and `ripas` in the post-state. */
const withEntry = <I, O>(t: Transition<I, O>, i: number, state: RttEntryState, ripas: Ripas): Transition<I, O> => ({
  ...t,
  post: updateState(t.post, { rtts: t.post.rtts.set(rttGi, rttWithEntry(t.post.rtts.get(rttGi)!, i, packMeta(state, ripas), 0)) }),
});

// -------------------------------------------------------------------------------------
// RMI_REALM_CREATE
// -------------------------------------------------------------------------------------

describe('RMI_REALM_CREATE post-conditions (B4.3.9.3)', () => {
  // 39-bit IPA, level 1, one starting RTT: entry i maps [i GB, i+1 GB); Protected below 2^38 = entry 256.
  const rpv = Array.from({ length: 8 }, (_, k) => 0x0101_0101_0101_0101n * BigInt(k + 1));
  const fields = realmParamsFields({ rtt_base: R.rtt, rpv, vmid: 9n });
  const pre = write(delegate(initialState(), R.rd, R.rtt), R.params, realmParams(fields));
  const t = run(rmiRealmCreate, pre, { rd: R.rd, params_ptr: R.params });
  const holds = (label: string, tt = t): boolean => row(rmiRealmCreate, label)(tt);

  it('every row holds on the model transition', () => {
    for (const r of rmiRealmCreate.entry.success) expect([r.label, holds(r.label)]).toEqual([r.label, true]);
  });

  const doctored: ReadonlyArray<readonly [string, Transition<{ rd: bigint; params_ptr: bigint }, Record<string, never>>]> = [
    ['rd_state', { ...t, post: withGranule(t.post, rdGi, realmGranule(GranuleState.DELEGATED)) }],
    ['realm_state', withRealmPatch(t, { state: RealmState.REALM_ACTIVE })],
    ['rec_index', withRealmPatch(t, { recIndex: 1 })],
    ['rtt_base', withRealmPatch(t, { rttBase: rttGi + 1 })],
    ['rtt_state', { ...t, post: withGranule(t.post, rttGi, realmGranule(GranuleState.DELEGATED)) }],
    // Entry 255 maps the last Protected GB, entry 256 the first Unprotected one.
    ['rtte_p_states', withEntry(t, 255, RttEntryState.UNASSIGNED_NS, Ripas.EMPTY)],
    ['rtte_up_states', withEntry(t, 256, RttEntryState.UNASSIGNED, Ripas.EMPTY)],
    ['rtte_ripas', withEntry(t, 0, RttEntryState.UNASSIGNED, Ripas.RAM)],
    ['lpa2', withRealmPatch(t, { featLpa2: true })],
    ['ipa_width', withRealmPatch(t, { ipaWidth: 40 })],
    ['hash_algo', withRealmPatch(t, { hashAlgo: HashAlgorithm.SHA_512 })],
    ['rim', withRealmPatch(t, { measurements: [new Uint8Array(64), ...t.post.realms.get(rdGi)!.measurements.slice(1)] })],
    ['rem', withRealmPatch(t, { measurements: t.post.realms.get(rdGi)!.measurements.map((m, k) => (k === 3 ? new Uint8Array(64).fill(1) : m)) })],
    ['rtt_level', withRealmPatch(t, { rttLevelStart: 2 })],
    ['rtt_num', withRealmPatch(t, { rttNumStart: 2 })],
    ['vmid', withRealmPatch(t, { vmid: 8 })],
    ['rpv', withRealmPatch(t, { rpv: new Uint8Array(64) })],
    ['num_recs', withRealmPatch(t, { numRecs: 1 })],
    ['vmid_used', { ...t, post: updateState(t.post, { vmids: t.post.vmids.delete(9) }) }],
  ];
  for (const [label, bad] of doctored) {
    it(`${label} fails on a post-state that breaks it`, () => {
      expect(holds(label, bad)).toBe(false);
    });
  }

  it('covers every row of the catalogue', () => {
    expect(doctored.map(([l]) => l).sort()).toEqual(rmiRealmCreate.entry.success.map((r) => r.label).sort());
  });

  it('rim is RimInit of the params the Host wrote: another params image breaks it', () => {
    const other = write(pre, R.params, realmParams({ ...fields, num_bps: 2n }));
    expect(holds('rim', { ...t, pre: other })).toBe(false);
  });

  it('lpa2 and hash_algo read the params: a SHA-512 Realm with LPA2 satisfies them', () => {
    // Two concatenated level 1 tables at G(6), G(7) (aligned to 2 granules).
    const f = realmParamsFields({ rtt_base: G(6), rtt_num_start: 2n, flags: 1n, hash_algo: 1n, s2sz: 40n });
    const s = write(delegate(initialState(), R.rd, G(6), G(7)), R.params, realmParams(f));
    const t2 = run(rmiRealmCreate, s, { rd: R.rd, params_ptr: R.params });
    for (const l of ['lpa2', 'hash_algo', 'rim', 'ipa_width', 'rtte_p_states', 'rtte_up_states']) expect([l, holds(l, t2)]).toEqual([l, true]);
    // 40-bit IPA: Protected below 2^39 = entry 512 of the two concatenated level 1 tables.
    expect(holds('lpa2', withRealmPatch(t2, { featLpa2: false }))).toBe(false);
    const second = granuleIndex(G(7));
    const entry = (i: number, state: RttEntryState): Transition<{ rd: bigint; params_ptr: bigint }, Record<string, never>> => ({
      ...t2,
      post: updateState(t2.post, { rtts: t2.post.rtts.set(second, rttWithEntry(t2.post.rtts.get(second)!, i, packMeta(state, Ripas.EMPTY), 0)) }),
    });
    // The second table maps [2^39, 2^40): all Unprotected.
    expect(holds('rtte_up_states', entry(0, RttEntryState.UNASSIGNED))).toBe(false);
    expect(holds('rtte_p_states', entry(0, RttEntryState.UNASSIGNED))).toBe(true);
  });

  it('holds for a level 0 (48-bit) and a level -1 (52-bit, LPA2) Realm; the 16-entry level -1 table splits at entry 8', () => {
    const s0 = write(delegate(initialState(), R.rd, R.rtt), R.params, realmParams(realmParamsFields({ rtt_base: R.rtt, s2sz: 48n, rtt_level_start: 0n })));
    const t0 = run(rmiRealmCreate, s0, { rd: R.rd, params_ptr: R.params });
    for (const r of rmiRealmCreate.entry.success) expect([r.label, holds(r.label, t0)]).toEqual([r.label, true]);
    // A platform whose RmiFeatureRegister0 says S2SZ 52 (bits 7:0) and LPA2 (bit 8).
    const p52 = initialState(makePlatform({ features0: (DEFAULT_FEATURES0 & ~0xffn) | 52n }));
    const f = realmParamsFields({ rtt_base: R.rtt, s2sz: 52n, flags: 1n, rtt_level_start: -1n & 0xffff_ffff_ffff_ffffn });
    const s1 = write(delegate(p52, R.rd, R.rtt), R.params, realmParams(f));
    const t1 = run(rmiRealmCreate, s1, { rd: R.rd, params_ptr: R.params });
    for (const r of rmiRealmCreate.entry.success) expect([r.label, holds(r.label, t1)]).toEqual([r.label, true]);
    expect(t1.post.realms.get(rdGi)!.rttLevelStart).toBe(-1);
    // Each entry maps 2^48 bytes; Protected below 2^51: entries 0..7.
    expect(holds('rtte_p_states', withEntry(t1, 7, RttEntryState.UNASSIGNED_NS, Ripas.EMPTY))).toBe(false);
    expect(holds('rtte_up_states', withEntry(t1, 8, RttEntryState.UNASSIGNED, Ripas.EMPTY))).toBe(false);
    expect(holds('rtt_level', withRealmPatch(t1, { rttLevelStart: 0 }))).toBe(false);
  });

  it('locates rd and the starting RTTs after the command', () => {
    const loc = rmiRealmCreate.post!.locate;
    expect(loc.rd!(t)).toBe(rdGi);
    expect(loc['Realm(rd).rtt_base']!(t)).toBe(rttGi);
    expect(loc['Realm(rd).rtt_num_start']!(t)).toBe(1);
    expect(loc['Realm(rd).rtt_base']!({ ...t, post: t.pre })).toBeUndefined();
  });
});

// -------------------------------------------------------------------------------------
// RMI_REALM_ACTIVATE, RMI_REALM_DESTROY
// -------------------------------------------------------------------------------------

describe('RMI_REALM_ACTIVATE post-conditions (B4.3.8.3)', () => {
  const t = run(rmiRealmActivate, withRealm(), { rd: R.rd });

  it('realm_state holds, and fails when the Realm stays REALM_NEW', () => {
    expect(row(rmiRealmActivate, 'realm_state')(t)).toBe(true);
    expect(row(rmiRealmActivate, 'realm_state')(withRealmPatch(t, { state: RealmState.REALM_NEW }))).toBe(false);
    expect(row(rmiRealmActivate, 'realm_state')({ ...t, post: updateState(t.post, { realms: t.post.realms.delete(rdGi) }) })).toBe(false);
  });
});

describe('RMI_REALM_DESTROY post-conditions (B4.3.10.3)', () => {
  const pre = withRealm({ vmid: 5n });
  const t = run(rmiRealmDestroy, pre, { rd: R.rd });
  const holds = (label: string, tt = t): boolean => row(rmiRealmDestroy, label)(tt);

  it('every row holds on the model transition', () => {
    for (const l of ['rtt_state', 'rd_state', 'vmid']) expect([l, holds(l)]).toEqual([l, true]);
  });

  it('rtt_state fails when a starting RTT granule is not DELEGATED', () => {
    expect(holds('rtt_state', { ...t, post: withGranule(t.post, rttGi, realmGranule(GranuleState.RTT)) })).toBe(false);
  });

  it('rd_state fails when the RD stays an RD', () => {
    expect(holds('rd_state', { ...t, post: withGranule(t.post, rdGi, realmGranule(GranuleState.RD)) })).toBe(false);
  });

  it('vmid fails when VMID 5 stays in use', () => {
    expect(holds('vmid', { ...t, post: updateState(t.post, { vmids: t.post.vmids.set(5, rdGi) }) })).toBe(false);
  });

  it('locates the RTTs of the Realm before the command', () => {
    const loc = rmiRealmDestroy.post!.locate;
    expect([loc['realm.rtt_base']!(t), loc['realm.rtt_num_start']!(t)]).toEqual([rttGi, 1]);
  });
});
