/**
 * The CCA platform token's claims (DEN0137 A7.2.3.2; data.md §7.4). The platform token is made
 * by the platform's root of trust (HES), not by the RMM; the model defines its claim map so that
 * the HES emulator and the token verifier share one schema.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { InternalError } from '../internal/errors.js';
import { decodeCbor, encodeCbor } from './cbor.js';
import { arrayOf, bstr, claimMap, decodeWith, literalText, tstr } from './codec.js';
import { HASH_SIZES } from './token.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The CCA platform profile claim's value (DEN0137 A7.2.3.2.1). @category Measurement & attestation */
export const PLATFORM_PROFILE = 'tag:arm.com,2023:cca_platform#1.0.0';

/** Claim keys of the CCA platform token (DEN0137 A7.2.3.2.10). @category Measurement & attestation */
export const PlatformClaimKey = {
  /** EAT nonce: the hash of RAK_pub (A7.2.3.2.2). */
  CHALLENGE: 10,
  /** EAT ueid: the instance id (A7.2.3.2.4). */
  INSTANCE_ID: 256,
  /** EAT profile (A7.2.3.2.1). */
  PROFILE: 265,
  /** PSA lifecycle (A7.2.3.2.6). */
  LIFECYCLE: 2395,
  /** PSA implementation id (A7.2.3.2.3). */
  IMPLEMENTATION_ID: 2396,
  /** PSA software components (A7.2.3.2.7). */
  SW_COMPONENTS: 2399,
  /** PSA verification service (A7.2.3.2.8). */
  VERIFICATION_SERVICE: 2400,
  /** Platform config (A7.2.3.2.5). */
  CONFIG: 2401,
  /** Platform hash algorithm id (A7.2.3.2.9). */
  HASH_ALGO_ID: 2402,
} as const;

/** Keys of one software component map (DEN0137 A7.2.3.2.7). @category Measurement & attestation */
export const SwComponentKey = {
  /** Component type (text, optional). */
  TYPE: 1,
  /** Measurement value (hash, required). */
  MEASUREMENT_VALUE: 2,
  /** Version (text, optional). */
  VERSION: 4,
  /** Signer id (hash, required). */
  SIGNER_ID: 5,
  /** Hash algorithm id (text, optional). */
  HASH_ALGO_ID: 6,
} as const;

/** CCA platform lifecycle states, the claim's bits 15:8 shifted into place (DEN0137 A7.2.3.2.6). @category Measurement & attestation */
export const PlatformLifecycle = {
  /** Unknown. */
  UNKNOWN: 0x0000,
  /** Assembly and test. */
  ASSEMBLY_AND_TEST: 0x1000,
  /** CCA platform root-of-trust provisioning. */
  CCA_PLATFORM_ROT_PROVISIONING: 0x2000,
  /** Secured: a platform that is not being debugged. */
  SECURED: 0x3000,
  /** Non-CCA-platform-RoT debug (e.g. Realm Management Security Domain debug). */
  NON_CCA_PLATFORM_ROT_DEBUG: 0x4000,
  /** Recoverable CCA platform RoT debug. */
  RECOVERABLE_CCA_PLATFORM_ROT_DEBUG: 0x5000,
  /** Decommissioned. */
  DECOMMISSIONED: 0x6000,
} as const;

/** The lifecycle claim holds a defined state in bits 15:8 (any IMPDEF bits 7:0) (DEN0137 A7.2.3.2.6). @category Measurement & attestation */
export function isPlatformLifecycle(v: number): boolean {
  return Number.isInteger(v) && v >= 0 && v <= 0x60ff && (v & 0x0f00) === 0;
}

/** One CCA platform software component (DEN0137 A7.2.3.2.7). @category Measurement & attestation */
export interface SwComponent {
  /** Component type, e.g. "BL2" (key 1). */
  readonly type?: string | undefined;
  /** Measurement value, 32, 48 or 64 bytes (key 2). */
  readonly measurementValue: Uint8Array;
  /** Version text (key 4). */
  readonly version?: string | undefined;
  /** Hash of the signing authority's public key, 32, 48 or 64 bytes (key 5). */
  readonly signerId: Uint8Array;
  /** Hash algorithm of the measurement (key 6). */
  readonly hashAlgoId?: string | undefined;
}

/** The claims of a CCA platform token, by readable name (DEN0137 A7.2.3.2). @category Measurement & attestation */
export interface PlatformClaims {
  /** Profile (265): {@link PLATFORM_PROFILE}. */
  readonly profile: string;
  /** Challenge (10): hash of the RAK COSE_Key, 32, 48 or 64 bytes. */
  readonly challenge: Uint8Array;
  /** Implementation id (2396), 32 bytes. */
  readonly implementationId: Uint8Array;
  /** Instance id (256), 33 bytes, first byte 0x01. */
  readonly instanceId: Uint8Array;
  /** Platform config (2401). */
  readonly config: Uint8Array;
  /** Lifecycle (2395): state in bits 15:8, see {@link PlatformLifecycle}. */
  readonly lifecycle: number;
  /** Software components (2399), at least one. */
  readonly swComponents: readonly SwComponent[];
  /** Verification service (2400), optional. */
  readonly verificationService?: string | undefined;
  /** Platform hash algorithm id (2402). */
  readonly hashAlgoId: string;
}

