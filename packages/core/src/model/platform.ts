/**
 * The platform under the RMM: delegable memory, RmiFeatureRegister0, and the implementation
 * choices the spec leaves to the platform.
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import * as t from 'io-ts';
import { pipe } from 'fp-ts/lib/function.js';
import * as E from 'fp-ts/lib/Either.js';
import { bits, type GranuleIndex } from './bits.js';
import { HashAlgorithm } from './realm.js';
import { MAX_LEVEL_BITS, MIN_LEVEL_BITS, maxIpaWidth, geometryOf, type Geometry } from './rtt.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A GPT entry (Granule Protection Information) as the RMM sees it (DEN0137 A2.2.2, C1.8). @category Platform */
export const Gpt = {
  /** GPT_NS: accessible from the Non-secure PAS only. */
  NS: 0,
  /** GPT_REALM: accessible from the Realm PAS only. */
  REALM: 1,
  /** GPT_SECURE: accessible from the Secure PAS only. */
  SECURE: 2,
  /** GPT_ROOT: accessible from the Root PAS only. */
  ROOT: 3,
  /** GPT_AAP: accessible from any PAS. */
  AAP: 4,
} as const;
/** A GPT entry value (DEN0137 C1.8). @category Platform */
export type Gpt = (typeof Gpt)[keyof typeof Gpt];
/** Names of {@link Gpt} values, for reports. @category Platform */
export const gptName: Readonly<Record<Gpt, string>> = ['GPT_NS', 'GPT_REALM', 'GPT_SECURE', 'GPT_ROOT', 'GPT_AAP'];

/** RmiFeatureRegister0 decoded into its fields (DEN0137 B4.4.6). @category Platform */
export interface Features0 {
  /** S2SZ: largest IPA width a Realm may use. */
  readonly s2sz: number;
  /** LPA2: FEAT_LPA2 is supported for Realms. */
  readonly lpa2: boolean;
  /** SVE_EN: SVE is supported. */
  readonly sveEn: boolean;
  /** SVE_VL: largest SVE vector length, as (VL/128) − 1. */
  readonly sveVl: number;
  /** NUM_BPS: number of breakpoints − 1. */
  readonly numBps: number;
  /** NUM_WPS: number of watchpoints − 1. */
  readonly numWps: number;
  /** PMU_EN: the PMU is supported. */
  readonly pmuEn: boolean;
  /** PMU_NUM_CTRS: number of PMU counters. */
  readonly pmuNumCtrs: number;
  /** HASH_SHA_256: SHA-256 is supported. */
  readonly hashSha256: boolean;
  /** HASH_SHA_512: SHA-512 is supported. */
  readonly hashSha512: boolean;
  /** GICV3_NUM_LRS: number of usable GICv3 list registers − 1. */
  readonly gicv3NumLrs: number;
  /** MAX_RECS_ORDER: a Realm has at most 2^order − 1 RECs. */
  readonly maxRecsOrder: number;
}

/** DEN0137 B4.4.6: decodes RmiFeatureRegister0. Bits 63:42 are reserved and ignored here. @category Platform */
export function decodeFeatures0(v: bigint): Features0 {
  return {
    s2sz: bits(v, 7, 0),
    lpa2: bits(v, 8, 8) === 1,
    sveEn: bits(v, 9, 9) === 1,
    sveVl: bits(v, 13, 10),
    numBps: bits(v, 19, 14),
    numWps: bits(v, 25, 20),
    pmuEn: bits(v, 26, 26) === 1,
    pmuNumCtrs: bits(v, 31, 27),
    hashSha256: bits(v, 32, 32) === 1,
    hashSha512: bits(v, 33, 33) === 1,
    gicv3NumLrs: bits(v, 37, 34),
    maxRecsOrder: bits(v, 41, 38),
  };
}

/** A physical address range `[base, base + size)`. @category Platform */
export interface PaRange {
  /** First byte. */
  readonly base: bigint;
  /** Length in bytes. */
  readonly size: bigint;
}

