/**
 * Scrubbing: when the specification says a granule is wiped (it passes through DELEGATED on its
 * way between owners; DEN0137 A2.2.4), its old contents must be gone before anyone else can read
 * it, so nothing a Realm wrote is ever readable by the Host (TF-RMM zero-fills the granule before
 * RMM_GTSI_UNDELEGATE).
 *
 * @packageDocumentation
 */
import { granuleBytes, type GranuleIndex, type RmmState } from '@realmspec/core';
import { wipeGranule } from '@realmspec/core/internal';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The byte a scrubbed granule holds everywhere. */
export const SCRUB_BYTE = 0x00;

/** What {@link scrubGranule} did. */
export interface ScrubResult {
  /** The state with the granule scrubbed. */
  readonly state: RmmState;
  /** Whether the granule still held bytes other than the scrub value (the RMM had not wiped it). */
  readonly changed: boolean;
}

// -------------------------------------------------------------------------------------
// queries
// -------------------------------------------------------------------------------------

/** Whether granule `gi` holds the scrub value in every byte. */
export function isScrubbed(s: RmmState, gi: GranuleIndex): boolean {
  // DECISION D-MEM-SCRUB: the scrub value is zero, the value the RMM model wipes to (D-WIPE), so
  // that the one holder of memory and the memory model agree on what a wiped granule holds.
  // A granule that holds no bytes in the model reads as zeros: nothing to scan.
  if (!s.memory.has(gi)) return true;
  const g = granuleBytes(s, gi);
  for (let i = 0; i < g.length; i++) if (g[i] !== SCRUB_BYTE) return false;
  return true;
}

// -------------------------------------------------------------------------------------
// updates
// -------------------------------------------------------------------------------------

/**
 * DEN0137 A2.2.4: granule `gi` is scrubbed. The RMM model already wipes at every point the
 * specification requires, so normally nothing changes; `changed` reports the case where it did
 * not (the caller treats that as a divergence between the model and the platform).
 */
export function scrubGranule(s: RmmState, gi: GranuleIndex): ScrubResult {
  if (isScrubbed(s, gi)) return { state: s, changed: false };
  return { state: wipeGranule(s, gi), changed: true };
}
