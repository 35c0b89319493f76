/**
 * The CCA attestation token the RMM returns through RSI_ATTESTATION_TOKEN_CONTINUE (DEN0137
 * A7.2.3; data.md §7): the Realm token (claims signed with the RAK), and the collection that
 * pairs it with the CCA platform token the platform's root of trust issued at boot.
 *
 * Everything here is a pure function of its inputs: the same claims and port always give the
 * same bytes.
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { InternalError } from '../internal/errors.js';
import { HashAlgorithm, MEASUREMENT_BYTES } from '../model/realm.js';
import type { AttestationPort } from '../model/platform.js';

export type { AttestationPort } from '../model/platform.js';
import { Tagged, encodeCbor } from './cbor.js';
import { coseSign1, decodeCoseKeyP384 } from './cose.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** CBOR tag of the CCA token collection (DEN0137 A7.2.3). @category Measurement & attestation */
export const CCA_TOKEN_TAG = 399;

/** Keys of the CCA token collection (DEN0137 A7.2.3). @category Measurement & attestation */
export const CcaCollectionKey = {
  /** The CCA platform token (0xACCA). */
  PLATFORM_TOKEN: 44234,
  /** The Realm delegated token. */
  REALM_TOKEN: 44241,
} as const;

/** The Realm profile claim's value (DEN0137 A7.2.3.1.2). @category Measurement & attestation */
export const REALM_PROFILE = 'tag:arm.com,2023:realm#1.0.0';

/** Claim keys of the Realm token (DEN0137 A7.2.3.1.9). @category Measurement & attestation */
export const RealmClaimKey = {
  /** EAT nonce: the 64-byte challenge (A7.2.3.1.1). */
  CHALLENGE: 10,
  /** EAT profile (A7.2.3.1.2). */
  PROFILE: 265,
  /** Realm Personalization Value (A7.2.3.1.3). */
  PERSONALIZATION_VALUE: 44235,
  /** Realm hash algorithm id (A7.2.3.1.6). */
  HASH_ALGO_ID: 44236,
  /** Realm public key, the RAK as COSE_Key bytes (A7.2.3.1.7). */
  PUBLIC_KEY: 44237,
  /** Realm Initial Measurement (A7.2.3.1.4). */
  INITIAL_MEASUREMENT: 44238,
  /** Realm Extensible Measurements (A7.2.3.1.5). */
  EXTENSIBLE_MEASUREMENTS: 44239,
  /** Realm public key hash algorithm id (A7.2.3.1.8). */
  PUBLIC_KEY_HASH_ALGO_ID: 44240,
} as const;

/** An IANA hash function name as the token's hash algorithm claims use it (DEN0137 A7.2.3.1.6, A7.2.3.1.8). @category Measurement & attestation */
export type HashAlgoId = 'sha-256' | 'sha-384' | 'sha-512';

/** The Realm hash algorithms of RMM 1.0 by claim name (DEN0137 A7.2.3.1.6, B4.4.7). @category Measurement & attestation */
export type RealmHashAlgo = 'sha-256' | 'sha-512';

/** Every {@link HashAlgoId} a token may name (DEN0137 A7.2.3.1.6, A7.2.3.1.8). @category Measurement & attestation */
export const HASH_ALGO_IDS: readonly HashAlgoId[] = ['sha-256', 'sha-384', 'sha-512'];

/** The digest sizes in bytes of the {@link HASH_ALGO_IDS}: what a measurement or hash claim may hold (DEN0137 A7.2.3). @category Measurement & attestation */
export const HASH_SIZES: readonly number[] = [32, 48, 64];

/** Whether `u` is one of the {@link HASH_ALGO_IDS}. @category Measurement & attestation */
export function isHashAlgoId(u: unknown): u is HashAlgoId {
  return typeof u === 'string' && (HASH_ALGO_IDS as readonly string[]).includes(u);
}

/** Digest size in bytes of a {@link HashAlgoId} (DEN0137 A7.2.3.1.4). @category Measurement & attestation */
export function hashAlgoIdSize(a: HashAlgoId): number {
  return a === 'sha-256' ? 32 : a === 'sha-384' ? 48 : 64;
}

/** The hash `a` of `data` (DEN0137 A7.2.3.2.2: the platform challenge is H(RAK_pub)). @category Measurement & attestation */
export function hashWith(a: HashAlgoId, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(a.replace('-', '')).update(data).digest());
}

/** The claim name of a Realm hash algorithm (DEN0137 A7.2.3.1.6). @category Measurement & attestation */
export function realmHashAlgoName(a: HashAlgorithm): RealmHashAlgo {
  return a === HashAlgorithm.SHA_256 ? 'sha-256' : 'sha-512';
}

