import { createECDH, createHash, createPublicKey, hkdfSync, verify } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { Tag, cbor } from '../../core/test/support/cbor.js';
import { buildCcaToken, verifyCcaToken, type RealmClaims } from '@realmspec/core';
import { DEFAULT_SEED, FIRMWARE_IMAGES, IMPLEMENTATION_ID, bootHes, bootMeasurements, deriveP384Key } from '../src/index.js';

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const sha256 = (b: Uint8Array | string): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest());
const P384_N = BigInt('0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973');

/** The derivation documented in keys.ts, redone with node:crypto and bigint arithmetic. */
function expectedScalar(seed: Uint8Array, label: string): Uint8Array {
  const okm = Buffer.from(hkdfSync('sha384', seed, 'realmspec-hes-v1', `realmspec HES ${label} P-384`, 72));
  const k = (BigInt('0x' + okm.toString('hex')) % (P384_N - 1n)) + 1n;
  return new Uint8Array(Buffer.from(k.toString(16).padStart(96, '0'), 'hex'));
}

/** The public point of a scalar, computed by OpenSSL. */
function publicOf(priv: Uint8Array): Uint8Array {
  const e = createECDH('secp384r1');
  e.setPrivateKey(priv);
  return new Uint8Array(e.getPublicKey());
}

function sigStructure(prot: Uint8Array, payload: Uint8Array): Uint8Array {
  const head = (n: number): number[] => (n < 24 ? [0x40 + n] : n < 256 ? [0x58, n] : [0x59, n >> 8, n & 0xff]);
  return new Uint8Array([0x84, 0x6a, ...Buffer.from('Signature1'), ...head(prot.length), ...prot, 0x40, ...head(payload.length), ...payload]);
}

const SEED_A = new Uint8Array(32).fill(0xa5);
const SEED_B = new Uint8Array(32).fill(0x5a);

