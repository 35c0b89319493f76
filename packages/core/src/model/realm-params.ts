/**
 * RmiRealmParams: decoding and the validity and support rules RMI_REALM_CREATE applies
 * (DEN0137 B4.4.12, B4.3.9, A3.1, A5.5.3; states.md §6.2; data.md §1).
 *
 * @packageDocumentation
 */
import { bits } from './bits.js';
import { decodeStruct, hasZeroReservedBits } from './layout.js';
import { RmiRealmParams } from './structs.js';
import type { Platform } from './platform.js';
import { DEFAULT_GEOMETRY, maxIpaWidth, minIpaWidth, type Geometry } from './rtt.js';
import type { StructValue } from './layout.js';

/** RmiRealmParams decoded into typed fields (DEN0137 B4.4.12). @category Realm */
export interface RealmParams {
  /** The raw decoded structure (all fields as 64-bit values), for measurement. */
  readonly raw: StructValue;
  /** flags.lpa2 */
  readonly lpa2: boolean;
  /** flags.sve */
  readonly sve: boolean;
  /** flags.pmu */
  readonly pmu: boolean;
  /** s2sz: requested IPA width. */
  readonly s2sz: number;
  /** sve_vl */
  readonly sveVl: number;
  /** num_bps */
  readonly numBps: number;
  /** num_wps */
  readonly numWps: number;
  /** pmu_num_ctrs */
  readonly pmuNumCtrs: number;
  /** hash_algo (raw encoding; 0 SHA-256, 1 SHA-512). */
  readonly hashAlgo: number;
  /** rpv: 64 bytes. */
  readonly rpv: Uint8Array;
  /** vmid */
  readonly vmid: number;
  /** rtt_base */
  readonly rttBase: bigint;
  /** rtt_level_start as a signed value. */
  readonly rttLevelStart: bigint;
  /** rtt_num_start */
  readonly rttNumStart: bigint;
}

/** Smallest IPA width the model supports in the default geometry (TF-RMM RMI_FEATURE_MIN_IPA_SIZE; DECISIONS D-PARAMS); {@link minIpaWidth} in any geometry. @category Realm */
export const MIN_IPA_WIDTH = minIpaWidth(DEFAULT_GEOMETRY);

function num(v: bigint | readonly bigint[] | undefined): bigint {
  return typeof v === 'bigint' ? v : 0n;
}

/** Little-endian bytes of an array of 64-bit values. @internal */
export function u64sToBytes(vs: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(vs.length * 8);
  const view = new DataView(out.buffer);
  vs.forEach((v, i) => view.setBigUint64(i * 8, v, true));
  return out;
}

/** Decodes the RmiRealmParams in granule `g`. No validity check. @category Realm */
export function decodeRealmParams(g: Uint8Array): RealmParams {
  const raw = decodeStruct(RmiRealmParams, g);
  const flags = num(raw.flags);
  return {
    raw,
    lpa2: bits(flags, 0, 0) === 1,
    sve: bits(flags, 1, 1) === 1,
    pmu: bits(flags, 2, 2) === 1,
    s2sz: Number(num(raw.s2sz)),
    sveVl: Number(num(raw.sve_vl)),
    numBps: Number(num(raw.num_bps)),
    numWps: Number(num(raw.num_wps)),
    pmuNumCtrs: Number(num(raw.pmu_num_ctrs)),
    hashAlgo: Number(num(raw.hash_algo)),
    rpv: u64sToBytes(raw.rpv as readonly bigint[]),
    vmid: Number(num(raw.vmid)),
    rttBase: num(raw.rtt_base),
    rttLevelStart: BigInt.asIntN(64, num(raw.rtt_level_start)),
    rttNumStart: num(raw.rtt_num_start),
  };
}

/**
 * DEN0137 B3 RmiRealmParamsIsValid: the structure is a valid encoding. Every reserved byte and
 * flags bit is zero, hash_algo is 0 or 1, num_bps and num_wps are not the reserved value 0, and
 * s2sz is at most 52 (no architecture IPA is wider). Range and feature limits are
 * {@link realmParamsSupported}'s business (DECISIONS D-PARAMS).
 * @category Realm
 */
