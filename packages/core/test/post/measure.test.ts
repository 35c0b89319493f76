/**
 * The post-conditions' measurement functions (post/measure.ts; DEN0137 B3.44, B3.45, B3.47,
 * B3.48, B4.3.1.4, B4.3.9.4, B4.3.12.4, B4.3.18.4, C1.11–C1.13). The expected digests were
 * computed outside this code base, with Python's hashlib over byte images built by hand from
 * the spec's offsets (data.md §6); SHA-256 of 4096 zero bytes is the well-known
 * ad7facb2…892ca7. The example trace (examples/lifecycle-sha512.jsonl, RIM values from an
 * independent implementation) runs in checked mode in measurement.test.ts, which compares the
 * model's RIM with these functions after every measured command.
 */
import { describe, expect, it } from 'vitest';
import { HashAlgorithm, shaDigest } from '../../src/index.js';
import { isZeroMeasurement, RimExtendData, RimExtendRec, RimExtendRipasForEntry, RimInit, Rha } from '../../src/post/measure.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const ZERO32 = '00'.repeat(32);

/** A 4096-byte image with little-endian 64-bit `words` at byte offsets and single bytes at others. */
function image(words: Record<number, bigint>, bytes: Record<number, number> = {}): Uint8Array {
  const b = Buffer.alloc(4096);
  for (const [at, v] of Object.entries(words)) b.writeBigUInt64LE(v, Number(at));
  for (const [at, v] of Object.entries(bytes)) b[Number(at)] = v;
  return new Uint8Array(b);
}

/** RmiRealmParams (B4.4.12) with measured fields and unmeasured rpv, vmid, rtt_base, rtt_level_start, rtt_num_start. */
function realmParams(flags: bigint, s2sz: number, sveVl: number, bps: number, wps: number, pmu: number, hash: number): Uint8Array {
  const p = image({ 0x0: flags, 0x808: 0x8000_1000n, 0x810: 1n }, { 0x8: s2sz, 0x10: sveVl, 0x18: bps, 0x20: wps, 0x28: pmu, 0x30: hash, 0x800: 7, 0x818: 1 });
  for (let i = 0; i < 64; i++) p[0x400 + i] = i + 1;
  return p;
}

const RIM_INIT_256 = 'e5afd3cddaab142736a4b76688a4d74c4db8133304108b8af706e103224da9f9' + ZERO32;
const RIM_INIT_512 = 'dc8d7761d24b6226e7039dc33bad9e608caea93b87cc6b75c4a0c18261d2a37f7de33885136f9b0bcbec25f0094225431bec5f9807df16b7b53b282f1077cdc2';

describe('Rha (A7.1.1)', () => {
  it('is the hash zero-filled to 64 bytes', () => {
    expect(hex(Rha(shaDigest, HashAlgorithm.SHA_256, new Uint8Array(4096)))).toBe('ad7facb2586fc6e966c004d7d1d16b024f5805ff7cb47c7a85dabd8b48892ca7' + ZERO32);
    expect(Rha(shaDigest, HashAlgorithm.SHA_512, new Uint8Array(0)).length).toBe(64);
  });
});

describe('RimInit (B3.48, B4.3.9.4)', () => {
  it('hashes only flags, s2sz, sve_vl, num_bps, num_wps, pmu_num_ctrs and hash_algo: SHA-256', () => {
    expect(hex(RimInit(shaDigest, HashAlgorithm.SHA_256, realmParams(0b110n, 39, 3, 1, 2, 4, 0)))).toBe(RIM_INIT_256);
  });

  it('SHA-512', () => {
    expect(hex(RimInit(shaDigest, HashAlgorithm.SHA_512, realmParams(0b001n, 48, 0, 5, 6, 0, 1)))).toBe(RIM_INIT_512);
  });

  it('ignores rpv, vmid and the RTT fields, and depends on every measured field', () => {
    const base = realmParams(0b110n, 39, 3, 1, 2, 4, 0);
    const other = base.slice();
    other.fill(0, 0x400, 0x820);
    expect(hex(RimInit(shaDigest, HashAlgorithm.SHA_256, other))).toBe(RIM_INIT_256);
    for (const at of [0x0, 0x8, 0x10, 0x18, 0x20, 0x28, 0x30]) {
      const p = base.slice();
      p[at] = (p[at] as number) ^ 0x80;
      expect(hex(RimInit(shaDigest, HashAlgorithm.SHA_256, p))).not.toBe(RIM_INIT_256);
    }
  });
});

