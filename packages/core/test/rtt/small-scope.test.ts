/**
 * Small-scope RTT geometries (DECISIONS D-SMALL-SCOPE): a platform whose RTTs resolve 1 or 2 IPA
 * bits per level (2 or 4 entries per RTT) runs every RTT mechanism end to end: Realm creation
 * with its IPA width and starting-level rules, RTTs down to level 3, DATA, folding 2-entry
 * tables, RIPAS ranges, RSI_IPA_STATE_GET/SET with RMI_RTT_SET_RIPAS, Unprotected mappings, with
 * the invariants checked after every step (checked mode, on in every test, evaluates every
 * post-condition and the frame check). Expected values are worked out by hand from the geometry:
 * with b level bits, a level-l entry maps 2^(12 + b·(3 − l)) bytes.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FEATURES0,
  DEFAULT_GEOMETRY,
  decodeFeatures0,
  decodePlatform,
  defaultPlatform,
  encodeStruct,
  geometryOf,
  granuleIndex,
  initialState,
  makePlatform,
  maxIpaWidth,
  MIN_IPA_WIDTH,
  minIpaWidth,
  RecState,
  RmiRecEnter,
  rttEntries,
  rttLevelSize,
  rttStartTables,
  runRec,
  stateKey,
  type RmmState,
  type SmcResult,
  RmiRecParams,
} from '../../src/index.js';
import { G, R, X0, call, realmParams, recParamsFields, write } from '../support/fixtures.js';
import { invariantViolations } from '../support/invariants.js';

/** RMI_ASSIGNED, RMI_UNASSIGNED (B4.4.24) and RMI_RAM, RMI_EMPTY, RMI_DESTROYED (B4.4.23). */
const ASSIGNED = 1n;
const UNASSIGNED = 0n;
const EMPTY = 0n;
const RAM = 1n;
const DESTROYED = 2n;

/** Issues `name`; checks every invariant of the state after it (and of the step); returns the result. */
function step(s: RmmState, name: string, ...args: bigint[]): SmcResult {
  const r = call(s, name, args);
  expect(invariantViolations(r.state, s), `${name} broke an invariant`).toEqual([]);
  return r;
}

/** Issues `name`, which must succeed; returns the outputs X1.. and the new state. */
function ok(s: RmmState, name: string, ...args: bigint[]): [RmmState, bigint[]] {
  const r = step(s, name, ...args);
  expect(r.regs[0], `${name}: ${r.failure?.rule ?? ''}`).toBe(0n);
  return [r.state, r.regs.slice(1)];
}

/** Issues `name`, which must fail with X0 `x0` and change nothing. */
function fails(s: RmmState, name: string, x0: bigint, ...args: bigint[]): void {
  const r = step(s, name, ...args);
  expect(r.regs[0], `${name}: ${r.failure?.rule ?? 'succeeded'}`).toBe(x0);
  expect(r.state).toBe(s);
}

/** Delegates every granule of `pas`. */
function delegate(s: RmmState, ...pas: bigint[]): RmmState {
  return pas.reduce((acc, pa) => ok(acc, 'RMI_GRANULE_DELEGATE', pa)[0], s);
}

/** A state on a platform with `levelBits` and one aux granule per REC, holding a Realm at R.rd created from `over`. */
function realmOn(levelBits: number, over: Record<string, bigint | bigint[]>): RmmState {
  let s = initialState(makePlatform({ levelBits, recAuxCount: 1 }));
  const fields: Record<string, bigint | bigint[]> = { rtt_base: R.rtt, ...over };
  const num = (fields['rtt_num_start'] as bigint | undefined) ?? 1n;
  s = delegate(s, R.rd, ...Array.from({ length: Number(num) }, (_, k) => (fields.rtt_base as bigint) + BigInt(k) * 0x1000n));
  s = write(s, R.params, realmParams(fields));
  return ok(s, 'RMI_REALM_CREATE', R.rd, R.params)[0];
}

// -------------------------------------------------------------------------------------
// the geometry and the platform
// -------------------------------------------------------------------------------------

