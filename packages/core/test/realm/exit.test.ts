/**
 * REC exits (DEN0137 A4.3): for every exit reason, each RmiRecExit field the spec sets, and every
 * other field zero, read back from the run granule with a reader written here from the byte
 * offsets of data.md §4.2; and the REC attributes an exit updates (A4.3.3, A4.3.4.3, A4.3.8).
 */
import { describe, expect, it } from 'vitest';
import { granuleBytes, granuleIndex, RecState, type RealmAction, type RmmState } from '../../src/index.js';
import { R } from '../support/fixtures.js';
import { P, REC_GI, RUN, U, WORLD, enter, fid, step, world } from './support.js';

// ---- an independent RmiRecExit reader (data.md §4.2: offsets from run + 0x800) --------------

interface Exit {
  exit_reason: bigint;
  esr: bigint;
  far: bigint;
  hpfar: bigint;
  gprs: bigint[];
  gicv3_hcr: bigint;
  gicv3_lrs: bigint[];
  gicv3_misr: bigint;
  gicv3_vmcr: bigint;
  cntp_ctl: bigint;
  cntp_cval: bigint;
  cntv_ctl: bigint;
  cntv_cval: bigint;
  ripas_base: bigint;
  ripas_top: bigint;
  ripas_value: bigint;
  imm: bigint;
  pmu_ovf_status: bigint;
}

function readExit(s: RmmState): Exit {
  const b = Buffer.from(granuleBytes(s, granuleIndex(RUN)));
  const u64 = (off: number): bigint => b.readBigUInt64LE(0x800 + off);
  return {
    exit_reason: BigInt(b[0x800]!),
    esr: u64(0x100),
    far: u64(0x108),
    hpfar: u64(0x110),
    gprs: Array.from({ length: 31 }, (_, i) => u64(0x200 + 8 * i)),
    gicv3_hcr: u64(0x300),
    gicv3_lrs: Array.from({ length: 16 }, (_, i) => u64(0x308 + 8 * i)),
    gicv3_misr: u64(0x388),
    gicv3_vmcr: u64(0x390),
    cntp_ctl: u64(0x400),
    cntp_cval: u64(0x408),
    cntv_ctl: u64(0x410),
    cntv_cval: u64(0x418),
    ripas_base: u64(0x500),
    ripas_top: u64(0x508),
    ripas_value: BigInt(b[0x800 + 0x510]!),
    imm: BigInt(b.readUInt16LE(0x800 + 0x600)),
    pmu_ovf_status: BigInt(b[0x800 + 0x700]!),
  };
}

/** Every field zero, then `set`: what an exit must look like. */
function expected(set: Partial<Exit>): Exit {
  const zero: Exit = {
    exit_reason: 0n, esr: 0n, far: 0n, hpfar: 0n, gprs: new Array(31).fill(0n), gicv3_hcr: 0n, gicv3_lrs: new Array(16).fill(0n),
    gicv3_misr: 0n, gicv3_vmcr: 0n, cntp_ctl: 0n, cntp_cval: 0n, cntv_ctl: 0n, cntv_cval: 0n, ripas_base: 0n, ripas_top: 0n,
    ripas_value: 0n, imm: 0n, pmu_ovf_status: 0n,
  };
  return { ...zero, ...set };
}

/** gprs with the first values given, the rest zero. */
const gprs = (...v: bigint[]): bigint[] => [...v, ...new Array<bigint>(31 - v.length).fill(0n)];

/** Runs `actions` (the last one exits) on R.rec entered with RmiRecEnter `fields`; the run granule's exit and the REC after. */
function exitOf(actions: RealmAction[], s: RmmState = WORLD, fields: Record<string, bigint | bigint[]> = {}) {
  let t = enter(s, R.rec, RUN, fields);
  let last;
  for (const a of actions) {
    last = step(t, a);
    t = last.state;
  }
  expect(last?.exit).toBeDefined();
  return { exit: readExit(t), rec: t.recs.get(REC_GI)!, fields: last!.exit!, state: t };
}

