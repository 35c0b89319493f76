/**
 * The RIM, bit for bit (DEN0137 A7.1, B4.3.1.4, B4.3.9.4, B4.3.12.4, B4.3.18.4), for SHA-256
 * and SHA-512. The expected values come from a separate, deliberately plain encoder written here
 * from the byte tables of the digest (data.md §6): Buffer.alloc, writeBigUInt64LE at the listed
 * offsets, node:crypto. Nothing of the core's measurement or layout code computes an expectation.
 * The encoder itself is checked against the RIM an independent implementation gave for the
 * worked example trace (examples/lifecycle-sha512.jsonl).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { encodeStruct, granuleIndex, hostWrite, initialState, RmiRealmParams, RmiRecParams, smc, type RmmState } from '../src/index.js';
import { G, R, delegate, fidOf, ok, realmParamsFields, withRec, write } from './support/fixtures.js';

// -------------------------------------------------------------------------------------
// the independent encoder (data.md §6)
// -------------------------------------------------------------------------------------

type Algo = 'sha256' | 'sha512';

/** RHA(parts), zero-filled to the 64-byte measurement size. */
function rha(algo: Algo, ...parts: Buffer[]): Buffer {
  const h = createHash(algo);
  for (const p of parts) h.update(p);
  const out = Buffer.alloc(64);
  h.digest().copy(out);
  return out;
}

/** §6.1: a zeroed 4096-byte RmiRealmParams image with only the seven measured fields. */
function rimInit(algo: Algo, p: { flags: bigint; s2sz: bigint; sve_vl: bigint; num_bps: bigint; num_wps: bigint; pmu_num_ctrs: bigint; hash_algo: bigint }): Buffer {
  const img = Buffer.alloc(4096);
  img.writeBigUInt64LE(p.flags, 0x00);
  img.writeBigUInt64LE(p.s2sz, 0x08);
  img.writeBigUInt64LE(p.sve_vl, 0x10);
  img.writeBigUInt64LE(p.num_bps, 0x18);
  img.writeBigUInt64LE(p.num_wps, 0x20);
  img.writeBigUInt64LE(p.pmu_num_ctrs, 0x28);
  img.writeBigUInt64LE(p.hash_algo, 0x30);
  return rha(algo, img);
}

/** A 256-byte descriptor with desc_type @0x00, len = 0x100 @0x08 and the current RIM @0x10. */
function descriptor(type: number, rim: Buffer): Buffer {
  const d = Buffer.alloc(0x100);
  d.writeUInt8(type, 0x00);
  d.writeBigUInt64LE(0x100n, 0x08);
  rim.copy(d, 0x10);
  return d;
}

/** §6.2: DATA descriptor; content = RHA(page) when flags.measure. */
function extendData(algo: Algo, rim: Buffer, ipa: bigint, flags: bigint, page: Buffer): Buffer {
  const d = descriptor(0, rim);
  d.writeBigUInt64LE(ipa, 0x50);
  d.writeBigUInt64LE(flags, 0x58);
  if ((flags & 1n) === 1n) rha(algo, page).copy(d, 0x60);
  return rha(algo, d);
}

/** §6.3: REC descriptor over RHA of a params image holding flags @0, pc @0x200, gprs[0..7] @0x300. */
function extendRec(algo: Algo, rim: Buffer, flags: bigint, pc: bigint, gprs: readonly bigint[]): Buffer {
  const img = Buffer.alloc(4096);
  img.writeBigUInt64LE(flags, 0x000);
  img.writeBigUInt64LE(pc, 0x200);
  gprs.forEach((g, i) => img.writeBigUInt64LE(g, 0x300 + 8 * i));
  const d = descriptor(1, rim);
  rha(algo, img).copy(d, 0x50);
  return rha(algo, d);
}

/** §6.4: one RIPAS descriptor per entry of `size` bytes in [base, top). */
function extendRipas(algo: Algo, rim: Buffer, base: bigint, top: bigint, size: bigint): Buffer {
  for (let ipa = base; ipa < top; ipa += size) {
    const d = descriptor(2, rim);
    d.writeBigUInt64LE(ipa, 0x50);
    d.writeBigUInt64LE(ipa + size, 0x58);
    rim = rha(algo, d);
  }
  return rim;
}

// -------------------------------------------------------------------------------------
// the model, step by step
// -------------------------------------------------------------------------------------

