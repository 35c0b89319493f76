/**
 * The spec's view of Realm execution, for post-conditions of REC entry, REC exit and the Realm's
 * RSI and PSCI calls (DEN0137 A4, A5.2, A5.4, A7.1, B3, B4.4.15–B4.4.17, B5.4): memory contents,
 * where a Protected IPA leads, the RmiRecRun structure, exit reasons and syndromes, the RIPAS
 * change response and RemExtend. Written from the spec text and the Arm ARM encodings,
 * independently of the code that `apply` runs; only the model's record types are shared.
 *
 * @internal
 * @packageDocumentation
 */
import type { MeasurementDigest } from '../model/platform.js';
import { decodeStruct, type StructValue } from '../model/layout.js';
import { HashAlgorithm, type Realm as RealmRecord } from '../model/realm.js';
import type { Rec as RecRecord } from '../model/rec.js';
import { Ripas, RttEntryState } from '../model/rtt.js';
import type { RmmState } from '../model/state.js';
import { RmiRecEnter, RmiRecExit } from '../model/structs.js';
import { GRANULE, gi, pa, Realm, RttLevelSize, RttWalk } from './view.js';

// -------------------------------------------------------------------------------------
// Realm calls
// -------------------------------------------------------------------------------------

/** A Realm call as its post-conditions read it: the calling REC and the inputs by catalogue name (DEN0137 B5.1). */
export interface RealmCall {
  /** Granule index of the calling REC, CurrentRec(). */
  readonly recGi: number;
  /** The function id. */
  readonly fid: number;
  /** Inputs by catalogue name. */
  readonly regs: Readonly<Record<string, bigint>>;
}

/** Why a Realm call ends in a REC exit, as far as post-conditions read it (DEN0137 A4.3). */
export interface RealmExitCause {
  /** The kind of exit: `ripas_change`, `host_call`, `psci`, `data_abort`, ... */
  readonly kind: string;
  /** For a RIPAS change: exit.ripas_base. */
  readonly base?: bigint;
  /** For a RIPAS change: exit.ripas_top. */
  readonly top?: bigint;
  /** For a RIPAS change: exit.ripas_value. */
  readonly value?: number;
  /** For a Host call: exit.imm. */
  readonly imm?: bigint;
  /** For a Host call: exit.gprs[0..30]; for PSCI: exit.gprs[0..3] (the FID and the sanitised arguments). */
  readonly gprs?: readonly bigint[];
  /** For PSCI: the call names an MPIDR, so the exit sets rec.psci_pending (A4.3.7). */
  readonly pending?: boolean;
  /** For PSCI: the result the RMM gives the Realm itself on the next entry, if it completes the call (D-PSCI-REGS). */
  readonly result?: bigint | undefined;
}

/** What a Realm call did: return to the Realm with X0 and outputs, or a REC exit (DEN0137 A4.3.4). */
export type RealmResult =
  | { readonly kind: 'return'; readonly x0: bigint; readonly outputs: Readonly<Record<string, bigint>> }
  | { readonly kind: 'exit'; readonly cause: RealmExitCause };

/** Output `name` of a call that returned to the Realm, or undefined (the call made a REC exit or has no such output). */
export function output(r: RealmResult, name: string): bigint | undefined {
  return r.kind === 'return' ? r.outputs[name] : undefined;
}

/** Input `name` of a Realm call (zero when absent, as an unset register). */
export function input(c: RealmCall, name: string): bigint {
  return c.regs[name] ?? 0n;
}

/** B3.16 CurrentRec(): the calling REC. */
export function CurrentRec(s: RmmState, c: RealmCall): RecRecord | undefined {
  return s.recs.get(c.recGi);
}

/** B3.15 CurrentRealm(): the Realm of the calling REC, with its RD's PA. */
export function CurrentRealm(s: RmmState, c: RealmCall): { readonly rd: bigint; readonly realm: RealmRecord } | undefined {
  const rec = CurrentRec(s, c);
  if (rec === undefined) return undefined;
  const realm = Realm(s, pa(rec.owner));
  return realm === undefined ? undefined : { rd: pa(rec.owner), realm };
}

// -------------------------------------------------------------------------------------
// memory
// -------------------------------------------------------------------------------------

const ZEROS = new Uint8Array(Number(GRANULE));

/** B3.28 ReadMemory, for a whole granule: the 4096 bytes of the granule at `addr` (zeros where nothing was written). */
export function Memory(s: RmmState, addr: bigint): Uint8Array {
  return s.memory.get(gi(addr)) ?? ZEROS;
}

/** The little-endian doubleword at byte `off` of `b` (B1.8: structures are little-endian). */
export function u64At(b: Uint8Array, off: number): bigint {
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[off + i] ?? 0);
  return v;
}

