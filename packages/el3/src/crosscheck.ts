/**
 * The GPT cross-check: the RMM keeps its own view of every granule's GPT entry (DEN0137 A2.2.2,
 * the `gpt` attribute of a granule), and EL3 holds the table the hardware checks. The two must
 * agree on every granule at every step; this module lists where they do not.
 *
 * @packageDocumentation
 */
import { granuleAddr, granuleAt, gptName, type Gpt as CoreGpt, type GranuleIndex, type RmmState } from '@realmspec/core';
import { coreGptOfGpi, gpiName, type Gpi } from './gpi.js';
import { gpiAt, type Gpt } from './gpt.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One granule on which EL3's GPT and the RMM's view of it differ. */
export interface GptDisagreement {
  /** The granule. */
  readonly gi: GranuleIndex;
  /** EL3's GPI for it; undefined when it lies beyond the PPS. */
  readonly el3: Gpi | undefined;
  /** The RMM's GPT entry for it (DEN0137 C1.8). */
  readonly rmm: CoreGpt;
}

// -------------------------------------------------------------------------------------
// queries
// -------------------------------------------------------------------------------------

/** The granules where the two views could differ: every granule either side changed, and the edges of every platform range. */
function candidates(gpt: Gpt, s: RmmState): Set<GranuleIndex> {
  const out = new Set<GranuleIndex>();
  for (const [gi] of s.granules.entries()) out.add(gi);
  for (const [gi] of gpt.entries.entries()) out.add(gi);
  // The boot layouts of both come from the platform: compare the first and last granule of each range.
  for (const r of [...s.platform.gpt, ...s.platform.dram]) {
    if (r.size <= 0n) continue;
    out.add(Number(r.base >> 12n));
    out.add(Number((r.base + r.size - 1n) >> 12n));
  }
  return out;
}

/**
 * DEN0137 A2.2.2 against Arm ARM D9: every granule where EL3's GPI does not encode the RMM's
 * GPT entry (GPT_NS ↔ GPI_NS, GPT_REALM ↔ GPI_REALM, GPT_SECURE ↔ GPI_SECURE, GPT_ROOT ↔
 * GPI_ROOT, GPT_AAP ↔ GPI_ANY), in granule order. Empty when the views agree. Granules neither
 * side has changed since boot agree when the two boot layouts agree, which the range edges check.
 */
export function gptDisagreements(gpt: Gpt, s: RmmState): GptDisagreement[] {
  const out: GptDisagreement[] = [];
  for (const gi of [...candidates(gpt, s)].sort((a, b) => a - b)) {
    const el3 = gpiAt(gpt, gi);
    const rmm = granuleAt(s, gi).gpt;
    if (el3 === undefined || coreGptOfGpi(el3) !== rmm) out.push({ gi, el3, rmm });
  }
  return out;
}

/** One line per disagreement: `granule 0x80001000: EL3 GPI_NS, RMM GPT_REALM`. */
export function describeDisagreement(d: GptDisagreement): string {
  const el3 = d.el3 === undefined ? 'beyond the PPS' : gpiName[d.el3];
  return `granule 0x${granuleAddr(d.gi).toString(16)}: EL3 ${el3}, RMM ${gptName[d.rmm]}`;
}
