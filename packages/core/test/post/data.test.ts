/**
 * The post-conditions of RMI_DATA_CREATE, RMI_DATA_CREATE_UNKNOWN and RMI_DATA_DESTROY
 * (post/data.ts; DEN0137 B4.3.1.3, B4.3.2.3, B4.3.3.3) hold on the model's transitions and fail
 * on doctored ones. Expected values (IPAs, `top`) by hand from the spec and the fixture's layout.
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import {
  GranuleState,
  granuleIndex,
  Ripas,
  rmiDataCreate,
  rmiDataCreateUnknown,
  rmiDataDestroy,
  RttEntryState,
  rttEntry,
  type Command,
  type Realm,
  type RmmState,
  type Transition,
} from '../../src/index.js';
import { packMeta, realmGranule, rttWithEntry, updateRealm, updateState, withGranule, withGranuleBytes, withRealmRecord } from '../../src/internal.js';
import { delegate, G, ok, R, withRealm, write } from '../support/fixtures.js';

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

/** The `when` of conditional row `label`. */
function when<I, C, O>(cmd: Command<I, C, O>, label: string): (t: Transition<I, O>) => boolean {
  const p = cmd.post?.success[label];
  if (p === undefined || typeof p === 'function') throw new Error(`${label} is not conditional`);
  return p.when;
}

// Layout: level 2 RTT at G(5) and level 3 RTT at G(6) for IPA 0 (the level 3 table maps [0, 2 MB)),
// DATA granules G(7), G(8), the Non-secure source G(9).
const rdGi = granuleIndex(R.rd);
const rtt3 = granuleIndex(G(6));
const [DATA, DATA2, SRC] = [G(7), G(8), G(9)];
const page = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7 + 1) & 0xff);

/** A Realm in REALM_NEW with RTTs down to level 3 at IPA 0, two delegated granules and a written source. */
function populated(): RmmState {
  let s = delegate(withRealm(), G(5), G(6), DATA, DATA2);
  s = ok(s, 'RMI_RTT_CREATE', R.rd, G(5), 0n, 2n);
  s = ok(s, 'RMI_RTT_CREATE', R.rd, G(6), 0n, 3n);
  return write(s, SRC, page);
}

/** `t` with entry `i` of the level 3 RTT set in the post-state. */
const withEntry = <I, O>(t: Transition<I, O>, i: number, state: RttEntryState, ripas: Ripas, addr: number): Transition<I, O> => ({
  ...t,
  post: updateState(t.post, { rtts: t.post.rtts.set(rtt3, rttWithEntry(t.post.rtts.get(rtt3)!, i, packMeta(state, ripas), addr)) }),
});
/** `t` with the post-state's RIM replaced by `m`. */
const withRim = <I, O>(t: Transition<I, O>, m: Uint8Array): Transition<I, O> => {
  const r = t.post.realms.get(rdGi)!;
  return { ...t, post: withRealmRecord(t.post, rdGi, updateRealm(r, { measurements: [m, ...r.measurements.slice(1)] })) };
};
const realmOf = (s: RmmState): Realm => s.realms.get(rdGi)!;

// -------------------------------------------------------------------------------------
// RMI_DATA_CREATE
// -------------------------------------------------------------------------------------