const rimOf = (s: RmmState, rd = R.rd): Buffer => Buffer.from(s.realms.get(granuleIndex(rd))!.measurements[0]!);
const page = (seed: number): Buffer => Buffer.from(Uint8Array.from({ length: 4096 }, (_, i) => (i * 13 + seed * 7) & 0xff));

describe.each([
  ['sha256', 0n],
  ['sha512', 1n],
] as const)('the RIM with %s', (algo, hashAlgo) => {
  // flags.pmu with 3 counters; rpv and vmid are not measured, so they must not matter.
  const params = { flags: 4n, s2sz: 39n, sve_vl: 0n, num_bps: 1n, num_wps: 1n, pmu_num_ctrs: 3n, hash_algo: hashAlgo };
  const fields = realmParamsFields({ ...params, rtt_base: R.rtt, vmid: 7n, rpv: [0x1122334455667788n, 0n, 0n, 0n, 0n, 0n, 0n, 0xffn] });

  let s = delegate(initialState(), R.rd, R.rtt, G(8), G(9), G(10), G(11), G(12));
  s = write(s, R.params, encodeStruct(RmiRealmParams, fields));
  s = ok(s, 'RMI_REALM_CREATE', R.rd, R.params);
  let rim = rimInit(algo, params);

  it('after RMI_REALM_CREATE is RHA of the measured RmiRealmParams fields', () => {
    expect(rimOf(s).toString('hex')).toBe(rim.toString('hex'));
  });

  it('after RMI_RTT_INIT_RIPAS: one descriptor per level 2 entry, then per level 3 entry', () => {
    s = ok(s, 'RMI_RTT_CREATE', R.rd, G(8), 0n, 2n);
    // The walk to 4 MB ends at level 2: two 2 MB entries.
    s = ok(s, 'RMI_RTT_INIT_RIPAS', R.rd, 0x40_0000n, 0x80_0000n);
    rim = extendRipas(algo, rim, 0x40_0000n, 0x80_0000n, 0x20_0000n);
    expect(rimOf(s).toString('hex')).toBe(rim.toString('hex'));
    s = ok(s, 'RMI_RTT_CREATE', R.rd, G(9), 0n, 3n);
    s = ok(s, 'RMI_RTT_INIT_RIPAS', R.rd, 0x4000n, 0x9000n);
    rim = extendRipas(algo, rim, 0x4000n, 0x9000n, 0x1000n);
    expect(rimOf(s).toString('hex')).toBe(rim.toString('hex'));
  });

  it('after RMI_DATA_CREATE, with and without content measurement', () => {
    s = write(s, G(40), page(1));
    s = ok(s, 'RMI_DATA_CREATE', R.rd, G(10), 0x1000n, G(40), 1n);
    rim = extendData(algo, rim, 0x1000n, 1n, page(1));
    expect(rimOf(s).toString('hex')).toBe(rim.toString('hex'));
    s = ok(s, 'RMI_DATA_CREATE', R.rd, G(11), 0x5000n, G(40), 0n);
    rim = extendData(algo, rim, 0x5000n, 0n, page(1));
    expect(rimOf(s).toString('hex')).toBe(rim.toString('hex'));
    // An all-zero page, measured.
    s = ok(s, 'RMI_DATA_CREATE', R.rd, G(12), 0x2000n, G(41), 1n);
    rim = extendData(algo, rim, 0x2000n, 1n, Buffer.alloc(4096));
    expect(rimOf(s).toString('hex')).toBe(rim.toString('hex'));
  });

  it('after RMI_REC_CREATE: extended for a runnable REC, unchanged for one that is not', () => {
    const gprs = [1n, 2n, 3n, 0xffff_ffff_ffff_ffffn, 5n, 6n, 7n, 0x8000_0000_0000_0000n];
    s = withRec(s, R.rec, 0, R.aux, { pc: 0x8_0000n, gprs });
    rim = extendRec(algo, rim, 1n, 0x8_0000n, gprs);
    expect(rimOf(s).toString('hex')).toBe(rim.toString('hex'));
    s = withRec(s, G(100), 1, Array.from({ length: 16 }, (_, k) => G(101 + k)), { flags: 0n, pc: 0x9000n });
    expect(rimOf(s).toString('hex')).toBe(rim.toString('hex'));
  });

  it('is not changed by RMI_DATA_CREATE_UNKNOWN, RMI_DATA_DESTROY or RMI_RTT_DESTROY', () => {
    s = ok(delegate(s, G(13)), 'RMI_DATA_CREATE_UNKNOWN', R.rd, G(13), 0x3000n);
    s = ok(s, 'RMI_DATA_DESTROY', R.rd, 0x3000n);
    s = ok(s, 'RMI_DATA_DESTROY', R.rd, 0x1000n);
    expect(rimOf(s).toString('hex')).toBe(rim.toString('hex'));
  });
});

