import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { bootHes } from '@realmspec/hes';
import { World } from '@realmspec/el3';
import * as _ from '../src/index.js';
import { err, expectConsistent, ok } from './support.js';

describe('bootMachine', () => {
  it('boots the RMM on every CPU and hands every CPU to the Non-secure world', () => {
    const [m, report] = ok(_.bootMachine({ cpus: 3 }));
    expect(m.el3.rmmBooted).toBe(true);
    expect(m.el3.cpus.map((c) => c.world)).toEqual([World.NON_SECURE, World.NON_SECURE, World.NON_SECURE]);
    expect(report.steps.map((s) => (s.actor === 'el3' ? `${s.cpu}:${s.call}:${s.status}` : ''))).toEqual([
      '0:RMM_ATTEST_GET_REALM_KEY:E_RMM_OK',
      '0:RMM_ATTEST_GET_PLAT_TOKEN:E_RMM_OK',
      '0:RMM_BOOT_COMPLETE:E_RMM_OK',
      '1:RMM_BOOT_COMPLETE:E_RMM_OK',
      '2:RMM_BOOT_COMPLETE:E_RMM_OK',
    ]);
    expectConsistent(m);
  });

  it('gives the RMM the HES RAK and the platform token bound to SHA-256 of its COSE_Key (DEN0137 A7.2.3.2.2)', () => {
    const hes = bootHes();
    const [m, report] = ok(_.bootMachine());
    const port = report.attestation;
    expect(port?.rakPrivateKey).toEqual(hes.attestationPort().rakPrivateKey);
    expect(port?.rakPublicKey).toEqual(hes.rakPublicKey);
    expect(port?.platformToken).toEqual(hes.platformToken(new Uint8Array(createHash('sha256').update(hes.rakPublicKey).digest())));
    expect(m.core.platform.attestation).toBe(port);
  });

  it('takes the HES seed and the platform in their text forms', () => {
    const [m] = ok(_.bootMachine({ hes: { seed: '0x' + '11'.repeat(32) }, platform: { dram: [{ base: '0x80000000', size: '0x100000' }] } }));
    expect(m.hes.iakPublicKey).toEqual(bootHes({ seed: new Uint8Array(32).fill(0x11) }).iakPublicKey);
    expect(m.host).toEqual({ next: 0x80000, end: 0x80100, realms: [] });
  });

  it('rejects malformed options, naming the field', () => {
    expect(err(_.bootMachine({ cpus: 0 }))).toMatchObject({ kind: 'decode', what: 'cpus' });
    expect(_.describeHostError(err(_.bootMachine({ cpus: 'two' })))).toMatch(/^cpus: .*expected a CPU count from 1 to 64, got "two"/);
    expect(err(_.bootMachine({ platform: { dram: [{ base: '0xZZ', size: 1 }] } }))).toMatchObject({ kind: 'decode', what: 'platform' });
    expect(err(_.bootMachine({ hes: { seed: 'not hex' } }))).toMatchObject({ kind: 'decode', what: 'hes' });
  });
});
