/**
 * The GPT cross-check: the RMM keeps its own view of every granule's GPT entry (DEN0137 A2.2.2,
 * the `gpt` attribute of a granule), and EL3 holds the table the hardware checks. The two must
 * agree on every granule at every step; this module lists where they do not, over every granule
 * either side ever changed, or over those one step changed.
 *
 * @packageDocumentation
 */
import { granuleAt, granuleIndex, gptName, granuleAddr, type Gpt as CoreGpt, type GranuleIndex, type PMap, type RmmState } from '@realmspec/core';
import { hex } from '@realmspec/core/internal';
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

/** Adds every key of `m` to `out` (in no particular order: sorting is left to the report). */
function addKeys<V>(out: Set<GranuleIndex>, m: PMap<V>): void {
  m.some((k) => {
    out.add(k);
    return false;
  });
}

/** The granules where the two views could differ: every granule either side changed, and the edges of every platform range. */
function candidates(gpt: Gpt, s: RmmState): Set<GranuleIndex> {
  const out = new Set<GranuleIndex>();
  addKeys(out, s.granules);
  addKeys(out, gpt.entries);
  // The boot layouts of both come from the platform: compare the first and last granule of each range.
  for (const r of [...s.platform.gpt, ...s.platform.dram]) {
    if (r.size <= 0n) continue;
    out.add(granuleIndex(r.base));
    out.add(granuleIndex(r.base + r.size - 1n));
  }
  return out;
}

/** The disagreements among granules `gis`, in granule order (sorted here, where they are few). */
function disagreementsAt(gpt: Gpt, s: RmmState, gis: Iterable<GranuleIndex>): GptDisagreement[] {
  const out: GptDisagreement[] = [];
  for (const gi of gis) {
    const el3 = gpiAt(gpt, gi);
    const rmm = granuleAt(s, gi).gpt;
    if (el3 === undefined || coreGptOfGpi(el3) !== rmm) out.push({ gi, el3, rmm });
  }
  return out.length > 1 ? out.sort((a, b) => a.gi - b.gi) : out;
}

/**
 * DEN0137 A2.2.2 against Arm ARM D9: every granule where EL3's GPI does not encode the RMM's
 * GPT entry (GPT_NS ↔ GPI_NS, GPT_REALM ↔ GPI_REALM, GPT_SECURE ↔ GPI_SECURE, GPT_ROOT ↔
 * GPI_ROOT, GPT_AAP ↔ GPI_ANY), in granule order. Empty when the views agree. Granules neither
 * side has changed since boot agree when the two boot layouts agree, which the range edges check.
 */
export function gptDisagreements(gpt: Gpt, s: RmmState): GptDisagreement[] {
  return disagreementsAt(gpt, s, candidates(gpt, s));
}

/**
 * The granules whose entry changed on either side from (`gpt0`, `s0`) to (`gpt`, `s`), when the
 * later views were derived from the earlier ones by linear updates (PMap `changedSince`);
 * undefined when that cannot be told cheaply (then everything must be compared).
 */
export function gptChangedGranules(gpt0: Gpt, s0: RmmState, gpt: Gpt, s: RmmState): Set<GranuleIndex> | undefined {
  if (s.platform !== s0.platform || gpt.pps !== gpt0.pps || gpt.regions !== gpt0.regions) return undefined;
  const rmm = s.granules.changedSince(s0.granules);
  const el3 = rmm === undefined ? undefined : gpt.entries.changedSince(gpt0.entries);
  if (rmm === undefined || el3 === undefined) return undefined;
  const out = new Set<GranuleIndex>(rmm);
  for (const gi of el3) out.add(gi);
  return out;
}

/**
 * {@link gptDisagreements} after one step from (`gpt0`, `s0`) to (`gpt`, `s`): only the granules
 * either side changed in the step are compared, in O(changes) rather than O(granules ever
 * changed). Where the two views agreed before the step, the result is the same as the full
 * sweep's; an old disagreement the step did not touch is not repeated. Falls back to the full
 * sweep when the changes cannot be told ({@link gptChangedGranules}).
 */
export function gptDisagreementsSince(gpt0: Gpt, s0: RmmState, gpt: Gpt, s: RmmState): GptDisagreement[] {
  const changed = gptChangedGranules(gpt0, s0, gpt, s);
  return changed === undefined ? gptDisagreements(gpt, s) : disagreementsAt(gpt, s, changed);
}

/** One line per disagreement: `granule 0x80001000: EL3 GPI_NS, RMM GPT_REALM`. */
export function describeDisagreement(d: GptDisagreement): string {
  const el3 = d.el3 === undefined ? 'beyond the PPS' : gpiName[d.el3];
  return `granule ${hex(granuleAddr(d.gi))}: EL3 ${el3}, RMM ${gptName[d.rmm]}`;
}