describe('the geometry as a platform parameter', () => {
  it('defaults to 9 bits per level: 512 entries, 16 at level −1, and the platform is unchanged', () => {
    expect(defaultPlatform.levelBits).toBe(9);
    expect(defaultPlatform.geometry).toBe(DEFAULT_GEOMETRY);
    expect(defaultPlatform.features0).toBe(DEFAULT_FEATURES0);
    expect([-1, 0, 1, 2, 3].map((l) => rttEntries(DEFAULT_GEOMETRY, l))).toEqual([16, 512, 512, 512, 512]);
    expect([-1, 0, 1, 2, 3].map((l) => rttLevelSize(DEFAULT_GEOMETRY, l))).toEqual([2 ** 48, 2 ** 39, 2 ** 30, 2 ** 21, 2 ** 12]);
    expect([MIN_IPA_WIDTH, minIpaWidth(DEFAULT_GEOMETRY), maxIpaWidth(DEFAULT_GEOMETRY, false), maxIpaWidth(DEFAULT_GEOMETRY, true)]).toEqual([32, 32, 48, 52]);
  });

  it('gives 2^b entries and 2^(12 + b(3 − l))-byte entries with b bits, and no level −1 below 9 bits', () => {
    const g1 = geometryOf(1);
    const g2 = geometryOf(2);
    expect([-1, 0, 1, 2, 3].map((l) => rttEntries(g1, l))).toEqual([0, 2, 2, 2, 2]);
    expect([0, 1, 2, 3].map((l) => rttLevelSize(g1, l))).toEqual([0x8000, 0x4000, 0x2000, 0x1000]);
    expect([0, 1, 2, 3].map((l) => rttEntries(g2, l))).toEqual([4, 4, 4, 4]);
    expect([0, 1, 2, 3].map((l) => rttLevelSize(g2, l))).toEqual([0x4_0000, 0x1_0000, 0x4000, 0x1000]);
    expect([g1.minLevel, g2.minLevel, DEFAULT_GEOMETRY.minLevel]).toEqual([0, 0, -1]);
    expect(geometryOf(2)).toBe(g2);
    for (const bad of [0, 10, 1.5]) expect(() => geometryOf(bad)).toThrow(RangeError);
  });

  it('bounds the IPA width by one level-3 table below and a level-0 table (+4 bits with LPA2) above', () => {
    expect([minIpaWidth(geometryOf(1)), maxIpaWidth(geometryOf(1), false), maxIpaWidth(geometryOf(1), true)]).toEqual([13, 16, 20]);
    expect([minIpaWidth(geometryOf(2)), maxIpaWidth(geometryOf(2), false), maxIpaWidth(geometryOf(2), true)]).toEqual([14, 20, 24]);
  });

  it('reports the widest IPA the geometry maps as S2SZ when no features0 is given, and takes a given one as is', () => {
    const p = makePlatform({ levelBits: 1 });
    expect(p.features.s2sz).toBe(20);
    expect(p.features0 & ~0xffn).toBe(DEFAULT_FEATURES0 & ~0xffn);
    expect(makePlatform({ levelBits: 1, features0: DEFAULT_FEATURES0 }).features.s2sz).toBe(48);
    const s = initialState(p);
    const r = call(s, 'RMI_FEATURES', [0n]);
    expect([r.regs[0], decodeFeatures0(r.regs[1] as bigint).s2sz]).toEqual([0n, 20]);
  });

  it('decodes levelBits in a platform description (1..9) and keys states of different geometries apart', () => {
    const p = decodePlatform({ levelBits: 2 });
    expect(p._tag === 'Right' && [p.right.levelBits, p.right.geometry.levelBits]).toEqual([2, 2]);
    for (const bad of [0, 10, 2.5, '2']) expect(decodePlatform({ levelBits: bad })._tag).toBe('Left');
    expect(stateKey(initialState(makePlatform({ levelBits: 2 })))).not.toBe(stateKey(initialState()));
    expect(stateKey(initialState(makePlatform({ levelBits: 9 })))).toBe(stateKey(initialState()));
  });

  it('computes the starting tables with b in place of 9 (D-RTTCFG, D-SMALL-SCOPE)', () => {
    const g1 = geometryOf(1);
    // b = 1: a level-l table resolves 12 + (4 − l) bits; s2sz from one bit more than a level l + 1 table.
    expect([3, 2, 1, 0].map((l) => rttStartTables(g1, 13, l, false, 20))).toEqual([1, undefined, undefined, undefined]);
    expect([3, 2, 1, 0].map((l) => rttStartTables(g1, 14, l, false, 20))).toEqual([2, 1, undefined, undefined]);
    expect([3, 2, 1, 0].map((l) => rttStartTables(g1, 16, l, false, 20))).toEqual([8, 4, 2, 1]);
    // 16 concatenated level-3 tables at most; level 0 concatenates only with LPA2; no level −1.
    expect([rttStartTables(g1, 17, 3, false, 20), rttStartTables(g1, 18, 3, false, 20), rttStartTables(g1, 17, 0, false, 20), rttStartTables(g1, 17, 0, true, 20)]).toEqual([16, undefined, undefined, 2]);
    expect(rttStartTables(g1, 16, -1, true, 48)).toBeUndefined();
    // The default geometry is D-RTTCFG as before, including the 44-bit PA rule for level 0.
    expect([rttStartTables(DEFAULT_GEOMETRY, 39, 1, false, 48), rttStartTables(DEFAULT_GEOMETRY, 40, 1, false, 48), rttStartTables(DEFAULT_GEOMETRY, 40, 0, false, 40)]).toEqual([1, 2, undefined]);
    expect([rttStartTables(DEFAULT_GEOMETRY, 52, -1, true, 52), rttStartTables(DEFAULT_GEOMETRY, 31, 2, false, 48)]).toEqual([1, 2]);
  });
});

