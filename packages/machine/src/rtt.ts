/**
 * How the Host builds a Realm's stage 2 tables: the starting level and number of concatenated
 * starting tables for an IPA width (DEN0137 A5.5.2–A5.5.3, RttConfigIsValid as DECISIONS
 * D-RTTCFG reads it), and creating the RTTs below an IPA down to a level (Linux KVM
 * `realm_create_rtt_levels`).
 *
 * @packageDocumentation
 */
import { alignDownToRttLevel, granuleIndex, rttLevelSize, rttStartTables, rttWalk, type Geometry } from '@realmspec/core';
import type { HostSession } from './session.js';

// -------------------------------------------------------------------------------------
// geometry
// -------------------------------------------------------------------------------------

/** The starting level of a Realm's RTTs and how many concatenated starting tables it has. */
export interface RttGeometry {
  /** RmiRealmParams.rtt_level_start. */
  readonly levelStart: number;
  /** RmiRealmParams.rtt_num_start. */
  readonly numStart: number;
}

/**
 * DEN0137 A5.5.3 (D-RTTCFG, no LPA2): the geometry with the highest starting level (fewest
 * levels, as Linux KVM chooses) that an IPA width of `ipaWidth` bits allows on a platform whose
 * PA width is `paWidth` and whose RTTs have the shape `g` (4 KB granule by default;
 * D-SMALL-SCOPE) (core `rttStartTables`, the RttConfigIsValid rule); undefined when none does.
 */
export function rttGeometry(g: Geometry, ipaWidth: number, paWidth: number): RttGeometry | undefined {
  // DECISION D-LAUNCH-RTT: of the geometries RttConfigIsValid allows, the one with the highest
  // starting level (fewest levels, concatenating up to 16 tables), as Linux KVM chooses; no LPA2.
  for (const levelStart of [3, 2, 1, 0]) {
    const numStart = rttStartTables(g, ipaWidth, levelStart, false, paWidth);
    if (numStart !== undefined) return { levelStart, numStart };
  }
  return undefined;
}

// -------------------------------------------------------------------------------------
// tables
// -------------------------------------------------------------------------------------

/**
 * Creates the RTTs the walk to `ipa` lacks, down to level `level` (DEN0137 B4.3.15
 * RMI_RTT_CREATE): for each missing level, a fresh Host granule is delegated and becomes the
 * table below the entry the walk reached. Returns the number of tables created.
 */
export function ensureTables(s: HostSession, rd: bigint, ipa: bigint, level = 3): number {
  const g = s.m.core.platform.geometry;
  let created = 0;
  for (;;) {
    const w = rttWalk(s.m.core, granuleIndex(rd), Number(ipa), level);
    if (w === undefined || w.level >= level) return created;
    const l = w.level + 1;
    const [rtt] = s.alloc(1) as [bigint];
    s.rmi('RMI_GRANULE_DELEGATE', { addr: rtt });
    // The new table covers one entry of level l − 1 (DEN0137 B4.3.15: ipa aligned to that level).
    s.rmi('RMI_RTT_CREATE', { rd, rtt, ipa: BigInt(alignDownToRttLevel(g, Number(ipa), l - 1)), level: BigInt(l) });
    created++;
  }
}

/** The number of level 2 and 3 tables of shape `g` that cover [base, base + size) when the starting level is 1 or 0 (a Host's estimate for its memory budget). */
export function tablesFor(g: Geometry, base: bigint, size: bigint, levelStart: number): number {
  let n = 0;
  for (let l = Math.max(levelStart + 1, 1); l <= 3; l++) {
    const span = BigInt(rttLevelSize(g, l - 1));
    n += Number((base + size - 1n) / span - base / span + 1n);
  }
  return n;
}
