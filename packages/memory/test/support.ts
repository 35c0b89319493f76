/**
 * Test support: an EL3 GPT that matches an RMM model state granule for granule (built here from
 * the state, as the machine builds it from commands), for tests of the memory model alone.
 */
import type { RmmState } from '@realmspec/core';
import { gpiOfCoreGpt, makeGpt, withGpi, type Gpt } from '@realmspec/el3';

/** EL3's GPT as it would be after the commands that led to `s`. */
export function gptOf(s: RmmState): Gpt {
  let gpt = makeGpt(s.platform);
  for (const [gi, g] of s.granules.entries()) gpt = withGpi(gpt, gi, gpiOfCoreGpt(g.gpt));
  return gpt;
}