/** B3.41 RecRun(run_ptr).enter: the RmiRecEnter at `run` (B4.4.15). */
export function RecRunEnter(s: RmmState, run: bigint): StructValue {
  return decodeStruct(RmiRecEnter, Memory(s, run));
}

/** B3.41 RecRun(run_ptr).exit: the RmiRecExit at `run` (B4.4.16). */
export function RecRunExit(s: RmmState, run: bigint): StructValue {
  return decodeStruct(RmiRecExit, Memory(s, run));
}

/** RmiRecEnterFlags (B4.4.16): bit positions of emul_mmio, inject_sea, trap_wfi, trap_wfe, ripas_response. */
export const EnterFlag = { emul_mmio: 0n, inject_sea: 1n, trap_wfi: 2n, trap_wfe: 3n, ripas_response: 4n } as const;

/** Whether flag `f` (an {@link EnterFlag} bit) is set in enter.flags value `flags`. */
export function enterFlag(flags: bigint, f: bigint): boolean {
  return ((flags >> f) & 1n) === 1n;
}

// -------------------------------------------------------------------------------------
// Protected IPAs
// -------------------------------------------------------------------------------------

/**
 * Where the Protected IPA `ipa` of the Realm at `rd` leads (A5.2.3, D-RSI-MEM): `page` (HIPAS
 * ASSIGNED, RIPAS RAM) with the PA it maps to; `empty` (RIPAS EMPTY, whatever the HIPAS);
 * `unmapped` (HIPAS UNASSIGNED with RIPAS RAM, or RIPAS DESTROYED), with the level the walk
 * stopped at. Undefined when the walk fails (no such Realm, IPA outside its space).
 */
export function ProtectedIpa(s: RmmState, rd: bigint, ipa: bigint): { readonly kind: 'page'; readonly pa: bigint } | { readonly kind: 'empty' } | { readonly kind: 'unmapped'; readonly level: number } | undefined {
  const w = RttWalk(s, rd, ipa, 3);
  if (w === undefined) return undefined;
  const e = w.rtte;
  if (e.ripas === Ripas.EMPTY) return { kind: 'empty' };
  if (e.state === RttEntryState.ASSIGNED && e.ripas === Ripas.RAM) return { kind: 'page', pa: BigInt(e.addr) + (ipa % RttLevelSize(s, w.level)) };
  return { kind: 'unmapped', level: w.level };
}

/** The RIPAS of the Protected IPA `ipa` of the Realm at `rd` (A5.2.2), and the span of the RTT entry that holds it. */
export function IpaRipas(s: RmmState, rd: bigint, ipa: bigint): { readonly ripas: number; readonly top: bigint } | undefined {
  const w = RttWalk(s, rd, ipa, 3);
  if (w === undefined) return undefined;
  const size = RttLevelSize(s, w.level);
  return { ripas: w.rtte.ripas, top: ipa - (ipa % size) + size };
}

// -------------------------------------------------------------------------------------
// REC exits
// -------------------------------------------------------------------------------------

/** RmiRecExitReason (B4.4.17). */
export const ExitReason = { SYNC: 0, IRQ: 1, FIQ: 2, PSCI: 3, RIPAS_CHANGE: 4, HOST_CALL: 5, SERROR: 6 } as const;

/** ESR_EL2.EC values of the exceptions that cause a REC exit (Arm ARM D24.2.43; A4.3.4, A4.3.10). */
export const Ec = { WFX: 0x01, IABT: 0x20, DABT: 0x24, SERROR: 0x2f } as const;

/** Bit masks of ESR_EL2 fields (Arm ARM D24.2.43). */
export const Esr = {
  EC: 0x3fn << 26n,
  IL: 1n << 25n,
  ISV: 1n << 24n,
  IDS: 1n << 24n,
  SAS: 3n << 22n,
  SSE: 1n << 21n,
  SRT: 0x1fn << 16n,
  SF: 1n << 15n,
  SET: 3n << 11n,
  AET: 7n << 10n,
  FNV: 1n << 10n,
  EA: 1n << 9n,
  WNR: 1n << 6n,
  FSC: 0x3fn,
  TI: 3n,
} as const;

/** ESR_EL2.EC of `esr`. */
export function esrEc(esr: bigint): number {
  return Number((esr & Esr.EC) >> 26n);
}

/** ESR_EL2.ISS.SRT of `esr`: the register of a Data Abort's access (31: XZR). */
export function esrSrt(esr: bigint): number {
  return Number((esr & Esr.SRT) >> 16n);
}

/** The access size in bytes ESR_EL2.ISS.SAS of `esr` gives (1 << SAS). */
export function esrAccessBytes(esr: bigint): number {
  return 1 << Number((esr & Esr.SAS) >> 22n);
}