export function realmParamsAreValid(g: Uint8Array, p: RealmParams): boolean {
  // DECISION D-PARAMS: only encoding questions; platform limits are realmParamsSupported's.
  return hasZeroReservedBits(RmiRealmParams, g) && p.hashAlgo <= 1 && p.numBps !== 0 && p.numWps !== 0 && p.s2sz <= 52;
}

/**
 * DEN0137 B3 RealmParamsSupported (no body in 1.0-rel0; TF-RMM's rules, data.md §1): every
 * feature the Realm asks for is one the platform has (RmiFeatureRegister0), and the IPA width
 * lies between the geometry's narrowest and widest (D-SMALL-SCOPE: 32..48, or 52 with LPA2, by
 * default).
 * @category Realm
 */
export function realmParamsSupported(platform: Platform, p: RealmParams): boolean {
  // DECISION D-PARAMS: TF-RMM's limits; ranges here, encodings in realmParamsAreValid.
  const f = platform.features;
  const g = platform.geometry;
  if (p.lpa2 && !f.lpa2) return false;
  // DECISION D-SMALL-SCOPE: S2SZ bounds the width as before; the geometry adds its own bounds
  // (by default 32 and 48 without LPA2, the limits of D-PARAMS).
  if (p.s2sz < minIpaWidth(g) || p.s2sz > f.s2sz || p.s2sz > maxIpaWidth(g, p.lpa2)) return false;
  if (p.sve && (!f.sveEn || p.sveVl > f.sveVl)) return false;
  if (p.pmu && (!f.pmuEn || p.pmuNumCtrs > f.pmuNumCtrs || (p.pmuNumCtrs === 0 && !platform.hpmn0))) return false;
  if (p.numBps > f.numBps || p.numWps > f.numWps) return false;
  if ((p.hashAlgo === 0 && !f.hashSha256) || (p.hashAlgo === 1 && !f.hashSha512)) return false;
  return true;
}

/**
 * The number of concatenated starting-level RTTs an IPA width of `s2sz` bits needs when the
 * walk starts at `level` in geometry `g` (4 KB granule by default), or undefined when that start
 * level cannot map that width on a platform whose PA width is `paWidth` (DEN0137 A5.5.3;
 * states.md §6.2, after the Arm ARM's S2InconsistentSL and S2InvalidSL; D-SMALL-SCOPE).
 * @category Realm
 */
export function rttStartTables(g: Geometry, s2sz: number, level: number, lpa2: boolean, paWidth: number): number | undefined {
  // DECISION D-RTTCFG: the Arm ARM's S2InconsistentSL rule for 4 KB granules (no body in 1.0-rel0).
  // DECISION D-SMALL-SCOPE: with b = levelBits bits per level in place of 9, the same rule; no
  // level −1 below 9 bits, and no PA-width rule for level 0 (the model's PAs are not scaled).
  if (!Number.isInteger(level) || level < g.minLevel || level > 3) return undefined;
  if (level === -1 && !lpa2) return undefined;
  // Level 0 needs a platform PA range of at least 44 bits (Arm ARM S2InvalidSL).
  if (level === 0 && paWidth < 44 && g.minLevel === -1) return undefined;
  const b = g.levelBits;
  const n = 3 - level;
  // One table at `level` resolves b bits more than one at level + 1 (12 + b·n bits): the start
  // level must be needed, so s2sz is at least one bit wider than a level + 1 table.
  const minBits = b * n + 13;
  const direct = b * n + 12 + b;
  // Up to 16 concatenated tables add 4 bits, except at level 0 without LPA2; level −1 tops out at 52.
  const maxBits = level === -1 ? minBits + 3 : level > 0 || (level === 0 && lpa2) ? direct + 4 : direct;
  if (s2sz < minBits || s2sz > maxBits) return undefined;
  return s2sz > direct ? 2 ** (s2sz - direct) : 1;
}

/**
 * DEN0137 B3 RttConfigIsValid (no body in 1.0-rel0): `s2sz`, the starting level and the number of
 * concatenated starting tables agree with each other and with the platform ({@link rttStartTables}).
 * @category Realm
 */
export function rttConfigIsValid(platform: Platform, p: RealmParams): boolean {
  if (p.rttLevelStart < -1n || p.rttLevelStart > 3n) return false;
  const tables = rttStartTables(platform.geometry, p.s2sz, Number(p.rttLevelStart), p.lpa2, platform.features.s2sz);
  return tables !== undefined && p.rttNumStart === BigInt(tables);
}
