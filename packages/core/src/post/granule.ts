/**
 * Post-conditions of RMI_GRANULE_DELEGATE and RMI_GRANULE_UNDELEGATE (DEN0137 B4.3.5.3,
 * B4.3.6.3), written from the spec's success tables.
 *
 * @packageDocumentation
 */
import type { PostDefinition } from '../engine/post.js';
import { GranuleState } from '../model/granule.js';
import { Gpt } from '../model/platform.js';
import { gi, Granule } from './view.js';

type GranuleInput = { readonly addr: bigint };

/** DEN0137 B4.3.5.3: the granule is DELEGATED and in the Realm PAS. */
export const granuleDelegatePost: PostDefinition<GranuleInput, Record<string, never>> = {
  success: {
    gran_state: (t) => Granule(t.post, t.input.addr).state === GranuleState.DELEGATED,
    gran_gpt: (t) => Granule(t.post, t.input.addr).gpt === Gpt.REALM,
    // A2.2.4: the contents are wiped on delegation. D-WIPE: the model wipes to zero, kept as "no bytes".
    gran_content: (t) => !t.post.memory.has(gi(t.input.addr)),
  },
  locate: { addr: (t) => gi(t.input.addr) },
};

/** DEN0137 B4.3.6.3: the granule is UNDELEGATED, back in the Non-secure PAS, its contents wiped. */
export const granuleUndelegatePost: PostDefinition<GranuleInput, Record<string, never>> = {
  success: {
    gran_gpt: (t) => Granule(t.post, t.input.addr).gpt === Gpt.NS,
    gran_state: (t) => Granule(t.post, t.input.addr).state === GranuleState.UNDELEGATED,
    // A2.2.4: wiped. D-WIPE: the model wipes to zero, which it keeps as "no bytes".
    gran_content: (t) => !t.post.memory.has(gi(t.input.addr)),
  },
  locate: { addr: (t) => gi(t.input.addr) },
};
