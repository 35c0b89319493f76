/**
 * The spec view's RTT functions (`post/view.ts`: RttWalk, RttSkipEntriesUnless, RttEntryRange)
 * on states built through commands. Expected values are worked out by hand from the spec
 * (DEN0137 B3.73, B3.74, B3.78, A5.5.10) and the standard Realm's geometry: a 39-bit IPA space
 * starting at level 1 with one RTT at R.rtt, so a level 1 entry maps 1 GB, Protected IPAs are
 * below 2^38 (entries 0..255) and Unprotected ones above (entries 256..511).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURES0, initialState, makePlatform, Ripas, RttEntryState, type RmmState, type RttEntry } from '../../src/index.js';
import { RttEntryRange, RttSkipEntriesUnless, RttWalk, type RttWalkResult } from '../../src/post/view.js';
import { G, R, delegate, ok, withRealm } from '../support/fixtures.js';
import { BLOCK, DATA, GB, IPA_TOP, KB4, MB2, T, UNPROT, withData, withDataBlock, withProtectedTables, withSources } from '../rtt/support.js';

/** An entry as the spec describes it (C1.29), with the model's zero defaults. */
const entry = (state: RttEntryState, over: Partial<RttEntry> = {}): RttEntry => ({ state, ripas: Ripas.EMPTY, addr: 0, memAttr: 0, s2ap: 0, ...over });

/** A walk result, written out. */
const result = (level: number, rtt_addr: bigint, index: number, rtte: RttEntry): RttWalkResult => ({ level, rtt_addr, index, rtte });

/** The standard Realm with its level 2 and 3 RTTs at IPA 0 and DATA pages at 0x3000 and 0x7000. */
function withPages(): RmmState {
  const s = withProtectedTables(withSources(withRealm()));
  return withData(withData(s, 0x3000n, DATA[0] as bigint), 0x7000n, DATA[1] as bigint);
}

/** A Realm with a 40-bit IPA space: two concatenated level 1 RTTs at G(6) and G(7), Unprotected from 2^39. */
const concatenated = (): RmmState => withRealm({ s2sz: 40n, rtt_num_start: 2n, rtt_base: G(6) }, delegate(initialState(), G(7)));

const never = (): boolean => false;

describe('RttWalk (B3.78, A5.5.10)', () => {
  it('stops in the starting RTT of a new Realm, at the entry of the IPA', () => {
    const s = withRealm();
    expect(RttWalk(s, R.rd, 0n, 3)).toEqual(result(1, R.rtt, 0, entry(RttEntryState.UNASSIGNED)));
    expect(RttWalk(s, R.rd, UNPROT + 5n * GB + KB4, 3)).toEqual(result(1, R.rtt, 261, entry(RttEntryState.UNASSIGNED_NS)));
    expect(RttWalk(s, R.rd, IPA_TOP - KB4, 2)).toEqual(result(1, R.rtt, 511, entry(RttEntryState.UNASSIGNED_NS)));
  });

  it('follows TABLE entries down to the level asked for, and no further', () => {
    const s = withPages();
    const ram = { ripas: Ripas.RAM };
    expect(RttWalk(s, R.rd, 0x3000n, 3)).toEqual(result(3, T.l3, 3, entry(RttEntryState.ASSIGNED, { ...ram, addr: Number(DATA[0]) })));
    expect(RttWalk(s, R.rd, 0x3000n, 2)).toEqual(result(2, T.l2, 0, entry(RttEntryState.TABLE, { addr: Number(T.l3) })));
    expect(RttWalk(s, R.rd, 0x3000n, 1)).toEqual(result(1, R.rtt, 0, entry(RttEntryState.TABLE, { addr: Number(T.l2) })));
    expect(RttWalk(s, R.rd, 0x4000n, 3)).toEqual(result(3, T.l3, 4, entry(RttEntryState.UNASSIGNED)));
  });

  it('stops at the first entry that is not TABLE', () => {
    const s = withPages();
    expect(RttWalk(s, R.rd, MB2 + 0x5000n, 3)).toEqual(result(2, T.l2, 1, entry(RttEntryState.UNASSIGNED)));
    expect(RttWalk(s, R.rd, GB + 0x5000n, 3)).toEqual(result(1, R.rtt, 1, entry(RttEntryState.UNASSIGNED)));
    // A 2 MB block at 2 MB: the walk stops at the level 2 ASSIGNED entry.
    const b = withDataBlock(withPages());
    expect(RttWalk(b, R.rd, MB2 + 0x5000n, 3)).toEqual(result(2, T.l2, 1, entry(RttEntryState.ASSIGNED, { ripas: Ripas.RAM, addr: Number(BLOCK[0]) })));
  });

  it('reports the concatenated starting RTT that holds the entry (D-CONCAT)', () => {
    const s = concatenated();
    expect(RttWalk(s, R.rd, (1n << 39n) - GB, 3)).toEqual(result(1, G(6), 511, entry(RttEntryState.UNASSIGNED)));
    expect(RttWalk(s, R.rd, (1n << 39n) + 3n * GB, 3)).toEqual(result(1, G(7), 3, entry(RttEntryState.UNASSIGNED_NS)));
  });

  it('starts at level -1 for a 52-bit Realm: 16 entries of 256 TB', () => {
    const platform = makePlatform({ features0: (DEFAULT_FEATURES0 & ~0xffn) | 52n });
    const s = withRealm({ flags: 1n, s2sz: 52n, rtt_level_start: (1n << 64n) - 1n, rtt_num_start: 1n }, initialState(platform));
    expect(RttWalk(s, R.rd, 5n << 48n, 3)).toEqual(result(-1, R.rtt, 5, entry(RttEntryState.UNASSIGNED)));
    expect(RttWalk(s, R.rd, 9n << 48n, 3)).toEqual(result(-1, R.rtt, 9, entry(RttEntryState.UNASSIGNED_NS)));
  });

  it('is undefined without a Realm at rd or for an IPA outside its IPA space', () => {
    const s = withRealm();
    expect(RttWalk(s, R.rd, IPA_TOP, 3)).toBeUndefined();
    expect(RttWalk(s, R.rtt, 0n, 3)).toBeUndefined();
    expect(RttWalk(s, G(5), 0n, 3)).toBeUndefined();
  });
});