describe('RimExtendRec (B3.45, B4.3.12.4, C1.12)', () => {
  const gprs = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [0x300 + 8 * i, 0x1111n * BigInt(i + 1)]));
  const params = image({ 0x0: 1n, 0x100: 0x5n, 0x200: 0x8_0000n, ...gprs, 0x800: 16n, 0x808: 0x8001_0000n });
  const EXPECTED = '6705bd32d03a3bfdb300001e0adf264578827c6cdedb33f14a403e1045ad5e58' + ZERO32;

  it('extends the RIM with the hash of flags, pc and gprs (mpidr, num_aux and aux unmeasured)', () => {
    expect(hex(RimExtendRec(shaDigest, HashAlgorithm.SHA_256, unhex(RIM_INIT_256), params))).toBe(EXPECTED);
    const p = params.slice();
    p.fill(0, 0x100, 0x108);
    p.fill(0, 0x800, 0x888);
    expect(hex(RimExtendRec(shaDigest, HashAlgorithm.SHA_256, unhex(RIM_INIT_256), p))).toBe(EXPECTED);
  });

  it('depends on the RIM it extends and on pc', () => {
    expect(hex(RimExtendRec(shaDigest, HashAlgorithm.SHA_256, new Uint8Array(64), params))).not.toBe(EXPECTED);
    const p = params.slice();
    p[0x200] = 1;
    expect(hex(RimExtendRec(shaDigest, HashAlgorithm.SHA_256, unhex(RIM_INIT_256), p))).not.toBe(EXPECTED);
  });
});

describe('RimExtendData (B3.44, B4.3.1.4, C1.11)', () => {
  const contents = Uint8Array.from({ length: 4096 }, (_, i) => i % 251);

  it('with flags.measure: the content hash of the DATA granule', () => {
    expect(hex(RimExtendData(shaDigest, HashAlgorithm.SHA_512, unhex(RIM_INIT_512), 0x3000n, 1n, contents))).toBe(
      '5870aeeddfba91a98456f76c9f7f366e14ece3ade95c73a281779368f3bf728c4a4dbb240de7e613ddf1744e542c83d28a059c7a17a4390e6fba0fe5ba6d57f5',
    );
  });

  it('without: content zero, whatever the granule holds', () => {
    const expected = '9fd5863aca7999b97f606eb2c16cf41f23ad51294ce0810355b933a5ee1f03665e72425b4775b0a95c60b8b0ff4b55c8b9ac07d2e89030287438d09aaba75db2';
    expect(hex(RimExtendData(shaDigest, HashAlgorithm.SHA_512, unhex(RIM_INIT_512), 0x3000n, 0n, contents))).toBe(expected);
    expect(hex(RimExtendData(shaDigest, HashAlgorithm.SHA_512, unhex(RIM_INIT_512), 0x3000n, 0n, new Uint8Array(4096)))).toBe(expected);
  });

  it('depends on the IPA', () => {
    expect(hex(RimExtendData(shaDigest, HashAlgorithm.SHA_512, unhex(RIM_INIT_512), 0x4000n, 1n, contents))).not.toBe(hex(RimExtendData(shaDigest, HashAlgorithm.SHA_512, unhex(RIM_INIT_512), 0x3000n, 1n, contents)));
  });
});

describe('RimExtendRipasForEntry (B3.47, B4.3.18.4, C1.13)', () => {
  it('hashes the RIPAS descriptor with base and top', () => {
    expect(hex(RimExtendRipasForEntry(shaDigest, HashAlgorithm.SHA_256, unhex(RIM_INIT_256), 0x20_0000n, 0x40_0000n))).toBe(
      '1eb601e804ae43fb63616e0d79c39946aa935a04f643ccc65b679436152536070000000000000000000000000000000000000000000000000000000000000000',
    );
  });
});

describe('isZeroMeasurement (A7.1.2)', () => {
  it('holds for 64 zero bytes only', () => {
    expect(isZeroMeasurement(new Uint8Array(64))).toBe(true);
    expect(isZeroMeasurement(new Uint8Array(32))).toBe(false);
    expect(isZeroMeasurement(undefined)).toBe(false);
    const m = new Uint8Array(64);
    m[63] = 1;
    expect(isZeroMeasurement(m)).toBe(false);
  });
});
