/**
 * RMI_GRANULE_DELEGATE and RMI_GRANULE_UNDELEGATE: moving granules between the Host and the
 * RMM (DEN0137 B4.3.5, B4.3.6, A2.2).
 *
 * @packageDocumentation
 */
import { defineCommand } from '../engine/command.js';
import { granuleIndex, type GranuleIndex } from '../model/bits.js';
import { GranuleState, granule, realmGranule } from '../model/granule.js';
import { wipeGranule } from '../model/memory.js';
import { Gpt } from '../model/platform.js';
import { granuleAt, withGranule, type RmmState } from '../model/state.js';
import { granuleArg } from './common.js';
import { granuleDelegatePost, granuleUndelegatePost } from '../post/granule.js';

/** What RMI_GRANULE_DELEGATE and RMI_GRANULE_UNDELEGATE read (DEN0137 B4.3.5, B4.3.6). @category Granule */
export interface GranuleCtx {
  readonly s: RmmState;
  readonly addr: bigint;
  readonly gi: GranuleIndex;
}

const context = (s: RmmState, i: { readonly addr: bigint }): GranuleCtx => ({ s, addr: i.addr, gi: granuleIndex(i.addr) });

/**
 * DEN0137 B4.3.5 RMI_GRANULE_DELEGATE: an UNDELEGATED granule in the Non-secure PAS becomes
 * DELEGATED and moves to the Realm PAS. Its contents are wiped (TF-RMM zero-fills them).
 * @category Granule
 */
export const rmiGranuleDelegate = defineCommand<{ readonly addr: bigint }, GranuleCtx, Record<string, never>>({
  name: 'RMI_GRANULE_DELEGATE',
  context,
  failures: {
    ...granuleArg<GranuleCtx>('gran', (c) => c.addr, GranuleState.UNDELEGATED),
    // B4.3.5.2 gran_gpt: only a granule in the Non-secure PAS can be delegated.
    gran_gpt: (c) => granuleAt(c.s, c.gi).gpt !== Gpt.NS,
  },
  // DECISION D-WIPE: delegation wipes to zero, so DELEGATED granules hold no bytes.
  apply: (c) => [wipeGranule(withGranule(c.s, c.gi, realmGranule(GranuleState.DELEGATED)), c.gi), {}],
  post: granuleDelegatePost,
});

/**
 * DEN0137 B4.3.6 RMI_GRANULE_UNDELEGATE: a DELEGATED granule goes back to the Host:
 * UNDELEGATED, GPT_NS, contents wiped.
 * @category Granule
 */
export const rmiGranuleUndelegate = defineCommand<{ readonly addr: bigint }, GranuleCtx, Record<string, never>>({
  name: 'RMI_GRANULE_UNDELEGATE',
  context,
  failures: granuleArg<GranuleCtx>('gran', (c) => c.addr, GranuleState.DELEGATED),
  apply: (c) => [wipeGranule(withGranule(c.s, c.gi, granule(GranuleState.UNDELEGATED, Gpt.NS)), c.gi), {}],
  post: granuleUndelegatePost,
});
