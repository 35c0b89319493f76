/**
 * Exception syndromes of the REC exits: ESR_EL2, HPFAR_EL2 and FAR_EL2 values built from the
 * Arm architecture's encodings, and the parts of them the Host is shown (DEN0137 A4.3.4,
 * A4.3.10; Arm ARM D24.2.43 ESR_EL2, D24.2.79 HPFAR_EL2).
 *
 * @packageDocumentation
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** ESR_EL2.EC values of the exceptions a Realm takes to R-EL2 (Arm ARM D24.2.43). @category REC execution */
export const ExceptionClass = {
  /** Trapped WFI, WFE, WFIT or WFET. */
  WFX: 0x01,
  /** Instruction Abort from a lower Exception level. */
  INSTRUCTION_ABORT: 0x20,
  /** Data Abort from a lower Exception level. */
  DATA_ABORT: 0x24,
  /** SError interrupt. */
  SERROR: 0x2f,
} as const;

/** ESR_EL2.EC field position. */
const EC_SHIFT = 26n;
/** ESR_EL2.IL: the trapped instruction was 32 bits long (Arm ARM D24.2.43). @category REC execution */
export const ESR_IL = 1n << 25n;
/** ISS.ISV: the syndrome describes the access (emulatable; DEN0137 A4.3.4.3). @category REC execution */
export const ESR_ISV = 1n << 24n;
/** ISS.SAS: access size, log2 of bytes. */
const SAS_SHIFT = 22n;
/** ISS.SSE: the load sign-extends; never shown to the Host (DEN0137 A4.3.4.3). @category REC execution */
export const ESR_SSE = 1n << 21n;
/** ISS.SRT: the transfer register. */
const SRT_SHIFT = 16n;
/** ISS.SF: the transfer register is 64 bits wide (Arm ARM D24.2.43). @category REC execution */
export const ESR_SF = 1n << 15n;
/** ISS.WnR: the access was a write (Arm ARM D24.2.43). @category REC execution */
export const ESR_WNR = 1n << 6n;

/** DFSC / IFSC values (Arm ARM D24.2.43, ISS encoding for Data and Instruction Aborts). @category REC execution */
export const FaultStatus = {
  /** Translation fault, level 0; level n is this + n. */
  TRANSLATION_L0: 0x04,
  /** Translation fault, level −1 (FEAT_LPA2). */
  TRANSLATION_LM1: 0x2b,
  /** Permission fault, level 0; level n is this + n. */
  PERMISSION_L0: 0x0c,
  /** Asynchronous SError interrupt (SError DFSC). */
  ASYNC_SERROR: 0x11,
} as const;

/** The ESR_EL2 bits the Host sees for an emulatable Data Abort: EC, ISV, SAS, SF, WnR and the ISS fields of every Data Abort (DEN0137 A4.3.4.3). */
const EMULATABLE_MASK = (0x3fn << EC_SHIFT) | ESR_ISV | (3n << SAS_SHIFT) | ESR_SF | ESR_WNR | (3n << 11n) | (1n << 10n) | (1n << 9n) | 0x3fn;
/** The ESR_EL2 bits the Host sees for a non-emulatable Data Abort at an Unprotected IPA: EC, IL, SET, FnV, EA, DFSC. */
const UNPROTECTED_MASK = (0x3fn << EC_SHIFT) | ESR_IL | (3n << 11n) | (1n << 10n) | (1n << 9n) | 0x3fn;
/** The ESR_EL2 bits the Host sees for a Data or Instruction Abort at a Protected IPA: EC, SET, FnV, EA, D/IFSC. */
const PROTECTED_MASK = (0x3fn << EC_SHIFT) | (3n << 11n) | (1n << 10n) | (1n << 9n) | 0x3fn;
/** The ESR_EL2 bits the Host sees for a WFx trap: EC and ISS.TI (DEN0137 A4.3.4.1). */
const WFX_MASK = (0x3fn << EC_SHIFT) | 3n;
/** The ESR_EL2 bits the Host sees for an SError: EC, ISS.IDS, AET, EA, DFSC (DEN0137 A4.3.10). */
const SERROR_MASK = (0x3fn << EC_SHIFT) | (1n << 24n) | (7n << 10n) | (1n << 9n) | 0x3fn;

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** The ESR_EL2 EC field of `ec` (Arm ARM D24.2.43). */
export function esrEc(ec: number): bigint {
  return BigInt(ec) << EC_SHIFT;
}

/** DFSC / IFSC of a translation fault at RTT level `level` (−1..3) (Arm ARM D24.2.43). */
export function translationFault(level: number): number {
  return level < 0 ? FaultStatus.TRANSLATION_LM1 : FaultStatus.TRANSLATION_L0 + level;
}

/** DFSC of a stage 2 permission fault at RTT level `level` (1..3) (Arm ARM D24.2.43). */
export function permissionFault(level: number): number {
  return FaultStatus.PERMISSION_L0 + level;
}

/** log2 of an access size in bytes (1, 2, 4, 8): the ISS.SAS encoding (Arm ARM D24.2.43). */
export function sasOf(size: number): bigint {
  return size === 1 ? 0n : size === 2 ? 1n : size === 4 ? 2n : 3n;
}

/** The access size in bytes that ISS.SAS of `esr` encodes (DEN0137 A4.2.3). @category REC execution */
export function accessSize(esr: bigint): number {
  return 1 << Number((esr >> SAS_SHIFT) & 3n);
}

/** ISS.SRT of `esr`: the register of the access (31 is XZR; DEN0137 A4.2.3). @category REC execution */
export function esrSrt(esr: bigint): number {
  return Number((esr >> SRT_SHIFT) & 0x1fn);
}

