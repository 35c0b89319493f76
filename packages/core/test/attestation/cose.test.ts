import { createECDH, createPublicKey, verify } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { Tag, cbor, enc } from '../support/cbor.js';
import {
  COSE_ALG_ES384,
  coseSign1,
  coseSign1Verify,
  decodeCoseKeyP384,
  decodeCoseSign1,
  encodeCoseKeyP384,
} from '../../src/attestation/index.js';
import { es384Sign } from '../../src/attestation/cose.js';

// cbor2, not cborg: an independent decoder and encoder for the checks.
const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

const KEY = Uint8Array.from({ length: 48 }, (_, i) => i + 1);
const ecdh = createECDH('secp384r1');
ecdh.setPrivateKey(KEY);
const PUB = new Uint8Array(ecdh.getPublicKey()); // uncompressed SEC1, computed by OpenSSL

function otherPub(): Uint8Array {
  const e = createECDH('secp384r1');
  e.setPrivateKey(Uint8Array.from({ length: 48 }, (_, i) => 0x40 + i));
  return new Uint8Array(e.getPublicKey());
}

/** A CBOR byte string header, written by hand (major type 2). */
function bstrHeader(n: number): number[] {
  if (n < 24) return [0x40 + n];
  if (n < 256) return [0x58, n];
  return [0x59, n >> 8, n & 0xff];
}

/** Sig_structure for ES384 with protected {1: -35}, built byte by byte (RFC 9052 §4.4). */
function sigStructureByHand(payload: Uint8Array): Uint8Array {
  return new Uint8Array([
    0x84,
    0x6a,
    ...Buffer.from('Signature1'),
    0x44, 0xa1, 0x01, 0x38, 0x22,
    0x40,
    ...bstrHeader(payload.length),
    ...payload,
  ]);
}

const PAYLOAD = new TextEncoder().encode('realmspec COSE_Sign1 test payload');

describe('ES384 (RFC 9053 §2.1)', () => {
  it('reproduces the RFC 6979 A.2.6 P-384/SHA-384 vector for "sample" (deterministic, not low-S)', () => {
    const x = hex('6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D896D5724E4C70A825F872C9EA60D2EDF5');
    const sig = es384Sign(new TextEncoder().encode('sample'), x);
    expect(toHex(sig).toUpperCase()).toBe(
      '94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C81A648152E44ACF96E36DD1E80FABE46' +
        '99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94FA329C145786E679E7B82C71A38628AC8',
    );
  });

  it('throws on a key that is not a P-384 scalar', () => {
    expect(() => es384Sign(PAYLOAD, new Uint8Array(48))).toThrow(/P-384 scalar/);
    expect(() => es384Sign(PAYLOAD, new Uint8Array(32).fill(1))).toThrow(/P-384 scalar/);
  });
});

