import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { SMCCC_NOT_SUPPORTED, granuleBytes, type RecExitFields } from '@realmspec/core';
import { Gpi, gpiAt, withGpi } from '@realmspec/el3';
import * as _ from '../src/index.js';
import { BOOTED, err, expectConsistent, fingerprint, launched, ok } from './support.js';

const PA = 0x8010_0000n;
/** An RmiRecExit with every field zero (exit reason SYNC). */
const EXIT: RecExitFields = {
  exit_reason: 0,
  esr: 0n,
  far: 0n,
  hpfar: 0n,
  gprs: [],
  gicv3_hcr: 0n,
  gicv3_lrs: [],
  gicv3_misr: 0n,
  gicv3_vmcr: 0n,
  cntp_ctl: 0n,
  cntp_cval: 0n,
  cntv_ctl: 0n,
  cntv_cval: 0n,
  ripas_base: 0n,
  ripas_top: 0n,
  ripas_value: 0,
  imm: 0n,
  pmu_ovf_status: 0,
};
/** RMI X0 values (DEN0137 B4.4.25), written out. */
const RMI_SUCCESS = 0n;
const RMI_ERROR_INPUT = 1n;

describe('hostSmc', () => {
  it('RMI_GRANULE_DELEGATE goes to the RMM, which asks EL3 for the transition; the GPT follows', () => {
    const [m, o] = ok(_.hostSmc(BOOTED, { regs: [0xc4000151n, PA] }));
    expect(o.route).toBe('rmi');
    expect(o.regs).toEqual([RMI_SUCCESS]);
    expect(o.steps.map(_.describeStep)).toEqual([
      'host  cpu0: RMI_GRANULE_DELEGATE(addr=0x80100000) -> RMI_SUCCESS',
      'el3   cpu0: RMM_GTSI_DELEGATE(0x80100000) -> E_RMM_OK [GPI_NS -> GPI_REALM]',
    ]);
    expect(gpiAt(m.el3.gpt, Number(PA >> 12n))).toBe(Gpi.REALM);
    expect(m.el3.cpus[0]?.switches).toBe((BOOTED.el3.cpus[0]?.switches ?? 0) + 2);
    expectConsistent(m);
    const [m2, u] = ok(_.hostSmc(m, { regs: [0xc4000152n, PA] }));
    expect(u.steps.map(_.describeStep)[1]).toBe('el3   cpu0: RMM_GTSI_UNDELEGATE(0x80100000) -> E_RMM_OK [GPI_REALM -> GPI_NS]');
    expect(gpiAt(m2.el3.gpt, Number(PA >> 12n))).toBe(Gpi.NS);
    expectConsistent(m2);
  });

  it('a refused RMI command makes no RMM-EL3 call', () => {
    const [m, o] = ok(_.hostSmc(BOOTED, { regs: [0xc4000152n, PA] }));
    expect(o.regs[0]).toBe(RMI_ERROR_INPUT | (0n << 8n));
    expect(o.failure?.rule).toBe('RMI_GRANULE_UNDELEGATE/gran_state');
    expect(o.steps).toHaveLength(1);
    expect(m.el3.gpt).toBe(BOOTED.el3.gpt);
  });

  it('EL3 answers its own calls, and unknown ids get SMCCC_NOT_SUPPORTED, without a world switch', () => {
    const [m, v] = ok(_.hostSmc(BOOTED, { regs: [0x80000000n], cpu: 1 }));
    expect(v).toMatchObject({ route: 'el3', regs: [0x10002n], command: 'SMCCC_VERSION' });
    const [, u] = ok(_.hostSmc(m, { regs: [0xc4000190n, 0x10000n] }));
    expect(u).toMatchObject({ route: 'unknown', regs: [SMCCC_NOT_SUPPORTED] });
    const [, g] = ok(_.hostSmc(m, { regs: [0xc40001b0n, PA] }));
    expect(g.regs).toEqual([SMCCC_NOT_SUPPORTED]);
    expect(m.el3.cpus).toEqual(BOOTED.el3.cpus);
  });

  it('decodes its input: registers as bigints or text, and a CPU that exists', () => {
    expect(ok(_.hostSmc(BOOTED, { regs: ['0xc4000150', '65536'] }))[1].regs[0]).toBe(RMI_SUCCESS);
    expect(err(_.hostSmc(BOOTED, { regs: [] }))).toMatchObject({ kind: 'decode', what: 'hostSmc' });
    expect(err(_.hostSmc(BOOTED, { regs: [-1] }))).toMatchObject({ kind: 'decode' });
    expect(err(_.hostSmc(BOOTED, { regs: [0n], cpu: 7 }))).toMatchObject({ kind: 'invalid', what: 'cpu' });
  });
});