// -------------------------------------------------------------------------------------
// the worked example: a RIM computed by an independent implementation
// -------------------------------------------------------------------------------------

describe('the RIM of the worked example trace (SHA-512, expectations from an independent implementation)', () => {
  const lines = readFileSync(new URL('../../../examples/lifecycle-sha512.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))
    .map((l) => JSON.parse(l) as Record<string, any>);
  const hex = (v: string | number): bigint => BigInt(v);
  // The RIM the Realm reads back with RSI_MEASUREMENT_READ(0): eight little-endian doublewords.
  const read = lines.find((l) => l.cmd === 'RMI_REC_ENTER' && l.realm?.[0]?.cmd === 'RSI_MEASUREMENT_READ' && hex(l.realm[0].args[0]) === 0n);
  const expected = Buffer.alloc(64);
  (read!.realm[0].expect.out as string[]).forEach((w, i) => expected.writeBigUInt64LE(hex(w), 8 * i));
  const pages = new Map<bigint, Buffer>(lines.filter((l) => l.op === 'write' && l.bytes !== undefined).map((l) => [hex(l.pa), Buffer.from(l.bytes, 'hex')]));

  it('is what the plain encoder computes for its steps', () => {
    // REALM_CREATE (s2sz 39, one BP, one WP, SHA-512), INIT_RIPAS over 16 level 3 entries and two
    // level 2 entries, five DATA pages, RECs 0 (runnable) and 2 (runnable); REC 1 is not runnable.
    let rim = rimInit('sha512', { flags: 0n, s2sz: 39n, sve_vl: 0n, num_bps: 1n, num_wps: 1n, pmu_num_ctrs: 0n, hash_algo: 1n });
    rim = extendRipas('sha512', rim, 0n, 0x10000n, 0x1000n);
    rim = extendRipas('sha512', rim, 0x40_0000n, 0x80_0000n, 0x20_0000n);
    for (const [ipa, src, flags] of [[0n, 0x8000_6000n, 1n], [0x1000n, 0x8000_8000n, 1n], [0x2000n, 0x8000_a000n, 0n], [0x3000n, 0x8000_c000n, 1n], [0x4000n, 0x8000_e000n, 1n]] as const) {
      rim = extendData('sha512', rim, ipa, flags, pages.get(src)!);
    }
    rim = extendRec('sha512', rim, 1n, 0x1000n, [0x10n, 0x11n, 0x12n, 0x13n, 0x14n, 0x15n, 0x16n, 0x17n]);
    rim = extendRec('sha512', rim, 1n, 0x3000n, Array.from({ length: 8 }, (_, i) => 0xaaaa_0000n + BigInt(i)));
    expect(rim.toString('hex')).toBe(expected.toString('hex'));
  });

  it('is what the model computes replaying the trace up to RMI_REALM_ACTIVATE', () => {
    let s = initialState();
    for (const l of lines) {
      if (l.op === 'write') {
        // Fields left out are zero (trace-v1 contract).
        const bytes = l.bytes !== undefined ? Buffer.from(l.bytes, 'hex') : l.realmParams !== undefined ? encodeStruct(RmiRealmParams, toFields(l.realmParams)) : l.recParams !== undefined ? encodeStruct(RmiRecParams, toFields(l.recParams)) : undefined;
        if (bytes !== undefined) s = E.getOrElse<unknown, RmmState>(() => s)(hostWrite(s, hex(l.pa), bytes));
        continue;
      }
      if (l.op !== 'rmi') continue;
      if (l.cmd === 'RMI_REALM_ACTIVATE') break;
      const r = smc(s, [fidOf(l.cmd), ...(l.args as string[]).map(hex)]);
      expect(r.regs[0]).toBe(0n);
      s = r.state;
    }
    expect(rimOf(s, 0x8000_0000n).toString('hex')).toBe(expected.toString('hex'));
  });
});

/** Trace structure fields (numbers, hex strings, "sha512", arrays) as the fixtures' bigint fields. */
function toFields(o: Record<string, unknown>): Record<string, bigint | bigint[]> {
  const v = (x: unknown): bigint => (x === 'sha256' ? 0n : x === 'sha512' ? 1n : BigInt(x as string | number));
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, Array.isArray(x) ? x.map(v) : v(x)]));
}