describe('RMI_DATA_CREATE post-conditions (B4.3.1.3)', () => {
  const input = { rd: R.rd, data: DATA, ipa: 0x1000n, src: SRC, flags: 1n };
  const t = run(rmiDataCreate, populated(), input);
  const holds = (label: string, tt = t): boolean => row(rmiDataCreate, label)(tt);
  const addr = Number(DATA);

  it('every row holds on the model transition, measured or not', () => {
    const unmeasured = run(rmiDataCreate, populated(), { ...input, flags: 0n });
    for (const tt of [t, unmeasured]) for (const r of rmiDataCreate.entry.success) expect([r.label, holds(r.label, tt)]).toEqual([r.label, true]);
  });

  const doctored: ReadonlyArray<readonly [string, typeof t]> = [
    ['data_state', { ...t, post: withGranule(t.post, granuleIndex(DATA), realmGranule(GranuleState.DELEGATED)) }],
    ['rtte_state', withEntry(t, 1, RttEntryState.UNASSIGNED, Ripas.RAM, 0)],
    ['rtte_ripas', withEntry(t, 1, RttEntryState.ASSIGNED, Ripas.EMPTY, addr)],
    ['rtte_addr', withEntry(t, 1, RttEntryState.ASSIGNED, Ripas.RAM, Number(DATA2))],
    ['rim', withRim(t, realmOf(t.pre).measurements[0]!)],
    ['data_content', { ...t, post: withGranuleBytes(t.post, granuleIndex(DATA), page.map((b) => b ^ 1)) }],
  ];
  for (const [label, bad] of doctored) {
    it(`${label} fails on a post-state that breaks it`, () => {
      expect(holds(label, bad)).toBe(false);
    });
  }

  it('covers every row of the catalogue', () => {
    expect(doctored.map(([l]) => l).sort()).toEqual(rmiDataCreate.entry.success.map((r) => r.label).sort());
  });

  it('rim reads flags.measure: the measured RIM is not the unmeasured one', () => {
    expect(holds('rim', { ...t, input: { ...input, flags: 0n } })).toBe(false);
    expect(holds('rim', { ...t, input: { ...input, ipa: 0x2000n } })).toBe(false);
  });

  it('locates data, rd and the level 3 entry of ipa (entry 1)', () => {
    const loc = rmiDataCreate.post!.locate;
    expect([loc.data!(t), loc.rd!(t), loc['walk.rtt_addr']!(t), loc.entry_idx!(t)]).toEqual([granuleIndex(DATA), rdGi, rtt3, 1]);
  });
});

// -------------------------------------------------------------------------------------
// RMI_DATA_CREATE_UNKNOWN
// -------------------------------------------------------------------------------------

describe('RMI_DATA_CREATE_UNKNOWN post-conditions (B4.3.2.3)', () => {
  const input = { rd: R.rd, data: DATA, ipa: 0x3000n };
  const t = run(rmiDataCreateUnknown, populated(), input);
  const holds = (label: string, tt = t): boolean => row(rmiDataCreateUnknown, label)(tt);

  it('every row holds on the model transition', () => {
    for (const r of rmiDataCreateUnknown.entry.success) expect([r.label, holds(r.label)]).toEqual([r.label, true]);
  });

  const doctored: ReadonlyArray<readonly [string, typeof t]> = [
    ['data_state', { ...t, post: withGranule(t.post, granuleIndex(DATA), realmGranule(GranuleState.RD)) }],
    ['data_content', { ...t, post: withGranuleBytes(t.post, granuleIndex(DATA), page) }],
    ['rtte_state', withEntry(t, 3, RttEntryState.UNASSIGNED, Ripas.EMPTY, 0)],
    ['rtte_addr', withEntry(t, 3, RttEntryState.ASSIGNED, Ripas.EMPTY, Number(DATA) + 0x1000)],
    // The entry was EMPTY; DATA_CREATE_UNKNOWN must not make it RAM.
    ['rtte_ripas', withEntry(t, 3, RttEntryState.ASSIGNED, Ripas.RAM, Number(DATA))],
    ['rim', withRim(t, new Uint8Array(64).fill(3))],
  ];
  for (const [label, bad] of doctored) {
    it(`${label} fails on a post-state that breaks it`, () => {
      expect(holds(label, bad)).toBe(false);
    });
  }

  it('covers every row of the catalogue', () => {
    expect(doctored.map(([l]) => l).sort()).toEqual(rmiDataCreateUnknown.entry.success.map((r) => r.label).sort());
  });
});

// -------------------------------------------------------------------------------------
// RMI_DATA_DESTROY
// -------------------------------------------------------------------------------------

