import { createECDH, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { Tag, enc } from '../support/cbor.js';
import {
  PLATFORM_PROFILE,
  buildCcaToken,
  ccaToken,
  coseSign1,
  encodeCoseKeyP384,
  signRealmToken,
  verifyCcaToken,
  type CcaTokenError,
  type RealmClaims,
} from '../../src/attestation/index.js';
import { toHex, bytes, sha256, keyPair, IAK, RAK, RAK_COSE, platformToken, PORT } from './fixtures.js';
import { runs } from '../support/runs.js';

// ---- fixtures -------------------------------------------------------------------

const OTHER = keyPair(0x81);

const CLAIMS: RealmClaims = {
  challenge: bytes(64, (i) => 3 * i),
  rpv: bytes(64, (i) => 0x80 ^ i),
  rim: bytes(32, (i) => i + 1),
  rems: [1, 2, 3, 4].map((k) => bytes(32, (i) => k * 16 + i)),
  hashAlgo: 'sha-256',
};

const TOKEN = buildCcaToken(PORT, CLAIMS);
const ANCHOR = { iakPublicKey: IAK.pub };

function pem(point: Uint8Array): string {
  const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
  const key = createPublicKey({ key: { kty: 'EC', crv: 'P-384', x: b64(point.subarray(1, 49)), y: b64(point.subarray(49)) }, format: 'jwk' });
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

/** A Realm token whose payload is `claims` encoded by cbor2, signed with `key`. */
function realmTokenOf(claims: Map<number, unknown>, key = RAK.priv): Uint8Array {
  return coseSign1(enc.encode(claims), key);
}

function realmMap(patch: (m: Map<number, unknown>) => void): Map<number, unknown> {
  const m = new Map<number, unknown>([
    [10, Buffer.from(CLAIMS.challenge)],
    [44235, Buffer.from(CLAIMS.rpv)],
    [44236, 'sha-256'],
    [44237, Buffer.from(RAK_COSE)],
    [44238, Buffer.from(CLAIMS.rim)],
    [44239, CLAIMS.rems.map((r) => Buffer.from(r))],
    [44240, 'sha-256'],
  ]);
  patch(m);
  return m;
}

function kindOf(r: E.Either<CcaTokenError, unknown>): string {
  return E.isLeft(r) ? r.left.kind : 'ok';
}

// ---- tests -----------------------------------------------------------------------

describe('verifyCcaToken (DEN0137 A7.2.3)', () => {
  it('accepts a good token and returns every claim', () => {
    const r = verifyCcaToken(TOKEN, ANCHOR);
    if (E.isLeft(r)) throw new Error(`${r.left.kind}: ${r.left.detail}`);
    const { platform, realm, rakPublicKey } = r.right;
    expect(toHex(realm.challenge)).toBe(toHex(CLAIMS.challenge));
    expect(toHex(realm.personalizationValue)).toBe(toHex(CLAIMS.rpv));
    expect(toHex(realm.initialMeasurement)).toBe(toHex(CLAIMS.rim));
    expect(realm.extensibleMeasurements.map(toHex)).toEqual(CLAIMS.rems.map(toHex));
    expect(realm.hashAlgoId).toBe('sha-256');
    expect(realm.publicKeyHashAlgoId).toBe('sha-256');
    expect(realm.profile).toBe('tag:arm.com,2023:realm#1.0.0');
    expect(toHex(realm.publicKey)).toBe(toHex(RAK_COSE));
    expect(toHex(rakPublicKey)).toBe(toHex(RAK.pub));
    expect(platform.profile).toBe(PLATFORM_PROFILE);
    expect(toHex(platform.challenge)).toBe(toHex(sha256(RAK_COSE)));
    expect(platform.lifecycle).toBe(0x3000);
    expect(toHex(platform.instanceId)).toBe('01' + toHex(sha256(IAK.pub)));
    expect(platform.swComponents).toHaveLength(1);
    expect(platform.swComponents[0]?.type).toBe('RMM');
    expect(platform.verificationService).toBeUndefined();
  });

  it('accepts the IAK as SPKI PEM and as a compressed point', () => {
    expect(kindOf(verifyCcaToken(TOKEN, { iakPublicKey: pem(IAK.pub) }))).toBe('ok');
    const e = createECDH('secp384r1');
    e.setPrivateKey(IAK.priv);
    expect(kindOf(verifyCcaToken(TOKEN, { iakPublicKey: new Uint8Array(e.getPublicKey(undefined, 'compressed')) }))).toBe('ok');
  });

  it('rejects any single flipped bit, and never throws', () => {
    fc.assert(
      fc.property(fc.nat({ max: TOKEN.length - 1 }), fc.nat({ max: 7 }), (at, bit) => {
        const t = TOKEN.slice();
        t[at] = (t[at] as number) ^ (1 << bit);
        expect(E.isLeft(verifyCcaToken(t, ANCHOR))).toBe(true);
      }),
      { seed: 42, numRuns: runs(400) },
    );
  });

  it('rejects every truncation and any extension with kind "cbor"', () => {
    for (let n = 0; n < TOKEN.length; n++) expect(kindOf(verifyCcaToken(TOKEN.subarray(0, n), ANCHOR))).toBe('cbor');
    expect(kindOf(verifyCcaToken(new Uint8Array([...TOKEN, 0]), ANCHOR))).toBe('cbor');
  });

  it('rejects random bytes without throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (b) => {
        expect(E.isLeft(verifyCcaToken(b, ANCHOR))).toBe(true);
      }),
      { seed: 42, numRuns: runs(500) },
    );
  });

  it('rejects deeply nested CBOR (stack exhaustion is a Left too)', () => {
    const deep = new Uint8Array(200_001).fill(0x81); // [[[[...0...]]]]
    deep[200_000] = 0;
    expect(kindOf(verifyCcaToken(deep, ANCHOR))).toBe('cbor');
    expect(kindOf(verifyCcaToken(new Uint8Array([0xd9, 0x01, 0x8f, ...deep]), ANCHOR))).toBe('cbor');
  });

  it('rejects a token checked against another IAK', () => {
    expect(verifyCcaToken(TOKEN, { iakPublicKey: OTHER.pub })).toEqual(E.left({ kind: 'platform-signature', detail: 'bad-signature: signature does not verify' }));
  });

  it('rejects a platform token issued for another RAK (binding)', () => {
    const t = ccaToken(platformToken(sha256(encodeCoseKeyP384(OTHER.pub))), signRealmToken(CLAIMS, PORT));
    expect(kindOf(verifyCcaToken(t, ANCHOR))).toBe('binding');
  });

  it('rejects a Realm token that names the RAK but is signed by another key', () => {
    const t = ccaToken(PORT.platformToken, signRealmToken(CLAIMS, { ...PORT, rakPrivateKey: OTHER.priv }));
    expect(kindOf(verifyCcaToken(t, ANCHOR))).toBe('realm-signature');
  });

  it('rejects a token whose Realm key claim is another key, even if self-consistently signed', () => {
    const port = { ...PORT, rakPrivateKey: OTHER.priv, rakPublicKey: encodeCoseKeyP384(OTHER.pub) };
    expect(kindOf(verifyCcaToken(buildCcaToken(port, CLAIMS), ANCHOR))).toBe('binding');
  });

  it('rejects ill-formed Realm claims under a valid signature, naming the claim', () => {
    const check = (patch: (m: Map<number, unknown>) => void, field: RegExp): void => {
      const r = verifyCcaToken(ccaToken(PORT.platformToken, realmTokenOf(realmMap(patch))), ANCHOR);
      expect(kindOf(r)).toBe('realm-claims');
      expect(E.isLeft(r) && r.left.detail).toMatch(field);
    };
    expect(kindOf(verifyCcaToken(ccaToken(PORT.platformToken, realmTokenOf(realmMap(() => undefined))), ANCHOR))).toBe('ok');
    check((m) => m.set(10, Buffer.alloc(32)), /^challenge: expected a 64-byte byte string/);
    check((m) => m.delete(44235), /personalizationValue/);
    check((m) => m.set(44238, Buffer.alloc(64)), /initialMeasurement: expected 32 bytes for sha-256/);
    check((m) => m.set(44239, CLAIMS.rems.slice(0, 3).map((r) => Buffer.from(r))), /extensibleMeasurements: expected an array of exactly 4/);
    // Each REM has the hash algorithm's size (A7.2.3.1.6): a 64-byte REM 2 under SHA-256 is named.
    check((m) => m.set(44239, CLAIMS.rems.map((r, k) => Buffer.from(k === 2 ? new Uint8Array(64) : r))), /^extensibleMeasurements\.2: expected 32 bytes for sha-256, got 64/);
    check((m) => m.set(44236, 'md5'), /hashAlgoId/);
    check((m) => m.set(265, 'tag:example.com,2023:other'), /profile/);
  });

  it('rejects a broken Realm key claim and a bad key hash algorithm', () => {
    const v = (patch: (m: Map<number, unknown>) => void): string => kindOf(verifyCcaToken(ccaToken(PORT.platformToken, realmTokenOf(realmMap(patch))), ANCHOR));
    expect(v((m) => m.set(44237, 'not bytes'))).toBe('realm-key');
    expect(v((m) => m.set(44237, Buffer.from([0xa0])))).toBe('realm-key');
    expect(v((m) => m.set(44240, 'sha-1'))).toBe('binding');
    expect(v((m) => m.set(44240, 'sha-512'))).toBe('binding');
  });

  it('rejects ill-formed platform claims under a valid IAK signature', () => {
    const bad = (patch: (m: Map<number, unknown>) => void): E.Either<CcaTokenError, unknown> => {
      const m = new Map<number, unknown>([
        [265, PLATFORM_PROFILE],
        [10, Buffer.from(sha256(RAK_COSE))],
        [2396, Buffer.alloc(32, 1)],
        [256, Buffer.from([0x01, ...sha256(IAK.pub)])],
        [2401, Buffer.alloc(4)],
        [2395, 0x3000],
        [2399, [new Map<number, unknown>([[2, Buffer.alloc(32)], [5, Buffer.alloc(32)]])]],
        [2402, 'sha-256'],
      ]);
      patch(m);
      return verifyCcaToken(ccaToken(coseSign1(enc.encode(m), IAK.priv), signRealmToken(CLAIMS, PORT)), ANCHOR);
    };
    expect(kindOf(bad(() => undefined))).toBe('ok');
    const detail = (r: E.Either<CcaTokenError, unknown>): string => (E.isLeft(r) ? `${r.left.kind} ${r.left.detail}` : 'ok');
    expect(detail(bad((m) => m.set(256, Buffer.alloc(33, 2))))).toMatch(/^platform-claims instanceId: expected a 33-byte byte string whose first byte is 0x01/);
    expect(detail(bad((m) => m.delete(2402)))).toMatch(/^platform-claims hashAlgoId/);
    expect(detail(bad((m) => m.set(2395, 0x3100)))).toMatch(/^platform-claims lifecycle/);
    expect(detail(bad((m) => m.set(2399, [])))).toMatch(/^platform-claims swComponents/);
    expect(detail(bad((m) => m.set(2399, [new Map([[2, Buffer.alloc(32)]])])))).toMatch(/^platform-claims swComponents\.0\.signerId/);
    expect(detail(bad((m) => m.set(265, 'tag:arm.com,2023:realm#1.0.0')))).toMatch(/^platform-claims profile/);
    // The optional verification service (claim 2400) is a text string when present.
    expect(detail(bad((m) => m.set(2400, 'https://verifier.example')))).toBe('ok');
    expect(detail(bad((m) => m.set(2400, 5)))).toMatch(/^platform-claims verificationService/);
  });

  it('rejects collections of the wrong shape', () => {
    const p = PORT.platformToken;
    const r = signRealmToken(CLAIMS, PORT);
    const tagged = (v: unknown, tag = 399): Uint8Array => enc.encode(new Tag(v, tag));
    expect(kindOf(verifyCcaToken(tagged(new Map([[44234, Buffer.from(p)]])), ANCHOR))).toBe('collection');
    // Both members present, one not a byte string (C1.31: each is a bstr-wrapped COSE_Sign1).
    expect(kindOf(verifyCcaToken(tagged(new Map<number, unknown>([[44234, Buffer.from(p)], [44241, 7]])), ANCHOR))).toBe('collection');
    expect(kindOf(verifyCcaToken(tagged(new Map<number, unknown>([[44234, 'text'], [44241, Buffer.from(r)]])), ANCHOR))).toBe('collection');
    expect(kindOf(verifyCcaToken(tagged(new Map<number, unknown>([[44234, Buffer.from(p)], [44241, Buffer.from(r)], [1, 0]])), ANCHOR))).toBe('collection');
    expect(kindOf(verifyCcaToken(tagged([Buffer.from(p), Buffer.from(r)]), ANCHOR))).toBe('collection');
    expect(kindOf(verifyCcaToken(enc.encode(new Map([[44234, Buffer.from(p)], [44241, Buffer.from(r)]])), ANCHOR))).toBe('collection');
    expect(kindOf(verifyCcaToken(tagged(new Map([[44234, Buffer.from(p)], [44241, Buffer.from(r)]]), 400), ANCHOR))).toBe('cbor');
    expect(kindOf(verifyCcaToken(ccaToken(r, p), ANCHOR))).toBe('platform-signature');
    expect(kindOf(verifyCcaToken(ccaToken(new Uint8Array([1, 2]), r), ANCHOR))).toBe('platform-cose');
    expect(kindOf(verifyCcaToken(ccaToken(p, new Uint8Array([0x40])), ANCHOR))).toBe('realm-cose');
    expect(kindOf(verifyCcaToken(tagged(new Map([[44234, Buffer.from(p)], [44241, Buffer.from(r)]])), ANCHOR))).toBe('ok');
  });

  it('rejects bad trust anchors and bad input types', () => {
    expect(kindOf(verifyCcaToken(TOKEN, { iakPublicKey: 'not a PEM' }))).toBe('trust-anchor');
    expect(kindOf(verifyCcaToken(TOKEN, { iakPublicKey: new Uint8Array(97) }))).toBe('trust-anchor');
    const e = createECDH('prime256v1');
    e.setPrivateKey(bytes(32, (i) => i + 1));
    const pt = e.getPublicKey();
    const jwk = { kty: 'EC', crv: 'P-256', x: pt.subarray(1, 33).toString('base64url'), y: pt.subarray(33).toString('base64url') };
    const p256 = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
    expect(kindOf(verifyCcaToken(TOKEN, { iakPublicKey: p256 }))).toBe('trust-anchor');
    // The message names the key type it got (an Ed25519 key here), so a user sees what was wrong.
    const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const r = verifyCcaToken(TOKEN, { iakPublicKey: ed });
    expect(E.isLeft(r) ? [r.left.kind, r.left.detail] : []).toEqual(['trust-anchor', 'iakPublicKey: expected a P-384 EC key, got ed25519']);
    expect(kindOf(verifyCcaToken('token' as unknown as Uint8Array, ANCHOR))).toBe('input');
  });
});