// -------------------------------------------------------------------------------------
// codecs
// -------------------------------------------------------------------------------------

const swComponentNames: Readonly<Record<number, string>> = {
  [SwComponentKey.TYPE]: 'type',
  [SwComponentKey.MEASUREMENT_VALUE]: 'measurementValue',
  [SwComponentKey.VERSION]: 'version',
  [SwComponentKey.SIGNER_ID]: 'signerId',
  [SwComponentKey.HASH_ALGO_ID]: 'hashAlgoId',
};

const platformNames: Readonly<Record<number, string>> = {
  [PlatformClaimKey.PROFILE]: 'profile',
  [PlatformClaimKey.CHALLENGE]: 'challenge',
  [PlatformClaimKey.IMPLEMENTATION_ID]: 'implementationId',
  [PlatformClaimKey.INSTANCE_ID]: 'instanceId',
  [PlatformClaimKey.CONFIG]: 'config',
  [PlatformClaimKey.LIFECYCLE]: 'lifecycle',
  [PlatformClaimKey.SW_COMPONENTS]: 'swComponents',
  [PlatformClaimKey.VERIFICATION_SERVICE]: 'verificationService',
  [PlatformClaimKey.HASH_ALGO_ID]: 'hashAlgoId',
};

const SwComponentRecord = t.intersection([
  t.type({ measurementValue: bstr(HASH_SIZES), signerId: bstr(HASH_SIZES) }),
  t.partial({ type: tstr, version: tstr, hashAlgoId: tstr }),
]);

/** io-ts codec of the lifecycle claim: a value in one of the ranges of DEN0137 A7.2.3.2.6. @category Measurement & attestation */
export const LifecycleCodec = new t.Type<number, number, unknown>(
  'lifecycle',
  (u): u is number => typeof u === 'number' && isPlatformLifecycle(u),
  (u, c) => (typeof u === 'number' && isPlatformLifecycle(u) ? t.success(u) : t.failure(u, c, 'a lifecycle value 0x0000..0x60ff with state bits 11:8 zero')),
  t.identity,
);

const PlatformRecord = t.intersection([
  t.type({
    profile: literalText(PLATFORM_PROFILE),
    challenge: bstr(HASH_SIZES),
    implementationId: bstr([32]),
    instanceId: bstr([33], { test: (b) => b[0] === 0x01, what: 'whose first byte is 0x01' }),
    config: bstr(),
    lifecycle: LifecycleCodec,
    swComponents: arrayOf(claimMap(SwComponentRecord, swComponentNames), 1, Infinity),
    hashAlgoId: tstr,
  }),
  t.partial({ verificationService: tstr }),
]);

/** io-ts codec of a decoded CCA platform claim map (a CBOR `Map`) (DEN0137 A7.2.3.2.10). @category Measurement & attestation */
export const PlatformClaimsCodec: t.Decoder<unknown, PlatformClaims> = claimMap(PlatformRecord, platformNames);

/** Decodes and checks the CCA platform token payload; a Left names the offending claims (DEN0137 A7.2.3.2). @category Measurement & attestation */
export function decodePlatformClaims(payload: Uint8Array): E.Either<string, PlatformClaims> {
  const item = decodeCbor(payload);
  return E.isLeft(item) ? E.left(`payload: ${item.left}`) : decodeWith(PlatformClaimsCodec, item.right);
}

// -------------------------------------------------------------------------------------
// encoding
// -------------------------------------------------------------------------------------

function swComponentMap(c: SwComponent): Map<number, unknown> {
  const m = new Map<number, unknown>();
  if (c.type !== undefined) m.set(SwComponentKey.TYPE, c.type);
  m.set(SwComponentKey.MEASUREMENT_VALUE, c.measurementValue);
  if (c.version !== undefined) m.set(SwComponentKey.VERSION, c.version);
  m.set(SwComponentKey.SIGNER_ID, c.signerId);
  if (c.hashAlgoId !== undefined) m.set(SwComponentKey.HASH_ALGO_ID, c.hashAlgoId);
  return m;
}

/**
 * The CCA platform token payload: the claim map in deterministic CBOR (DEN0137 A7.2.3.2).
 * Claims that break the schema are a caller bug and throw.
 * @category Measurement & attestation
 */
export function platformTokenPayload(claims: PlatformClaims): Uint8Array {
  const m = new Map<number, unknown>([
    [PlatformClaimKey.PROFILE, claims.profile],
    [PlatformClaimKey.CHALLENGE, claims.challenge],
    [PlatformClaimKey.IMPLEMENTATION_ID, claims.implementationId],
    [PlatformClaimKey.INSTANCE_ID, claims.instanceId],
    [PlatformClaimKey.CONFIG, claims.config],
    [PlatformClaimKey.LIFECYCLE, claims.lifecycle],
    [PlatformClaimKey.SW_COMPONENTS, claims.swComponents.map(swComponentMap)],
  ]);
  if (claims.verificationService !== undefined) m.set(PlatformClaimKey.VERIFICATION_SERVICE, claims.verificationService);
  m.set(PlatformClaimKey.HASH_ALGO_ID, claims.hashAlgoId);
  const check = decodeWith(PlatformClaimsCodec, m);
  if (E.isLeft(check)) throw new InternalError(`platformTokenPayload: ill-formed platform claims: ${check.left}`);
  return encodeCbor(m);
}