describe('coseSign1 (RFC 9052 §4.2)', () => {
  const msg = coseSign1(PAYLOAD, KEY);

  it('is tag 18 over [h\'a10138 22\', {}, payload, 96-byte signature]', () => {
    const d = cbor.decode(msg) as Tag;
    expect(d).toBeInstanceOf(Tag);
    expect(d.tag).toBe(18);
    const [prot, unprot, payload, sig] = d.value as [Uint8Array, Map<unknown, unknown>, Uint8Array, Uint8Array];
    expect((d.value as unknown[]).length).toBe(4);
    expect(toHex(prot)).toBe('a1013822');
    expect(unprot).toBeInstanceOf(Map);
    expect(unprot.size).toBe(0);
    expect(toHex(payload)).toBe(toHex(PAYLOAD));
    expect(sig.length).toBe(96);
    expect(toHex(msg.subarray(0, 7))).toBe('d28444a1013822');
  });

  it('has a signature node:crypto accepts over the hand-built Sig_structure', () => {
    const sig = (cbor.decode(msg) as Tag).value[3] as Uint8Array;
    const key = createPublicKey({ key: spkiJwk(PUB), format: 'jwk' });
    expect(verify('sha384', sigStructureByHand(PAYLOAD), { key, dsaEncoding: 'ieee-p1363' }, sig)).toBe(true);
    expect(verify('sha384', sigStructureByHand(new Uint8Array([1])), { key, dsaEncoding: 'ieee-p1363' }, sig)).toBe(false);
  });

  it('is deterministic', () => {
    expect(toHex(coseSign1(PAYLOAD, KEY))).toBe(toHex(msg));
    expect(toHex(coseSign1(new Uint8Array([1]), KEY))).not.toBe(toHex(msg));
  });

  it('verifies with the right key and returns the payload', () => {
    const r = coseSign1Verify(msg, PUB);
    expect(E.isRight(r) && toHex(r.right)).toBe(toHex(PAYLOAD));
  });

  it('rejects the wrong key, a changed signature and a changed payload', () => {
    expect(coseSign1Verify(msg, otherPub())).toEqual(E.left({ kind: 'bad-signature', detail: 'signature does not verify' }));
    const d = cbor.decode(msg) as Tag;
    const [prot, , payload, sig] = d.value as Uint8Array[];
    const badSig = new Uint8Array(sig as Uint8Array);
    badSig[95] = (badSig[95] as number) ^ 1;
    const rebuilt = (p: Uint8Array, s: Uint8Array): Uint8Array => enc.encode(new Tag([prot, new Map(), p, s], 18));
    expect(E.isLeft(coseSign1Verify(rebuilt(payload as Uint8Array, badSig), PUB))).toBe(true);
    expect(coseSign1Verify(rebuilt(new Uint8Array([9]), sig as Uint8Array), PUB)).toMatchObject(E.left({ kind: 'bad-signature' }));
    // Sanity: re-encoding by cbor2 gives a message that still verifies.
    expect(E.isRight(coseSign1Verify(rebuilt(payload as Uint8Array, sig as Uint8Array), PUB))).toBe(true);
  });

  it('rejects a wrong algorithm, a missing tag, critical headers and malformed structures', () => {
    const sig = new Uint8Array(96);
    const withProt = (prot: Map<number, unknown>): Uint8Array => enc.encode(new Tag([enc.encode(prot), new Map(), PAYLOAD, sig], 18));
    expect(decodeCoseSign1(withProt(new Map([[1, -7]])))).toMatchObject(E.left({ kind: 'wrong-alg' }));
    expect(decodeCoseSign1(enc.encode(new Tag([new Uint8Array(0), new Map(), PAYLOAD, sig], 18)))).toMatchObject(E.left({ kind: 'wrong-alg' }));
    expect(decodeCoseSign1(withProt(new Map<number, unknown>([[1, -35], [2, [99]]])))).toMatchObject(E.left({ kind: 'malformed' }));
    expect(decodeCoseSign1(enc.encode([hex('a1013822'), new Map(), PAYLOAD, sig]))).toMatchObject(E.left({ kind: 'untagged' }));
    expect(decodeCoseSign1(enc.encode(new Tag([hex('a1013822'), new Map(), null, sig], 18)))).toMatchObject(E.left({ kind: 'malformed' }));
    expect(decodeCoseSign1(enc.encode(new Tag([hex('a1013822'), new Map([[1, -35]]), PAYLOAD, sig], 18)))).toMatchObject(E.left({ kind: 'malformed' }));
    expect(decodeCoseSign1(enc.encode(new Tag([hex('a1013822'), new Map(), PAYLOAD], 18)))).toMatchObject(E.left({ kind: 'malformed' }));
    expect(decodeCoseSign1(new Uint8Array([0xd2, 0x84]))).toMatchObject(E.left({ kind: 'malformed' }));
    expect(decodeCoseSign1(new Uint8Array([]))).toMatchObject(E.left({ kind: 'malformed' }));
    const ok = decodeCoseSign1(msg);
    expect(E.isRight(ok) && ok.right.alg).toBe(COSE_ALG_ES384);
    expect(coseSign1Verify(msg, new Uint8Array(97))).toMatchObject(E.left({ kind: 'bad-key' }));
  });
});