const EC_DABT = 0x24n << 26n;
const EC_IABT = 0x20n << 26n;
const ISV = 1n << 24n;
const SF = 1n << 15n;
const WNR = 1n << 6n;
const IL = 1n << 25n;
const hpfar = (ipa: bigint): bigint => (ipa >> 12n) << 4n;

describe('REC exit fields per exit reason (A4.3; all others zero)', () => {
  it('IRQ and FIQ: the reason, esr zero', () => {
    expect(exitOf([{ kind: 'exit', reason: 'irq' }]).exit).toEqual(expected({ exit_reason: 1n }));
    expect(exitOf([{ kind: 'exit', reason: 'fiq' }]).exit).toEqual(expected({ exit_reason: 2n }));
  });

  it('SError: esr EC 0x2F with IDS, AET, EA, DFSC only (A4.3.10)', () => {
    // Default: AET UEO (0b010), DFSC asynchronous SError (0x11).
    expect(exitOf([{ kind: 'exit', reason: 'serror' }]).exit).toEqual(expected({ exit_reason: 6n, esr: (0x2fn << 26n) | (2n << 10n) | 0x11n }));
    // ISS bits outside IDS (24), AET (12:10), EA (9) and DFSC (5:0) are not shown; IL is not shown.
    const iss = (1n << 24n) | (1n << 13n) | (3n << 10n) | (1n << 9n) | (1n << 6n) | 0x11n;
    expect(exitOf([{ kind: 'exit', reason: 'serror', iss }]).exit.esr).toBe((0x2fn << 26n) | (1n << 24n) | (3n << 10n) | (1n << 9n) | 0x11n);
  });

  it('WFI / WFE / WFIT / WFET: esr EC 0x01 and ISS.TI; WFIT and WFET give the timeout in gprs[0] (A4.3.4.1)', () => {
    const trap = { flags: 3n << 2n };
    expect(exitOf([{ kind: 'wfx', instr: 'wfi' }], WORLD, trap).exit).toEqual(expected({ esr: 0x0400_0000n }));
    expect(exitOf([{ kind: 'wfx', instr: 'wfe' }], WORLD, trap).exit).toEqual(expected({ esr: 0x0400_0001n }));
    expect(exitOf([{ kind: 'wfx', instr: 'wfit', timeout: 0x1234n }], WORLD, trap).exit).toEqual(expected({ esr: 0x0400_0002n, gprs: gprs(0x1234n) }));
    expect(exitOf([{ kind: 'wfx', instr: 'wfet', timeout: 9n }], WORLD, trap).exit).toEqual(expected({ esr: 0x0400_0003n, gprs: gprs(9n) }));
  });

  it('Data Abort at a Protected IPA (UNASSIGNED RAM, DESTROYED): EC, DFSC, hpfar only; not emulatable', () => {
    for (const ipa of [P.ram, P.destroyed, P.assignedDestroyed]) {
      const r = exitOf([{ kind: 'access', ipa: ipa + 0x18n, access: 'write', size: 8, reg: 3, value: 5n }]);
      // EC 0x24, DFSC translation fault level 3 (0x07); no ISV / SAS / WnR / IL; far zero.
      expect(r.exit).toEqual(expected({ esr: EC_DABT | 0x07n, hpfar: hpfar(ipa) }));
      expect(r.rec.emulatableAbort).toBe(false);
    }
  });

  it('Instruction Abort at a Protected IPA: EC 0x20, IFSC, hpfar (A4.3.4.2)', () => {
    expect(exitOf([{ kind: 'access', ipa: P.ram + 0x40n, access: 'exec' }]).exit).toEqual(expected({ esr: EC_IABT | 0x07n, hpfar: hpfar(P.ram) }));
    expect(exitOf([{ kind: 'access', ipa: P.destroyed, access: 'exec' }]).exit).toEqual(expected({ esr: EC_IABT | 0x07n, hpfar: hpfar(P.destroyed) }));
  });

  it('emulatable Data Abort, read: ISV, SAS, SF; far is the offset in the granule; emulatable_abort set', () => {
    const r = exitOf([{ kind: 'access', ipa: U.unassigned + 0x7f8n, access: 'read', size: 8, reg: 7 }]);
    // SAS = 3 (8 bytes), SF = 1; SRT is not shown; DFSC translation fault level 3.
    expect(r.exit).toEqual(expected({ esr: EC_DABT | ISV | (3n << 22n) | SF | 0x07n, far: 0x7f8n, hpfar: hpfar(U.unassigned) }));
    expect(r.rec.emulatableAbort).toBe(true);
    // Half-word read: SAS = 1, SF = 0.
    const h = exitOf([{ kind: 'access', ipa: U.unassigned + 0x2n, access: 'read', size: 2, reg: 1 }]);
    expect(h.exit).toEqual(expected({ esr: EC_DABT | ISV | (1n << 22n) | 0x07n, far: 0x2n, hpfar: hpfar(U.unassigned) }));
  });

  it('emulatable Data Abort, write: WnR, and the value stored in gprs[0] (cut to the access size)', () => {
    const r = exitOf([{ kind: 'access', ipa: U.unassigned + 0x10n, access: 'write', size: 4, reg: 12, value: 0x1_2345_6789n }]);
    expect(r.exit).toEqual(expected({ esr: EC_DABT | ISV | (2n << 22n) | WNR | 0x07n, far: 0x10n, hpfar: hpfar(U.unassigned), gprs: gprs(0x2345_6789n) }));
    // The Realm's register keeps its whole value.
    expect(r.rec.gprs[12]).toBe(0x1_2345_6789n);
  });

  it('permission faults at ASSIGNED_NS are emulatable Data Aborts with a permission DFSC', () => {
    const w = exitOf([{ kind: 'access', ipa: U.ro + 0x8n, access: 'write', size: 8, reg: 0, value: 0xeen }]);
    expect(w.exit).toEqual(expected({ esr: EC_DABT | ISV | (3n << 22n) | SF | WNR | 0x0fn, far: 0x8n, hpfar: hpfar(U.ro), gprs: gprs(0xeen) }));
    const r = exitOf([{ kind: 'access', ipa: U.wo, access: 'read', size: 1, reg: 0 }]);
    expect(r.exit).toEqual(expected({ esr: EC_DABT | ISV | 0x0fn, far: 0n, hpfar: hpfar(U.wo) }));
  });

  it('non-emulatable Data Abort at an Unprotected IPA (ISV = 0): EC, IL, DFSC; no far, no gprs', () => {
    const r = exitOf([{ kind: 'access', ipa: U.unassigned + 0x10n, access: 'write', isv: false, value: 3n }]);
    expect(r.exit).toEqual(expected({ esr: EC_DABT | IL | 0x07n, hpfar: hpfar(U.unassigned) }));
    expect(r.rec.emulatableAbort).toBe(false);
    // At a level 1 entry: translation fault level 1 (0x05).
    expect(exitOf([{ kind: 'access', ipa: U.level1, access: 'read', isv: false }]).exit.esr).toBe(EC_DABT | IL | 0x05n);
  });

  it('PSCI: gprs[0] the FID and gprs[1..3] the arguments', () => {
    const r = exitOf([{ kind: 'call', regs: [0xc400_0003n, 1n, 0x8000n, 0x55n] }]);
    expect(r.exit).toEqual(expected({ exit_reason: 3n, gprs: gprs(0xc400_0003n, 1n, 0x8000n, 0x55n) }));
    expect(exitOf([{ kind: 'call', regs: [0x8400_0002n, 9n, 9n, 9n] }]).exit).toEqual(expected({ exit_reason: 3n, gprs: gprs(0x8400_0002n) }));
  });

  it('RIPAS change: ripas_base, ripas_top, ripas_value (A4.3.8)', () => {
    const r = exitOf([{ kind: 'call', regs: [fid('RSI_IPA_STATE_SET'), 0x3000n, 0x8000n, 1n, 1n] }]);
    expect(r.exit).toEqual(expected({ exit_reason: 4n, ripas_base: 0x3000n, ripas_top: 0x8000n, ripas_value: 1n }));
    expect([r.rec.ripasAddr, r.rec.ripasTop, r.rec.ripasValue, r.rec.ripasDestroyed]).toEqual([0x3000n, 0x8000n, 1, true]);
  });

  it('Host call: imm and gprs[0..30] from the RsiHostCall (A4.3.9)', () => {
    const addr = P.hostCall + 0x200n;
    const r = exitOf([
      { kind: 'access', ipa: addr, access: 'write', size: 2, value: 0xbeefn },
      { kind: 'access', ipa: addr + 8n, access: 'write', value: 0x11n },
      { kind: 'access', ipa: addr + 8n + 8n * 30n, access: 'write', value: 0x30n },
      { kind: 'call', regs: [fid('RSI_HOST_CALL'), addr] },
    ]);
    const want = gprs(0x11n);
    want[30] = 0x30n;
    expect(r.exit).toEqual(expected({ exit_reason: 5n, imm: 0xbeefn, gprs: want }));
    expect(r.rec.hostCallPending).toBe(true);
  });

  it('the GIC fields: the entered gicv3_hcr (Host bits) and implemented list registers; misr, vmcr, timers, PMU zero (D-EXIT-GIC)', () => {
    const lr = (id: bigint): bigint => (1n << 62n) | (0xa0n << 48n) | id;
    const four = world({ platform: { features0: 0x283fc104130n | (3n << 34n) } });
    const r = exitOf([{ kind: 'exit', reason: 'irq' }], four, { gicv3_hcr: (1n << 14n) | 2n, gicv3_lrs: [lr(30n), 0n, lr(8200n), lr(31n), lr(40n), lr(41n)] });
    expect(r.exit).toEqual(expected({ exit_reason: 1n, gicv3_hcr: (1n << 14n) | 2n, gicv3_lrs: [lr(30n), 0n, lr(8200n), lr(31n), ...new Array(12).fill(0n)] }));
  });
});