/**
 * ESR_EL2 of a Data Abort from a lower Exception level as the hardware reports it (DEN0137
 * A4.3.4.3): with ISV = 1 (`access` given) it describes the access (SAS, SRT, SF, WnR); IL = 1.
 */
export function dataAbortEsr(dfsc: number, access?: { readonly size: number; readonly reg: number; readonly write: boolean }): bigint {
  let esr = esrEc(ExceptionClass.DATA_ABORT) | ESR_IL | BigInt(dfsc);
  if (access !== undefined) {
    esr |= ESR_ISV | (sasOf(access.size) << SAS_SHIFT) | (BigInt(access.reg & 0x1f) << SRT_SHIFT);
    // SF: the transfer register is an X register, which an 8-byte access always uses.
    if (access.size === 8) esr |= ESR_SF;
  }
  if (access?.write === true) esr |= ESR_WNR;
  return esr;
}

/** ESR_EL2 of an Instruction Abort from a lower Exception level, IL = 1 (DEN0137 A4.3.4.2). */
export function instructionAbortEsr(ifsc: number): bigint {
  return esrEc(ExceptionClass.INSTRUCTION_ABORT) | ESR_IL | BigInt(ifsc);
}

/** ESR_EL2 of a trapped WFx; ISS.TI: 0 WFI, 1 WFE, 2 WFIT, 3 WFET; IL = 1 (DEN0137 A4.3.4.1). */
export function wfxEsr(ti: number): bigint {
  return esrEc(ExceptionClass.WFX) | ESR_IL | BigInt(ti & 3);
}

/** ESR_EL2 of an SError with syndrome `iss` (IDS, AET, EA, DFSC; other ISS bits dropped; DEN0137 A4.3.10). */
export function serrorEsr(iss: bigint): bigint {
  return esrEc(ExceptionClass.SERROR) | ESR_IL | (iss & SERROR_MASK & 0x1ff_ffffn);
}

// -------------------------------------------------------------------------------------
// what the Host sees
// -------------------------------------------------------------------------------------

/** exit.esr of an emulatable Data Abort: EC, ISV, SAS, SF, WnR, SET, FnV, EA, DFSC; never SSE or SRT (DEN0137 A4.3.4.3). */
export function emulatableAbortView(esr: bigint): bigint {
  return esr & EMULATABLE_MASK;
}

/** exit.esr of a non-emulatable Data Abort at an Unprotected IPA: also IL (DEN0137 A4.3.4.3). */
export function unprotectedAbortView(esr: bigint): bigint {
  return esr & UNPROTECTED_MASK;
}

/** exit.esr of a Data or Instruction Abort at a Protected IPA: EC, SET, FnV, EA, D/IFSC (DEN0137 A4.3.4.2, A4.3.4.3). */
export function protectedAbortView(esr: bigint): bigint {
  return esr & PROTECTED_MASK;
}

/** exit.esr of a WFx trap: EC and ISS.TI (DEN0137 A4.3.4.1). */
export function wfxView(esr: bigint): bigint {
  return esr & WFX_MASK;
}

/** exit.esr of an SError: EC, IDS, AET, EA, DFSC (DEN0137 A4.3.10). */
export function serrorView(esr: bigint): bigint {
  return esr & SERROR_MASK;
}

/** HPFAR_EL2 for a fault at `ipa`: FIPA (IPA[55:12]) in bits 43:4 (Arm ARM D24.2.79). @category REC execution */
export function hpfarOf(ipa: bigint): bigint {
  return ((ipa >> 12n) & ((1n << 44n) - 1n)) << 4n;
}

/** exit.far of an emulatable Data Abort: FAR_EL2 with every bit above the granule offset masked to zero (DEN0137 A4.3.4.3). */
export function farView(va: bigint): bigint {
  return va & 0xfffn;
}

// -------------------------------------------------------------------------------------
// decoding (what the Host reads back from an RmiRecExit)
// -------------------------------------------------------------------------------------

/** ESR_EL2.EC of `esr` (Arm ARM D24.2.43). @category REC execution */
export function ecOf(esr: bigint): number {
  return Number((esr >> EC_SHIFT) & 0x3fn);
}

/** Whether ESR_EL2.ISS.ISV is set: the syndrome describes the access (an emulatable abort; DEN0137 A4.3.4.3). @category REC execution */
export function isvOf(esr: bigint): boolean {
  return (esr & ESR_ISV) !== 0n;
}

/** The IPA of the granule HPFAR_EL2 `hpfar` names (the inverse of {@link hpfarOf}; Arm ARM D24.2.79). @category REC execution */
export function ipaOfHpfar(hpfar: bigint): bigint {
  return ((hpfar >> 4n) & ((1n << 44n) - 1n)) << 12n;
}

/** The kind and RTT level of a translation or permission fault status (DFSC / IFSC), or undefined for another status (Arm ARM D24.2.43). @category REC execution */
export function faultOf(fsc: number): { readonly fault: 'translation' | 'permission'; readonly level: number } | undefined {
  if (fsc === FaultStatus.TRANSLATION_LM1) return { fault: 'translation', level: -1 };
  if (fsc >= FaultStatus.TRANSLATION_L0 && fsc <= FaultStatus.TRANSLATION_L0 + 3) return { fault: 'translation', level: fsc - FaultStatus.TRANSLATION_L0 };
  if (fsc >= FaultStatus.PERMISSION_L0 && fsc <= FaultStatus.PERMISSION_L0 + 3) return { fault: 'permission', level: fsc - FaultStatus.PERMISSION_L0 };
  return undefined;
}
