/**
 * Verifying a CCA attestation token against the platform's IAK (DEN0137 A7.2.3): the whole
 * chain, from the collection's outer tag to the Realm claims. Any byte string gives a value:
 * the decoded claims, or an error naming the first link of the chain that does not hold.
 *
 * @packageDocumentation
 */
import { createPublicKey } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { Tagged, bytesEqual, decodeCbor, isBytes, isCborMap } from './cbor.js';
import { decodeCoseKeyP384, decodeCoseSign1, p384PublicKey, verifyCoseSign1, type CoseError } from './cose.js';
import { decodePlatformClaims, type PlatformClaims } from './platform.js';
import { realmClaimsFromMap, type RealmTokenClaims } from './realm-claims.js';
import { CCA_TOKEN_TAG, CcaCollectionKey, RealmClaimKey, hashWith, isHashAlgoId, type HashAlgoId } from './token.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The link of the token's chain that failed (DEN0137 A7.2.3). @category Measurement & attestation */
export type CcaTokenErrorKind =
  /** The token is not a byte array. */
  | 'input'
  /** The IAK given as trust anchor is not a P-384 public key. */
  | 'trust-anchor'
  /** The token is not one well-formed CBOR item. */
  | 'cbor'
  /** Not tag 399 over a map holding exactly the platform token (44234) and the Realm token (44241) as byte strings. */
  | 'collection'
  /** The platform token is not a tagged ES384 COSE_Sign1. */
  | 'platform-cose'
  /** The platform token's signature does not verify with the IAK. */
  | 'platform-signature'
  /** A platform claim is missing or ill-typed (A7.2.3.2). */
  | 'platform-claims'
  /** The Realm token is not a tagged ES384 COSE_Sign1. */
  | 'realm-cose'
  /** The Realm public key claim is not a P-384 COSE_Key. */
  | 'realm-key'
  /** The platform challenge is not the hash of the Realm public key claim. */
  | 'binding'
  /** The Realm token's signature does not verify with the RAK. */
  | 'realm-signature'
  /** A Realm claim is missing or ill-typed (A7.2.3.1). */
  | 'realm-claims';

/** Why a CCA token was rejected (DEN0137 A7.2.3). @category Measurement & attestation */
export interface CcaTokenError {
  readonly kind: CcaTokenErrorKind;
  /** What was wrong, naming the member or claim. */
  readonly detail: string;
}

/** What a verifier trusts: the platform's Initial Attestation Key (DEN0137 A7.2.3.2). @category Measurement & attestation */
export interface CcaTrustAnchor {
  /** The IAK public key: a SEC1 P-384 point (97 or 49 bytes) or an SPKI PEM text. */
  readonly iakPublicKey: Uint8Array | string;
}

/** The claims of a verified CCA token (DEN0137 A7.2.3). @category Measurement & attestation */
export interface CcaTokenClaims {
  /** The CCA platform token's claims. */
  readonly platform: PlatformClaims;
  /** The Realm token's claims. */
  readonly realm: RealmTokenClaims;
  /** The RAK as an uncompressed SEC1 point (97 bytes), from the Realm public key claim. */
  readonly rakPublicKey: Uint8Array;
}


function fail<A>(kind: CcaTokenErrorKind, detail: string): E.Either<CcaTokenError, A> {
  return E.left({ kind, detail });
}

function coseDetail(e: CoseError): string {
  return `${e.kind}: ${e.detail}`;
}

// -------------------------------------------------------------------------------------
// steps
// -------------------------------------------------------------------------------------

/** The IAK as an uncompressed SEC1 point, from raw bytes or an SPKI PEM (DEN0137 A7.2.3.2). @category Measurement & attestation */
export function iakPublicKeyBytes(key: Uint8Array | string): E.Either<CcaTokenError, Uint8Array> {
  let raw: Uint8Array;
  if (typeof key === 'string') {
    try {
      const k = createPublicKey(key);
      if (k.asymmetricKeyType !== 'ec' || k.asymmetricKeyDetails?.namedCurve !== 'secp384r1') {
        return fail('trust-anchor', `iakPublicKey: expected a P-384 EC key, got ${k.asymmetricKeyType ?? 'an unknown key'}`);
      }
      const jwk = k.export({ format: 'jwk' });
      const x = Buffer.from(jwk.x ?? '', 'base64url');
      const y = Buffer.from(jwk.y ?? '', 'base64url');
      raw = new Uint8Array([0x04, ...x, ...y]);
    } catch (e) {
      return fail('trust-anchor', `iakPublicKey: not a PEM public key: ${e instanceof Error ? e.message : String(e)}`);
    }
  } else if (key instanceof Uint8Array) {
    raw = key;
  } else {
    return fail('trust-anchor', 'iakPublicKey: expected a Uint8Array or a PEM string');
  }
  const point = p384PublicKey(raw);
  return E.isLeft(point) ? fail('trust-anchor', `iakPublicKey: ${point.left.detail}`) : point;
}