/**
 * The ESR_EL2 bits a REC exit may show for exit reason SYNC and the syndrome's EC, at an IPA
 * that is `where` (A4.3.4.1 WFx: EC, TI; A4.3.4.2 Instruction Abort: EC, SET, EA, IFSC;
 * A4.3.4.3 Data Abort: EC, SET, FnV, EA, DFSC, plus ISV, SAS, SF, WnR when emulatable, plus IL at
 * an Unprotected IPA when not), or undefined for an EC that causes no such exit.
 */
export function syncEsrMask(ec: number, where: 'emulatable' | 'unprotected' | 'protected'): bigint | undefined {
  switch (ec) {
    case Ec.WFX:
      return Esr.EC | Esr.TI;
    case Ec.IABT:
      return Esr.EC | Esr.SET | Esr.EA | Esr.FSC;
    case Ec.DABT: {
      const every = Esr.EC | Esr.SET | Esr.FNV | Esr.EA | Esr.FSC;
      if (where === 'emulatable') return every | Esr.ISV | Esr.SAS | Esr.SF | Esr.WNR;
      return where === 'unprotected' ? every | Esr.IL : every;
    }
    default:
      return undefined;
  }
}

/** The ESR_EL2 bits an exit due to SError may show: EC, IDS, AET, EA, DFSC (A4.3.10). */
export const SERROR_ESR_MASK = Esr.EC | Esr.IDS | Esr.AET | Esr.EA | Esr.FSC;

/** HPFAR_EL2.FIPA (bits 43:4, IPA[55:12]) of `hpfar` as the IPA of the faulting granule (Arm ARM D24.2.79). */
export function hpfarIpa(hpfar: bigint): bigint {
  return ((hpfar >> 4n) & ((1n << 44n) - 1n)) << 12n;
}

/** The ICH_HCR_EL2 fields exit.gicv3_hcr may show: EOIcount (31:27), UIE, LRENPIE, NPIE, VGrp0EIE, VGrp0DIE, VGrp1EIE, VGrp1DIE (1..7) and TDIR (14) (A6.1). */
export const EXIT_HCR_FIELDS = (0x1fn << 27n) | (0x7fn << 1n) | (1n << 14n);

/** The ICH_HCR_EL2 fields the Host sets on entry: UIE, LRENPIE, NPIE, VGrp0EIE, VGrp0DIE, VGrp1EIE, VGrp1DIE and TDIR (A6.1). */
export const ENTER_HCR_FIELDS = (0x7fn << 1n) | (1n << 14n);

// -------------------------------------------------------------------------------------
// RIPAS change and measurements
// -------------------------------------------------------------------------------------

/** RsiResponse (B5.4.6): RSI_ACCEPT 0, RSI_REJECT 1. */
export const RsiResponse = { ACCEPT: 0n, REJECT: 1n } as const;

/** B3.40 RecRipasChangeResponse(rec): REJECT when the change asked for RAM, did not complete, and the Host rejected it. */
export function RecRipasChangeResponse(rec: Pick<RecRecord, 'ripasValue' | 'ripasAddr' | 'ripasTop' | 'ripasResponse'>): bigint {
  if (rec.ripasValue === Ripas.RAM && rec.ripasAddr !== rec.ripasTop && rec.ripasResponse === 1) return RsiResponse.REJECT;
  return RsiResponse.ACCEPT;
}

/**
 * B3.42 RemExtend(hash_algo, old, value, size), A7.1.2: the RHA over the old measurement (its
 * hash-size prefix) followed by the first `size` bytes of the 64-byte value, zero-filled to 64
 * bytes (D-REM: `size` bytes are hashed, not a zero-padded 64-byte value). The RHA is the
 * platform's digest primitive `digest` (SHA, or symbolic: D-SYMBOLIC-MEASURE).
 */
export function RemExtend(digest: MeasurementDigest, hashAlgo: HashAlgorithm, old: Uint8Array, value: Uint8Array, size: number): Uint8Array {
  const len = hashAlgo === HashAlgorithm.SHA_512 ? 64 : 32;
  const out = new Uint8Array(64);
  out.set(digest(hashAlgo, [old.subarray(0, len), value.subarray(0, size)]));
  return out;
}

/** The 64 bytes of eight doublewords, little-endian (B5.3.7: value_0 holds bytes 0..7). */
export function doublewordBytes(v: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(8 * v.length);
  v.forEach((x, i) => {
    let y = BigInt.asUintN(64, x);
    for (let k = 0; k < 8; k++) {
      out[8 * i + k] = Number(y & 0xffn);
      y >>= 8n;
    }
  });
  return out;
}
