/**
 * Fixtures of the attestation tests: fixed P-384 keys (the public halves computed by node:crypto,
 * independently of the code under test), a platform token made here (not by @realmspec/hes), and
 * the port the RMM would receive.
 */
import { createECDH, createHash } from 'node:crypto';
import { PLATFORM_PROFILE, coseSign1, encodeCoseKeyP384, platformTokenPayload, type AttestationPort, type PlatformClaims } from '../../src/attestation/index.js';

/** Hex of some bytes. */
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
/** `n` bytes, byte `i` being `f(i) & 0xff`. */
export const bytes = (n: number, f: (i: number) => number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => f(i) & 0xff);
/** SHA-256 with node:crypto. */
export const sha256 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest());

/** A P-384 key pair whose private key is the bytes first, first+1, ...; the public key by node:crypto. */
export function keyPair(first: number): { priv: Uint8Array; pub: Uint8Array } {
  const priv = bytes(48, (i) => first + i);
  const e = createECDH('secp384r1');
  e.setPrivateKey(priv);
  return { priv, pub: new Uint8Array(e.getPublicKey()) };
}

/** The platform's attestation key. */
export const IAK = keyPair(0x01);
/** The Realm attestation key. */
export const RAK = keyPair(0x41);
/** The RAK as COSE_Key bytes. */
export const RAK_COSE = encodeCoseKeyP384(RAK.pub);

/** Platform claims for `challenge`. */
export function platformClaims(challenge: Uint8Array): PlatformClaims {
  return {
    profile: PLATFORM_PROFILE,
    challenge,
    implementationId: bytes(32, (i) => 0xa0 + i),
    instanceId: new Uint8Array([0x01, ...sha256(IAK.pub)]),
    config: new Uint8Array([0, 0, 0, 0]),
    lifecycle: 0x3000,
    swComponents: [{ type: 'RMM', measurementValue: bytes(32, (i) => i), version: '1.0.0', signerId: bytes(32, (i) => 0xff - i), hashAlgoId: 'sha-256' }],
    hashAlgoId: 'sha-256',
  };
}

/** A platform token for `challenge`, signed with `iak`. */
export const platformToken = (challenge: Uint8Array, iak = IAK.priv): Uint8Array => coseSign1(platformTokenPayload(platformClaims(challenge)), iak);

/** What EL3 would hand the RMM: the RAK and a platform token bound to it. */
export const PORT: AttestationPort = { rakPrivateKey: RAK.priv, rakPublicKey: RAK_COSE, platformToken: platformToken(sha256(RAK_COSE)) };