describe('Host memory', () => {
  it('reads and writes its own memory through the Non-secure PAS', () => {
    const [m] = ok(_.hostWrite(BOOTED, PA + 4n, '0x0102_0304'));
    expect(ok(_.hostRead(m, PA, 8))[1]).toEqual(Uint8Array.of(0, 0, 0, 0, 1, 2, 3, 4));
  });

  it('gets a granule protection fault on a Realm granule, and nothing is written', () => {
    const [m] = ok(_.hostSmc(BOOTED, { regs: [0xc4000151n, PA] }));
    const e = err(_.hostRead(m, PA + 0x10n, 8));
    expect(_.describeHostError(e)).toBe('GPF at 0x80100010: Non-secure PAS access to a GPI_REALM granule');
    const before = fingerprint(m);
    expect(err(_.hostWrite(m, PA - 4n, new Uint8Array(8).fill(0xff)))).toMatchObject({ kind: 'memory', fault: { pa: PA, gpi: Gpi.REALM } });
    expect(fingerprint(m)).toBe(before);
    expect(granuleBytes(m.core, Number(PA >> 12n) - 1).every((b) => b === 0)).toBe(true);
  });

  it('rejects bad addresses and lengths', () => {
    expect(err(_.hostRead(BOOTED, '0x8000_0000', 8))).toMatchObject({ kind: 'decode', what: 'pa' });
    expect(err(_.hostRead(BOOTED, PA, 2 ** 21))).toMatchObject({ kind: 'decode', what: 'len' });
    expect(err(_.hostWrite(BOOTED, PA, '0x123'))).toMatchObject({ kind: 'decode', what: 'bytes' });
    expect(err(_.hostRead(BOOTED, 1n << 48n, 1))).toMatchObject({ kind: 'memory', fault: { cause: 'beyond_pps' } });
  });
});

describe('effects of RMI commands (guideline 9)', () => {
  it('only GRANULE_DELEGATE and GRANULE_UNDELEGATE move granules between PAS; wiping commands scrub', () => {
    expect(_.effectsOf('RMI_GRANULE_DELEGATE', { addr: PA }, {})).toEqual([
      { kind: 'gtsi', fid: 0xc40001b0, pa: PA },
      { kind: 'scrub', gi: 0x80100 },
    ]);
    expect(_.effectsOf('RMI_GRANULE_UNDELEGATE', { addr: PA }, {})).toEqual([
      { kind: 'scrub', gi: 0x80100 },
      { kind: 'gtsi', fid: 0xc40001b1, pa: PA },
    ]);
    expect(_.effectsOf('RMI_DATA_DESTROY', { rd: 0n, ipa: 0n }, { data: PA, top: 0n })).toEqual([{ kind: 'scrub', gi: 0x80100 }]);
    for (const c of ['RMI_REALM_CREATE', 'RMI_DATA_CREATE', 'RMI_REC_DESTROY', 'RMI_RTT_MAP_UNPROTECTED']) expect(_.effectsOf(c, {}, {})).toEqual([]);
  });
});

describe('mapShared', () => {
  it('maps a Host granule at the Unprotected alias of a Protected IPA', () => {
    const [m0, l] = launched();
    const [m, r] = ok(_.mapShared(m0, { rd: l.realm.rd, ipa: 0x8010_2000n }));
    expect(r.page.ipa).toBe(0x80_8010_2000n);
    expect(gpiAt(m.el3.gpt, Number(r.page.pa >> 12n))).toBe(Gpi.NS);
    expect(_.hostRealm(m, l.realm.rd)?.shared).toEqual([r.page]);
    expect(r.steps.filter((s) => s.actor === 'host' && s.kind === 'smc').map((s) => (s.actor === 'host' && s.kind === 'smc' ? s.command : ''))).toEqual([
      'RMI_GRANULE_DELEGATE',
      'RMI_RTT_CREATE',
      'RMI_GRANULE_DELEGATE',
      'RMI_RTT_CREATE',
      'RMI_RTT_MAP_UNPROTECTED',
    ]);
    expectConsistent(m);
  });

  it('rejects an unknown Realm and an unaligned IPA', () => {
    const [m0, l] = launched();
    expect(err(_.mapShared(m0, { rd: 0x8000_0000n, ipa: 0n }))).toMatchObject({ kind: 'invalid', what: 'rd' });
    expect(err(_.mapShared(m0, { rd: l.realm.rd, ipa: 0x10n }))).toMatchObject({ kind: 'invalid', what: 'ipa' });
  });
});

