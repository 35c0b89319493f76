/**
 * Pairs of failure conditions of RMI_RTT_CREATE, RMI_RTT_DESTROY and RMI_RTT_FOLD (DEN0137
 * B4.3.15–B4.3.17) whose answers differ: the INPUT conditions with the walk conditions
 * (RTT(walk.level)) and with rtt_live / rtt_homo (RTT(level)), and the walk conditions with
 * rtt_live / rtt_homo. See `support.ts`.
 */
import { rmiRttCreate, rmiRttDestroy, rmiRttFold } from '../../src/index.js';
import { G, OUTSIDE } from '../support/fixtures.js';
import { T } from '../rtt/support.js';
import { rdInput, rdRecipes, type RdKnob } from './states.js';
import { pairSpec, pairSuites, type Exclusion, type Override, type Recipe } from './support.js';
import { IPA, KB4, NEW, U, narrowed } from './rtt-world.js';

interface RttKnobs {
  rd: RdKnob;
  /** The level input: the level of the RTT created, destroyed or folded. */
  level: bigint;
  ipa: bigint;
  /** Added to the IPA: KB4 makes it unaligned to level − 1 (for level 3). */
  ipaOff: bigint;
  /** The Realm's IPA width narrowed to 37 bits (see `narrowed`). */
  narrow: boolean;
  /** rtt (RMI_RTT_CREATE): a DELEGATED granule, unaligned inside it, outside DRAM, UNDELEGATED, at 2^48. */
  rtt: 'ok' | 'align' | 'bound' | 'state' | 'lpa2';
}

function parts(k: Partial<RttKnobs>, ipa: bigint) {
  const r = rdInput(k.narrow === true ? narrowed(NEW()) : NEW(), k.rd);
  return { s: r.s, rd: r.rd, ipa: (k.ipa ?? ipa) + (k.ipaOff ?? 0n), level: k.level ?? 3n };
}

/** An IPA unaligned to level 2 maps to the same level 2 entry: only ipa_align is added. */
const ipaAlign: Recipe<RttKnobs> = { knobs: { ipaOff: KB4 } };

/** Level 4 is no level, and IPA GB has no level 2 RTT: the walk to level 3 stops at an UNASSIGNED level 1 entry. */
const levelBoundWalk = { knobs: { level: 4n, ipa: IPA.noL2 } };
/** Level 1, the starting level: the walk to level 0 ends at the starting level, at IPA 0 a TABLE entry (the live, inhomogeneous level 2 RTT). */
const startLevel = { knobs: { level: 1n, ipa: 0n } };
/** Beyond the IPA space, in the starting RTT: UNASSIGNED_NS at level 1. */
const beyond = { knobs: { ipa: IPA.beyond } };

const create = pairSpec<{ rd: bigint; rtt: bigint; ipa: bigint; level: bigint }, RttKnobs>({
  command: rmiRttCreate,
  build: (k) => {
    const { s, ...rest } = parts(k, IPA.noL3);
    const rtt = { ok: T.spare, align: T.spare + 8n, bound: OUTSIDE, state: G(7), lpa2: 1n << 48n }[k.rtt ?? 'ok'];
    return { s, input: { ...rest, rtt } };
  },
  recipes: {
    ...rdRecipes,
    ipa_align: ipaAlign,
    rtt_align: { knobs: { rtt: 'align' } },
    rtt_bound: { knobs: { rtt: 'bound' }, brings: ['rtt_state'] },
    rtt_state: { knobs: { rtt: 'state' } },
    rtt_bound2: { knobs: { rtt: 'lpa2' }, brings: ['rtt_bound', 'rtt_state'] },
    // walk.level < level − 1: no level 2 RTT at GB.
    rtt_walk: { knobs: { ipa: IPA.noL2 }, index: { rtt_walk: 1 } },
    // walk.rtte.state == TABLE: the level 3 RTT at 0 exists.
    rtte_state: { knobs: { ipa: 0n }, index: { rtte_state: 2 } },
  },
  overrides: {
    'level_bound|rtt_walk': { ...levelBoundWalk, index: { rtt_walk: 1 } },
    'level_bound|rtte_state': { ...startLevel, index: { rtte_state: 1 } },
    'ipa_bound|rtt_walk': { ...beyond, index: { rtt_walk: 1 } },
    // The level 3 RTT at U exists; U is beyond the narrowed IPA space.
    'ipa_bound|rtte_state': { knobs: { narrow: true, ipa: U }, index: { rtte_state: 2 } },
  },
});

/** RMI_RTT_DESTROY and RMI_RTT_FOLD: rtte_state is walk.rtte.state != TABLE, which also holds where the walk stops early. */
function structure(last: 'rtt_live' | 'rtt_homo', what: string): { recipes: Record<string, Recipe<RttKnobs>>; overrides: Record<string, Override<RttKnobs>> } {
  const noTable: Exclusion = { exclusive: `${last} reads the child of a TABLE entry at level − 1; the walk conditions hold only when the walk stops at, or reaches, an entry that is not TABLE` };
  return {
    recipes: {
      ...rdRecipes,
      ipa_align: ipaAlign,
      rtt_walk: { knobs: { ipa: IPA.noL2 }, brings: ['rtte_state'], index: { rtt_walk: 1, rtte_state: 1 } },
      // The level 2 entry at MB2 is UNASSIGNED.
      rtte_state: { knobs: { ipa: IPA.noL3 }, index: { rtte_state: 2 } },
      // The level 3 RTT at 0 maps the DATA page: live, and not homogeneous.
      [last]: { knobs: { ipa: 0n }, index: { [last]: 3 } },
    },
    overrides: {
      'level_bound|rtt_walk': { ...levelBoundWalk, brings: ['rtte_state'], index: { rtt_walk: 1, rtte_state: 1 } },
      // The walk to level 3 reaches the ASSIGNED_NS page.
      'level_bound|rtte_state': { knobs: { level: 4n, ipa: IPA.nsPage }, index: { rtte_state: 3 } },
      // No ordering: [level_bound, ipa_bound] < [rtt_walk, rtte_state] only. The level 2 RTT at 0 is live and not homogeneous.
      [`level_bound|${last}`]: { ...startLevel, index: { [last]: 1 } },
      'ipa_bound|rtt_walk': { ...beyond, brings: ['rtte_state'], index: { rtt_walk: 1, rtte_state: 1 } },
      'ipa_bound|rtte_state': { knobs: { ipa: IPA.beyond, level: 2n }, index: { rtte_state: 1 } },
      [`ipa_bound|${last}`]: { unreachable: `RMI_RTT_CREATE's ipa_bound keeps every TABLE entry inside the IPA space (no starting entry straddles its top, RttConfigIsValid): no ${what} RTT lies beyond it` },
      [`rtt_walk|${last}`]: noTable,
      [`rtte_state|${last}`]: noTable,
    },
  };
}

const destroy = pairSpec<{ rd: bigint; ipa: bigint; level: bigint }, RttKnobs>({
  command: rmiRttDestroy,
  build: (k) => {
    // The level 3 RTT at U holds ASSIGNED_NS entries only: not live.
    const { s, ...input } = parts(k, U);
    return { s, input };
  },
  ...structure('rtt_live', 'live'),
});

const fold = pairSpec<{ rd: bigint; ipa: bigint; level: bigint }, RttKnobs>({
  command: rmiRttFold,
  build: (k) => {
    const { s, ...input } = parts(k, IPA.foldable);
    return { s, input };
  },
  ...structure('rtt_homo', 'inhomogeneous'),
});

pairSuites('RTT structure', [create, destroy, fold]);
