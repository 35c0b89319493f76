/**
 * Exhaustive exploration of the Realm and REC lifecycle (`proofs/configs/lifecycle-4.json`):
 * every transition checked (post-conditions and frame in checked mode, permitted outcomes, a
 * failure changes nothing, invariants, teardown), and the number of reachable states pinned, with
 * and without symmetry, so that any change to the model's transition relation shows up here.
 * `REALMSPEC_PROOFS=large` adds five granules (used by `npm run proofs`).
 */
import { describe, expect, it } from 'vitest';
import { search } from '@realmspec/explore';
import { loadSetup } from './support.js';

describe('exhaustive exploration of Realm lifecycles', () => {
  it('four granules without symmetry: 256 states, depth 10', () => {
    const r = search(loadSetup('lifecycle-4', { symmetry: false }));
    expect(r.violation).toBeUndefined();
    expect(r.bounded).toBe(false);
    // Counted by hand from the spec. One VMID, so at most one Realm. Without a Realm each granule is
    // UNDELEGATED or DELEGATED: 2^4 = 16. With one, (rd, rtt) is one of 4 * 3 = 12 ordered pairs,
    // and the Realm is NEW or ACTIVE, with either rec_index 0 and the other two granules free
    // (2^2 = 4), or rec_index 1 and the REC still there (2 ways to place REC and aux), or
    // rec_index 1 and the REC destroyed (4): 12 * 2 * (4 + 2 + 4) = 240. In all, 256 states.
    // The deepest: 4 delegations, REALM_CREATE, REC_CREATE, REALM_ACTIVATE, REC_DESTROY and two
    // undelegations: 10 steps.
    expect({ states: r.states, depth: r.depth }).toEqual({ states: 256, depth: 10 });
    // Every action from every state: 256 states * 100 actions (5 one-granule commands * 4,
    // REALM_CREATE 4 * 4, REC_CREATE 4 * 4 * 4).
    expect(r.transitions).toBe(256 * 100);
  });

  it('four granules modulo renaming: 19 orbits (reduction factor 256 / 19)', () => {
    const r = search(loadSetup('lifecycle-4'));
    expect(r.violation).toBeUndefined();
    // The same count up to renaming granules. Without a Realm, only how many granules are
    // delegated matters: 0..4, 5 orbits. With the Realm (RD and RTT are one orbit of the 12 pairs),
    // NEW or ACTIVE, and: rec_index 0 with 0, 1 or 2 of the other two delegated (3 orbits); the
    // REC and its aux (1); rec_index 1 with the REC destroyed, 0..2 delegated (3): 2 * 7 = 14.
    // In all 19; the depth is unchanged (renaming keeps path lengths).
    expect({ states: r.states, depth: r.depth, fallbacks: r.symmetryFallbacks }).toEqual({ states: 19, depth: 10, fallbacks: 0 });
  });

  it.runIf(process.env.REALMSPEC_PROOFS === 'large')('five granules (npm run proofs)', () => {
    const setup = loadSetup('lifecycle-4', { symmetry: false, pool: [0x80000, 0x80001, 0x80002, 0x80003, 0x80004] });
    const r = search(setup);
    expect(r.violation).toBeUndefined();
    // By hand as above: 2^5 + 20 * 2 * (2^3 + 3 * 2 * 2 + 2^3) = 32 + 1120.
    expect(r.states).toBe(1152);
    // Modulo renaming: 6 + 2 * (4 + 2 + 4) = 26 (the REC and aux leave one granule free: 2 orbits).
    expect(search(loadSetup('lifecycle-4', { pool: [0x80000, 0x80001, 0x80002, 0x80003, 0x80004] })).states).toBe(26);
  });
});
