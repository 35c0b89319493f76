/**
 * Symbolic measurements (DECISIONS D-SYMBOLIC-MEASURE): the platform's digest primitive, the
 * platform parameter that selects it, and the model's RIM and REM in symbolic mode, computed by
 * both the apply side and the post-conditions (checked mode, on in every test) with the same
 * primitive over their own descriptor images. The MurmurHash3 x86_128 vectors were computed
 * outside this code base, by a Python transcription of the reference C code.
 */
import { describe, expect, it } from 'vitest';
import {
  decodePlatform,
  defaultPlatform,
  granuleIndex,
  HashAlgorithm,
  initialState,
  makePlatform,
  measurementDigest,
  runRec,
  shaDigest,
  stateKey,
  symbolicDigest,
  withMeasurementMode,
  encodeStruct,
  RmiRealmParams,
  RmiRecEnter,
  type RmmState,
} from '../src/index.js';
import { G, R, delegate, ok, realmParamsFields, withRec, write } from './support/fixtures.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const page = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7 + 3) & 0xff);

describe('the symbolic digest', () => {
  it('is MurmurHash3 x86_128 seeded with 0x524d4d00 + the hash algorithm', () => {
    expect(hex(symbolicDigest(HashAlgorithm.SHA_256, [new Uint8Array(0)]))).toBe('6cc009e632761b5632761b5632761b56');
    expect(hex(symbolicDigest(HashAlgorithm.SHA_256, [Buffer.from('a')]))).toBe('04906d297effbcf47effbcf47effbcf4');
    expect(hex(symbolicDigest(HashAlgorithm.SHA_512, [Buffer.from('hello, world')]))).toBe('059280cf06540d408e14864d667908b5');
    expect(hex(symbolicDigest(HashAlgorithm.SHA_256, [Uint8Array.from({ length: 31 }, (_, i) => i)]))).toBe('6c53c10992c7165be209824eecdd45a5');
    expect(hex(symbolicDigest(HashAlgorithm.SHA_256, [page]))).toBe('693101e1755efa9e9a119211e1d51570');
    expect(hex(symbolicDigest(HashAlgorithm.SHA_512, [new Uint8Array(4096)]))).toBe('b76e7b899097990a016f97bcf96c1b86');
  });

  it('digests the concatenation of its parts, whatever their alignment', () => {
    const whole = symbolicDigest(HashAlgorithm.SHA_256, [page]);
    expect(symbolicDigest(HashAlgorithm.SHA_256, [page.subarray(0, 5), page.subarray(5, 1000), page.subarray(1000)])).toEqual(whole);
    const shifted = new Uint8Array(4097);
    shifted.set(page, 1);
    expect(symbolicDigest(HashAlgorithm.SHA_256, [shifted.subarray(1)])).toEqual(whole);
    for (let n = 0; n < 40; n++) {
      const b = page.subarray(0, n);
      const c = new Uint8Array(n + 3);
      c.set(b, 3);
      expect(symbolicDigest(HashAlgorithm.SHA_256, [c.subarray(3)])).toEqual(symbolicDigest(HashAlgorithm.SHA_256, [b]));
    }
  });

  it('tells apart inputs that differ in one bit, in length, or in hash algorithm', () => {
    const seen = new Set<string>();
    const one = page.slice();
    for (let bit = 0; bit < 4096 * 8; bit += 97) {
      one[bit >> 3] = (one[bit >> 3] as number) ^ (1 << (bit & 7));
      seen.add(hex(symbolicDigest(HashAlgorithm.SHA_256, [one])));
      one[bit >> 3] = (one[bit >> 3] as number) ^ (1 << (bit & 7));
    }
    for (let n = 0; n < 64; n++) seen.add(hex(symbolicDigest(HashAlgorithm.SHA_256, [new Uint8Array(n)])));
    seen.add(hex(symbolicDigest(HashAlgorithm.SHA_512, [page])));
    seen.add(hex(symbolicDigest(HashAlgorithm.SHA_256, [page])));
    expect(seen.size).toBe(Math.ceil((4096 * 8) / 97) + 64 + 2);
  });

  it('SHA mode is the RHA: SHA-256 and SHA-512 of the concatenated parts', () => {
    expect(hex(shaDigest(HashAlgorithm.SHA_256, [new Uint8Array(4096)]))).toBe('ad7facb2586fc6e966c004d7d1d16b024f5805ff7cb47c7a85dabd8b48892ca7');
    expect(shaDigest(HashAlgorithm.SHA_512, [page.subarray(0, 9), page.subarray(9)])).toEqual(shaDigest(HashAlgorithm.SHA_512, [page]));
    expect([measurementDigest('sha'), measurementDigest('symbolic')]).toEqual([shaDigest, symbolicDigest]);
  });
});

