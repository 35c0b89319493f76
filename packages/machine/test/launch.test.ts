import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { GranuleState, RealmState, granuleIndex } from '@realmspec/core';
import { protectedTarget } from '@realmspec/core/internal';
import { Gpi, gptChanges } from '@realmspec/el3';
import { Pas, physRead } from '@realmspec/memory';
import * as _ from '../src/index.js';
import { BOOTED, err, expectConsistent, fingerprint, launched, ok } from './support.js';

const kernel = _.demoKernel();
const initrd = _.demoInitrd();

describe('launchRealm', () => {
  const [m, r] = launched(2);
  const realm = m.core.realms.get(granuleIndex(r.realm.rd));

  it('leaves an active Realm with the RTT geometry of a 40-bit IPA space (start level 1, 2 tables)', () => {
    expect(realm?.state).toBe(RealmState.REALM_ACTIVE);
    expect(realm?.ipaWidth).toBe(40);
    expect(r.realm).toMatchObject({ ipaWidth: 40, rttLevelStart: 1, rttNumStart: 2, ram: { base: 0x8000_0000n, size: 0x20_0000n } });
    expect(r.divergences).toEqual([]);
    expectConsistent(m);
  });

  it('delegates exactly what the Realm needs: RD, 2 starting RTTs, 2 tables, 6 DATA pages, and per REC the REC and 16 aux granules', () => {
    const realmGranules = gptChanges(m.el3.gpt).filter(([, g]) => g === Gpi.REALM).length;
    expect(realmGranules).toBe(1 + 2 + 2 + 6 + 2 * (1 + 16));
  });

  it('loads the kernel at RAM base + text_offset and the initrd at the top of RAM, into DATA granules', () => {
    expect(r.realm.kernel).toEqual({ ipa: 0x8000_0000n, size: kernel.length });
    expect(r.realm.initrd).toEqual({ ipa: 0x801f_e000n, size: initrd.length });
    const t = protectedTarget(m.core, realm!, 0x8000_1000n);
    expect(t.kind).toBe('page');
    if (t.kind !== 'page') return;
    expect(m.core.granules.get(t.gi)?.state).toBe(GranuleState.DATA);
    const page = physRead(m.core, m.el3.gpt, Pas.REALM, BigInt(t.gi) << 12n, 4096);
    expect(E.isRight(page) && page.right).toEqual(kernel.subarray(4096, 8192));
    expect(E.isLeft(physRead(m.core, m.el3.gpt, Pas.NON_SECURE, BigInt(t.gi) << 12n, 1))).toBe(true);
  });

  it('creates REC 0 runnable at the kernel entry and the others waiting for PSCI_CPU_ON', () => {
    const recs = r.realm.recs.map((x) => m.core.recs.get(granuleIndex(x.rec)));
    expect(recs.map((x) => [x?.runnable, x?.pc, x?.mpidr])).toEqual([
      [true, 0x8000_0000n, 0n],
      [false, 0n, 1n],
    ]);
  });

  it('gives a RIM that depends on exactly what was measured (DEN0137 A7.1.1)', () => {
    const rim = (spec: object): string => Buffer.from(ok(_.launchRealm(BOOTED, { kernel, initrd, recs: 2, ...spec }))[1].rim).toString('hex');
    const base = rim({});
    expect(r.rim).toHaveLength(32);
    expect(Buffer.from(r.rim).toString('hex')).toBe(base);
    const other = kernel.slice();
    other[100] = (other[100] ?? 0) ^ 1;
    expect(rim({ kernel: other })).not.toBe(base);
    expect(rim({ measure: false })).not.toBe(base);
    // B4.3.12.4: only a runnable REC extends the RIM (REC 1 is not); B4.3.9.4: the RPV and VMID are not measured.
    expect(rim({ recs: 1 })).toBe(base);
    expect(rim({ rpv: new Uint8Array(64).fill(7), vmid: 9 })).toBe(base);
    expect(rim({ ipaWidth: 41 })).not.toBe(base);
    expect(ok(_.launchRealm(BOOTED, { kernel, hashAlgo: 'sha-512' }))[1].rim).toHaveLength(64);
  });

  it('launches a second Realm next to the first with its own VMID and granules', () => {
    const [m2, r2] = ok(_.launchRealm(m, { kernel, ipaWidth: 39, ramBase: 0n, ramSize: 0x1_0000n }));
    expect(r2.realm).toMatchObject({ rttLevelStart: 1, rttNumStart: 1 });
    expect(m2.core.realms.get(granuleIndex(r2.realm.rd))?.vmid).toBe(2);
    expect(m2.host.realms).toHaveLength(2);
    expectConsistent(m2);
  });
});

