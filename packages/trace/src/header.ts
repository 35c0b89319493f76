/**
 * The trace header's `"platform"` (trace contract "Platform"; spec/TRACE.md): decoded strictly.
 * Unknown fields are rejected, DRAM and GPT ranges must fit below 2^64 and must not overlap, and
 * `features0` must be a legal RmiFeatureRegister0 (DEN0137 B4.4.6): reserved bits zero, every
 * field in its range.
 *
 * @packageDocumentation
 */
import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { decodeFeatures0, geometryOf, Gpt, makePlatform, MAX_LEVEL_BITS, MIN_LEVEL_BITS, minIpaWidth, type Platform, type PlatformConfig } from '@realmspec/core';
import { formatValidationErrors } from '@realmspec/core/internal';
import { boundedArray, closed, U64 } from './codec.js';

/** The most DRAM or GPT ranges a header may list. */
export const MAX_RANGES = 256;

const Range = closed('DRAM range', { base: U64, size: U64 }, {});
// GPT_REALM is not a starting GPT entry: only delegation puts a granule in the Realm PAS.
const GptName = t.keyof({ GPT_NS: null, GPT_SECURE: null, GPT_ROOT: null, GPT_AAP: null }, 'a GPT entry name (GPT_NS, GPT_SECURE, GPT_ROOT or GPT_AAP)');
const GptRange = closed('GPT range', { base: U64, size: U64, gpi: GptName }, {});

/** The `"platform"` object of a trace header: the contract's fields and realmspec's `gpt`, `levelBits` and `measurement`; nothing else. */
export const PlatformHeaderCodec = closed(
  'platform',
  {},
  {
    dram: boundedArray(Range, MAX_RANGES),
    features0: U64,
    recAuxCount: t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0 && n <= 16, 'an integer 0..16'),
    vmid16: t.boolean,
    hpmn0: t.boolean,
    gpt: boundedArray(GptRange, MAX_RANGES),
    levelBits: t.refinement(t.number, (n) => Number.isInteger(n) && n >= MIN_LEVEL_BITS && n <= MAX_LEVEL_BITS, `an integer ${MIN_LEVEL_BITS}..${MAX_LEVEL_BITS}`),
    measurement: t.keyof({ sha: null, symbolic: null }, 'sha or symbolic'),
  },
);

const hex = (v: bigint): string => '0x' + v.toString(16);

/** Problems with a list of ranges: one ending beyond 2^64, or two that overlap. */
function rangeProblems(field: string, ranges: ReadonlyArray<{ readonly base: bigint; readonly size: bigint }>): string[] {
  const problems: string[] = [];
  ranges.forEach((r, k) => {
    if (r.base + r.size > 1n << 64n) problems.push(`platform.${field}.${k}: base + size = ${hex(r.base + r.size)} is beyond 2^64`);
  });
  const order = ranges.map((r, k) => ({ ...r, k })).filter((r) => r.size > 0n).sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : a.k - b.k));
  let end = -1n;
  let last = -1;
  for (const r of order) {
    if (r.base < end) problems.push(`platform.${field}.${Math.max(r.k, last)}: [${hex(r.base)}, ${hex(r.base + r.size)}) overlaps platform.${field}.${Math.min(r.k, last)}`);
    if (r.base + r.size > end) {
      end = r.base + r.size;
      last = r.k;
    }
  }
  return problems;
}

/**
 * Why `v` is not a legal RmiFeatureRegister0 (DEN0137 B4.4.6; data.md §3), or nothing. Bits 63:42
 * are reserved (zero); S2SZ, the widest IPA a Realm may have, lies in 32..52 (the narrowest and
 * widest physical address sizes of the architecture, ID_AA64MMFR0_EL1.PARange, and a Realm's s2sz
 * is at least 32; on a platform with fewer than 9 IPA bits per RTT level, `levelBits`, the lower
 * bound is that geometry's narrowest IPA, D-SMALL-SCOPE); NUM_BPS and NUM_WPS count minus one,
 * and their value 0 is reserved. The other fields are legal for every value their bits can hold.
 */
export function features0Problems(v: bigint, levelBits: number = MAX_LEVEL_BITS): string[] {
  const f = decodeFeatures0(v);
  const problems: string[] = [];
  const at = (what: string): string => `platform.features0: ${what} (features0 ${hex(v)})`;
  const least = minIpaWidth(geometryOf(levelBits));
  if (v >> 42n !== 0n) problems.push(at(`reserved bits 63:42 must be zero, got ${hex(v >> 42n)}`));
  if (f.s2sz < least || f.s2sz > 52) problems.push(at(`S2SZ (bits 7:0) must be ${least}..52, got ${f.s2sz}`));
  if (f.numBps === 0) problems.push(at('NUM_BPS (bits 19:14) must not be 0 (reserved: the field is the number of breakpoints minus one)'));
  if (f.numWps === 0) problems.push(at('NUM_WPS (bits 25:20) must not be 0 (reserved: the field is the number of watchpoints minus one)'));
  return problems;
}

/** Decodes a header's `"platform"` into a {@link Platform}, or every problem, each naming its field. */
export function decodePlatformHeader(u: unknown): E.Either<string[], Platform> {
  const r = PlatformHeaderCodec.decode(u);
  if (E.isLeft(r)) return E.left(formatValidationErrors(r.left).map((m) => `platform.${m}`));
  const p = r.right;
  const problems = [
    ...rangeProblems('dram', p.dram ?? []),
    ...rangeProblems('gpt', p.gpt ?? []),
    ...(p.features0 !== undefined ? features0Problems(p.features0, p.levelBits) : []),
  ];
  if (problems.length > 0) return E.left(problems);
  const config: PlatformConfig = {
    ...(p.dram !== undefined ? { dram: p.dram.map((d) => ({ base: d.base, size: d.size })) } : {}),
    ...(p.features0 !== undefined ? { features0: p.features0 } : {}),
    ...(p.recAuxCount !== undefined ? { recAuxCount: p.recAuxCount } : {}),
    ...(p.vmid16 !== undefined ? { vmid16: p.vmid16 } : {}),
    ...(p.hpmn0 !== undefined ? { hpmn0: p.hpmn0 } : {}),
    ...(p.levelBits !== undefined ? { levelBits: p.levelBits } : {}),
    ...(p.measurement !== undefined ? { measurement: p.measurement } : {}),
    ...(p.gpt !== undefined ? { gpt: p.gpt.map((g) => ({ base: g.base, size: g.size, gpt: Gpt[g.gpi.slice(4) as 'NS' | 'SECURE' | 'ROOT' | 'AAP'] })) } : {}),
  };
  return E.right(makePlatform(config));
}
