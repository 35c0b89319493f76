/**
 * Shared fixtures of the coverage tests: a small, known run of the model and its hits.
 */
import { initialState, invariantViolations, rmiGranuleDelegate, rmiRealmActivate, RuleHits } from '@realmspec/core';
import * as E from 'fp-ts/lib/Either.js';

/** Granule n of the default platform's DRAM. */
export const G = (n: number): bigint => 0x8000_0000n + BigInt(n) * 0x1000n;

/**
 * A few calls with known outcomes: RMI_GRANULE_DELEGATE succeeds once, fails gran_align once
 * (B4.3.5.2) and gran_state once; RMI_REALM_ACTIVATE fails rd_state once (B4.3.8.2); the state
 * invariants are checked once.
 */
export function smallRun(): RuleHits {
  const hits = new RuleHits();
  const s0 = initialState();
  const r = rmiGranuleDelegate(s0, { addr: G(1) }, hits);
  const s1 = E.isRight(r) ? r.right[0] : s0;
  rmiGranuleDelegate(s1, { addr: G(2) + 8n }, hits);
  rmiGranuleDelegate(s1, { addr: G(1) }, hits);
  rmiRealmActivate(s1, { rd: G(1) }, hits);
  invariantViolations(s1, hits);
  return hits;
}