describe('RMI_DATA_DESTROY post-conditions (B4.3.3.3)', () => {
  // DATA (RIPAS RAM) at 0x1000 and DATA2 (RIPAS EMPTY, created unknown) at 0x5000.
  const s = run(rmiDataCreateUnknown, run(rmiDataCreate, populated(), { rd: R.rd, data: DATA, ipa: 0x1000n, src: SRC, flags: 0n }).post, { rd: R.rd, data: DATA2, ipa: 0x5000n }).post;
  const ram = run(rmiDataDestroy, s, { rd: R.rd, ipa: 0x1000n });
  const empty = run(rmiDataDestroy, s, { rd: R.rd, ipa: 0x5000n });
  const holds = (label: string, tt = ram): boolean => row(rmiDataDestroy, label)(tt);

  it('outputs the DATA address and the next live IPA, by hand: 0x5000 after 0x1000, the table end (2 MB) after 0x5000', () => {
    expect(ram.out).toEqual({ data: DATA, top: 0x5000n });
    expect(empty.out).toEqual({ data: DATA2, top: 0x20_0000n });
  });

  it('every row holds on the model transitions, ripas_ram for RAM and ripas_unchanged for EMPTY', () => {
    expect([when(rmiDataDestroy, 'ripas_ram')(ram), when(rmiDataDestroy, 'ripas_unchanged')(ram)]).toEqual([true, false]);
    expect([when(rmiDataDestroy, 'ripas_ram')(empty), when(rmiDataDestroy, 'ripas_unchanged')(empty)]).toEqual([false, true]);
    for (const l of ['data_state', 'rtte_state', 'ripas_ram', 'data', 'top']) expect([l, holds(l)]).toEqual([l, true]);
    for (const l of ['data_state', 'rtte_state', 'ripas_unchanged', 'data', 'top']) expect([l, holds(l, empty)]).toEqual([l, true]);
    expect(rttEntry(empty.post.rtts.get(rtt3)!, 5).ripas).toBe(Ripas.EMPTY);
  });

  const doctored: ReadonlyArray<readonly [string, typeof ram]> = [
    ['data_state', { ...ram, post: withGranule(ram.post, granuleIndex(DATA), realmGranule(GranuleState.DATA)) }],
    ['rtte_state', withEntry(ram, 1, RttEntryState.ASSIGNED, Ripas.DESTROYED, Number(DATA))],
    ['ripas_ram', withEntry(ram, 1, RttEntryState.UNASSIGNED, Ripas.RAM, 0)],
    ['ripas_unchanged', withEntry(empty, 5, RttEntryState.UNASSIGNED, Ripas.DESTROYED, 0)],
    ['data', { ...ram, out: { ...ram.out, data: DATA2 } }],
    // Off by one granule either way.
    ['top', { ...ram, out: { ...ram.out, top: 0x4000n } }],
  ];
  for (const [label, bad] of doctored) {
    it(`${label} fails on a post-state or output that breaks it`, () => {
      expect(holds(label, bad)).toBe(false);
    });
  }

  it('covers every row of the catalogue', () => {
    expect(doctored.map(([l]) => l).sort()).toEqual(rmiDataDestroy.entry.success.map((r) => r.label).sort());
  });

  it('top is evaluated after the command: one granule higher breaks it too', () => {
    expect(holds('top', { ...ram, out: { ...ram.out, top: 0x6000n } })).toBe(false);
  });

  it('a DESTROYED entry stays DESTROYED: ripas_unchanged applies to a DATA granule created unknown over it', () => {
    const again = run(rmiDataCreateUnknown, ram.post, { rd: R.rd, data: DATA, ipa: 0x1000n });
    expect(rttEntry(again.post.rtts.get(rtt3)!, 1).ripas).toBe(Ripas.DESTROYED);
    const t = run(rmiDataDestroy, again.post, { rd: R.rd, ipa: 0x1000n });
    expect([when(rmiDataDestroy, 'ripas_ram')(t), when(rmiDataDestroy, 'ripas_unchanged')(t)]).toEqual([false, true]);
    expect(holds('ripas_unchanged', t)).toBe(true);
    expect(holds('ripas_unchanged', withEntry(t, 1, RttEntryState.UNASSIGNED, Ripas.EMPTY, 0))).toBe(false);
  });

  it('locates the DATA granule and the entry from before the command', () => {
    const loc = rmiDataDestroy.post!.locate;
    expect([loc['walk.rtte.addr']!(ram), loc['walk.rtt_addr']!(ram), loc.entry_idx!(ram)]).toEqual([granuleIndex(DATA), rtt3, 1]);
  });
});