// -------------------------------------------------------------------------------------
// RMI_REALM_CREATE
// -------------------------------------------------------------------------------------

describe('RMI_REALM_CREATE in a small geometry (D-SMALL-SCOPE)', () => {
  const create = (levelBits: number, over: Record<string, bigint | bigint[]>): bigint => {
    let s = initialState(makePlatform({ levelBits }));
    const num = Number((over['rtt_num_start'] as bigint | undefined) ?? 1n);
    s = delegate(s, R.rd, ...Array.from({ length: Math.min(num, 16) }, (_, k) => G(16 + k)));
    s = write(s, R.params, realmParams({ rtt_base: G(16), ...over }));
    return step(s, 'RMI_REALM_CREATE', R.rd, R.params).regs[0] as bigint;
  };

  it('accepts IPA widths from one level-3 table up to a level-0 table, with the starting tables they need', () => {
    expect(create(1, { s2sz: 13n, rtt_level_start: 3n, rtt_num_start: 1n })).toBe(X0.SUCCESS);
    expect(create(1, { s2sz: 14n, rtt_level_start: 3n, rtt_num_start: 2n })).toBe(X0.SUCCESS);
    expect(create(1, { s2sz: 16n, rtt_level_start: 0n, rtt_num_start: 1n })).toBe(X0.SUCCESS);
    expect(create(1, { s2sz: 16n, rtt_level_start: 2n, rtt_num_start: 4n })).toBe(X0.SUCCESS);
    expect(create(2, { s2sz: 19n, rtt_level_start: 1n, rtt_num_start: 2n })).toBe(X0.SUCCESS);
    // flags.lpa2 widens to 12 + 4b + 4 by concatenation at level 0.
    expect(create(1, { flags: 1n, s2sz: 18n, rtt_level_start: 0n, rtt_num_start: 4n })).toBe(X0.SUCCESS);
  });

  it('refuses IPA widths outside the geometry (params_supp) and inconsistent starting tables (rtt_num_level)', () => {
    expect(create(1, { s2sz: 12n, rtt_level_start: 3n, rtt_num_start: 1n })).toBe(X0.INPUT); // below one level-3 table
    expect(create(1, { s2sz: 17n, rtt_level_start: 0n, rtt_num_start: 2n })).toBe(X0.INPUT); // wider than level 0 without LPA2
    expect(create(1, { s2sz: 32n, rtt_level_start: 0n, rtt_num_start: 1n })).toBe(X0.INPUT); // beyond S2SZ
    expect(create(1, { s2sz: 16n, rtt_level_start: 1n, rtt_num_start: 1n })).toBe(X0.INPUT); // needs 2 tables
    expect(create(1, { s2sz: 14n, rtt_level_start: 0n, rtt_num_start: 1n })).toBe(X0.INPUT); // level 0 not needed
    expect(create(1, { flags: 1n, s2sz: 16n, rtt_level_start: 0xffff_ffff_ffff_ffffn, rtt_num_start: 1n })).toBe(X0.INPUT); // no level −1
    // The default platform still refuses a 31-bit IPA (D-PARAMS) and a 16-bit one.
    expect(create(9, { s2sz: 31n, rtt_level_start: 2n, rtt_num_start: 2n })).toBe(X0.INPUT);
    expect(create(9, { s2sz: 32n, rtt_level_start: 2n, rtt_num_start: 4n })).toBe(X0.SUCCESS);
  });
});