describe('the measurement platform parameter', () => {
  it('defaults to SHA; symbolic platforms decode, key apart, and keep everything else', () => {
    expect([defaultPlatform.measurement, defaultPlatform.digest]).toEqual(['sha', shaDigest]);
    const p = makePlatform({ measurement: 'symbolic' });
    expect([p.measurement, p.digest]).toEqual(['symbolic', symbolicDigest]);
    const d = decodePlatform({ measurement: 'symbolic', levelBits: 2 });
    expect(d._tag === 'Right' && [d.right.measurement, d.right.levelBits]).toEqual(['symbolic', 2]);
    expect(decodePlatform({ measurement: 'md5' })._tag).toBe('Left');
    expect(stateKey(initialState(p))).not.toBe(stateKey(initialState()));
    expect(stateKey(initialState(makePlatform({ measurement: 'sha' })))).toBe(stateKey(initialState()));
    const w = withMeasurementMode(defaultPlatform, 'symbolic');
    expect({ ...w, measurement: 'sha', digest: shaDigest }).toEqual(defaultPlatform);
  });
});

describe('the RIM and REMs in symbolic mode (checked: the post-conditions recompute them)', () => {
  /** A Realm (SHA-`hash`) built with RTTs, RIPAS, measured and unmeasured DATA and a runnable REC, activated. */
  function built(measurement: 'sha' | 'symbolic', hash: bigint): RmmState {
    let s = initialState(makePlatform({ measurement }));
    s = delegate(s, R.rd, R.rtt, G(8), G(9), G(10), G(11));
    s = write(s, R.params, encodeStruct(RmiRealmParams, realmParamsFields({ hash_algo: hash, rtt_base: R.rtt })));
    s = ok(s, 'RMI_REALM_CREATE', R.rd, R.params);
    s = ok(s, 'RMI_RTT_CREATE', R.rd, G(8), 0n, 2n);
    s = ok(s, 'RMI_RTT_CREATE', R.rd, G(9), 0n, 3n);
    s = ok(s, 'RMI_RTT_INIT_RIPAS', R.rd, 0x2000n, 0x8000n);
    s = write(s, G(40), page);
    s = ok(s, 'RMI_DATA_CREATE', R.rd, G(10), 0n, G(40), 1n);
    s = ok(s, 'RMI_DATA_CREATE', R.rd, G(11), 0x1000n, G(40), 0n);
    s = withRec(s, R.rec, 0, R.aux);
    return ok(s, 'RMI_REALM_ACTIVATE', R.rd);
  }
  const rim = (s: RmmState): Uint8Array => s.realms.get(granuleIndex(R.rd))!.measurements[0]!;

  for (const hash of [0n, 1n]) {
    it(`SHA-${hash === 0n ? 256 : 512}: the same steps succeed; the RIM is a 16-byte digest, fixed by the steps, unlike the SHA one`, () => {
      const a = built('sha', hash);
      const b = built('symbolic', hash);
      expect(hex(rim(b).subarray(16))).toBe('00'.repeat(48));
      expect(rim(b).subarray(0, 16).some((x) => x !== 0)).toBe(true);
      expect(hex(rim(b))).not.toBe(hex(rim(a)));
      expect(hex(rim(built('symbolic', hash)))).toBe(hex(rim(b)));
      // A REM extended by the Realm, then read back (RSI_MEASUREMENT_EXTEND / READ).
      const RUN = G(6);
      const run = runRec(write(b, RUN, encodeStruct(RmiRecEnter, {})), { rec: R.rec, run_ptr: RUN }, [
        { kind: 'call', regs: [0xc4000193n, 2n, 8n, 0x1234n] },
        { kind: 'call', regs: [0xc4000192n, 2n] },
      ]);
      expect(run.x0).toBe(0n);
      const rem = run.state.realms.get(granuleIndex(R.rd))!.measurements[2]!;
      expect(rem.subarray(0, 16).some((x) => x !== 0) && rem.subarray(16).every((x) => x === 0)).toBe(true);
      const words = run.steps[1]!.call!.regs.slice(1, 9);
      expect(Buffer.concat(words.map((w) => { const x = Buffer.alloc(8); x.writeBigUInt64LE(w); return x; })).equals(Buffer.from(rem))).toBe(true);
    });
  }
});
