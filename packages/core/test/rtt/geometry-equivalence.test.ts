/**
 * The default geometry and the small ones give the same answers on a trace that fits both
 * (DECISIONS D-SMALL-SCOPE). One command sequence, written in coordinates relative to the RTTs,
 * runs on platforms with 9, 1, 2 and 5 IPA bits per level; every status and every output is
 * compared, IPA outputs mapped back to coordinates.
 *
 * The Realm starts at level 1 with one starting table and the widest IPA that table maps
 * (s2sz = 12 + 3b: 39 bits by default, 15 with 1 level bit), so the Protected half is entries
 * [0, 2^(b−1)) of the starting table and the Unprotected half the rest. An IPA is written as its
 * half (the first entry of the Protected or of the Unprotected half) and its entry indexes at
 * levels 2 and 3, each 0 or 1: the entries that exist in every geometry.
 *
 * A trace *fits both* geometries when every IPA it passes and every IPA it gets back is such a
 * coordinate: no table is walked, scanned or filled beyond its second entry, so no outcome
 * depends on how many entries a table has. (A `top` that runs to the end of a table is the
 * typical outcome that does not fit: the end of a 2-entry table is the next entry a level up,
 * the end of a 512-entry one is 510 entries further on.) Mapping an output that is not a
 * coordinate fails the test, so the trace below is checked to fit. Measurements are not
 * outputs of these commands; the RIM, which covers IPAs, naturally differs.
 */
import { describe, expect, it } from 'vitest';
import {
  encodeStruct,
  geometryOf,
  initialState,
  makePlatform,
  RmiRealmParams,
  rttLevelSize,
  type Geometry,
  type RmmState,
} from '../../src/index.js';
import { G, R, call, realmParamsFields, write } from '../support/fixtures.js';
import { invariantViolations } from '../support/invariants.js';

/** An IPA as the trace writes it: half ('P' Protected, 'U' Unprotected), entry at level 2, entry at level 3. */
type Coord = readonly ['P' | 'U', 0 | 1, 0 | 1];

/** The IPA of `c` in geometry `g`. */
function ipaOf(g: Geometry, [half, d2, d3]: Coord): bigint {
  const top = half === 'U' ? 2 ** (g.levelBits - 1) : 0;
  return BigInt(top * rttLevelSize(g, 1) + d2 * rttLevelSize(g, 2) + d3 * rttLevelSize(g, 3));
}

/** The coordinate of IPA `ipa` in geometry `g`; throws when `ipa` is none (the trace does not fit). */
function coordOf(g: Geometry, ipa: bigint): string {
  const n = Number(ipa);
  const s1 = rttLevelSize(g, 1), s2 = rttLevelSize(g, 2), s3 = rttLevelSize(g, 3);
  const t1 = Math.floor(n / s1);
  const d2 = Math.floor((n % s1) / s2);
  const d3 = Math.floor((n % s2) / s3);
  const half = t1 === 0 ? 'P' : t1 === 2 ** (g.levelBits - 1) ? 'U' : undefined;
  if (half === undefined || d2 > 1 || d3 > 1 || n % s3 !== 0) throw new Error(`0x${ipa.toString(16)} is no coordinate with ${g.levelBits} level bits: the trace does not fit`);
  return `${half}.${d2}.${d3}`;
}

/** Granules of the trace (the same PAs in every geometry). */
const P = { L2: G(8), L3: G(9), L3B: G(10), L3X: G(11), L2U: G(12), L3U: G(13), D0: G(16), D1: G(17), D2: G(18), SRC: G(40) } as const;
/** Non-secure PAs for Unprotected mappings, and their descriptors (MemAttr 0b101, S2AP read/write). */
const desc = (pa: bigint): bigint => pa | (0b101n << 2n) | (3n << 6n);
const NS0 = 0x9000_0000n, NS1 = 0x9000_1000n;

/** An argument: a register value, or an IPA coordinate. */
type Arg = bigint | Coord;
/** One step: the command, its arguments, the status it must give (written by hand), and which outputs are IPAs. */
type Step = readonly [name: string, args: readonly Arg[], status: string];

