/**
 * Pairs of failure conditions of RMI_RTT_MAP_UNPROTECTED and RMI_RTT_UNMAP_UNPROTECTED (DEN0137
 * B4.3.19, B4.3.22) whose answers differ: the INPUT conditions with the walk conditions
 * (RTT(walk.level)). See `support.ts`.
 */
import { rmiRttMapUnprotected, rmiRttUnmapUnprotected } from '../../src/index.js';
import { rdInput, rdRecipes, type RdKnob } from './states.js';
import { pairSpec, pairSuites } from './support.js';
import { IPA, KB4, NEW, U, nsDesc } from './rtt-world.js';

interface NsKnobs {
  rd: RdKnob;
  level: bigint;
  ipa: bigint;
  /** Added to the IPA, to make it unaligned to the level. */
  ipaOff: bigint;
  /** The descriptor's output address. */
  oa: bigint;
  /** A descriptor bit outside the Host's fields set (bit 10, AF). */
  attrBad: boolean;
}

function parts(k: Partial<NsKnobs>, ipa: bigint, level: bigint) {
  const r = rdInput(NEW(), k.rd);
  return { s: r.s, rd: r.rd, ipa: (k.ipa ?? ipa) + (k.ipaOff ?? 0n), level: k.level ?? level };
}

/**
 * Mapping at level 2 (by default an UNASSIGNED_NS level 2 entry, output address 0x8800_0000),
 * so that an output address can be unaligned to the level.
 */
const map = pairSpec<{ rd: bigint; ipa: bigint; level: bigint; desc: bigint }, NsKnobs>({
  command: rmiRttMapUnprotected,
  build: (k) => {
    const { s, ...rest } = parts(k, IPA.nsNoL3, 2n);
    return { s, input: { ...rest, desc: nsDesc(k.oa ?? 0x8800_0000n) | (k.attrBad === true ? 1n << 10n : 0n) } };
  },
  recipes: {
    attr_valid: { knobs: { attrBad: true } },
    ...rdRecipes,
    addr_align: { knobs: { oa: 0x8800_1000n } },
    // 2^48, aligned to every level, for a Realm without LPA2.
    addr_bound: { knobs: { oa: 1n << 48n } },
    ipa_align: { knobs: { ipaOff: KB4 } },
    // The walk to level 2 stops at an UNASSIGNED_NS level 1 entry.
    rtt_walk: { knobs: { ipa: IPA.nsNoL2 }, index: { rtt_walk: 1 } },
    // The ASSIGNED_NS level 2 block.
    rtte_state: { knobs: { ipa: IPA.nsBlock }, index: { rtte_state: 2 } },
  },
  overrides: {
    // Level 4 is no level: the walk to it stops at the UNASSIGNED_NS level 2 entry; no IPA or address is aligned to level 4.
    'level_bound|rtt_walk': { knobs: { level: 4n }, brings: ['ipa_align', 'addr_align'], index: { rtt_walk: 2 } },
    // Level 0: the walk ends at the starting level, at U a TABLE entry; U is not aligned to level 0 (512 GB).
    'level_bound|rtte_state': { knobs: { level: 0n, ipa: U, oa: 0n }, brings: ['ipa_align'], index: { rtte_state: 1 } },
    // Beyond the IPA space: UNASSIGNED_NS at level 1.
    'ipa_bound|rtt_walk': { knobs: { ipa: IPA.beyond }, index: { rtt_walk: 1 } },
    // A Protected IPA: the UNASSIGNED level 2 entry at MB2.
    'ipa_bound|rtte_state': { knobs: { ipa: IPA.noL3 }, index: { rtte_state: 2 } },
  },
});

/** Unmapping at level 3 (by default the ASSIGNED_NS page). */
const unmap = pairSpec<{ rd: bigint; ipa: bigint; level: bigint }, NsKnobs>({
  command: rmiRttUnmapUnprotected,
  build: (k) => {
    const { s, ...input } = parts(k, IPA.nsPage, 3n);
    return { s, input };
  },
  recipes: {
    ...rdRecipes,
    ipa_align: { knobs: { ipaOff: 8n } },
    // The walk to level 3 stops at the ASSIGNED_NS level 2 block.
    rtt_walk: { knobs: { ipa: IPA.nsBlock }, index: { rtt_walk: 2 } },
    // walk.rtte.state != ASSIGNED_NS: an UNASSIGNED_NS page.
    rtte_state: { knobs: { ipa: IPA.ns }, index: { rtte_state: 3 } },
  },
  overrides: {
    // Level 4: the walk goes down to the ASSIGNED_NS page at level 3; no IPA is aligned to level 4.
    'level_bound|rtt_walk': { knobs: { level: 4n }, brings: ['ipa_align'], index: { rtt_walk: 3 } },
    'level_bound|rtte_state': { knobs: { level: 0n, ipa: U }, brings: ['ipa_align'], index: { rtte_state: 1 } },
    // Beyond the IPA space: the walk stops at an UNASSIGNED_NS level 1 entry, which is not ASSIGNED_NS either.
    'ipa_bound|rtt_walk': { knobs: { ipa: IPA.beyond }, brings: ['rtte_state'], index: { rtt_walk: 1, rtte_state: 1 } },
    // A Protected IPA: an UNASSIGNED page.
    'ipa_bound|rtte_state': { knobs: { ipa: IPA.free }, index: { rtte_state: 3 } },
  },
});

pairSuites('RTT Unprotected', [map, unmap]);
