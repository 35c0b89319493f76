/**
 * The spec functions of `post/rtt-view.ts` (DEN0137 A5.5.6, A5.5.8, B3.49, B3.56, B3.59, B3.61,
 * B3.62, B3.63, B3.76) on states built through commands, against values worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { Ripas, RttEntryState, type RmmState } from '../../src/index.js';
import {
  levelInput,
  levelOutput,
  RipasToRmi,
  RttDescriptorIsValidForUnprotected,
  RttEntryFromDescriptor,
  RttEntryStateToRmi,
  RttFold,
  RttIsHomogeneous,
  RttSkipNonLiveEntries,
} from '../../src/post/rtt-view.js';
import { R, delegate, ok, withRealm } from '../support/fixtures.js';
import { BLOCK, DATA, GB, KB4, MB2, SRC, T, UNPROT, withData, withProtectedTables, withSources, withUnprotectedTables } from '../rtt/support.js';
import { withEntry } from './rtt-support.js';

const nsDesc = (oa: bigint, memAttr = 5n, s2ap = 3n): bigint => oa | (memAttr << 2n) | (s2ap << 6n);
const NS_PA = 0x8800_0000n;

const tables = (): RmmState => withProtectedTables(withSources(withRealm()));
/** DATA pages at 0x3000 and 0x7000 in the level 3 RTT at 0. */
const pages = (): RmmState => withData(withData(tables(), 0x3000n, DATA[0] as bigint), 0x7000n, DATA[1] as bigint);

/** The level 3 RTT at 2 MB full of DATA pages BLOCK[k]. */
function fullL3b(): RmmState {
  let s = delegate(tables(), T.l3b, ...BLOCK);
  s = ok(s, 'RMI_RTT_CREATE', R.rd, T.l3b, MB2, 3n);
  BLOCK.forEach((pa, k) => {
    s = ok(s, 'RMI_DATA_CREATE', R.rd, pa, MB2 + BigInt(k) * KB4, SRC, 0n);
  });
  return s;
}

/** The level 3 RTT at UNPROT full of NS pages NS_PA + k * 4 KB. */
function fullNl3(): RmmState {
  let s = withUnprotectedTables(withRealm());
  for (let k = 0n; k < 512n; k++) s = ok(s, 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT + k * KB4, 3n, nsDesc(NS_PA + k * KB4));
  return s;
}

describe('RttSkipNonLiveEntries (B3.76, A5.5.8)', () => {
  it('returns the IPA of the next ASSIGNED, ASSIGNED_NS or TABLE entry, or the end of the RTT', () => {
    const s = pages();
    expect(RttSkipNonLiveEntries(s, T.l3, 3, 0n)).toBe(0x3000n);
    expect(RttSkipNonLiveEntries(s, T.l3, 3, 0x4000n)).toBe(0x7000n);
    expect(RttSkipNonLiveEntries(s, T.l3, 3, 0x8000n)).toBe(MB2);
    // The starting RTT: entry 0 is TABLE; the Unprotected tables make entry 256 TABLE too.
    const u = withUnprotectedTables(s);
    expect(RttSkipNonLiveEntries(u, R.rtt, 1, GB)).toBe(UNPROT);
    const n = ok(u, 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT + 5n * KB4, 3n, nsDesc(NS_PA));
    expect(RttSkipNonLiveEntries(n, T.nl3, 3, UNPROT + KB4)).toBe(UNPROT + 5n * KB4);
  });

  it('returns ipa itself when its entry is live, even inside the entry (E-SKIP-LIVE)', () => {
    const s = pages();
    expect(RttSkipNonLiveEntries(s, T.l3, 3, 0x3000n)).toBe(0x3000n);
    expect(RttSkipNonLiveEntries(s, T.l2, 2, 0x3000n)).toBe(0x3000n);
  });

  it('is undefined without an RTT at the address', () => {
    expect(RttSkipNonLiveEntries(pages(), T.spare, 3, 0n)).toBeUndefined();
  });
});

