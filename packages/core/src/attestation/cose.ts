/**
 * COSE for the CCA attestation token (DEN0137 A7.2.3): COSE_Sign1 (RFC 9052 §4.2) signed with
 * ES384 (RFC 9053 §2.1: ECDSA over P-384 with SHA-384) and the P-384 COSE_Key (RFC 9052 §7,
 * RFC 9053 §7.1.1) that carries the Realm Attestation Key in the Realm token.
 *
 * Signatures are deterministic (RFC 6979), so the same payload and key always give the same
 * bytes; the signature is the raw `r ‖ s` pair, 48 bytes each (RFC 9053 §2.1).
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import { p384 } from '@noble/curves/nist.js';
import { InternalError } from '../internal/errors.js';
import { Tagged, decodeCbor, encodeCbor, isBytes, isCborMap } from './cbor.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** COSE algorithm ES384, ECDSA with SHA-384 (RFC 9053 §2.1; DEN0137 A7.2.3). @category Measurement & attestation */
export const COSE_ALG_ES384 = -35;
/** CBOR tag of COSE_Sign1_Tagged (RFC 9052 §4.2; DEN0137 A7.2.3). @category Measurement & attestation */
export const COSE_SIGN1_TAG = 18;
/** Bytes of one P-384 coordinate or scalar (DEN0137 A7.2.3.1, RAK). @category Measurement & attestation */
export const P384_BYTES = 48;

/** What made a COSE structure unacceptable (RFC 9052 §4.2, §7; DEN0137 A7.2.3). @category Measurement & attestation */
export type CoseErrorKind = 'malformed' | 'untagged' | 'wrong-alg' | 'bad-key' | 'bad-signature';

/** A COSE decoding or verification failure (DEN0137 A7.2.3). @category Measurement & attestation */
export interface CoseError {
  readonly kind: CoseErrorKind;
  /** What was wrong, naming the member. */
  readonly detail: string;
}

/** A decoded COSE_Sign1 whose signature has not been checked (RFC 9052 §4.2; DEN0137 A7.2.3). @category Measurement & attestation */
export interface CoseSign1 {
  /** The protected header bucket exactly as encoded (a bstr's contents). */
  readonly protectedBytes: Uint8Array;
  /** The algorithm of the protected header (always {@link COSE_ALG_ES384} once decoded). */
  readonly alg: number;
  /** The unprotected header bucket. */
  readonly unprotected: ReadonlyMap<unknown, unknown>;
  /** The payload (attached; detached payloads are rejected). */
  readonly payload: Uint8Array;
  /** The signature, `r ‖ s`. */
  readonly signature: Uint8Array;
}

// COSE header and key labels (RFC 9052 §3.1, §7.1; RFC 9053 §7.1.1).
const HDR_ALG = 1;
const HDR_CRIT = 2;
const KEY_KTY = 1;
const KEY_ALG = 3;
const KEY_CRV = -1;
const KEY_X = -2;
const KEY_Y = -3;
const KEY_D = -4;
const KTY_EC2 = 2;
const CRV_P384 = 2;

/** The protected header of every token we sign: `{1: -35}`, nothing else. */
const PROTECTED_ES384: Uint8Array = encodeCbor(new Map([[HDR_ALG, COSE_ALG_ES384]]));

const EMPTY = new Uint8Array(0);

function fail<A>(kind: CoseErrorKind, detail: string): E.Either<CoseError, A> {
  return E.left({ kind, detail });
}

// -------------------------------------------------------------------------------------
// COSE_Sign1
// -------------------------------------------------------------------------------------

/** The `Sig_structure` a COSE_Sign1 signs: `["Signature1", protected, h'', payload]` (RFC 9052 §4.4; DEN0137 A7.2.3). @category Measurement & attestation */
export function sigStructure1(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  return encodeCbor(['Signature1', protectedBytes, EMPTY, payload]);
}

/**
 * Signs `payload` with the P-384 scalar `privateKey` (48 bytes): a tagged COSE_Sign1 with
 * protected header `{1: -35}`, an empty unprotected header and an RFC 6979 signature
 * (DEN0137 A7.2.3). A bad key is a caller bug and throws.
 * @category Measurement & attestation
 */