describe('key derivation', () => {
  it('follows the documented HKDF-SHA-384 + reduction, independently recomputed', () => {
    for (const label of ['IAK', 'RAK'] as const) {
      const k = deriveP384Key(SEED_A, label);
      expect(toHex(k.privateKey)).toBe(toHex(expectedScalar(SEED_A, label)));
      expect(toHex(k.publicKey)).toBe(toHex(publicOf(k.privateKey)));
      expect(k.publicKey.length).toBe(97);
    }
    expect(toHex(deriveP384Key(SEED_A, 'IAK').privateKey)).not.toBe(toHex(deriveP384Key(SEED_A, 'RAK').privateKey));
  });

  it('uses the documented default seed 00..1f', () => {
    expect(toHex(DEFAULT_SEED)).toBe('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    expect(toHex(bootHes().iakPublicKey)).toBe(toHex(publicOf(expectedScalar(DEFAULT_SEED, 'IAK'))));
  });
});

describe('bootHes', () => {
  const a1 = bootHes({ seed: SEED_A });
  const a2 = bootHes({ seed: SEED_A });
  const b = bootHes({ seed: SEED_B });
  const challenge = new Uint8Array(32).fill(7);

  it('same seed: same keys and byte-identical platform tokens and ports', () => {
    expect(toHex(a2.iakPublicKey)).toBe(toHex(a1.iakPublicKey));
    expect(toHex(a2.rakPublicKey)).toBe(toHex(a1.rakPublicKey));
    expect(toHex(a2.platformToken(challenge))).toBe(toHex(a1.platformToken(challenge)));
    const [p1, p2] = [a1.attestationPort(), a2.attestationPort()];
    expect(toHex(p2.rakPrivateKey)).toBe(toHex(p1.rakPrivateKey));
    expect(toHex(p2.platformToken)).toBe(toHex(p1.platformToken));
  });

  it('different seed: different keys, instance id and tokens', () => {
    expect(toHex(b.iakPublicKey)).not.toBe(toHex(a1.iakPublicKey));
    expect(toHex(b.rakPublicKey)).not.toBe(toHex(a1.rakPublicKey));
    expect(toHex(b.instanceId)).not.toBe(toHex(a1.instanceId));
    expect(toHex(b.platformToken(challenge))).not.toBe(toHex(a1.platformToken(challenge)));
    expect(toHex(b.attestationPort().rakPrivateKey)).not.toBe(toHex(a1.attestationPort().rakPrivateKey));
  });

  it('exports the IAK as SPKI PEM that node:crypto parses to the same point', () => {
    const pem = a1.iakPublicPem();
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const key = createPublicKey(pem);
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    const jwk = key.export({ format: 'jwk' });
    const point = new Uint8Array([0x04, ...Buffer.from(jwk.x ?? '', 'base64url'), ...Buffer.from(jwk.y ?? '', 'base64url')]);
    expect(toHex(point)).toBe(toHex(a1.iakPublicKey));
    expect(a1.iakPublicKey[0]).toBe(0x04);
  });

  it('issues platform tokens signed by the IAK with every claim of A7.2.3.2', () => {
    const token = a1.platformToken(challenge);
    const cose = cbor.decode(token) as Tag;
    expect(cose.tag).toBe(18);
    const [prot, , payload, sig] = cose.value as Uint8Array[];
    const key = createPublicKey(a1.iakPublicPem());
    expect(verify('sha384', sigStructure(prot as Uint8Array, payload as Uint8Array), { key, dsaEncoding: 'ieee-p1363' }, sig as Uint8Array)).toBe(true);
    const c = cbor.decode(payload as Uint8Array) as Map<number, unknown>;
    expect([...c.keys()]).toEqual([10, 256, 265, 2395, 2396, 2399, 2401, 2402]);
    expect(c.get(265)).toBe('tag:arm.com,2023:cca_platform#1.0.0');
    expect(toHex(c.get(10) as Uint8Array)).toBe(toHex(challenge));
    expect(toHex(c.get(2396) as Uint8Array)).toBe(toHex(sha256('realmspec emulated HES CCA platform v1')));
    expect(toHex(c.get(2396) as Uint8Array)).toBe(toHex(IMPLEMENTATION_ID));
    expect(toHex(c.get(256) as Uint8Array)).toBe('01' + toHex(sha256(a1.iakPublicKey)));
    expect(toHex(c.get(2401) as Uint8Array)).toBe('00000000');
    expect(c.get(2395)).toBe(0x3000);
    expect(c.get(2402)).toBe('sha-256');
    const sw = c.get(2399) as Array<Map<number, unknown>>;
    expect(sw.map((m) => m.get(1))).toEqual(FIRMWARE_IMAGES.map((i) => i.type));
    for (const [i, m] of sw.entries()) {
      expect([...m.keys()]).toEqual([1, 2, 4, 5, 6]);
      const img = FIRMWARE_IMAGES[i];
      expect(toHex(m.get(2) as Uint8Array)).toBe(toHex(sha256(`realmspec emulated firmware image|${img?.type}|${img?.version}`)));
      expect(toHex(m.get(5) as Uint8Array)).toBe(toHex(sha256(`realmspec emulated signing key|${img?.signer}`)));
      expect(m.get(6)).toBe('sha-256');
    }
  });

  it('reports the fixed boot chain, independent of the seed', () => {
    expect(bootMeasurements.map((m) => m.type)).toContain('RMM');
    expect(bootMeasurements.map((m) => m.type)).toContain('AP_BL31');
    expect(bootMeasurements.map((m) => m.type)).toContain('SCP_BL2');
    expect(a1.bootMeasurements.map((m) => toHex(m.measurementValue))).toEqual(b.bootMeasurements.map((m) => toHex(m.measurementValue)));
    expect(new Set(bootMeasurements.map((m) => toHex(m.measurementValue))).size).toBe(bootMeasurements.length);
  });

  it('honours lifecycle, platform config and verification service options', () => {
    const h = bootHes({ seed: SEED_A, lifecycle: 0x5001, platformConfig: new Uint8Array([0xcf]), verificationService: 'https://verifier.example/' });
    const c = cbor.decode((cbor.decode(h.platformToken(new Uint8Array(48))) as Tag).value[2]) as Map<number, unknown>;
    expect(c.get(2395)).toBe(0x5001);
    expect(toHex(c.get(2401) as Uint8Array)).toBe('cf');
    expect(c.get(2400)).toBe('https://verifier.example/');
    expect(toHex(h.iakPublicKey)).toBe(toHex(a1.iakPublicKey));
  });

  it('rejects challenges that are not 32, 48 or 64 bytes', () => {
    expect(() => a1.platformToken(new Uint8Array(33))).toThrow(RangeError);
    expect(() => a1.platformToken(new Uint8Array(0))).toThrow(RangeError);
  });

  it('hands the RMM a port whose platform token is bound to SHA-256 of the RAK COSE_Key', () => {
    const port = a1.attestationPort();
    expect(port.rakPrivateKey.length).toBe(48);
    const payload = (cbor.decode(port.platformToken) as Tag).value[2] as Uint8Array;
    expect(toHex((cbor.decode(payload) as Map<number, Uint8Array>).get(10) as Uint8Array)).toBe(toHex(sha256(port.rakPublicKey)));
    const rak = cbor.decode(port.rakPublicKey) as Map<number, Uint8Array>;
    const point = publicOf(port.rakPrivateKey);
    expect(toHex(rak.get(-2) as Uint8Array)).toBe(toHex(point.subarray(1, 49)));
    expect(toHex(rak.get(-3) as Uint8Array)).toBe(toHex(point.subarray(49)));
  });
});

describe('HES and core together', () => {
  const claims: RealmClaims = {
    challenge: new Uint8Array(64).fill(0x11),
    rpv: new Uint8Array(64).fill(0x22),
    rim: new Uint8Array(64).fill(0x33),
    rems: [0x44, 0x55, 0x66, 0x77].map((v) => new Uint8Array(64).fill(v)),
    hashAlgo: 'sha-512',
  };

  it('a token built from the HES port verifies against the HES IAK (raw and PEM)', () => {
    const hes = bootHes();
    const token = buildCcaToken(hes.attestationPort(), claims);
    for (const iakPublicKey of [hes.iakPublicKey, hes.iakPublicPem()]) {
      const r = verifyCcaToken(token, { iakPublicKey });
      if (E.isLeft(r)) throw new Error(`${r.left.kind}: ${r.left.detail}`);
      expect(r.right.platform.swComponents.map((s) => s.type)).toEqual(FIRMWARE_IMAGES.map((i) => i.type));
      expect(toHex(r.right.realm.initialMeasurement)).toBe('33'.repeat(64));
      expect(toHex(r.right.platform.instanceId)).toBe(toHex(hes.instanceId));
    }
    expect(toHex(buildCcaToken(bootHes().attestationPort(), claims))).toBe(toHex(token));
  });

  it('a token from one HES does not verify against another', () => {
    const token = buildCcaToken(bootHes({ seed: SEED_A }).attestationPort(), claims);
    const r = verifyCcaToken(token, { iakPublicKey: bootHes({ seed: SEED_B }).iakPublicKey });
    expect(E.isLeft(r) && r.left.kind).toBe('platform-signature');
  });
});