describe('RttSkipEntriesUnless (B3.73, B3.74)', () => {
  const state = (st: RttEntryState) => (e: RttEntry) => e.state === st;

  it('returns the IPA of the first entry that stops the scan, from the entry of ipa', () => {
    const s = withPages();
    expect(RttSkipEntriesUnless(s, T.l3, 3, 0n, state(RttEntryState.ASSIGNED))).toBe(0x3000n);
    expect(RttSkipEntriesUnless(s, T.l3, 3, 0x3000n, state(RttEntryState.ASSIGNED))).toBe(0x3000n);
    expect(RttSkipEntriesUnless(s, T.l3, 3, 0x4000n, state(RttEntryState.ASSIGNED))).toBe(0x7000n);
    expect(RttSkipEntriesUnless(s, T.l3, 3, 0n, (e) => e.ripas === Ripas.RAM)).toBe(0x3000n);
    expect(RttSkipEntriesUnless(withRealm(), R.rtt, 1, 0n, state(RttEntryState.UNASSIGNED_NS))).toBe(UNPROT);
  });

  it('aligns the result down to the level: an ipa inside the stopping entry gives that entry\'s base', () => {
    expect(RttSkipEntriesUnless(withPages(), T.l3, 3, 0x3800n, state(RttEntryState.ASSIGNED))).toBe(0x3000n);
  });

  it('returns the IPA after the RTT\'s last entry when nothing stops it', () => {
    const s = withPages();
    expect(RttSkipEntriesUnless(s, T.l3, 3, 0x8000n, state(RttEntryState.ASSIGNED))).toBe(MB2);
    expect(RttSkipEntriesUnless(withRealm(), R.rtt, 1, UNPROT + GB, state(RttEntryState.UNASSIGNED))).toBe(IPA_TOP);
    // An RTT that does not start at IPA 0: the level 3 RTT at 2 MB ends at 4 MB.
    const b = ok(delegate(s, T.l3b), 'RMI_RTT_CREATE', R.rd, T.l3b, MB2, 3n);
    expect(RttSkipEntriesUnless(b, T.l3b, 3, MB2 + KB4, never)).toBe(2n * MB2);
  });

  it('stops at the end of the concatenated starting RTT it scans (D-CONCAT)', () => {
    const s = concatenated();
    expect(RttSkipEntriesUnless(s, G(6), 1, 0n, never)).toBe(1n << 39n);
    expect(RttSkipEntriesUnless(s, G(7), 1, 1n << 39n, never)).toBe(1n << 40n);
    expect(RttSkipEntriesUnless(s, G(6), 1, 0n, state(RttEntryState.UNASSIGNED_NS))).toBe(1n << 39n);
  });
});

describe('RttEntryRange', () => {
  const s = ok(delegate(withProtectedTables(withRealm()), T.l3b), 'RMI_RTT_CREATE', R.rd, T.l3b, MB2, 3n);

  it('gives the entries that map [base, top), a partly covered entry included', () => {
    expect(RttEntryRange(s, T.l3, 3, 0x3000n, 0x7000n)).toEqual([3, 7]);
    expect(RttEntryRange(s, T.l3, 3, 0x3000n, 0x7001n)).toEqual([3, 8]);
    expect(RttEntryRange(s, T.l3, 3, 0x3800n, 0x4000n)).toEqual([3, 4]);
    expect(RttEntryRange(s, R.rtt, 1, UNPROT, IPA_TOP)).toEqual([256, 512]);
  });

  it('clips the range to the RTT', () => {
    expect(RttEntryRange(s, T.l3, 3, 0n, 2n * MB2)).toEqual([0, 512]);
    expect(RttEntryRange(s, T.l3b, 3, 0n, MB2 + 0x2000n)).toEqual([0, 2]);
  });

  it('is empty when the range and the RTT do not meet, or the range is empty', () => {
    expect(RttEntryRange(s, T.l3, 3, MB2, 2n * MB2)).toEqual([512, 512]);
    expect(RttEntryRange(s, T.l3b, 3, 0n, KB4)).toEqual([0, 0]);
    expect(RttEntryRange(s, T.l3b, 3, 2n * MB2, 3n * MB2)).toEqual([512, 512]);
    expect(RttEntryRange(s, T.l3b, 3, MB2 + KB4, MB2 + KB4)).toEqual([1, 1]);
    expect(RttEntryRange(s, T.l3b, 3, MB2 + 0x3000n, MB2 + KB4)).toEqual([3, 3]);
  });
});