export function coseSign1(payload: Uint8Array, privateKey: Uint8Array): Uint8Array {
  const signature = es384Sign(sigStructure1(PROTECTED_ES384, payload), privateKey);
  return encodeCbor(new Tagged(COSE_SIGN1_TAG, [PROTECTED_ES384, new Map(), payload, signature]));
}

/**
 * ES384 over `message`: ECDSA P-384 with SHA-384 and the RFC 6979 nonce, as raw `r ‖ s`
 * (RFC 9053 §2.1). `s` is not normalised to the low half (COSE does not ask for it), so the
 * result is exactly RFC 6979's. A bad key is a caller bug and throws.
 *
 * @internal
 */
export function es384Sign(message: Uint8Array, privateKey: Uint8Array): Uint8Array {
  // DECISION D-COSE: RFC 6979 nonces, no low-S normalisation.
  if (privateKey.length !== P384_BYTES || !p384.utils.isValidSecretKey(privateKey)) {
    throw new InternalError('es384Sign: the signing key is not a P-384 scalar in [1, n-1]');
  }
  return p384.sign(message, privateKey, { prehash: true, lowS: false, format: 'compact' });
}

function decodeProtected(bytes: Uint8Array): E.Either<CoseError, ReadonlyMap<unknown, unknown>> {
  if (bytes.length === 0) return E.right(new Map());
  const m = decodeCbor(bytes);
  if (E.isLeft(m)) return fail('malformed', `protected header: ${m.left}`);
  if (!isCborMap(m.right)) return fail('malformed', 'protected header: expected a map');
  return E.right(m.right);
}

/** Decodes a tagged COSE_Sign1 whose algorithm is ES384, without checking the signature (RFC 9052 §4.2; DEN0137 A7.2.3). @category Measurement & attestation */
export function decodeCoseSign1(bytes: Uint8Array): E.Either<CoseError, CoseSign1> {
  const item = decodeCbor(bytes, [COSE_SIGN1_TAG]);
  if (E.isLeft(item)) return fail('malformed', `COSE_Sign1: ${item.left}`);
  const tagged = item.right;
  if (!(tagged instanceof Tagged)) return fail('untagged', 'COSE_Sign1: expected CBOR tag 18');
  const arr: unknown = tagged.value;
  if (!Array.isArray(arr) || arr.length !== 4) return fail('malformed', 'COSE_Sign1: expected an array of 4 members');
  const [prot, unprot, payload, signature] = arr as unknown[];
  if (!isBytes(prot)) return fail('malformed', 'COSE_Sign1.protected: expected a byte string');
  if (!isCborMap(unprot)) return fail('malformed', 'COSE_Sign1.unprotected: expected a map');
  if (!isBytes(payload)) return fail('malformed', 'COSE_Sign1.payload: expected an attached byte string');
  if (!isBytes(signature)) return fail('malformed', 'COSE_Sign1.signature: expected a byte string');
  const header = decodeProtected(prot);
  if (E.isLeft(header)) return header;
  if (header.right.has(HDR_CRIT)) return fail('malformed', 'protected header: critical headers are not supported');
  if (unprot.has(HDR_ALG)) return fail('malformed', 'unprotected header: alg must be protected');
  const alg = header.right.get(HDR_ALG);
  if (alg !== COSE_ALG_ES384) return fail('wrong-alg', `protected header alg: expected -35 (ES384), got ${String(alg)}`);
  return E.right({ protectedBytes: prot, alg, unprotected: unprot, payload, signature });
}