const TRACE: readonly Step[] = [
  ['RMI_REALM_CREATE', [R.rd, R.params], 'SUCCESS'],
  ['RMI_RTT_CREATE', [R.rd, P.L2, ['P', 0, 0], 2n], 'SUCCESS'],
  ['RMI_RTT_CREATE', [R.rd, P.L3, ['P', 0, 0], 3n], 'SUCCESS'],
  ['RMI_RTT_CREATE', [R.rd, P.L3B, ['P', 1, 0], 3n], 'SUCCESS'],
  // ipa_align: a level-3 RTT starts at a level-2 entry.
  ['RMI_RTT_CREATE', [R.rd, P.L3X, ['P', 0, 1], 3n], 'INPUT'],
  // rtt_state: L3B is an RTT already.
  ['RMI_RTT_CREATE', [R.rd, P.L3B, ['P', 1, 0], 3n], 'INPUT'],
  ['RMI_RTT_READ_ENTRY', [R.rd, ['P', 0, 1], 3n], 'SUCCESS'],
  ['RMI_RTT_READ_ENTRY', [R.rd, ['U', 0, 0], 3n], 'SUCCESS'],
  // One level-3 entry: out_top is the next one.
  ['RMI_RTT_INIT_RIPAS', [R.rd, ['P', 0, 0], ['P', 0, 1]], 'SUCCESS'],
  ['RMI_DATA_CREATE', [R.rd, P.D0, ['P', 0, 0], P.SRC, 1n], 'SUCCESS'],
  ['RMI_DATA_CREATE', [R.rd, P.D1, ['P', 0, 1], P.SRC, 0n], 'SUCCESS'],
  // rtte_state at level 3; ipa_bound for an Unprotected IPA.
  ['RMI_DATA_CREATE', [R.rd, P.D2, ['P', 0, 1], P.SRC, 0n], 'RTT(3)'],
  ['RMI_DATA_CREATE', [R.rd, P.D2, ['U', 0, 0], P.SRC, 0n], 'INPUT'],
  // rtt_live: top is ipa.
  ['RMI_RTT_DESTROY', [R.rd, ['P', 0, 0], 3n], 'RTT(3)'],
  ['RMI_RTT_READ_ENTRY', [R.rd, ['P', 0, 0], 3n], 'SUCCESS'],
  // top is the next live entry.
  ['RMI_DATA_DESTROY', [R.rd, ['P', 0, 0]], 'SUCCESS'],
  ['RMI_RTT_READ_ENTRY', [R.rd, ['P', 0, 0], 3n], 'SUCCESS'],
  // INIT_RIPAS stops at an ASSIGNED entry: no progress from it (rtte_state).
  ['RMI_RTT_INIT_RIPAS', [R.rd, ['P', 0, 1], ['P', 1, 1]], 'RTT(3)'],
  ['RMI_RTT_FOLD', [R.rd, ['P', 1, 0], 3n], 'SUCCESS'],
  ['RMI_RTT_READ_ENTRY', [R.rd, ['P', 1, 1], 3n], 'SUCCESS'],
  ['RMI_RTT_FOLD', [R.rd, ['P', 0, 0], 3n], 'RTT(3)'],
  ['RMI_RTT_CREATE', [R.rd, P.L2U, ['U', 0, 0], 2n], 'SUCCESS'],
  ['RMI_RTT_CREATE', [R.rd, P.L3U, ['U', 0, 0], 3n], 'SUCCESS'],
  ['RMI_RTT_MAP_UNPROTECTED', [R.rd, ['U', 0, 0], 3n, desc(NS0)], 'SUCCESS'],
  ['RMI_RTT_MAP_UNPROTECTED', [R.rd, ['U', 0, 1], 3n, desc(NS1)], 'SUCCESS'],
  ['RMI_RTT_MAP_UNPROTECTED', [R.rd, ['U', 0, 1], 3n, desc(NS0)], 'RTT(3)'],
  ['RMI_RTT_READ_ENTRY', [R.rd, ['U', 0, 1], 3n], 'SUCCESS'],
  ['RMI_RTT_UNMAP_UNPROTECTED', [R.rd, ['U', 0, 0], 3n], 'SUCCESS'],
  ['RMI_RTT_FOLD', [R.rd, ['U', 0, 0], 3n], 'RTT(3)'],
  ['RMI_REALM_ACTIVATE', [R.rd], 'SUCCESS'],
  ['RMI_DATA_CREATE', [R.rd, P.D2, ['P', 1, 0], P.SRC, 0n], 'REALM'],
];

