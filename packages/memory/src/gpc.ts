/**
 * The granule protection check: every physical access is checked against the GPI of the granule
 * it touches, looked up in EL3's GPT; an access the GPI does not permit for its PAS is a granule
 * protection fault (Arm ARM D9 "The Granule Protection Check", GPCF; AArch64.GPCFault).
 *
 * @packageDocumentation
 */
import { GRANULE_SIZE } from '@realmspec/core';
import { hex } from '@realmspec/core/internal';
import { Gpi, gptLookup, gpiName, type Gpt } from '@realmspec/el3';
import { Pas, pasName } from './pas.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Arm ARM D9: why the GPC refused an access. */
export type GpfCause =
  /** GPCF_Fail: the granule's GPI does not permit the access's PAS. */
  | 'gpi'
  /** The PA lies at or above 2^PPS, where no GPT entry permits anything (D-EL3-PPS). */
  | 'beyond_pps';

/** Arm ARM D9: a granule protection fault, with what the GPT said. */
export interface GranuleProtectionFault {
  readonly kind: 'gpf';
  /** The first byte of the access the check refused. */
  readonly pa: bigint;
  /** The PAS of the access. */
  readonly pas: Pas;
  /** The GPI of the granule; undefined beyond the PPS. */
  readonly gpi: Gpi | undefined;
  /** Why. */
  readonly cause: GpfCause;
}

// -------------------------------------------------------------------------------------
// checks
// -------------------------------------------------------------------------------------

/**
 * Arm ARM D9 GPC: whether GPI `gpi` permits an access in PAS `pas`: GPI_ANY permits all,
 * GPI_NO_ACCESS none, and each single-PAS GPI only its own PAS.
 */
export function gpiPermits(gpi: Gpi, pas: Pas): boolean {
  switch (gpi) {
    case Gpi.ANY:
      return true;
    case Gpi.NO_ACCESS:
      return false;
    case Gpi.SECURE:
      return pas === Pas.SECURE;
    case Gpi.NS:
      return pas === Pas.NON_SECURE;
    case Gpi.ROOT:
      return pas === Pas.ROOT;
    case Gpi.REALM:
      return pas === Pas.REALM;
  }
}

/** Arm ARM D9 GPC of a one-granule access at `pa` in PAS `pas`: undefined when permitted, else the fault. */
export function gpcCheck(gpt: Gpt, pa: bigint, pas: Pas): GranuleProtectionFault | undefined {
  const g = gptLookup(gpt, pa);
  if (g.kind === 'beyond_pps') return { kind: 'gpf', pa, pas, gpi: undefined, cause: 'beyond_pps' };
  return gpiPermits(g.gpi, pas) ? undefined : { kind: 'gpf', pa, pas, gpi: g.gpi, cause: 'gpi' };
}

/**
 * Arm ARM D9 GPC of an access of `len` bytes at `pa`: each granule it touches is checked, and the
 * first refused one is the fault (at `pa` itself for the first granule, at the granule's base
 * after). A zero-length access touches nothing.
 */
export function gpcCheckRange(gpt: Gpt, pa: bigint, len: number, pas: Pas): GranuleProtectionFault | undefined {
  if (len <= 0) return undefined;
  const g = BigInt(GRANULE_SIZE);
  const last = (pa + BigInt(len) - 1n) / g;
  for (let k = pa / g; k <= last; k++) {
    const f = gpcCheck(gpt, k === pa / g ? pa : k * g, pas);
    if (f !== undefined) return f;
  }
  return undefined;
}

/** One line for a fault: `GPF at 0x80001000: Non-secure PAS access to a GPI_REALM granule`. */
export function describeGpf(f: GranuleProtectionFault): string {
  const what = f.gpi === undefined ? 'a PA beyond the protected physical address space' : `a ${gpiName[f.gpi]} granule`;
  return `GPF at ${hex(f.pa)}: ${pasName[f.pas]} access to ${what}`;
}