/** The hash algorithm the RMM uses for H(RAK_pub): SHA-256, as TF-RMM does (DEN0137 A7.2.3.1.8). @category Measurement & attestation */
export const RAK_HASH_ALGO: HashAlgoId = 'sha-256';

/** What the RMM samples from a Realm at RSI_ATTESTATION_TOKEN_INIT (DEN0137 A7.2.3.1, B5.3.2). @category Measurement & attestation */
export interface RealmClaims {
  /** The 64-byte challenge from X1..X8. */
  readonly challenge: Uint8Array;
  /** The Realm Personalization Value, 64 bytes. */
  readonly rpv: Uint8Array;
  /** The RIM: hash-size bytes, or the model's 64-byte zero-filled slot (only hash-size bytes are used). */
  readonly rim: Uint8Array;
  /** REM[0..3], each like {@link RealmClaims.rim}. */
  readonly rems: readonly Uint8Array[];
  /** The Realm hash algorithm. */
  readonly hashAlgo: RealmHashAlgo;
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

function measurementClaim(m: Uint8Array, size: number, what: string): Uint8Array {
  if (m.length !== size && m.length !== MEASUREMENT_BYTES) {
    throw new InternalError(`realmTokenPayload: ${what} has ${m.length} bytes; expected ${size} or ${MEASUREMENT_BYTES}`);
  }
  return m.slice(0, size);
}

function exactly(b: Uint8Array, size: number, what: string): Uint8Array {
  if (b.length !== size) throw new InternalError(`realmTokenPayload: ${what} has ${b.length} bytes; expected ${size}`);
  return b;
}

/**
 * The Realm token payload: the Realm claim map in deterministic CBOR (DEN0137 A7.2.3.1).
 * Measurements are cut to the hash size (as TF-RMM does); `rakPublicCoseKey` is the RAK's
 * COSE_Key bytes. Inputs of the wrong shape are a model bug and throw.
 * @category Measurement & attestation
 */
export function realmTokenPayload(claims: RealmClaims, rakPublicCoseKey: Uint8Array): Uint8Array {
  // DECISION D-TOKEN-CLAIMS: profile claim always present; measurements cut to the hash size.
  const size = hashAlgoIdSize(claims.hashAlgo);
  if (claims.rems.length !== 4) throw new InternalError(`realmTokenPayload: ${claims.rems.length} REMs; expected 4`);
  if (E.isLeft(decodeCoseKeyP384(rakPublicCoseKey))) throw new InternalError('realmTokenPayload: the RAK is not a P-384 COSE_Key');
  return encodeCbor(
    new Map<number, unknown>([
      [RealmClaimKey.CHALLENGE, exactly(claims.challenge, 64, 'challenge')],
      [RealmClaimKey.PROFILE, REALM_PROFILE],
      [RealmClaimKey.PERSONALIZATION_VALUE, exactly(claims.rpv, 64, 'rpv')],
      [RealmClaimKey.HASH_ALGO_ID, claims.hashAlgo],
      [RealmClaimKey.PUBLIC_KEY, rakPublicCoseKey],
      [RealmClaimKey.INITIAL_MEASUREMENT, measurementClaim(claims.rim, size, 'rim')],
      [RealmClaimKey.EXTENSIBLE_MEASUREMENTS, claims.rems.map((r, i) => measurementClaim(r, size, `rems[${i}]`))],
      [RealmClaimKey.PUBLIC_KEY_HASH_ALGO_ID, RAK_HASH_ALGO],
    ]),
  );
}

/** The Realm token: the claims as a tagged COSE_Sign1 signed with the port's RAK (DEN0137 A7.2.3.1). @category Measurement & attestation */
export function signRealmToken(claims: RealmClaims, port: AttestationPort): Uint8Array {
  return coseSign1(realmTokenPayload(claims, port.rakPublicKey), port.rakPrivateKey);
}

/** The CCA token collection: tag 399 over `{44234: platform token, 44241: Realm token}` (DEN0137 A7.2.3). @category Measurement & attestation */
export function ccaToken(platformToken: Uint8Array, realmToken: Uint8Array): Uint8Array {
  return encodeCbor(
    new Tagged(
      CCA_TOKEN_TAG,
      new Map([
        [CcaCollectionKey.PLATFORM_TOKEN, platformToken],
        [CcaCollectionKey.REALM_TOKEN, realmToken],
      ]),
    ),
  );
}

/** The whole CCA attestation token for `claims` on the platform behind `port` (DEN0137 A7.2.3). @category Measurement & attestation */
export function buildCcaToken(port: AttestationPort, claims: RealmClaims): Uint8Array {
  return ccaToken(port.platformToken, signRealmToken(claims, port));
}