/** A SEC1 P-384 public key (compressed or not) as its 97-byte uncompressed point, if on the curve (DEN0137 A7.2.3.1.7). @category Measurement & attestation */
export function p384PublicKey(publicKey: Uint8Array): E.Either<CoseError, Uint8Array> {
  try {
    return E.right(p384.Point.fromBytes(publicKey).toBytes(false));
  } catch (e) {
    return fail('bad-key', `not a P-384 point: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Checks the ES384 signature of a decoded COSE_Sign1 with a SEC1 P-384 public key (RFC 9052 §4.4; DEN0137 A7.2.3). @category Measurement & attestation */
export function verifyCoseSign1(msg: CoseSign1, publicKey: Uint8Array): E.Either<CoseError, Uint8Array> {
  const key = p384PublicKey(publicKey);
  if (E.isLeft(key)) return key;
  if (msg.signature.length !== 2 * P384_BYTES) {
    return fail('bad-signature', `signature: expected ${2 * P384_BYTES} bytes, got ${msg.signature.length}`);
  }
  let ok: boolean;
  try {
    ok = p384.verify(msg.signature, sigStructure1(msg.protectedBytes, msg.payload), key.right, { prehash: true, lowS: false, format: 'compact' });
  } catch {
    ok = false;
  }
  return ok ? E.right(msg.payload) : fail('bad-signature', 'signature does not verify');
}

/** Decodes a tagged ES384 COSE_Sign1 and verifies it with `publicKey` (SEC1); the payload on success (DEN0137 A7.2.3). @category Measurement & attestation */
export function coseSign1Verify(bytes: Uint8Array, publicKey: Uint8Array): E.Either<CoseError, Uint8Array> {
  const msg = decodeCoseSign1(bytes);
  return E.isLeft(msg) ? msg : verifyCoseSign1(msg.right, publicKey);
}

// -------------------------------------------------------------------------------------
// COSE_Key
// -------------------------------------------------------------------------------------

/**
 * The P-384 public key `publicKey` (SEC1, compressed or not) as COSE_Key bytes (DEN0137
 * A7.2.3.1, Realm public key claim). The member set is the minimal one RFC 9053 §7.1.1
 * requires for an EC2 public key: kty (1) = EC2 (2), crv (−1) = P-384 (2), x (−2) and y (−3),
 * each 48 bytes. No alg, kid or key_ops: the spec names none, the signature algorithm is fixed
 * by the token's own protected header, and TF-RMM's key encoder writes exactly these four
 * members in this order, so the bytes (and hence the platform challenge, their hash) agree.
 * @category Measurement & attestation
 */
export function encodeCoseKeyP384(publicKey: Uint8Array): Uint8Array {
  // DECISION D-COSE-KEY: exactly kty, crv, x, y.
  const raw = p384PublicKey(publicKey);
  if (E.isLeft(raw)) throw new InternalError(`encodeCoseKeyP384: ${raw.left.detail}`);
  const x = raw.right.slice(1, 1 + P384_BYTES);
  const y = raw.right.slice(1 + P384_BYTES);
  return encodeCbor(
    new Map<number, number | Uint8Array>([
      [KEY_KTY, KTY_EC2],
      [KEY_CRV, CRV_P384],
      [KEY_X, x],
      [KEY_Y, y],
    ]),
  );
}

/**
 * Decodes a P-384 COSE_Key to its 97-byte uncompressed SEC1 point (DEN0137 A7.2.3.1). Accepts
 * extra members (kid, key_ops...) but requires kty EC2, crv P-384, 48-byte x and y byte
 * strings, alg ES384 if present, no private part, and a point on the curve.
 * @category Measurement & attestation
 */
export function decodeCoseKeyP384(bytes: Uint8Array): E.Either<CoseError, Uint8Array> {
  const item = decodeCbor(bytes);
  if (E.isLeft(item)) return fail('malformed', `COSE_Key: ${item.left}`);
  const m = item.right;
  if (!isCborMap(m)) return fail('malformed', 'COSE_Key: expected a map');
  if (m.get(KEY_KTY) !== KTY_EC2) return fail('bad-key', `COSE_Key.kty: expected 2 (EC2), got ${String(m.get(KEY_KTY))}`);
  if (m.get(KEY_CRV) !== CRV_P384) return fail('bad-key', `COSE_Key.crv: expected 2 (P-384), got ${String(m.get(KEY_CRV))}`);
  if (m.has(KEY_ALG) && m.get(KEY_ALG) !== COSE_ALG_ES384) return fail('wrong-alg', `COSE_Key.alg: expected -35 (ES384), got ${String(m.get(KEY_ALG))}`);
  if (m.has(KEY_D)) return fail('bad-key', 'COSE_Key.d: a public key must not carry the private scalar');
  const x = m.get(KEY_X);
  const y = m.get(KEY_Y);
  if (!isBytes(x) || x.length !== P384_BYTES) return fail('bad-key', 'COSE_Key.x: expected a 48-byte byte string');
  if (!isBytes(y) || y.length !== P384_BYTES) return fail('bad-key', 'COSE_Key.y: expected a 48-byte byte string (compressed points are not supported)');
  const point = new Uint8Array(1 + 2 * P384_BYTES);
  point[0] = 0x04;
  point.set(x, 1);
  point.set(y, 1 + P384_BYTES);
  return p384PublicKey(point);
}
