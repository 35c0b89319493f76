/**
 * The CCA attestation token (DEN0137 A7.2): COSE_Sign1 / ES384 and the RAK COSE_Key, the Realm
 * token and the CCA token collection the RMM emits, the CCA platform token's claim schema, and a
 * verifier for the whole chain. Pure: no I/O, no clock, no randomness; signatures are RFC 6979.
 *
 * @packageDocumentation
 */
export {
  COSE_ALG_ES384,
  COSE_SIGN1_TAG,
  P384_BYTES,
  coseSign1,
  coseSign1Verify,
  decodeCoseKeyP384,
  decodeCoseSign1,
  encodeCoseKeyP384,
  p384PublicKey,
  sigStructure1,
  verifyCoseSign1,
  type CoseError,
  type CoseErrorKind,
  type CoseSign1,
} from './cose.js';
export {
  CCA_TOKEN_TAG,
  CcaCollectionKey,
  RAK_HASH_ALGO,
  REALM_PROFILE,
  RealmClaimKey,
  buildCcaToken,
  ccaToken,
  HASH_ALGO_IDS,
  HASH_SIZES,
  hashAlgoIdSize,
  hashWith,
  isHashAlgoId,
  realmHashAlgoName,
  realmTokenPayload,
  signRealmToken,
  type AttestationPort,
  type HashAlgoId,
  type RealmClaims,
  type RealmHashAlgo,
} from './token.js';
export {
  PLATFORM_PROFILE,
  PlatformClaimKey,
  PlatformClaimsCodec,
  PlatformLifecycle,
  SwComponentKey,
  decodePlatformClaims,
  isPlatformLifecycle,
  LifecycleCodec,
  platformTokenPayload,
  type PlatformClaims,
  type SwComponent,
} from './platform.js';
export { RealmClaimsCodec, decodeRealmClaims, realmClaimsFromMap, type RealmTokenClaims } from './realm-claims.js';
export {
  iakPublicKeyBytes,
  verifyCcaToken,
  type CcaTokenClaims,
  type CcaTokenError,
  type CcaTokenErrorKind,
  type CcaTrustAnchor,
} from './verify.js';