describe('launchRealm rejects bad input with a clear message and an unchanged machine', () => {
  const before = fingerprint(BOOTED);
  const cases: Array<[string, object, string, RegExp]> = [
    ['no magic', { kernel: new Uint8Array(4096) }, 'kernel', /no arm64 Image magic "ARM\\x64" at offset 0x38/],
    ['too short', { kernel: new Uint8Array(10) }, 'kernel', /64-byte header; this one has 10 bytes/],
    ['image_size beyond RAM', { kernel: _.makeArm64Image(new Uint8Array(100), { imageSize: 0x40_0000n }) }, 'kernel', /image_size 0x400000\) at IPA 0x80000000 ends at 0x80400000, beyond RAM \[0x80000000, 0x80200000\)/],
    ['text_offset near the end', { kernel: _.makeArm64Image(new Uint8Array(9000), { textOffset: 0x1f_f000n }) }, 'kernel', /beyond RAM/],
    ['unaligned text_offset', { kernel: _.makeArm64Image(new Uint8Array(10), { textOffset: 0x80n }) }, 'kernel', /text_offset 0x80 is not 4 KB aligned/],
    ['image_size below the file', { kernel: _.makeArm64Image(new Uint8Array(9000), { imageSize: 0x1000n }) }, 'kernel', /image_size 0x1000 is smaller than the image file/],
    ['initrd over the kernel', { kernel, initrd: new Uint8Array(0x1f_f000) }, 'initrd', /inside the kernel's range/],
    ['DATA budget', { kernel, initrd, dataBudget: 5 }, 'kernel', /the images need 6 DATA granules; the DATA budget is 5/],
    ['IPA width too large', { kernel, ipaWidth: 60 }, 'ipaWidth', /60 bits is outside 32\.\.48/],
    ['RAM outside the Protected IPA space', { kernel, ipaWidth: 32 }, 'ramSize', /does not fit the Protected IPA space of a 32-bit Realm, which ends at 0x80000000/],
    ['unaligned RAM', { kernel, ramSize: 0x1800n }, 'ramBase', /not 4 KB aligned/],
    ['no REC', { kernel, recs: 0 }, 'recs', /0 RECs/],
    ['oversized RPV', { kernel, rpv: new Uint8Array(65) }, 'rpv', /at most 64 bytes/],
  ];
  for (const [name, spec, what, message] of cases) {
    it(name, () => {
      const e = err(_.launchRealm(BOOTED, spec));
      expect(e).toMatchObject({ kind: 'invalid', what });
      expect(_.describeHostError(e)).toMatch(message);
      expect(fingerprint(BOOTED)).toBe(before);
    });
  }

  it('malformed fields are decode errors naming the field', () => {
    expect(_.describeHostError(err(_.launchRealm(BOOTED, { kernel: 42 })))).toMatch(/^launchRealm: kernel: expected bytes: a Uint8Array or hex text, got 42/);
    expect(_.describeHostError(err(_.launchRealm(BOOTED, { kernel: '0xzz' })))).toMatch(/kernel: expected hex text/);
    expect(_.describeHostError(err(_.launchRealm(BOOTED, { kernel, hashAlgo: 'md5' })))).toMatch(/hashAlgo/);
    expect(_.describeHostError(err(_.launchRealm(BOOTED, { kernel, ramSize: 0 })))).toMatch(/ramSize: expected a size greater than zero/);
    expect(fingerprint(BOOTED)).toBe(before);
  });

  it('a VMID in use, and a Host out of memory', () => {
    const [m] = launched();
    expect(err(_.launchRealm(m, { kernel, vmid: 1 }))).toMatchObject({ kind: 'invalid', what: 'vmid' });
    const [small] = ok(_.bootMachine({ platform: { dram: [{ base: '0x80000000', size: '0x10000' }] } }));
    const key = fingerprint(small);
    expect(err(_.launchRealm(small, { kernel }))).toMatchObject({ kind: 'no-memory', available: 16 });
    expect(fingerprint(small)).toBe(key);
  });
});
