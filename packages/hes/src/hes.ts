/**
 * The emulated HES (Hardware Enforced Security) root of trust: after measured boot it holds the
 * IAK, hands the RMM its RAK, and issues CCA platform tokens (DEN0137 A7.2.3.2) bound to a
 * challenge, which for the RMM is SHA-256 of the RAK's COSE_Key.
 *
 * Deterministic: the same options give the same keys and byte-identical tokens.
 *
 * @packageDocumentation
 */
import { createPublicKey } from 'node:crypto';
import {
  PLATFORM_PROFILE,
  PlatformLifecycle,
  RAK_HASH_ALGO,
  coseSign1,
  encodeCoseKeyP384,
  hashWith,
  platformTokenPayload,
  type AttestationPort,
  type PlatformClaims,
  type SwComponent,
} from '@realmspec/core';
import { bootMeasurements } from './boot.js';
import type { HesOptions } from './config.js';
import { DEFAULT_SEED, deriveP384Key } from './keys.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The implementation id claim: SHA-256 of the UTF-8 text `realmspec emulated HES CCA platform v1`. */
export const IMPLEMENTATION_ID: Uint8Array = hashWith('sha-256', new TextEncoder().encode('realmspec emulated HES CCA platform v1'));

/** The platform config claim by default: four zero bytes (no optional system properties). */
export const DEFAULT_PLATFORM_CONFIG: Uint8Array = new Uint8Array(4);

/** The platform hash algorithm id claim. */
export const PLATFORM_HASH_ALGO = 'sha-256';

/** A booted HES. */
export interface Hes {
  /** The seed the keys were derived from. */
  readonly seed: Uint8Array;
  /** The measured boot chain, as the software components claim reports it. */
  readonly bootMeasurements: readonly SwComponent[];
  /** The IAK public key, an uncompressed SEC1 point (97 bytes). */
  readonly iakPublicKey: Uint8Array;
  /** The instance id claim: 0x01 followed by SHA-256 of {@link Hes.iakPublicKey} (33 bytes). */
  readonly instanceId: Uint8Array;
  /** The implementation id claim (32 bytes). */
  readonly implementationId: Uint8Array;
  /** The lifecycle claim. */
  readonly lifecycle: number;
  /** The platform config claim. */
  readonly platformConfig: Uint8Array;
  /** The verification service claim, if any. */
  readonly verificationService: string | undefined;
  /** The RAK public key as COSE_Key bytes. */
  readonly rakPublicKey: Uint8Array;
  /** The IAK public key as SPKI PEM text. */
  iakPublicPem(): string;
  /** The claims of a platform token for `challenge` (32, 48 or 64 bytes). */
  platformClaims(challenge: Uint8Array): PlatformClaims;
  /** A CCA platform token for `challenge`: a tagged COSE_Sign1 signed by the IAK. */
  platformToken(challenge: Uint8Array): Uint8Array;
  /** What EL3 hands the RMM at boot: the RAK and the platform token bound to SHA-256 of its COSE_Key. */
  attestationPort(): AttestationPort;
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** The IAK public key (SEC1, uncompressed) as SPKI PEM, through node:crypto's JWK import. */
export function p384PublicPem(point: Uint8Array): string {
  const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-384', x: b64(point.subarray(1, 49)), y: b64(point.subarray(49, 97)) }, format: 'jwk' });
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

/** Boots the emulated HES: measured boot, then IAK and RAK derivation from the seed. */
export function bootHes(options: HesOptions = {}): Hes {
  const seed = (options.seed ?? DEFAULT_SEED).slice();
  const iak = deriveP384Key(seed, 'IAK');
  const rak = deriveP384Key(seed, 'RAK');
  const rakPublicKey = encodeCoseKeyP384(rak.publicKey);
  const instanceId = new Uint8Array([0x01, ...hashWith('sha-256', iak.publicKey)]);
  const lifecycle = options.lifecycle ?? PlatformLifecycle.SECURED;
  const platformConfig = (options.platformConfig ?? DEFAULT_PLATFORM_CONFIG).slice();
  const verificationService = options.verificationService;

  const platformClaims = (challenge: Uint8Array): PlatformClaims => {
    if (![32, 48, 64].includes(challenge.length)) {
      throw new RangeError(`platformToken: the challenge must be 32, 48 or 64 bytes, got ${challenge.length}`);
    }
    return {
      profile: PLATFORM_PROFILE,
      challenge: challenge.slice(),
      implementationId: IMPLEMENTATION_ID,
      instanceId,
      config: platformConfig,
      lifecycle,
      swComponents: bootMeasurements,
      ...(verificationService !== undefined ? { verificationService } : {}),
      hashAlgoId: PLATFORM_HASH_ALGO,
    };
  };
  const platformToken = (challenge: Uint8Array): Uint8Array => coseSign1(platformTokenPayload(platformClaims(challenge)), iak.privateKey);
  const boundToken = platformToken(hashWith(RAK_HASH_ALGO, rakPublicKey));

  return {
    seed,
    bootMeasurements,
    iakPublicKey: iak.publicKey,
    instanceId,
    implementationId: IMPLEMENTATION_ID,
    lifecycle,
    platformConfig,
    verificationService,
    rakPublicKey,
    iakPublicPem: () => p384PublicPem(iak.publicKey),
    platformClaims,
    platformToken,
    attestationPort: () => ({ rakPrivateKey: rak.privateKey.slice(), rakPublicKey: rakPublicKey.slice(), platformToken: boundToken.slice() }),
  };
}
