/**
 * Pairs of failure conditions of the DATA commands (RMI_DATA_CREATE, RMI_DATA_CREATE_UNKNOWN,
 * RMI_DATA_DESTROY; DEN0137 B4.3.1–B4.3.3) whose answers differ: the INPUT conditions with
 * realm_state (REALM) and the walk conditions (RTT with the level the walk reached), and
 * realm_state with the walk conditions. See `support.ts`.
 */
import { rmiDataCreate, rmiDataCreateUnknown, rmiDataDestroy, type RmmState } from '../../src/index.js';
import { G, OUTSIDE } from '../support/fixtures.js';
import { SRC, T } from '../rtt/support.js';
import { rdInput, rdRecipes, type RdKnob } from './states.js';
import { pairSpec, pairSuites, type Recipe } from './support.js';
import { ACTIVE, FREE_DATA, IPA, NEW } from './rtt-world.js';

interface DataKnobs {
  realm: 'new' | 'active';
  rd: RdKnob;
  /** The IPA (default: an UNASSIGNED level 3 entry for the CREATE commands, the DATA page for DESTROY). */
  ipa: bigint;
  /** Added to the IPA: 8 makes it unaligned. */
  ipaOff: bigint;
  flags: bigint;
  /** src: a Non-secure granule, unaligned inside it, outside DRAM, a delegated granule. */
  src: 'ok' | 'align' | 'bound' | 'pas';
  /** data: a DELEGATED granule, unaligned inside it, outside DRAM, an UNDELEGATED granule, at 2^48. */
  data: 'ok' | 'align' | 'bound' | 'state' | 'lpa2';
}

function parts(k: Partial<DataKnobs>, ipa: bigint): { s: RmmState; rd: bigint; ipa: bigint; data: bigint; src: bigint; flags: bigint } {
  const r = rdInput(k.realm === 'active' ? ACTIVE() : NEW(), k.rd);
  const data = { ok: FREE_DATA, align: FREE_DATA + 8n, bound: OUTSIDE, state: G(7), lpa2: 1n << 48n }[k.data ?? 'ok'];
  const src = { ok: SRC, align: SRC + 8n, bound: OUTSIDE, pas: T.spare }[k.src ?? 'ok'];
  return { s: r.s, rd: r.rd, ipa: (k.ipa ?? ipa) + (k.ipaOff ?? 0n), data, src, flags: k.flags ?? 0n };
}

/** The data recipes: OUTSIDE is not delegable and not DELEGATED; 2^48 is neither, and beyond a Realm without LPA2. */
const dataRecipes: Record<string, Recipe<DataKnobs>> = {
  data_align: { knobs: { data: 'align' } },
  data_bound: { knobs: { data: 'bound' }, brings: ['data_state'] },
  data_state: { knobs: { data: 'state' } },
  data_bound2: { knobs: { data: 'lpa2' }, brings: ['data_bound', 'data_state'] },
};

/** An unaligned IPA maps to the same entry: only ipa_align is added. */
const ipaAlign: Recipe<DataKnobs> = { knobs: { ipaOff: 8n } };

/**
 * The CREATE commands' walk conditions: walk.level < 3 (no level 3 RTT: the walk stops at an
 * UNASSIGNED level 2 entry), and walk.rtte.state != UNASSIGNED (the DATA page).
 * ipa_bound (!PROT): an Unprotected IPA with no level 3 RTT, where the walk stops at an
 * UNASSIGNED_NS level 2 entry: both walk conditions hold there too.
 */
const createWalk: Record<string, Recipe<DataKnobs>> = {
  ipa_align: ipaAlign,
  ipa_bound: { knobs: { ipa: IPA.nsNoL3 }, brings: ['rtt_walk', 'rtte_state'], index: { rtt_walk: 2, rtte_state: 2 } },
  rtt_walk: { knobs: { ipa: IPA.noL3 }, index: { rtt_walk: 2 } },
  rtte_state: { knobs: { ipa: IPA.data }, index: { rtte_state: 3 } },
};
const createOverrides = {
  'ipa_bound|rtt_walk': { knobs: { ipa: IPA.nsNoL3 }, brings: ['rtte_state'], index: { rtt_walk: 2, rtte_state: 2 } },
  // An UNASSIGNED_NS level 3 entry: the walk reaches level 3.
  'ipa_bound|rtte_state': { knobs: { ipa: IPA.ns }, index: { rtte_state: 3 } },
};

const dataCreate = pairSpec<{ rd: bigint; data: bigint; ipa: bigint; src: bigint; flags: bigint }, DataKnobs>({
  command: rmiDataCreate,
  build: (k) => {
    const { s, ...input } = parts(k, IPA.free);
    return { s, input };
  },
  recipes: {
    flags_valid: { knobs: { flags: 2n } },
    src_align: { knobs: { src: 'align' } },
    // OUTSIDE lies in no GPT range: GPT_NS, so src_pas does not hold.
    src_bound: { knobs: { src: 'bound' } },
    src_pas: { knobs: { src: 'pas' } },
    ...dataRecipes,
    ...rdRecipes,
    ...createWalk,
    realm_state: { knobs: { realm: 'active' } },
  },
  overrides: createOverrides,
  derived: {
    flags_valid: { status: 'RMI_ERROR_INPUT', reason: 'D-ENCODING: RmiDataFlags bits 63:1 are SBZ (B4.2), a row the spec table lacks; no ordering names it' },
  },
});

const dataCreateUnknown = pairSpec<{ rd: bigint; data: bigint; ipa: bigint }, DataKnobs>({
  command: rmiDataCreateUnknown,
  build: (k) => {
    const { s, rd, data, ipa } = parts(k, IPA.free);
    return { s, input: { rd, data, ipa } };
  },
  recipes: { ...dataRecipes, ...rdRecipes, ...createWalk },
  overrides: createOverrides,
});

/**
 * RMI_DATA_DESTROY's walk conditions: walk.level < 3, and walk.rtte.state != ASSIGNED, which also
 * holds where the walk stops early (at an UNASSIGNED or UNASSIGNED_NS level 2 entry).
 */
const dataDestroy = pairSpec<{ rd: bigint; ipa: bigint }, DataKnobs>({
  command: rmiDataDestroy,
  build: (k) => {
    const { s, rd, ipa } = parts(k, IPA.data);
    return { s, input: { rd, ipa } };
  },
  recipes: {
    ...rdRecipes,
    ipa_align: ipaAlign,
    ipa_bound: { knobs: { ipa: IPA.nsNoL3 }, brings: ['rtt_walk', 'rtte_state'], index: { rtt_walk: 2, rtte_state: 2 } },
    rtt_walk: { knobs: { ipa: IPA.noL3 }, brings: ['rtte_state'], index: { rtt_walk: 2, rtte_state: 2 } },
    rtte_state: { knobs: { ipa: IPA.free }, index: { rtte_state: 3 } },
  },
  overrides: createOverrides,
});

pairSuites('DATA', [dataCreate, dataCreateUnknown, dataDestroy]);