describe('what every REC exit does to the REC (A4.3.3, A4.3.4.3, A4.3.8)', () => {
  it('saves X0..X30 (the registers after the last call) and returns to REC_READY', () => {
    const r = exitOf([{ kind: 'call', regs: [fid('RSI_VERSION'), 0x1_0000n, 0n, 7n, 8n] }, { kind: 'exit', reason: 'irq' }]);
    expect(r.rec.state).toBe(RecState.REC_READY);
    expect(r.rec.gprs.slice(0, 5)).toEqual([0n, 0x1_0000n, 0x1_0000n, 0n, 8n]);
  });

  it('clears emulatable_abort and a finished RIPAS request on an exit of another kind', () => {
    const a = exitOf([{ kind: 'access', ipa: U.unassigned, access: 'read' }]);
    const b = exitOf([{ kind: 'exit', reason: 'irq' }], a.state);
    expect([a.rec.emulatableAbort, b.rec.emulatableAbort]).toEqual([true, false]);
    const c = exitOf([{ kind: 'call', regs: [fid('RSI_IPA_STATE_SET'), 0x3000n, 0x4000n, 0n, 0n] }]);
    const d = exitOf([{ kind: 'access', ipa: P.ram, access: 'read' }], c.state);
    expect([c.rec.ripasTop, d.rec.ripasAddr, d.rec.ripasTop]).toEqual([0x4000n, 0n, 0n]);
  });

  it('leaves the exit half of the run granule only: the enter half the Host wrote is kept', () => {
    const r = exitOf([{ kind: 'exit', reason: 'irq' }], WORLD, { gprs: [0x77n] });
    expect(Buffer.from(granuleBytes(r.state, granuleIndex(RUN))).readBigUInt64LE(0x200)).toBe(0x77n);
  });
});