/** The two tokens of a CCA token collection (DEN0137 A7.2.3). */
function collection(item: unknown): E.Either<CcaTokenError, { platform: Uint8Array; realm: Uint8Array }> {
  if (!(item instanceof Tagged) || item.tag !== CCA_TOKEN_TAG) return fail('collection', 'expected CBOR tag 399');
  const m: unknown = item.value;
  if (!isCborMap(m)) return fail('collection', 'tag 399: expected a map');
  const platform = m.get(CcaCollectionKey.PLATFORM_TOKEN);
  const realm = m.get(CcaCollectionKey.REALM_TOKEN);
  if (!isBytes(platform)) return fail('collection', '44234 (platform token): expected a byte string');
  if (!isBytes(realm)) return fail('collection', '44241 (Realm token): expected a byte string');
  if (m.size !== 2) return fail('collection', `expected exactly the members 44234 and 44241, got ${m.size} members`);
  return E.right({ platform, realm });
}

// -------------------------------------------------------------------------------------
// verification
// -------------------------------------------------------------------------------------

/**
 * Verifies a CCA attestation token (DEN0137 A7.2.3) against `trustAnchor`: the collection's
 * shape; the platform token's ES384 signature with the IAK and its claims (A7.2.3.2); the Realm
 * public key claim as a P-384 COSE_Key; the binding (platform challenge = H(Realm public key
 * claim), H named by claim 44240; A7.2.3.2.2); the Realm token's signature with that key; and
 * the Realm claims (A7.2.3.1). Never throws.
 * @category Measurement & attestation
 */
export function verifyCcaToken(token: Uint8Array, trustAnchor: CcaTrustAnchor): E.Either<CcaTokenError, CcaTokenClaims> {
  // DECISION D-VERIFY: the acceptance rules are listed in spec/DECISIONS.md.
  if (!(token instanceof Uint8Array)) return fail('input', 'token: expected a Uint8Array');
  const iak = iakPublicKeyBytes((trustAnchor as CcaTrustAnchor | undefined)?.iakPublicKey ?? '');
  if (E.isLeft(iak)) return iak;

  const outer = decodeCbor(token, [CCA_TOKEN_TAG]);
  if (E.isLeft(outer)) return fail('cbor', outer.left);
  const parts = collection(outer.right);
  if (E.isLeft(parts)) return parts;

  // The platform token, signed by the IAK (A7.2.3.2).
  const pmsg = decodeCoseSign1(parts.right.platform);
  if (E.isLeft(pmsg)) return fail('platform-cose', coseDetail(pmsg.left));
  const pverified = verifyCoseSign1(pmsg.right, iak.right);
  if (E.isLeft(pverified)) return fail('platform-signature', coseDetail(pverified.left));
  const platform = decodePlatformClaims(pverified.right);
  if (E.isLeft(platform)) return fail('platform-claims', platform.left);

  // The Realm token and the key that should have signed it (A7.2.3.1.7).
  const rmsg = decodeCoseSign1(parts.right.realm);
  if (E.isLeft(rmsg)) return fail('realm-cose', coseDetail(rmsg.left));
  const rmap = decodeCbor(rmsg.right.payload);
  if (E.isLeft(rmap)) return fail('realm-claims', `payload: ${rmap.left}`);
  if (!isCborMap(rmap.right)) return fail('realm-claims', 'payload: expected a claim map');
  const keyBytes = rmap.right.get(RealmClaimKey.PUBLIC_KEY);
  if (!isBytes(keyBytes)) return fail('realm-key', 'publicKey (44237): expected a byte string');
  const rak = decodeCoseKeyP384(keyBytes);
  if (E.isLeft(rak)) return fail('realm-key', `publicKey (44237): ${coseDetail(rak.left)}`);

  // The binding: the platform vouches for exactly this RAK (A7.2.3.2.2, A7.2.3.1.8).
  const hashId = rmap.right.get(RealmClaimKey.PUBLIC_KEY_HASH_ALGO_ID);
  if (!isHashAlgoId(hashId)) {
    return fail('binding', `publicKeyHashAlgoId (44240): expected "sha-256", "sha-384" or "sha-512", got ${JSON.stringify(String(hashId))}`);
  }
  if (!bytesEqual(hashWith(hashId as HashAlgoId, keyBytes), platform.right.challenge)) {
    return fail('binding', `platform challenge is not ${hashId} of the Realm public key claim`);
  }

  const rverified = verifyCoseSign1(rmsg.right, rak.right);
  if (E.isLeft(rverified)) return fail('realm-signature', coseDetail(rverified.left));
  const realm = realmClaimsFromMap(rmap.right);
  if (E.isLeft(realm)) return fail('realm-claims', realm.left);

  return E.right({ platform: platform.right, realm: realm.right, rakPublicKey: rak.right });
}
