/**
 * Random RTT, DATA and RIPAS commands on small-scope geometries (DECISIONS D-SMALL-SCOPE): with
 * 1 or 2 IPA bits per level every IPA of the Realm is a handful of granules, so random inputs hit
 * table ends, concatenated starting tables, blocks, folds and skips all the time. Checked mode
 * (on in every test) evaluates every post-condition, written from the spec with its own walk,
 * skip functions and level sizes, against what apply did; after every step every invariant must
 * hold and a failed command must change nothing.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeStruct, granuleAt, granuleIndex, GranuleState, initialState, makePlatform, RmiRealmParams, type RmmState } from '../../src/index.js';
import { G, R, call, realmParamsFields, write } from '../support/fixtures.js';
import { invariantViolations } from '../support/invariants.js';
import { atLeast, runs } from '../support/runs.js';

/** The configurations: level bits, IPA width, starting level and tables, measurement mode. */
const CONFIGS = [
  { levelBits: 1, s2sz: 16, start: 0, num: 1, measurement: 'symbolic' },
  { levelBits: 1, s2sz: 15, start: 2, num: 2, measurement: 'sha' },
  { levelBits: 2, s2sz: 19, start: 1, num: 2, measurement: 'symbolic' },
  { levelBits: 2, s2sz: 17, start: 1, num: 1, measurement: 'sha' },
] as const;

/** Granules the steps use for RTTs and DATA (delegated up front), and a Non-secure source page. */
const POOL = Array.from({ length: 10 }, (_, k) => G(32 + k));
const SRC = G(60);

/** A configuration of {@link CONFIGS}. */
type Config = (typeof CONFIGS)[number];

/** A command and its arguments, from indexes the generator picks. */
type Cmd = readonly [name: string, args: (c: Config) => bigint[]];

/** The IPA of granule `k` of the Realm's IPA space (wrapping). */
const granuleIpa = (c: Config, k: number): bigint => BigInt(k % 2 ** (c.s2sz - 12)) << 12n;
/** The IPA of granule `k` of the Unprotected half (wrapping). */
const unprotectedIpa = (c: Config, k: number): bigint => (1n << BigInt(c.s2sz - 1)) + (BigInt(k % 2 ** (c.s2sz - 13)) << 12n);
/** `ipa` aligned down to a level-`level` entry (a level above the start is taken as the start). */
function alignTo(c: Config, ipa: bigint, level: number): bigint {
  const size = 1n << BigInt(12 + c.levelBits * (3 - Math.max(level, c.start)));
  return ipa - (ipa % size);
}
/** Granule `k`'s IPA aligned down to a level-`level` entry. */
const aligned = (c: Config, k: number, level: number): bigint => alignTo(c, granuleIpa(c, k), level);

/** The Host's way to make room: RMI_RTT_CREATE at each level below the walk, down to level 3, with DELEGATED pool granules. */
const ENSURE = 'ENSURE';

// Mostly the first 16 granules (the whole IPA space with 1 level bit), so that commands meet each other's entries.
const ipa = fc.oneof({ arbitrary: fc.nat(15), weight: 4 }, { arbitrary: fc.nat(1 << 12), weight: 1 });
const level = fc.integer({ min: 0, max: 3 });
const command = fc.oneof(
  { arbitrary: ipa.map((k): Cmd => [ENSURE, (c) => [granuleIpa(c, k)]]), weight: 3 },
  ipa.map((k): Cmd => [ENSURE, (c) => [unprotectedIpa(c, k)]]),
  fc.record({ g: fc.nat(POOL.length - 1), k: ipa, l: level }).map(({ g, k, l }): Cmd => ['RMI_RTT_CREATE', (c) => [R.rd, POOL[g] as bigint, aligned(c, k, l - 1), BigInt(l)]]),
  { arbitrary: fc.record({ k: ipa, l: level }).map(({ k, l }): Cmd => ['RMI_RTT_DESTROY', (c) => [R.rd, aligned(c, k, l - 1), BigInt(l)]]), weight: 2 },
  { arbitrary: fc.record({ k: ipa, l: level }).map(({ k, l }): Cmd => ['RMI_RTT_FOLD', (c) => [R.rd, aligned(c, k, l - 1), BigInt(l)]]), weight: 2 },
  fc.record({ k: ipa, l: level }).map(({ k, l }): Cmd => ['RMI_RTT_READ_ENTRY', (c) => [R.rd, aligned(c, k, l), BigInt(l)]]),
  { arbitrary: fc.record({ g: fc.nat(POOL.length - 1), k: ipa, m: fc.boolean() }).map(({ g, k, m }): Cmd => ['RMI_DATA_CREATE', (c) => [R.rd, POOL[g] as bigint, granuleIpa(c, k), SRC, m ? 1n : 0n]]), weight: 3 },
  fc.record({ g: fc.nat(POOL.length - 1), k: ipa }).map(({ g, k }): Cmd => ['RMI_DATA_CREATE_UNKNOWN', (c) => [R.rd, POOL[g] as bigint, granuleIpa(c, k)]]),
  { arbitrary: ipa.map((k): Cmd => ['RMI_DATA_DESTROY', (c) => [R.rd, granuleIpa(c, k)]]), weight: 3 },
  fc.record({ k: ipa, l: level, n: fc.integer({ min: 1, max: 8 }) }).map(({ k, l, n }): Cmd => ['RMI_RTT_INIT_RIPAS', (c) => [R.rd, aligned(c, k, l), aligned(c, k, l) + (BigInt(n) << 12n)]]),
  { arbitrary: fc.record({ k: ipa, l: fc.integer({ min: 1, max: 3 }), pa: fc.nat(15), u: fc.boolean() }).map(({ k, l, pa, u }): Cmd => ['RMI_RTT_MAP_UNPROTECTED', (c) => [R.rd, alignTo(c, u ? unprotectedIpa(c, k) : granuleIpa(c, k), l), BigInt(l), (0x9000_0000n + (BigInt(pa) << 12n)) | (0b101n << 2n) | (3n << 6n)]]), weight: 2 },
  { arbitrary: fc.record({ k: ipa, l: fc.integer({ min: 1, max: 3 }) }).map(({ k, l }): Cmd => ['RMI_RTT_UNMAP_UNPROTECTED', (c) => [R.rd, alignTo(c, unprotectedIpa(c, k), l), BigInt(l)]]), weight: 2 },
);