// -------------------------------------------------------------------------------------
// RTTs, DATA, folding, RIPAS: 2 entries per RTT
// -------------------------------------------------------------------------------------

describe('a Realm with 2 entries per RTT (levelBits 1)', () => {
  // s2sz 16 from level 0: one 2-entry table; entry 0 is the Protected half [0, 32K), entry 1 the
  // Unprotected half. Entries map 32K at level 0, 16K at level 1, 8K at level 2, 4K at level 3.
  const L1 = G(8), L2 = G(9), L3 = G(10), NL1 = G(11);
  const SRC = G(40);
  // Two contiguous DATA granules from an 8K-aligned PA (0x8001_0000): foldable into a level-2 block.
  const D0 = G(16), D1 = G(17);
  const base = (): RmmState => {
    let s = realmOn(1, { s2sz: 16n, rtt_level_start: 0n, rtt_num_start: 1n });
    s = write(s, SRC, Uint8Array.from({ length: 4096 }, (_, i) => (i * 13 + 5) & 0xff));
    return delegate(s, L1, L2, L3, NL1, D0, D1);
  };

  it('creates RTTs down to level 3, folds 2-entry tables of one RIPAS up to level 1, and unfolds them again', () => {
    let s = base();
    [s] = ok(s, 'RMI_RTT_CREATE', R.rd, L1, 0n, 1n);
    [s] = ok(s, 'RMI_RTT_CREATE', R.rd, L2, 0n, 2n);
    // A level-3 RTT covers one level-2 entry (8K): 0x1000 is not its base.
    fails(s, 'RMI_RTT_CREATE', X0.INPUT, R.rd, L3, 0x1000n, 3n);
    [s] = ok(s, 'RMI_RTT_CREATE', R.rd, L3, 0n, 3n);
    expect(step(s, 'RMI_RTT_READ_ENTRY', R.rd, 0x1000n, 3n).regs.slice(0, 5)).toEqual([0n, 3n, UNASSIGNED, 0n, EMPTY]);
    // INIT_RIPAS stops at the end of the 2-entry level-3 table (8K), and measures each entry.
    const rim0 = s.realms.get(granuleIndex(R.rd))!.measurements[0];
    let out: bigint[];
    [s, out] = ok(s, 'RMI_RTT_INIT_RIPAS', R.rd, 0n, 0x4000n);
    expect(out[0]).toBe(0x2000n);
    expect(s.realms.get(granuleIndex(R.rd))!.measurements[0]).not.toEqual(rim0);
    // Fold: the level-3 table is all UNASSIGNED RAM; the level-2 entry takes its RIPAS.
    [s, out] = ok(s, 'RMI_RTT_FOLD', R.rd, 0n, 3n);
    expect(out[0]).toBe(L3);
    expect(step(s, 'RMI_RTT_READ_ENTRY', R.rd, 0n, 3n).regs.slice(0, 5)).toEqual([0n, 2n, UNASSIGNED, 0n, RAM]);
    // The other level-2 entry, at 8K, is level 2 aligned: INIT_RIPAS covers it whole, to the table's end (16K).
    [s, out] = ok(s, 'RMI_RTT_INIT_RIPAS', R.rd, 0x2000n, 0x8000n);
    expect(out[0]).toBe(0x4000n);
    // Now the level-2 table is homogeneous too: fold it into level-1 entry 0.
    [s, out] = ok(s, 'RMI_RTT_FOLD', R.rd, 0n, 2n);
    expect(out[0]).toBe(L2);
    expect(step(s, 'RMI_RTT_READ_ENTRY', R.rd, 0x3000n, 3n).regs.slice(0, 5)).toEqual([0n, 1n, UNASSIGNED, 0n, RAM]);
    // The level-1 table is not homogeneous (entry 1 is EMPTY): RMI_ERROR_RTT(1).
    fails(s, 'RMI_RTT_FOLD', X0.RTT(1), R.rd, 0n, 1n);
    // Unfold again: both new tables inherit RIPAS RAM.
    [s] = ok(s, 'RMI_RTT_CREATE', R.rd, L2, 0n, 2n);
    [s] = ok(s, 'RMI_RTT_CREATE', R.rd, L3, 0n, 3n);
    expect(step(s, 'RMI_RTT_READ_ENTRY', R.rd, 0x1000n, 3n).regs.slice(0, 5)).toEqual([0n, 3n, UNASSIGNED, 0n, RAM]);
    expect(step(s, 'RMI_RTT_READ_ENTRY', R.rd, 0x2000n, 3n).regs.slice(0, 5)).toEqual([0n, 2n, UNASSIGNED, 0n, RAM]);
  });

  it('maps DATA, folds two contiguous pages into an 8K block, unfolds it, and tears everything down', () => {
    let s = base();
    [s] = ok(s, 'RMI_RTT_CREATE', R.rd, L1, 0n, 1n);
    [s] = ok(s, 'RMI_RTT_CREATE', R.rd, L2, 0n, 2n);
    // No level-3 table yet: DATA_CREATE reports the level the walk reached.
    fails(s, 'RMI_DATA_CREATE', X0.RTT(2), R.rd, D0, 0n, SRC, 1n);
    [s] = ok(s, 'RMI_RTT_CREATE', R.rd, L3, 0n, 3n);
    [s] = ok(s, 'RMI_DATA_CREATE', R.rd, D0, 0n, SRC, 1n);
    [s] = ok(s, 'RMI_DATA_CREATE', R.rd, D1, 0x1000n, SRC, 0n);
    // A live level-3 table cannot be destroyed: RMI_ERROR_RTT(3).
    fails(s, 'RMI_RTT_DESTROY', X0.RTT(3), R.rd, 0n, 3n);
    let out: bigint[];
    [s, out] = ok(s, 'RMI_RTT_FOLD', R.rd, 0n, 3n);
    expect(out[0]).toBe(L3);
    // The level-2 entry is an 8K block at D0, RIPAS RAM (DATA_CREATE made it RAM).
    expect(step(s, 'RMI_RTT_READ_ENTRY', R.rd, 0x1000n, 3n).regs.slice(0, 5)).toEqual([0n, 2n, ASSIGNED, D0, RAM]);
    // Unfold the block: two pages at D0 and D1.
    [s] = ok(s, 'RMI_RTT_CREATE', R.rd, L3, 0n, 3n);
    expect(step(s, 'RMI_RTT_READ_ENTRY', R.rd, 0x1000n, 3n).regs.slice(0, 5)).toEqual([0n, 3n, ASSIGNED, D1, RAM]);
    // DATA_DESTROY: top is the next live entry, else the end of the 2-entry table (8K).
    [s, out] = ok(s, 'RMI_DATA_DESTROY', R.rd, 0n);
    expect(out.slice(0, 2)).toEqual([D0, 0x1000n]);
    [s, out] = ok(s, 'RMI_DATA_DESTROY', R.rd, 0x1000n);
    expect(out.slice(0, 2)).toEqual([D1, 0x2000n]);
    expect(step(s, 'RMI_RTT_READ_ENTRY', R.rd, 0n, 3n).regs.slice(0, 5)).toEqual([0n, 3n, UNASSIGNED, 0n, DESTROYED]);
    // RTT_DESTROY of each level: top runs to the end of the parent table (16K, 32K) or the next live entry.
    [s, out] = ok(s, 'RMI_RTT_DESTROY', R.rd, 0n, 3n);
    expect(out.slice(0, 2)).toEqual([L3, 0x4000n]);
    [s, out] = ok(s, 'RMI_RTT_DESTROY', R.rd, 0n, 2n);
    expect(out.slice(0, 2)).toEqual([L2, 0x8000n]);
    [s, out] = ok(s, 'RMI_RTT_DESTROY', R.rd, 0n, 1n);
    // The starting table's other entry is the Unprotected half, UNASSIGNED_NS: not live; top is its end.
    expect(out.slice(0, 2)).toEqual([L1, 0x1_0000n]);
    for (const g of [D0, D1, L1, L2, L3]) [s] = ok(s, 'RMI_GRANULE_UNDELEGATE', g);
    [s] = ok(s, 'RMI_REALM_DESTROY', R.rd);
  });

  it('maps the Unprotected half with a 16K level-1 mapping and unmaps it', () => {
    let s = base();
    // The starting table's entry 1 maps [32K, 64K): a level-1 table below it maps 16K entries.
    [s] = ok(s, 'RMI_RTT_CREATE', R.rd, NL1, 0x8000n, 1n);
    const ns = 0x9000_4000n; // 16K-aligned Non-secure PA
    const desc = ns | (0b101n << 2n) | (3n << 6n);
    // The descriptor's address must be aligned to the level's size (16K).
    fails(s, 'RMI_RTT_MAP_UNPROTECTED', X0.INPUT, R.rd, 0xc000n, 1n, 0x9000_1000n | (0b101n << 2n));
    [s] = ok(s, 'RMI_RTT_MAP_UNPROTECTED', R.rd, 0xc000n, 1n, desc);
    expect(step(s, 'RMI_RTT_READ_ENTRY', R.rd, 0xc000n, 1n).regs.slice(0, 5)).toEqual([0n, 1n, ASSIGNED, desc, EMPTY]);
    let out: bigint[];
    [s, out] = ok(s, 'RMI_RTT_UNMAP_UNPROTECTED', R.rd, 0xc000n, 1n);
    expect(out[0]).toBe(0x1_0000n);
    // Folding the 2-entry table of UNASSIGNED_NS entries.
    [s, out] = ok(s, 'RMI_RTT_FOLD', R.rd, 0x8000n, 1n);
    expect(out[0]).toBe(NL1);
  });
});

