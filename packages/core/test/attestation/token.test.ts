import { createPublicKey, verify } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { Tag, cbor } from '../support/cbor.js';
import {
  buildCcaToken,
  ccaToken,
  platformTokenPayload,
  realmHashAlgoName,
  realmTokenPayload,
  signRealmToken,
  type RealmClaims,
} from '../../src/attestation/index.js';
import { HashAlgorithm } from '../../src/model/realm.js';
import { toHex, bytes, sha256, RAK, RAK_COSE, platformClaims, PORT } from './fixtures.js';

// ---- fixtures: fixed keys, a platform token made here (not by @realmspec/hes) ----------


/** A 64-byte measurement slot holding `size` meaningful bytes, zero-filled above. */
const slot = (size: number, seed: number): Uint8Array => bytes(64, (i) => (i < size ? seed + 7 * i : 0));

function claims(hashAlgo: 'sha-256' | 'sha-512'): RealmClaims {
  const size = hashAlgo === 'sha-256' ? 32 : 64;
  return {
    challenge: bytes(64, (i) => 3 * i),
    rpv: bytes(64, (i) => 0x80 ^ i),
    rim: slot(size, 1),
    rems: [slot(size, 2), slot(size, 3), slot(size, 4), slot(size, 5)],
    hashAlgo,
  };
}

function jwk(point: Uint8Array): { kty: string; crv: string; x: string; y: string } {
  const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
  return { kty: 'EC', crv: 'P-384', x: b64(point.subarray(1, 49)), y: b64(point.subarray(49, 97)) };
}

/** Sig_structure ["Signature1", protected, h'', payload] re-encoded by hand. */
function sigStructure(prot: Uint8Array, payload: Uint8Array): Uint8Array {
  const head = (n: number): number[] => (n < 24 ? [0x40 + n] : n < 256 ? [0x58, n] : [0x59, n >> 8, n & 0xff]);
  return new Uint8Array([0x84, 0x6a, ...Buffer.from('Signature1'), ...head(prot.length), ...prot, 0x40, ...head(payload.length), ...payload]);
}

// ---- tests -----------------------------------------------------------------------