/** A GPT entry an UNDELEGATED granule may have: anything but GPT_REALM (DEN0137 A2.2.3). @category Platform */
export type HostGpt = Exclude<Gpt, typeof Gpt.REALM>;

/** A range whose granules start with a GPT entry other than GPT_NS. @category Platform */
export interface GptRange extends PaRange {
  /** The initial GPT entry of every granule in the range. */
  readonly gpt: HostGpt;
}

/**
 * What the RMM receives from EL3 / HES at boot (DEN0137 A7.2.3; data.md §7.4): the RAK and the
 * CCA platform token bound to it.
 * @category Measurement & attestation
 */
export interface AttestationPort {
  /** The RAK private key: a 48-byte P-384 scalar. */
  readonly rakPrivateKey: Uint8Array;
  /** The RAK public key as COSE_Key bytes (as `encodeCoseKeyP384` makes them). */
  readonly rakPublicKey: Uint8Array;
  /** The CCA platform token: a tagged COSE_Sign1 signed by the IAK whose challenge is SHA-256(rakPublicKey). */
  readonly platformToken: Uint8Array;
}

/**
 * How a platform computes Realm measurements (DECISIONS D-SYMBOLIC-MEASURE): `'sha'` with the
 * Realm's hash algorithm, SHA-256 or SHA-512 (DEN0137 A7.1); `'symbolic'` with a cheap 128-bit
 * non-cryptographic digest of the same bytes, for exhaustive exploration.
 * @category Platform
 */
export type MeasurementMode = 'sha' | 'symbolic';

/**
 * A platform's digest primitive for Realm measurements: the digest of the concatenation of
 * `parts` under the Realm hash algorithm `algo` (DEN0137 A7.1.1), which callers zero-fill to a
 * 64-byte RmmRealmMeasurement. 32 or 64 bytes (SHA-256, SHA-512) in `'sha'` mode, 16 in
 * `'symbolic'` mode ({@link symbolicDigest}). The parts are read, never kept or changed.
 * @category Platform
 */
export type MeasurementDigest = (algo: HashAlgorithm, parts: readonly Uint8Array[]) => Uint8Array;

