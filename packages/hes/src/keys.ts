/**
 * The HES's attestation keys, derived from a seed so that an emulated boot is reproducible.
 * Both keys are ECC P-384, as the CCA platform token and the Realm token need (DEN0137 A7.2.3).
 *
 * Derivation, for label L in {"IAK", "RAK"}:
 *
 *     okm = HKDF-SHA-384(IKM = seed, salt = "realmspec-hes-v1", info = "realmspec HES <L> P-384", L = 72 bytes)
 *     key = (OS2IP(okm) mod (n − 1)) + 1        (noble's mapHashToField; FIPS 186-5 A.2.1)
 *
 * 72 bytes is 48 + 24: the modular reduction's bias is below 2^-192. A real HES keeps the IAK in
 * OTP and draws a fresh RAK each boot; here both are functions of the seed.
 *
 * @packageDocumentation
 */
import { hkdfSync } from 'node:crypto';
import { p384 } from '@noble/curves/nist.js';
import { mapHashToField } from '@noble/curves/abstract/modular.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The seed `bootHes` uses when none is given: the 32 bytes 0x00, 0x01, ..., 0x1f. */
export const DEFAULT_SEED: Uint8Array = Uint8Array.from({ length: 32 }, (_, i) => i);

/** HKDF salt of every derivation. */
export const KEY_DERIVATION_SALT = 'realmspec-hes-v1';

/** Which key to derive. */
export type KeyLabel = 'IAK' | 'RAK';

/** A P-384 key pair. */
export interface P384KeyPair {
  /** The private scalar, 48 bytes big-endian, in [1, n − 1]. */
  readonly privateKey: Uint8Array;
  /** The public key, an uncompressed SEC1 point (97 bytes, first byte 0x04). */
  readonly publicKey: Uint8Array;
}

// -------------------------------------------------------------------------------------
// derivation
// -------------------------------------------------------------------------------------

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The HKDF info string of `label`. */
export function keyDerivationInfo(label: KeyLabel): string {
  return `realmspec HES ${label} P-384`;
}

/** Derives the P-384 key pair `label` from `seed` (see the module documentation). */
export function deriveP384Key(seed: Uint8Array, label: KeyLabel): P384KeyPair {
  // DECISION D-HES: HKDF-SHA-384 from the seed, reduced into [1, n-1].
  const okm = new Uint8Array(hkdfSync('sha384', seed, utf8(KEY_DERIVATION_SALT), utf8(keyDerivationInfo(label)), p384.lengths.seed ?? 72));
  const privateKey = mapHashToField(okm, p384.Point.Fn.ORDER);
  return { privateKey, publicKey: p384.getPublicKey(privateKey, false) };
}