describe('RttIsHomogeneous and RttFold (B3.62, B3.63, A5.5.6)', () => {
  it('an RTT of UNASSIGNED entries with one RIPAS folds to UNASSIGNED with that RIPAS; a second RIPAS breaks it', () => {
    const s = tables();
    expect(RttFold(s, T.l3, 3)).toEqual({ state: RttEntryState.UNASSIGNED, ripas: Ripas.EMPTY, addr: 0, memAttr: 0, s2ap: 0 });
    // DATA_DESTROY leaves entry 3 UNASSIGNED with RIPAS DESTROYED.
    const d = ok(withData(s, 0x3000n, DATA[0] as bigint), 'RMI_DATA_DESTROY', R.rd, 0x3000n);
    expect(RttIsHomogeneous(d, T.l3, 3)).toBe(false);
    expect(RttFold(d, T.l3, 3)).toBeUndefined();
  });

  it('an RTT with one ASSIGNED page among UNASSIGNED entries, or a TABLE entry, is not homogeneous', () => {
    expect(RttIsHomogeneous(pages(), T.l3, 3)).toBe(false);
    expect(RttIsHomogeneous(pages(), T.l2, 2)).toBe(false);
  });

  it('an RTT of UNASSIGNED_NS entries folds to UNASSIGNED_NS', () => {
    const s = withUnprotectedTables(withRealm());
    expect(RttFold(s, T.nl3, 3)?.state).toBe(RttEntryState.UNASSIGNED_NS);
  });

  it('contiguous DATA pages from a 2 MB boundary with one RIPAS fold to an ASSIGNED block at the first address', () => {
    const s = fullL3b();
    expect(RttFold(s, T.l3b, 3)).toEqual({ state: RttEntryState.ASSIGNED, ripas: Ripas.RAM, addr: Number(BLOCK[0]), memAttr: 0, s2ap: 0 });
    expect(RttIsHomogeneous(withEntry(s, T.l3b, 9, { ripas: Ripas.DESTROYED }), T.l3b, 3)).toBe(false);
    expect(RttIsHomogeneous(withEntry(s, T.l3b, 9, { addr: Number(BLOCK[8]) }), T.l3b, 3)).toBe(false);
    // Level 1 is not a level at which ASSIGNED entries fold (A5.5.6: level 2 or 3).
    expect(RttIsHomogeneous(s, T.l3b, 1)).toBe(false);
  });

  it('contiguous NS pages with identical attributes fold to an ASSIGNED_NS block; other attributes, gaps or alignment do not', () => {
    const s = fullNl3();
    expect(RttFold(s, T.nl3, 3)).toEqual({ state: RttEntryState.ASSIGNED_NS, ripas: Ripas.EMPTY, addr: Number(NS_PA), memAttr: 5, s2ap: 3 });
    expect(RttIsHomogeneous(withEntry(s, T.nl3, 300, { memAttr: 6 }), T.nl3, 3)).toBe(false);
    expect(RttIsHomogeneous(withEntry(s, T.nl3, 300, { s2ap: 1 }), T.nl3, 3)).toBe(false);
    expect(RttIsHomogeneous(withEntry(s, T.nl3, 7, { addr: Number(NS_PA) }), T.nl3, 3)).toBe(false);
    expect(RttIsHomogeneous(withEntry(s, T.nl3, 511, { state: RttEntryState.UNASSIGNED_NS, addr: 0, memAttr: 0, s2ap: 0 }), T.nl3, 3)).toBe(false);
    // Every address moved up by 4 KB: contiguous, but the first is not 2 MB aligned.
    let m = s;
    for (let k = 0; k < 512; k++) m = withEntry(m, T.nl3, k, { addr: Number(NS_PA + KB4) + k * 4096 });
    expect(RttIsHomogeneous(m, T.nl3, 3)).toBe(false);
  });

  it('is false without an RTT at the address', () => {
    expect(RttIsHomogeneous(tables(), T.spare, 3)).toBe(false);
  });
});

describe('descriptors (B3.56, B3.59, A5.5.11, D-NS-DESC)', () => {
  it('RttEntryFromDescriptor reads OA[49:12], OA[51:50] from bits 9:8, MemAttr[2:0] from 4:2 and S2AP from 7:6', () => {
    expect(RttEntryFromDescriptor(nsDesc(NS_PA, 1n, 2n))).toEqual({ addr: NS_PA, MemAttr: 1, S2AP: 2 });
    expect(RttEntryFromDescriptor(NS_PA | (0b10n << 8n))).toEqual({ addr: NS_PA | (1n << 51n), MemAttr: 0, S2AP: 0 });
    // Bits it does not read: 1:0, 5 (MemAttr[3]), 11:10, 63:50.
    expect(RttEntryFromDescriptor(NS_PA | 0b11n | (1n << 5n) | (3n << 10n) | (0x3fffn << 50n))).toEqual({ addr: NS_PA, MemAttr: 0, S2AP: 0 });
  });

  it('RttDescriptorIsValidForUnprotected accepts only the Host-controlled fields, and not MemAttr 0b100', () => {
    expect(RttDescriptorIsValidForUnprotected(nsDesc(NS_PA, 5n, 3n))).toBe(true);
    expect(RttDescriptorIsValidForUnprotected(nsDesc(NS_PA, 0n, 0n) | (3n << 8n))).toBe(true);
    expect(RttDescriptorIsValidForUnprotected(nsDesc(NS_PA, 4n, 3n))).toBe(false);
    for (const bit of [0n, 1n, 5n, 10n, 11n, 50n, 63n]) expect(RttDescriptorIsValidForUnprotected(nsDesc(NS_PA) | (1n << bit))).toBe(false);
  });
});

describe('RMI encodings (B3.49, B3.61, B4.4.23, B4.4.24, D-LEVEL-M1)', () => {
  it('RttEntryState maps both UNASSIGNED states to 0, both ASSIGNED states to 1, TABLE to 2', () => {
    const st = [RttEntryState.UNASSIGNED, RttEntryState.UNASSIGNED_NS, RttEntryState.ASSIGNED, RttEntryState.ASSIGNED_NS, RttEntryState.TABLE];
    expect(st.map(RttEntryStateToRmi)).toEqual([0n, 0n, 1n, 1n, 2n]);
  });

  it('RipasToRmi: EMPTY 0, RAM 1, DESTROYED 2', () => {
    expect([Ripas.EMPTY, Ripas.RAM, Ripas.DESTROYED].map(RipasToRmi)).toEqual([0n, 1n, 2n]);
  });

  it('levels: the Int64 input and the 64-bit walk_level of level -1', () => {
    expect(levelInput((1n << 64n) - 1n)).toBe(-1);
    expect(levelInput(3n)).toBe(3);
    expect(levelOutput(-1)).toBe((1n << 64n) - 1n);
    expect(levelOutput(2)).toBe(2n);
  });
});