/** DEN0137 A7.1: the RHA itself, SHA-256 or SHA-512 of the concatenated parts (node:crypto). @category Platform */
export const shaDigest: MeasurementDigest = (algo, parts) => {
  const h = createHash(algo === HashAlgorithm.SHA_512 ? 'sha512' : 'sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** 32-bit finaliser of MurmurHash3. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const rotl = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

/** Little-endian 32-bit word `i` of `b` (bytes beyond the end read as zero). */
function wordAt(b: Uint8Array, i: number): number {
  const k = 4 * i;
  return (b[k] ?? 0) | ((b[k + 1] ?? 0) << 8) | ((b[k + 2] ?? 0) << 16) | ((b[k + 3] ?? 0) << 24);
}

/**
 * MurmurHash3 x86_128 (A. Appleby, public domain) of `b` with `seed`: a fast 128-bit
 * non-cryptographic hash whose outputs collide with probability about 2^-128 per pair of
 * distinct inputs that no adversary chose, which is what exploration needs. 16 bytes, little-endian.
 */
function murmur128(b: Uint8Array, seed: number): Uint8Array {
  const c1 = 0x239b961b, c2 = 0xab0e9789, c3 = 0x38b34ae5, c4 = 0xa1e38b93;
  let h1 = seed | 0, h2 = seed | 0, h3 = seed | 0, h4 = seed | 0;
  const len = b.length;
  const blocks = len >>> 4;
  // Whole 4-byte words are read through an aligned view when the host is little-endian (4 KB granules always are).
  const w = LITTLE_ENDIAN && (b.byteOffset & 3) === 0 ? new Int32Array(b.buffer, b.byteOffset, len >>> 2) : undefined;
  for (let i = 0; i < blocks; i++) {
    const j = 4 * i;
    let k1 = w !== undefined ? (w[j] as number) : wordAt(b, j);
    let k2 = w !== undefined ? (w[j + 1] as number) : wordAt(b, j + 1);
    let k3 = w !== undefined ? (w[j + 2] as number) : wordAt(b, j + 2);
    let k4 = w !== undefined ? (w[j + 3] as number) : wordAt(b, j + 3);
    k1 = Math.imul(rotl(Math.imul(k1, c1), 15), c2);
    h1 ^= k1;
    h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
    k2 = Math.imul(rotl(Math.imul(k2, c2), 16), c3);
    h2 ^= k2;
    h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
    k3 = Math.imul(rotl(Math.imul(k3, c3), 17), c4);
    h3 ^= k3;
    h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
    k4 = Math.imul(rotl(Math.imul(k4, c4), 18), c1);
    h4 ^= k4;
    h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
  }
  // The tail: up to 15 bytes, as four zero-extended words.
  const rest = len & 15;
  if (rest > 0) {
    const tail = b.subarray(blocks * 16);
    const t0 = wordAt(tail, 0), t1 = wordAt(tail, 1), t2 = wordAt(tail, 2), t3 = wordAt(tail, 3);
    if (rest > 12) h4 ^= Math.imul(rotl(Math.imul(t3, c4), 18), c1);
    if (rest > 8) h3 ^= Math.imul(rotl(Math.imul(t2, c3), 17), c4);
    if (rest > 4) h2 ^= Math.imul(rotl(Math.imul(t1, c2), 16), c3);
    h1 ^= Math.imul(rotl(Math.imul(t0, c1), 15), c2);
  }
  h1 ^= len; h2 ^= len; h3 ^= len; h4 ^= len;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0; h3 = (h3 + h1) | 0; h4 = (h4 + h1) | 0;
  h1 = fmix(h1); h2 = fmix(h2); h3 = fmix(h3); h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0; h3 = (h3 + h1) | 0; h4 = (h4 + h1) | 0;
  const out = new Uint8Array(16);
  const v = new DataView(out.buffer);
  v.setUint32(0, h1, true);
  v.setUint32(4, h2, true);
  v.setUint32(8, h3, true);
  v.setUint32(12, h4, true);
  return out;
}

/**
 * The symbolic digest (DECISIONS D-SYMBOLIC-MEASURE): MurmurHash3 x86_128 of the concatenated
 * parts, seeded with the hash algorithm so that SHA-256 and SHA-512 Realms differ. 16 bytes, so
 * a measurement still identifies the sequence of measured descriptors (and contents) but costs a
 * fraction of SHA. Not a cryptographic hash: for exploring the model only.
 * @category Platform
 */
export const symbolicDigest: MeasurementDigest = (algo, parts) => {
  let b: Uint8Array;
  if (parts.length === 1) b = parts[0] as Uint8Array;
  else {
    let n = 0;
    for (const p of parts) n += p.length;
    b = new Uint8Array(n);
    n = 0;
    for (const p of parts) {
      b.set(p, n);
      n += p.length;
    }
  }
  return murmur128(b, 0x524d4d00 + algo);
};

/** The digest primitive of a {@link MeasurementMode}. @category Platform */
export function measurementDigest(mode: MeasurementMode): MeasurementDigest {
  return mode === 'symbolic' ? symbolicDigest : shaDigest;
}

/** The platform description a model state is built on (trace contract "platform"). @category Platform */
export interface Platform {
  /** Physical ranges whose granules are delegable (DEN0137 B3 PaIsDelegable). */
  readonly dram: readonly PaRange[];
  /** The value RMI_FEATURES(0) returns. */
  readonly features0: bigint;
  /** The value RMI_REC_AUX_COUNT returns for any RD (DEN0137 B4.3.11; at most 16). */
  readonly recAuxCount: number;
  /** FEAT_VMID16: VMIDs are 16 bits wide (otherwise 8). */
  readonly vmid16: boolean;
  /** FEAT_HPMN0: a Realm may have a PMU with zero event counters. */
  readonly hpmn0: boolean;
  /** Ranges whose granules start with a GPT entry other than GPT_NS (Secure, Root, AAP carve-outs). */
  readonly gpt: readonly GptRange[];
  /**
   * What EL3 hands the RMM at boot for attestation (DEN0137 A7.2.3): the RAK and the CCA platform
   * token. Without it, token generation fails (RSI_ATTESTATION_TOKEN_CONTINUE: RSI_ERROR_UNKNOWN).
   */
  readonly attestation: AttestationPort | undefined;
  /** {@link features0} decoded. */
  readonly features: Features0;
  /**
   * IPA bits each RTT level resolves (DECISIONS D-SMALL-SCOPE): 9, the architecture's 4 KB
   * granule (512 entries per RTT, 16 at level −1), or 1..8 for a small-scope configuration
   * (2^levelBits entries per RTT, no level −1). A level-3 entry maps one 4 KB granule whatever
   * the value. Not a spec parameter: small values exist for exhaustive exploration.
   */
  readonly levelBits: number;
  /** The RTT geometry {@link levelBits} gives (entries per level, bytes per entry). */
  readonly geometry: Geometry;
  /**
   * How Realm measurements are computed (DECISIONS D-SYMBOLIC-MEASURE): `'sha'` (the default)
   * with the Realm's RHA as DEN0137 A7.1 says, `'symbolic'` with {@link symbolicDigest} for
   * exhaustive exploration. Not a spec parameter.
   */
  readonly measurement: MeasurementMode;
  /** The digest primitive of {@link measurement}: the one RIM and REM extension, and their post-conditions, use. */
  readonly digest: MeasurementDigest;
  /** @internal The delegable ranges as granule-index intervals `[start, end)`. */
  readonly dramGranules: ReadonlyArray<readonly [GranuleIndex, GranuleIndex]>;
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** The default platform's RmiFeatureRegister0: 48-bit IPA, LPA2, 2 BPs and WPs, PMU with 31 counters, SHA-256 and SHA-512, 1 LR, MAX_RECS_ORDER 10. @category Platform */
export const DEFAULT_FEATURES0 = 0x283fc104130n;

/** Settings that make up a {@link Platform}; every field is optional. @category Platform */
export interface PlatformConfig {
  readonly dram?: readonly PaRange[];
  readonly features0?: bigint;
  readonly recAuxCount?: number;
  readonly vmid16?: boolean;
  readonly hpmn0?: boolean;
  readonly gpt?: readonly GptRange[];
  readonly attestation?: AttestationPort;
  /** IPA bits per RTT level, 1..9 ({@link Platform.levelBits}; D-SMALL-SCOPE). */
  readonly levelBits?: number;
  /** How measurements are computed ({@link Platform.measurement}; D-SYMBOLIC-MEASURE). */
  readonly measurement?: MeasurementMode;
}

/**
 * The RmiFeatureRegister0 a platform has when its config gives none: {@link DEFAULT_FEATURES0},
 * whose S2SZ (48) is what the default geometry maps without LPA2; in a small geometry S2SZ is
 * the widest IPA that geometry maps with LPA2, 12 + 4·levelBits + 4 (D-SMALL-SCOPE).
 * @category Platform
 */
export function defaultFeatures0(g: Geometry): bigint {
  if (g.levelBits === MAX_LEVEL_BITS) return DEFAULT_FEATURES0;
  // DECISION D-SMALL-SCOPE: RMI_FEATURES tells the truth about the widest IPA a Realm can have.
  return (DEFAULT_FEATURES0 & ~0xffn) | BigInt(maxIpaWidth(g, true));
}

/**
 * Builds a platform; absent settings take the defaults documented in the README: one DRAM range
 * 0x8000_0000..0xBFE0_0000 (1 GB − 2 MB), features0 {@link DEFAULT_FEATURES0} (with S2SZ
 * narrowed in a small geometry: {@link defaultFeatures0}), recAuxCount 16, VMID16, no
 * FEAT_HPMN0, every granule initially GPT_NS, 9 IPA bits per RTT level, SHA measurements.
 * @category Platform
 */
export function makePlatform(config: PlatformConfig = {}): Platform {
  const dram = config.dram ?? [{ base: 0x8000_0000n, size: 0x3fe0_0000n }];
  const levelBits = config.levelBits ?? MAX_LEVEL_BITS;
  const geometry = geometryOf(levelBits);
  const features0 = config.features0 ?? defaultFeatures0(geometry);
  const measurement = config.measurement ?? 'sha';
  return {
    dram,
    features0,
    recAuxCount: config.recAuxCount ?? 16,
    vmid16: config.vmid16 ?? true,
    hpmn0: config.hpmn0 ?? false,
    gpt: config.gpt ?? [],
    attestation: config.attestation,
    features: decodeFeatures0(features0),
    levelBits,
    geometry,
    measurement,
    digest: measurementDigest(measurement),
    dramGranules: dram.map((r) => {
      const start = (r.base + 0xfffn) >> 12n;
      const end = (r.base + r.size) >> 12n;
      return [Number(start), Number(end)] as const;
    }),
  };
}

/** The built-in default platform. @category Platform */
export const defaultPlatform: Platform = makePlatform();

/**
 * `p` with `patch` applied: every field written out, so that every platform has one object shape
 * (the SMC layer reads platforms on every call).
 */
function platformWith(p: Platform, patch: Pick<Platform, 'attestation' | 'measurement' | 'digest'>): Platform {
  return {
    dram: p.dram,
    features0: p.features0,
    recAuxCount: p.recAuxCount,
    vmid16: p.vmid16,
    hpmn0: p.hpmn0,
    gpt: p.gpt,
    attestation: patch.attestation,
    features: p.features,
    levelBits: p.levelBits,
    geometry: p.geometry,
    measurement: patch.measurement,
    digest: patch.digest,
    dramGranules: p.dramGranules,
  };
}

/** `p` with the attestation port `port` (DEN0137 A7.2.3: what the RMM receives at boot). @category Platform */
export function withAttestation(p: Platform, port: AttestationPort | undefined): Platform {
  return platformWith(p, { attestation: port, measurement: p.measurement, digest: p.digest });
}

/** `p` computing measurements in mode `mode` (D-SYMBOLIC-MEASURE); everything else as in `p`. @category Platform */
export function withMeasurementMode(p: Platform, mode: MeasurementMode): Platform {
  return platformWith(p, { attestation: p.attestation, measurement: mode, digest: measurementDigest(mode) });
}

// -------------------------------------------------------------------------------------
// queries
// -------------------------------------------------------------------------------------

/** DEN0137 B3 PaIsDelegable, for a granule: it lies in one of the platform's DRAM ranges. @category Platform */
export function isDelegableGranule(p: Platform, gi: GranuleIndex): boolean {
  for (const [start, end] of p.dramGranules) if (gi >= start && gi < end) return true;
  return false;
}

/** The GPT entry a granule has before anything changes it. @category Platform */
export function initialGpt(p: Platform, gi: GranuleIndex): HostGpt {
  // Stryker disable next-line ConditionalExpression: equivalent; a fast path, the loop below gives NS for no ranges too.
  if (p.gpt.length === 0) return Gpt.NS;
  const pa = BigInt(gi) << 12n;
  for (const r of p.gpt) if (pa >= r.base && pa < r.base + r.size) return r.gpt;
  return Gpt.NS;
}

// -------------------------------------------------------------------------------------
// codecs
// -------------------------------------------------------------------------------------

/** A 64-bit value as the trace contract writes it (`"0x…"`, decimal digits, or a JSON integer below 2^53), or a bigint in [0, 2^64). @category Platform */
export const U64 = new t.Type<bigint, string, unknown>(
  'U64',
  (u): u is bigint => typeof u === 'bigint' && u >= 0n && u < 1n << 64n,
  (u, c) => {
    if (typeof u === 'bigint') return u >= 0n && u < 1n << 64n ? t.success(u) : t.failure(u, c, 'a value in [0, 2^64)');
    if (typeof u === 'number') {
      return Number.isSafeInteger(u) && u >= 0 ? t.success(BigInt(u)) : t.failure(u, c, 'a non-negative integer below 2^53');
    }
    if (typeof u === 'string') {
      if (/^0[xX][0-9a-fA-F]+$/.test(u) || /^[0-9]+$/.test(u)) {
        const v = BigInt(u);
        return v < 1n << 64n ? t.success(v) : t.failure(u, c, 'a value below 2^64');
      }
      return t.failure(u, c, 'a 64-bit value: "0x…" hex or decimal digits');
    }
    return t.failure(u, c, 'a 64-bit value: "0x…" hex, decimal digits or an integer');
  },
  (v) => '0x' + v.toString(16),
);

/** Bytes written as hex (an even number of digits, optional `0x` or `0X`), `min`..`max` bytes long. @category Platform */
export function hexBytes(min = 0, max = Number.MAX_SAFE_INTEGER): t.Type<Uint8Array, string, unknown> {
  const what = max === Number.MAX_SAFE_INTEGER ? 'a hex string of whole bytes' : `hex text of ${min}..${max} bytes`;
  return new t.Type<Uint8Array, string, unknown>(
    'HexBytes',
    (u): u is Uint8Array => u instanceof Uint8Array && u.length >= min && u.length <= max,
    (u, c) => {
      if (typeof u !== 'string') return t.failure(u, c, what);
      const digits = u.startsWith('0x') || u.startsWith('0X') ? u.slice(2) : u;
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) return t.failure(u, c, `${what} (an even number of hex digits)`);
      const n = digits.length / 2;
      return n < min || n > max ? t.failure(u, c, what) : t.success(new Uint8Array(Buffer.from(digits, 'hex')));
    },
    (b) => Buffer.from(b).toString('hex'),
  );
}

/** Bytes written as hex, any length ({@link hexBytes}). @category Platform */
export const HexBytes = hexBytes();

// GPT_REALM is not a starting GPT entry: only delegation puts a granule in the Realm PAS.
const GptName = t.keyof({ GPT_NS: null, GPT_SECURE: null, GPT_ROOT: null, GPT_AAP: null }, 'GptName');

/** io-ts codec of the trace contract's `"platform"` object (with realmspec's documented extensions). @category Platform */
export const PlatformCodec = t.exact(
  t.partial({
    dram: t.array(t.exact(t.type({ base: U64, size: U64 }))),
    features0: U64,
    recAuxCount: t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0 && n <= 16, 'RecAuxCount(0..16)'),
    vmid16: t.boolean,
    hpmn0: t.boolean,
    gpt: t.array(t.exact(t.type({ base: U64, size: U64, gpi: GptName }))),
    levelBits: t.refinement(t.number, (n) => Number.isInteger(n) && n >= MIN_LEVEL_BITS && n <= MAX_LEVEL_BITS, `LevelBits(${MIN_LEVEL_BITS}..${MAX_LEVEL_BITS})`),
    measurement: t.keyof({ sha: null, symbolic: null }, 'MeasurementMode'),
  }),
  'Platform',
);

/** Decodes a platform description (trace header or user input) into a {@link Platform}. @category Platform */
export function decodePlatform(u: unknown): t.Validation<Platform> {
  return pipe(
    PlatformCodec.decode(u),
    E.map((c) =>
      makePlatform({
        ...(c.dram !== undefined ? { dram: c.dram } : {}),
        ...(c.features0 !== undefined ? { features0: c.features0 } : {}),
        ...(c.recAuxCount !== undefined ? { recAuxCount: c.recAuxCount } : {}),
        ...(c.vmid16 !== undefined ? { vmid16: c.vmid16 } : {}),
        ...(c.hpmn0 !== undefined ? { hpmn0: c.hpmn0 } : {}),
        ...(c.levelBits !== undefined ? { levelBits: c.levelBits } : {}),
        ...(c.measurement !== undefined ? { measurement: c.measurement } : {}),
        ...(c.gpt !== undefined ? { gpt: c.gpt.map((g) => ({ base: g.base, size: g.size, gpt: Gpt[g.gpi.slice(4) as 'NS' | 'SECURE' | 'ROOT' | 'AAP'] })) } : {}),
      }),
    ),
  );
}