/** Output registers (X1 = 1) that hold an IPA. */
const IPA_OUTPUTS: Readonly<Record<string, readonly number[]>> = {
  RMI_DATA_DESTROY: [2],
  RMI_RTT_DESTROY: [2],
  RMI_RTT_UNMAP_UNPROTECTED: [1],
  RMI_RTT_INIT_RIPAS: [1],
};

const STATUS: Readonly<Record<number, string>> = { 0: 'SUCCESS', 1: 'INPUT', 2: 'REALM', 3: 'REC', 4: 'RTT' };

/** Runs the trace on a platform with `levelBits`; per step: status and outputs, IPAs as coordinates. */
function run(levelBits: number): string[][] {
  const g = geometryOf(levelBits);
  let s: RmmState = initialState(makePlatform({ levelBits, recAuxCount: 1 }));
  s = write(s, R.params, encodeStruct(RmiRealmParams, realmParamsFields({ s2sz: BigInt(12 + 3 * levelBits), rtt_base: R.rtt, rtt_level_start: 1n, rtt_num_start: 1n })));
  s = write(s, P.SRC, Uint8Array.from({ length: 4096 }, (_, i) => (i * 5 + 1) & 0xff));
  for (const pa of [R.rd, R.rtt, P.L2, P.L3, P.L3B, P.L3X, P.L2U, P.L3U, P.D0, P.D1, P.D2]) s = call(s, 'RMI_GRANULE_DELEGATE', [pa]).state;
  return TRACE.map(([name, args]) => {
    const r = call(s, name, args.map((a) => (typeof a === 'bigint' ? a : ipaOf(g, a))));
    expect(invariantViolations(r.state, s), name).toEqual([]);
    s = r.state;
    const x0 = r.regs[0] as bigint;
    const status = (STATUS[Number(x0 & 0xffn)] ?? `0x${x0.toString(16)}`) + ((x0 & 0xffn) === 4n ? `(${x0 >> 8n})` : (x0 & 0xffn) === 2n && x0 >> 8n !== 0n ? `(${x0 >> 8n})` : '');
    const outs = r.regs.slice(1, 5).map((v, k) => (x0 === 0n || name === 'RMI_RTT_DESTROY') && IPA_OUTPUTS[name]?.includes(k + 1) === true ? coordOf(g, v) : `0x${v.toString(16)}`);
    return [name, status, ...outs];
  });
}

describe('one trace, the default geometry and small ones (D-SMALL-SCOPE)', () => {
  const reference = run(9);

  it('gives, in the default geometry, the statuses the trace was written for', () => {
    expect(reference.map((r) => r[1])).toEqual(TRACE.map((t) => t[2]));
  });

  it('returns IPAs that are coordinates: the trace fits', () => {
    // top of DATA_DESTROY, UNMAP_UNPROTECTED, INIT_RIPAS and the rtt_live failure of RTT_DESTROY.
    expect(reference.filter((r) => r.slice(2).some((o) => /^[PU]\./.test(o))).map((r) => [r[0], ...r.slice(2).filter((o) => /^[PU]\./.test(o))])).toEqual([
      ['RMI_RTT_INIT_RIPAS', 'P.0.1'],
      ['RMI_RTT_DESTROY', 'P.0.0'],
      ['RMI_DATA_DESTROY', 'P.0.1'],
      ['RMI_RTT_UNMAP_UNPROTECTED', 'U.0.1'],
    ]);
  });

  for (const levelBits of [1, 2, 5]) {
    it(`gives every status and output of the default geometry with ${levelBits} level bit${levelBits > 1 ? 's' : ''} (${2 ** levelBits} entries per RTT)`, () => {
      expect(run(levelBits)).toEqual(reference);
    });
  }
});
