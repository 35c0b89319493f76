/**
 * Decoding the Realm token's claim map (DEN0137 A7.2.3.1) from untrusted bytes: every claim the
 * spec requires is present and typed, and the measurement sizes agree with the Realm hash
 * algorithm.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { decodeCbor } from './cbor.js';
import { arrayOf, bstr, claimMap, decodeWith, literalText, oneOfText } from './codec.js';
import { HASH_ALGO_IDS, HASH_SIZES, REALM_PROFILE, RealmClaimKey, hashAlgoIdSize, type HashAlgoId } from './token.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The claims of a Realm token, by readable name (DEN0137 A7.2.3.1). @category Measurement & attestation */
export interface RealmTokenClaims {
  /** Challenge (10), 64 bytes. */
  readonly challenge: Uint8Array;
  /** Profile (265), {@link REALM_PROFILE} when present. */
  readonly profile?: string | undefined;
  /** Realm Personalization Value (44235), 64 bytes. */
  readonly personalizationValue: Uint8Array;
  /** Realm Initial Measurement (44238), hash-size bytes. */
  readonly initialMeasurement: Uint8Array;
  /** Realm Extensible Measurements (44239), four of hash-size bytes. */
  readonly extensibleMeasurements: readonly Uint8Array[];
  /** Realm hash algorithm id (44236). */
  readonly hashAlgoId: HashAlgoId;
  /** Realm public key (44237): the RAK as COSE_Key bytes. */
  readonly publicKey: Uint8Array;
  /** Realm public key hash algorithm id (44240): the hash the platform challenge uses. */
  readonly publicKeyHashAlgoId: HashAlgoId;
}

// -------------------------------------------------------------------------------------
// codecs
// -------------------------------------------------------------------------------------


const realmNames: Readonly<Record<number, string>> = {
  [RealmClaimKey.CHALLENGE]: 'challenge',
  [RealmClaimKey.PROFILE]: 'profile',
  [RealmClaimKey.PERSONALIZATION_VALUE]: 'personalizationValue',
  [RealmClaimKey.HASH_ALGO_ID]: 'hashAlgoId',
  [RealmClaimKey.PUBLIC_KEY]: 'publicKey',
  [RealmClaimKey.INITIAL_MEASUREMENT]: 'initialMeasurement',
  [RealmClaimKey.EXTENSIBLE_MEASUREMENTS]: 'extensibleMeasurements',
  [RealmClaimKey.PUBLIC_KEY_HASH_ALGO_ID]: 'publicKeyHashAlgoId',
};

const RealmRecord = t.intersection([
  t.type({
    challenge: bstr([64]),
    personalizationValue: bstr([64]),
    initialMeasurement: bstr(HASH_SIZES),
    extensibleMeasurements: arrayOf(bstr(HASH_SIZES), 4, 4),
    hashAlgoId: oneOfText(HASH_ALGO_IDS),
    publicKey: bstr(),
    publicKeyHashAlgoId: oneOfText(HASH_ALGO_IDS),
  }),
  t.partial({ profile: literalText(REALM_PROFILE) }),
]);

/** io-ts codec of a decoded Realm claim map (a CBOR `Map`), field by field (DEN0137 A7.2.3.1.9). @category Measurement & attestation */
export const RealmClaimsCodec: t.Decoder<unknown, RealmTokenClaims> = claimMap(RealmRecord, realmNames);

/** The RIM and REMs have the size of the Realm hash algorithm (DEN0137 A7.2.3.1.4–6). */
function measurementSizesAgree(c: RealmTokenClaims): E.Either<string, RealmTokenClaims> {
  const size = hashAlgoIdSize(c.hashAlgoId);
  if (c.initialMeasurement.length !== size) {
    return E.left(`initialMeasurement: expected ${size} bytes for ${c.hashAlgoId}, got ${c.initialMeasurement.length}`);
  }
  const bad = c.extensibleMeasurements.findIndex((m) => m.length !== size);
  if (bad >= 0) {
    return E.left(`extensibleMeasurements.${bad}: expected ${size} bytes for ${c.hashAlgoId}, got ${c.extensibleMeasurements[bad]?.length ?? 0}`);
  }
  return E.right(c);
}

/** Checks an already CBOR-decoded Realm claim map (DEN0137 A7.2.3.1). @category Measurement & attestation */
export function realmClaimsFromMap(u: unknown): E.Either<string, RealmTokenClaims> {
  const c = decodeWith(RealmClaimsCodec, u);
  return E.isLeft(c) ? c : measurementSizesAgree(c.right);
}

/** Decodes and checks a Realm token payload; a Left names the offending claims (DEN0137 A7.2.3.1). @category Measurement & attestation */
export function decodeRealmClaims(payload: Uint8Array): E.Either<string, RealmTokenClaims> {
  const item = decodeCbor(payload);
  return E.isLeft(item) ? E.left(`payload: ${item.left}`) : realmClaimsFromMap(item.right);
}
