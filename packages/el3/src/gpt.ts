/**
 * The Granule Protection Table EL3 owns: one GPI per 4 KB granule of the Protected Physical
 * Address space, set up at boot from the platform's memory map and changed only by EL3 (Arm ARM
 * D9 "Granule Protection Tables", GPCCR_EL3.PPS and PGS; TF-A `lib/gpt_rme`).
 *
 * The table is a value: a boot-time layout of regions plus a persistent map of the granules
 * whose GPI differs from it, so that every machine step can keep the old table.
 *
 * @packageDocumentation
 */
import { GRANULE_SHIFT, PMap, type GranuleIndex, type Platform } from '@realmspec/core';
import { Gpi, gpiOfCoreGpt } from './gpi.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Arm ARM D9 GPT: a physical range whose granules all start with one GPI. */
export interface GptRegion {
  /** First byte of the range. */
  readonly base: bigint;
  /** Length in bytes. */
  readonly size: bigint;
  /** The GPI every granule of the range has at boot. */
  readonly gpi: Gpi;
}

/** Arm ARM D9 GPT: the table, as EL3 holds it. */
export interface Gpt {
  /** GPCCR_EL3.PPS as a width in bits: the table covers PAs below 2^pps. */
  readonly pps: number;
  /** The boot layout: the first region containing a PA gives its GPI; elsewhere GPI_NS. */
  readonly regions: readonly GptRegion[];
  /** Granules (by index, PA >> 12) whose GPI differs from the boot layout. */
  readonly entries: PMap<Gpi>;
}

/** The result of a GPT lookup (Arm ARM D9 GPC: GPT walk). */
export type GptLookup =
  /** The PA lies in the Protected Physical Address space: the GPI of its granule. */
  | { readonly kind: 'gpi'; readonly gi: GranuleIndex; readonly gpi: Gpi }
  /** The PA lies at or above 2^PPS: no GPT entry covers it. */
  | { readonly kind: 'beyond_pps' };

/** Arm ARM D9 GPCCR_EL3.PPS: the protected physical address sizes the architecture encodes, in bits. */
export const PPS_WIDTHS: readonly number[] = [32, 36, 40, 42, 44, 48, 52];

const hashGpi = (g: Gpi): number => Math.imul(g + 1, 0x9e3779b1) >>> 0;

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * The PPS for platform `p`: the smallest architectural PPS that covers the platform's physical
 * address width, which RMI_FEATURES reports as S2SZ (DEN0137 B4.4.6; TF-RMM reports the PA range).
 */
export function ppsFor(p: Platform): number {
  // DECISION D-EL3-PPS: the GPT covers 2^PPS bytes with PPS the smallest GPCCR_EL3.PPS width at
  // least the platform's PA width (RmiFeatureRegister0.S2SZ, 48 by default: 256 TB). Every
  // delegable granule lies below it; an access at or above 2^PPS is a granule protection fault.
  return PPS_WIDTHS.find((w) => w >= p.features.s2sz) ?? 52;
}

/**
 * Arm ARM D9 GPT set-up at boot (TF-A `gpt_init_pas_l1_tables`): the platform's GPT carve-outs
 * (Secure, Root, any-access ranges) with their GPIs; every other granule below 2^PPS is GPI_NS.
 */
export function makeGpt(p: Platform, pps: number = ppsFor(p)): Gpt {
  // DECISION D-EL3-GRANULE: the GPT has one entry per 4 KB granule (GPCCR_EL3.PGS = 4 KB, the
  // RMM granule size), held flat; the level 0 / level 1 split of the architecture's table and
  // its contiguous descriptors are not modelled, as nothing the RMM or the Host sees depends on them.
  const regions = p.gpt.map((r) => ({ base: r.base, size: r.size, gpi: gpiOfCoreGpt(r.gpt) }));
  return { pps, regions, entries: PMap.empty<Gpi>(hashGpi) };
}

// -------------------------------------------------------------------------------------
// queries
// -------------------------------------------------------------------------------------

/** The GPI granule `gi` has in the boot layout (GPI_NS outside every region). */
export function layoutGpi(gpt: Gpt, gi: GranuleIndex): Gpi {
  const pa = BigInt(gi) << BigInt(GRANULE_SHIFT);
  for (const r of gpt.regions) if (pa >= r.base && pa < r.base + r.size) return r.gpi;
  return Gpi.NS;
}

/** Whether granule `gi` lies inside the Protected Physical Address space (below 2^PPS). */
export function inPps(gpt: Gpt, gi: GranuleIndex): boolean {
  return gi >= 0 && gi < 2 ** (gpt.pps - GRANULE_SHIFT);
}

/** Arm ARM D9 GPT walk: the GPI of granule `gi`, undefined beyond the PPS. */
export function gpiAt(gpt: Gpt, gi: GranuleIndex): Gpi | undefined {
  if (!inPps(gpt, gi)) return undefined;
  return gpt.entries.get(gi) ?? layoutGpi(gpt, gi);
}

/** Arm ARM D9 GPT walk for physical address `pa` (the lookup the memory model's GPC uses). */
export function gptLookup(gpt: Gpt, pa: bigint): GptLookup {
  if (pa < 0n || pa >> BigInt(gpt.pps) !== 0n) return { kind: 'beyond_pps' };
  const gi = Number(pa >> BigInt(GRANULE_SHIFT));
  return { kind: 'gpi', gi, gpi: gpt.entries.get(gi) ?? layoutGpi(gpt, gi) };
}

/** The granules whose GPI EL3 has changed since boot, with their GPI, in granule order. */
export function gptChanges(gpt: Gpt): Array<readonly [GranuleIndex, Gpi]> {
  return gpt.entries.entries().sort((a, b) => a[0] - b[0]);
}

// -------------------------------------------------------------------------------------
// updates
// -------------------------------------------------------------------------------------

/**
 * `gpt` with granule `gi` set to `gpi` (Arm ARM D9: EL3 writes the GPT entry, then invalidates
 * the GPT caches). An entry equal to the boot layout is dropped, so equal tables hold equal maps.
 */
export function withGpi(gpt: Gpt, gi: GranuleIndex, gpi: Gpi): Gpt {
  const entries = gpi === layoutGpi(gpt, gi) ? gpt.entries.delete(gi) : gpt.entries.set(gi, gpi);
  return { pps: gpt.pps, regions: gpt.regions, entries };
}