// -------------------------------------------------------------------------------------
// RSI_IPA_STATE_GET / SET and RMI_RTT_SET_RIPAS: 2 and 4 entries per RTT
// -------------------------------------------------------------------------------------

/** RSI function ids. */
const RSI_IPA_STATE_GET = 0xc4000198n;
const RSI_IPA_STATE_SET = 0xc4000197n;

describe('RIPAS changes the Realm asks for in small geometries', () => {
  const RUN = G(6);
  const REC = R.rec;
  const AUX = G(20);

  /** An active Realm with `levelBits`, IPA width `s2sz` from level 1, tables at IPA 0 down to level 3, RAM over the level-3 table, one REC. */
  function active(levelBits: number, s2sz: bigint, numStart: bigint): RmmState {
    // The starting tables at G(12), aligned to rtt_num_start granules.
    let s = realmOn(levelBits, { s2sz, rtt_level_start: 1n, rtt_num_start: numStart, rtt_base: G(12) });
    s = delegate(s, G(8), G(9), REC, AUX);
    [s] = ok(s, 'RMI_RTT_CREATE', R.rd, G(8), 0n, 2n);
    [s] = ok(s, 'RMI_RTT_CREATE', R.rd, G(9), 0n, 3n);
    [s] = ok(s, 'RMI_RTT_INIT_RIPAS', R.rd, 0n, 0x1000n * 2n ** BigInt(levelBits));
    s = write(s, R.recParams, encodeStruct(RmiRecParams, recParamsFields(0, [AUX])));
    [s] = ok(s, 'RMI_REC_CREATE', R.rd, REC, R.recParams);
    [s] = ok(s, 'RMI_REALM_ACTIVATE', R.rd);
    return write(s, RUN, encodeStruct(RmiRecEnter, {}));
  }

  /** RMI_REC_ENTER running `calls`; every invariant holds after it. */
  function enter(s: RmmState, calls: ReadonlyArray<readonly bigint[]>) {
    const r = runRec(s, { rec: REC, run_ptr: RUN }, calls.map((regs) => ({ kind: 'call' as const, regs })));
    expect(r.x0).toBe(0n);
    expect(invariantViolations(r.state, s)).toEqual([]);
    return r;
  }

  for (const [levelBits, s2sz, numStart, t3, t2, top] of [
    // b = 1, 16-bit IPA from level 1: two concatenated 2-entry tables; the level-3 table at 0 ends
    // at 8K, the level-2 table at 16K, the first starting table (the Protected half) at 32K.
    [1, 16n, 2n, 0x2000n, 0x4000n, 0x8000n],
    // b = 2, 18-bit IPA from level 1: one 4-entry table; level-3 table to 16K, level-2 table to
    // 64K, Protected half [0, 128K) (entries 0 and 1 of the starting table).
    [2, 18n, 1n, 0x4000n, 0x1_0000n, 0x2_0000n],
  ] as const) {
    it(`levelBits ${levelBits}: GET reports runs up to the end of the walked RTT; SET is carried out table by table by RMI_RTT_SET_RIPAS`, () => {
      let s = active(levelBits, s2sz, numStart);
      // The level-3 table at 0 is RAM to its end; the rest of the level-2 table is EMPTY to its end.
      let r = enter(s, [
        [RSI_IPA_STATE_GET, 0n, top],
        [RSI_IPA_STATE_GET, t3, top],
        [RSI_IPA_STATE_SET, t3, top, RAM, 0n],
      ]);
      expect(r.steps[0]!.call!.regs.slice(0, 3)).toEqual([0n, t3, RAM]);
      expect(r.steps[1]!.call!.regs.slice(0, 3)).toEqual([0n, t2, EMPTY]);
      expect(r.exit).toMatchObject({ exit_reason: 4, ripas_base: t3, ripas_top: top, ripas_value: 1 });
      s = r.state;
      // The Host completes the change one RTT at a time: the rest of the level-2 table, then of the level-1 table.
      let out: bigint[];
      [s, out] = ok(s, 'RMI_RTT_SET_RIPAS', R.rd, REC, t3, top);
      expect(out[0]).toBe(t2);
      // base must be where the request stopped.
      fails(s, 'RMI_RTT_SET_RIPAS', X0.INPUT, R.rd, REC, t3, top);
      [s, out] = ok(s, 'RMI_RTT_SET_RIPAS', R.rd, REC, t2, top);
      expect(out[0]).toBe(top);
      r = enter(s, [
        [RSI_IPA_STATE_GET, t3, top],
        [RSI_IPA_STATE_GET, t2, top],
      ]);
      expect(r.steps[0]!.call!.regs.slice(0, 3)).toEqual([0n, t2, RAM]);
      expect(r.steps[1]!.call!.regs.slice(0, 3)).toEqual([0n, top, RAM]);
      expect(r.state.recs.get(granuleIndex(REC))!.state).toBe(RecState.REC_READY);
    });
  }
});

// -------------------------------------------------------------------------------------
// the geometry is threaded through: no default leaks into a small platform
// -------------------------------------------------------------------------------------

describe('no default leaks into a small platform', () => {
  it('RMI_RTT_READ_ENTRY of the last entry of a 4-entry starting table reads that entry, not one 512 entries away', () => {
    const s = realmOn(2, { s2sz: 18n, rtt_level_start: 1n, rtt_num_start: 1n });
    // Entry 3 of the level-1 table maps [192K, 256K): Unprotected, UNASSIGNED_NS.
    expect(step(s, 'RMI_RTT_READ_ENTRY', R.rd, 0x3_0000n, 1n).regs.slice(0, 5)).toEqual([0n, 1n, UNASSIGNED, 0n, EMPTY]);
    // 256K is beyond the 18-bit IPA space.
    expect(step(s, 'RMI_RTT_READ_ENTRY', R.rd, 0x4_0000n, 1n).regs[0]).toBe(X0.INPUT);
  });
});