/** RMI_RTT_CREATE's inputs for a table at `level` above `ipa`: a DELEGATED pool granule and `ipa` aligned down to a level − 1 entry. */
function ensureArgs(s: RmmState, c: Config, ipa: bigint, level: bigint): bigint[] | undefined {
  const free = POOL.find((pa) => granuleAt(s, granuleIndex(pa)).state === GranuleState.DELEGATED);
  if (free === undefined) return undefined;
  const size = 1n << BigInt(12 + c.levelBits * (3 - Number(level) + 1));
  return [R.rd, free, ipa - (ipa % size), level];
}

describe('random RTT, DATA and RIPAS commands with 2 and 4 entries per RTT', () => {
  it('keep every invariant, meet every post-condition, and change nothing on failure', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(fc.nat(CONFIGS.length - 1), fc.array(command, { minLength: 20, maxLength: 80, size: 'max' }), (c, cmds) => {
        const cfg = CONFIGS[c]!;
        let s: RmmState = initialState(makePlatform({ levelBits: cfg.levelBits, measurement: cfg.measurement, recAuxCount: 1 }));
        const rtt0 = G(16);
        s = write(s, R.params, encodeStruct(RmiRealmParams, realmParamsFields({ s2sz: BigInt(cfg.s2sz), rtt_base: rtt0, rtt_level_start: BigInt(cfg.start), rtt_num_start: BigInt(cfg.num) })));
        s = write(s, SRC, Uint8Array.from({ length: 4096 }, (_, i) => (i * 3 + 7) & 0xff));
        for (const pa of [R.rd, ...Array.from({ length: cfg.num }, (_, k) => rtt0 + BigInt(k) * 0x1000n), ...POOL]) s = call(s, 'RMI_GRANULE_DELEGATE', [pa]).state;
        const created = call(s, 'RMI_REALM_CREATE', [R.rd, R.params]);
        expect(created.regs[0]).toBe(0n);
        s = created.state;
        const steps = cmds.flatMap(([name, args]): Array<readonly [string, bigint[]]> => {
          if (name !== ENSURE) return [[name, args(cfg)]];
          const [ipa] = args(cfg) as [bigint];
          return [1, 2, 3].filter((l) => l > cfg.start).map((l) => ['RMI_RTT_CREATE', [ipa, BigInt(l)]]);
        });
        for (const [name, given] of steps) {
          // An ENSURE step: RTT_CREATE at `level` with a DELEGATED pool granule, the IPA aligned to the parent's entry.
          const args = name === 'RMI_RTT_CREATE' && given.length === 2 ? ensureArgs(s, cfg, given[0] as bigint, given[1] as bigint) : given;
          if (args === undefined) continue;
          const r = call(s, name, args);
          const key = `${name} ${r.regs[0] === 0n ? 'ok' : r.failure?.rule ?? '?'}`;
          seen.set(key, (seen.get(key) ?? 0) + 1);
          if (r.regs[0] !== 0n) expect(r.state).toBe(s);
          expect(invariantViolations(r.state, s), key).toEqual([]);
          s = r.state;
        }
      }),
      { numRuns: runs(150), seed: 11 },
    );
    // The generator reaches the successes that change the tree, fill it and fold it.
    for (const k of ['RMI_RTT_CREATE ok', 'RMI_RTT_DESTROY ok', 'RMI_RTT_FOLD ok', 'RMI_DATA_CREATE ok', 'RMI_DATA_DESTROY ok', 'RMI_RTT_INIT_RIPAS ok', 'RMI_RTT_MAP_UNPROTECTED ok', 'RMI_RTT_UNMAP_UNPROTECTED ok']) {
      expect(seen.get(k) ?? 0, k).toBeGreaterThan(atLeast(5));
    }
  });
});
