/**
 * The GICv3 virtual CPU interface state the Host passes on REC entry and gets back on REC exit
 * (DEN0137 A6.1, B3.18 Gicv3ConfigIsValid; Arm GICv3/v4 ICH_HCR_EL2, ICH_LR<n>_EL2).
 *
 * @packageDocumentation
 */
import type { Platform } from '../model/platform.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** ICH_HCR_EL2 bits the Host controls: UIE, LRENPIE, NPIE, VGrp0EIE, VGrp0DIE, VGrp1EIE, VGrp1DIE, TDIR (DEN0137 A6.1). @category REC */
export const GICV3_HCR_HOST_BITS = 0b1111_1110n | (1n << 14n);

/** ICH_LR<n>_EL2.State: bits 63:62; 0 is Invalid. */
const LR_STATE_SHIFT = 62n;
/** ICH_LR<n>_EL2.HW: bit 61. */
const LR_HW = 1n << 61n;
/** ICH_LR<n>_EL2.pINTID: bits 44:32; with HW == 0, bit 41 is EOI and the rest RES0. */
const LR_PINTID = 0x1fffn << 32n;
/** ICH_LR<n>_EL2.EOI (pINTID bit 9 when HW == 0). */
const LR_EOI = 1n << 41n;
/** ICH_LR<n>_EL2.Priority: bits 55:48. */
const LR_PRIORITY_SHIFT = 48n;

// DECISION D-GIC: the model's GIC has 5 virtual priority bits (Priority[2:0] RES0), 16 virtual
// INTID bits, no Extended INTID range, and 1 + RmiFeatureRegister0.GICV3_NUM_LRS list registers.
// Gicv3ConfigIsValid has no body in the spec; TF-RMM's checks are used (HW == 0, RES0 priority
// bits, pINTID only EOI, vINTID valid, no vINTID in two valid LRs), only on implemented LRs.
/** Virtual priority bits the model's GIC implements (ICH_VTR_EL2.PRIbits + 1). */
const PRIORITY_BITS = 5;
/** Largest virtual INTID (ICH_VTR_EL2.IDbits: 16 bits). */
const MAX_VINTID = 0xffffn;
/** Largest SPI INTID; 1020..1023 are special and 1024..8191 reserved. */
const MAX_SPI = 1019n;
/** Smallest LPI INTID. */
const MIN_LPI = 8192n;

// -------------------------------------------------------------------------------------
// queries
// -------------------------------------------------------------------------------------

/** Number of list registers the platform's GIC implements: RmiFeatureRegister0.GICV3_NUM_LRS + 1 (DEN0137 A3.1.9). @category REC */
export function gicv3NumLrs(p: Platform): number {
  return p.features.gicv3NumLrs + 1;
}

function vintidIsValid(intid: bigint): boolean {
  return intid <= MAX_SPI || (intid >= MIN_LPI && intid <= MAX_VINTID);
}

/**
 * DEN0137 B3.18 Gicv3ConfigIsValid, A6.1: gicv3_hcr sets only Host-controlled bits, and every
 * implemented list register that is not Invalid has HW == 0, its RES0 priority bits clear, no
 * pINTID bit but EOI, a valid vINTID, and a vINTID no other valid list register has.
 * @category REC
 */
export function gicv3ConfigIsValid(p: Platform, hcr: bigint, lrs: readonly bigint[]): boolean {
  // Any ICH_HCR_EL2 bit outside UIE..VGrp1DIE and TDIR makes REC entry fail.
  if ((hcr & ~GICV3_HCR_HOST_BITS) !== 0n) return false;
  const n = gicv3NumLrs(p);
  const priRes0 = (1n << BigInt(8 - PRIORITY_BITS)) - 1n;
  const seen = new Set<bigint>();
  for (let i = 0; i < n; i++) {
    const lr = lrs[i] ?? 0n;
    if (lr >> LR_STATE_SHIFT === 0n) continue;
    const intid = lr & 0xffff_ffffn;
    if ((lr & LR_HW) !== 0n) return false;
    if (((lr >> LR_PRIORITY_SHIFT) & priRes0) !== 0n) return false;
    if ((lr & LR_PINTID & ~LR_EOI) !== 0n) return false;
    if (!vintidIsValid(intid) || seen.has(intid)) return false;
    seen.add(intid);
  }
  return true;
}