function spkiJwk(point: Uint8Array): { kty: string; crv: string; x: string; y: string } {
  const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
  return { kty: 'EC', crv: 'P-384', x: b64(point.subarray(1, 49)), y: b64(point.subarray(49, 97)) };
}

describe('P-384 COSE_Key (RFC 9053 §7.1.1)', () => {
  const coseKey = encodeCoseKeyP384(PUB);

  it('holds exactly kty EC2, crv P-384, x and y, in deterministic order', () => {
    const m = cbor.decode(coseKey) as Map<number, unknown>;
    expect([...m.keys()]).toEqual([1, -1, -2, -3]);
    expect(m.get(1)).toBe(2);
    expect(m.get(-1)).toBe(2);
    expect(toHex(m.get(-2) as Uint8Array)).toBe(toHex(PUB.subarray(1, 49)));
    expect(toHex(m.get(-3) as Uint8Array)).toBe(toHex(PUB.subarray(49)));
    expect(toHex(coseKey)).toBe('a4' + '0102' + '2002' + '215830' + toHex(PUB.subarray(1, 49)) + '225830' + toHex(PUB.subarray(49)));
    expect(coseKey.length).toBe(107);
  });

  it('encodes a compressed point to the same bytes', () => {
    const compressed = new Uint8Array(ecdh.getPublicKey(undefined, 'compressed'));
    expect(toHex(encodeCoseKeyP384(compressed))).toBe(toHex(coseKey));
  });

  it('decodes back to the uncompressed point', () => {
    const r = decodeCoseKeyP384(coseKey);
    expect(E.isRight(r) && toHex(r.right)).toBe(toHex(PUB));
  });

  it('accepts extra members kid and alg ES384', () => {
    const m = new Map<number, unknown>([[1, 2], [2, new Uint8Array([7])], [3, -35], [-1, 2], [-2, PUB.subarray(1, 49)], [-3, PUB.subarray(49)]]);
    const r = decodeCoseKeyP384(enc.encode(m));
    expect(E.isRight(r) && toHex(r.right)).toBe(toHex(PUB));
  });

  it('rejects the wrong kty, curve, alg, a private part, short coordinates and points off the curve', () => {
    const base = (): Map<number, unknown> => new Map<number, unknown>([[1, 2], [-1, 2], [-2, PUB.subarray(1, 49)], [-3, PUB.subarray(49)]]);
    const variant = (f: (m: Map<number, unknown>) => void): Uint8Array => {
      const m = base();
      f(m);
      return enc.encode(m);
    };
    expect(decodeCoseKeyP384(variant((m) => m.set(1, 1)))).toMatchObject(E.left({ kind: 'bad-key' }));
    expect(decodeCoseKeyP384(variant((m) => m.set(-1, 1)))).toMatchObject(E.left({ kind: 'bad-key' }));
    expect(decodeCoseKeyP384(variant((m) => m.set(3, -7)))).toMatchObject(E.left({ kind: 'wrong-alg' }));
    expect(decodeCoseKeyP384(variant((m) => m.set(-4, KEY)))).toMatchObject(E.left({ kind: 'bad-key' }));
    expect(decodeCoseKeyP384(variant((m) => m.set(-2, PUB.subarray(1, 48))))).toMatchObject(E.left({ kind: 'bad-key' }));
    expect(decodeCoseKeyP384(variant((m) => m.set(-3, true)))).toMatchObject(E.left({ kind: 'bad-key' }));
    const offCurve = new Uint8Array(PUB.subarray(49));
    offCurve[47] = (offCurve[47] as number) ^ 1;
    expect(decodeCoseKeyP384(variant((m) => m.set(-3, offCurve)))).toMatchObject(E.left({ kind: 'bad-key' }));
    expect(decodeCoseKeyP384(enc.encode([1, 2]))).toMatchObject(E.left({ kind: 'malformed' }));
    expect(decodeCoseKeyP384(new Uint8Array([0xa4, 0x01]))).toMatchObject(E.left({ kind: 'malformed' }));
  });

  it('throws when asked to encode something that is not a P-384 point', () => {
    expect(() => encodeCoseKeyP384(new Uint8Array(97))).toThrow(/encodeCoseKeyP384/);
  });
});