describe('the GPT cross-check of a session', () => {
  it('checks the granules each SMC changed, and closes with the full sweep: an old disagreement is reported once', () => {
    // A machine whose EL3 GPT already disagrees with the RMM's view on one granule (tampered).
    const tampered: _.Machine = { core: BOOTED.core, el3: { gpt: withGpi(BOOTED.el3.gpt, 0x80fff, Gpi.REALM), cpus: BOOTED.el3.cpus, rootOfTrust: BOOTED.el3.rootOfTrust, rmmBooted: true }, hes: BOOTED.hes, host: BOOTED.host, hits: undefined };
    const [, l] = launched(1, tampered);
    expect(l.checks).toBeGreaterThan(20);
    expect(l.divergences).toEqual(['GPT cross-check: granule 0x80fff000: EL3 GPI_REALM, RMM GPT_NS']);
    expect(_.machineViolations(tampered)).toEqual(['GPT cross-check: granule 0x80fff000: EL3 GPI_REALM, RMM GPT_NS']);
  });
});

describe('names (core status tables)', () => {
  it('RMI results carry their index; reserved codes and SMCCC_NOT_SUPPORTED are named as such', () => {
    expect(_.rmiResultName(0n)).toBe('RMI_SUCCESS');
    expect(_.rmiResultName(0x204n)).toBe('RMI_ERROR_RTT(2)');
    expect(_.rmiResultName(SMCCC_NOT_SUPPORTED)).toBe('SMCCC_NOT_SUPPORTED');
    expect(_.rmiResultName(0x9n)).toMatch(/^unknown status 0x9/);
  });

  it('Realm call results by interface, PSCI_OFF included', () => {
    expect(_.realmStatusName(0xc4000190, 0n)).toBe('RSI_SUCCESS');
    expect(_.realmStatusName(0xc4000190, 3n)).toBe('RSI_INCOMPLETE');
    expect(_.realmStatusName(0xc4000004, 1n)).toBe('PSCI_OFF'); // PSCI_AFFINITY_INFO (SMC64)
    expect(_.realmStatusName(0xc4000003, 2n ** 64n - 4n)).toBe('PSCI_ALREADY_ON');
    expect(_.realmStatusName(0x12345678, 0x42n)).toBe('0x42');
  });

  it('REC exits are decoded with the architecture fields (EC, ISV, HPFAR)', () => {
    const x = (over: Partial<{ exit_reason: number; esr: bigint; hpfar: bigint }>) => ({ ...EXIT, ...over });
    expect(_.describeExit(x({ esr: (0x24n << 26n) | (1n << 24n) | 0x7n, hpfar: 0x80_8010_2n << 4n }))).toBe('RMI_EXIT_SYNC: Data Abort at IPA 0x8080102000 (emulatable)');
    expect(_.describeExit(x({ esr: (0x20n << 26n) | 0x6n, hpfar: 0x8010_3n << 4n }))).toBe('RMI_EXIT_SYNC: Instruction Abort at IPA 0x80103000');
    expect(_.describeExit(x({ exit_reason: 4 }))).toBe('RMI_EXIT_RIPAS_CHANGE: [0x0, 0x0) to EMPTY');
  });
});

describe('input codecs (core U64 and HexBytes underneath)', () => {
  it('addresses and sizes are 64-bit values; sizes are not zero; bytes are hex with _ and spaces ignored', () => {
    expect(_.Address.decode('0x8000')).toEqual(E.right(0x8000n));
    expect(_.Address.decode(12)).toEqual(E.right(12n));
    expect(_.Address.decode(2n ** 64n)._tag).toBe('Left');
    expect(_.Size.decode(0)._tag).toBe('Left');
    expect(_.Size.decode('4096')).toEqual(E.right(4096n));
    expect(_.Bytes.decode('0x01_02 0304')).toEqual(E.right(Uint8Array.of(1, 2, 3, 4)));
    expect(_.Bytes.decode('012')._tag).toBe('Left');
  });
});