describe('CCA token (DEN0137 A7.2.3), decoded with cbor2', () => {
  for (const algo of ['sha-256', 'sha-512'] as const) {
    describe(algo, () => {
      const c = claims(algo);
      const size = algo === 'sha-256' ? 32 : 64;
      const token = buildCcaToken(PORT, c);

      it('is tag 399 over {44234: platform token, 44241: Realm token}, both byte strings', () => {
        expect(toHex(token.subarray(0, 6))).toBe('d9018fa219ac'); // tag 399, map(2), key 0xACCA...
        const outer = cbor.decode(token) as Tag;
        expect(outer.tag).toBe(399);
        const m = outer.value as Map<number, Uint8Array>;
        expect([...m.keys()]).toEqual([44234, 44241]);
        expect(toHex(m.get(44234) as Uint8Array)).toBe(toHex(PORT.platformToken));
        expect(toHex(m.get(44241) as Uint8Array)).toBe(toHex(signRealmToken(c, PORT)));
      });

      it('carries every Realm claim with the right value', () => {
        const realm = cbor.decode((cbor.decode(token) as Tag).value.get(44241)) as Tag;
        expect(realm.tag).toBe(18);
        const [prot, unprot, payload] = realm.value as [Uint8Array, Map<unknown, unknown>, Uint8Array];
        expect(toHex(prot)).toBe('a1013822');
        expect(unprot.size).toBe(0);
        const p = cbor.decode(payload) as Map<number, unknown>;
        expect([...p.keys()]).toEqual([10, 265, 44235, 44236, 44237, 44238, 44239, 44240]);
        expect(toHex(p.get(10) as Uint8Array)).toBe(toHex(c.challenge));
        expect(p.get(265)).toBe('tag:arm.com,2023:realm#1.0.0');
        expect(toHex(p.get(44235) as Uint8Array)).toBe(toHex(c.rpv));
        expect(p.get(44236)).toBe(algo);
        expect(toHex(p.get(44237) as Uint8Array)).toBe(toHex(RAK_COSE));
        expect((p.get(44238) as Uint8Array).length).toBe(size);
        expect(toHex(p.get(44238) as Uint8Array)).toBe(toHex(c.rim.subarray(0, size)));
        const rems = p.get(44239) as Uint8Array[];
        expect(rems.length).toBe(4);
        rems.forEach((r, i) => expect(toHex(r)).toBe(toHex((c.rems[i] as Uint8Array).subarray(0, size))));
        expect(p.get(44240)).toBe('sha-256');
      });

      it('has a Realm signature node:crypto verifies with the RAK', () => {
        const realm = cbor.decode(signRealmToken(c, PORT)) as Tag;
        const [prot, , payload, sig] = realm.value as Uint8Array[];
        const key = createPublicKey({ key: jwk(RAK.pub), format: 'jwk' });
        expect(verify('sha384', sigStructure(prot as Uint8Array, payload as Uint8Array), { key, dsaEncoding: 'ieee-p1363' }, sig as Uint8Array)).toBe(true);
      });

      it('is byte-identical when built twice, and changes with the challenge', () => {
        expect(toHex(buildCcaToken(PORT, claims(algo)))).toBe(toHex(token));
        const other = { ...c, challenge: bytes(64, (i) => 3 * i + 1) };
        expect(toHex(buildCcaToken(PORT, other))).not.toBe(toHex(token));
      });
    });
  }

  it('encodes the Realm payload deterministically: map(8), challenge first', () => {
    const p = realmTokenPayload(claims('sha-256'), RAK_COSE);
    expect(toHex(p.subarray(0, 3))).toBe('a80a58');
    expect(p[3]).toBe(64);
    expect(toHex(realmTokenPayload(claims('sha-256'), RAK_COSE))).toBe(toHex(p));
  });

  it('takes hash-size measurements as well as 64-byte slots', () => {
    const c = claims('sha-256');
    const short = { ...c, rim: c.rim.slice(0, 32), rems: c.rems.map((r) => r.slice(0, 32)) };
    expect(toHex(realmTokenPayload(short, RAK_COSE))).toBe(toHex(realmTokenPayload(c, RAK_COSE)));
  });

  it('throws on claims of the wrong shape (a model bug)', () => {
    const c = claims('sha-256');
    expect(() => realmTokenPayload({ ...c, challenge: new Uint8Array(63) }, RAK_COSE)).toThrow(/challenge/);
    expect(() => realmTokenPayload({ ...c, rpv: new Uint8Array(32) }, RAK_COSE)).toThrow(/rpv/);
    expect(() => realmTokenPayload({ ...c, rems: c.rems.slice(0, 3) }, RAK_COSE)).toThrow(/REMs/);
    expect(() => realmTokenPayload({ ...c, rim: new Uint8Array(48) }, RAK_COSE)).toThrow(/rim/);
    expect(() => realmTokenPayload(c, new Uint8Array([0xa0]))).toThrow(/COSE_Key/);
  });

  it('ccaToken wraps any two byte strings', () => {
    expect(toHex(ccaToken(new Uint8Array([1]), new Uint8Array([2, 3])))).toBe('d9018fa219acca410119acd1420203');
  });

  it('names the Realm hash algorithms', () => {
    expect(realmHashAlgoName(HashAlgorithm.SHA_256)).toBe('sha-256');
    expect(realmHashAlgoName(HashAlgorithm.SHA_512)).toBe('sha-512');
  });
});

describe('CCA platform claims (DEN0137 A7.2.3.2)', () => {
  it('encodes every claim under its key', () => {
    const pc = platformClaims(sha256(RAK_COSE));
    const p = cbor.decode(platformTokenPayload({ ...pc, verificationService: 'https://verifier.example' })) as Map<number, unknown>;
    expect([...p.keys()]).toEqual([10, 256, 265, 2395, 2396, 2399, 2400, 2401, 2402]);
    expect(p.get(265)).toBe('tag:arm.com,2023:cca_platform#1.0.0');
    expect(toHex(p.get(10) as Uint8Array)).toBe(toHex(sha256(RAK_COSE)));
    expect((p.get(256) as Uint8Array)[0]).toBe(1);
    expect(p.get(2395)).toBe(0x3000);
    expect(p.get(2400)).toBe('https://verifier.example');
    const [sw] = p.get(2399) as Array<Map<number, unknown>>;
    expect([...(sw as Map<number, unknown>).keys()]).toEqual([1, 2, 4, 5, 6]);
    expect(sw?.get(1)).toBe('RMM');
    expect(sw?.get(6)).toBe('sha-256');
  });

  it('throws on ill-formed platform claims', () => {
    const pc = platformClaims(sha256(RAK_COSE));
    expect(() => platformTokenPayload({ ...pc, instanceId: new Uint8Array(33) })).toThrow(/instanceId/);
    expect(() => platformTokenPayload({ ...pc, lifecycle: 0x3100 })).toThrow(/lifecycle/);
    expect(() => platformTokenPayload({ ...pc, swComponents: [] })).toThrow(/swComponents/);
    expect(() => platformTokenPayload({ ...pc, challenge: new Uint8Array(20) })).toThrow(/challenge/);
  });
});
