/**
 * Exhaustive exploration of a small lifecycle configuration: four granules, Realms with one
 * starting RTT, RECs with one auxiliary granule. Every reachable state satisfies the invariants,
 * and the number of reachable states is pinned, so any change to the model's transition relation
 * shows up here. `REALMSPEC_PROOFS=large` widens the configuration (used by `npm run proofs`).
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { encodeStruct, hostWrite, initialState, makePlatform, RmiRealmParams, RmiRecParams, type RmmState } from '@realmspec/core';
import { invariantViolations } from '../packages/core/test/support/invariants.js';
import { explore, type HostAction } from './explore.js';

const G = (n: number): bigint => 0x8000_0000n + BigInt(n) * 0x1000n;
const hex = (v: bigint): string => '0x' + v.toString(16);

/**
 * The Host steps over granules G(0)..G(n-1), and the initial state holding every parameter block
 * they use, each in its own Non-secure granule (so memory contents do not multiply the states).
 */
function configuration(n: number): { initial: RmmState; actions: HostAction[] } {
  let initial = initialState(platform);
  let nextParams = 100;
  const params = (bytes: Uint8Array): bigint => {
    const pa = G(nextParams++);
    initial = E.getOrElse((): RmmState => { throw new Error('params write faulted'); })(hostWrite(initial, pa, bytes));
    return pa;
  };
  const gs = Array.from({ length: n }, (_, k) => G(k));
  const out: HostAction[] = [];
  for (const g of gs) {
    out.push({ name: `DELEGATE(${hex(g)})`, regs: [0xc4000151n, g] });
    out.push({ name: `UNDELEGATE(${hex(g)})`, regs: [0xc4000152n, g] });
    out.push({ name: `REALM_ACTIVATE(${hex(g)})`, regs: [0xc4000157n, g] });
    out.push({ name: `REALM_DESTROY(${hex(g)})`, regs: [0xc4000159n, g] });
    out.push({ name: `REC_DESTROY(${hex(g)})`, regs: [0xc400015bn, g] });
  }
  for (const rd of gs) {
    for (const rtt of gs) {
      if (rtt === rd) continue;
      const bytes = encodeStruct(RmiRealmParams, { s2sz: 39n, num_bps: 1n, num_wps: 1n, vmid: 1n, rtt_base: rtt, rtt_level_start: 1n, rtt_num_start: 1n });
      out.push({ name: `REALM_CREATE(${hex(rd)}, rtt=${hex(rtt)})`, regs: [0xc4000158n, rd, params(bytes)] });
    }
  }
  for (const rd of gs) {
    for (const rec of gs) {
      for (const aux of gs) {
        if (new Set([rd, rec, aux]).size < 3) continue;
        const bytes = encodeStruct(RmiRecParams, { flags: 1n, mpidr: 0n, num_aux: 1n, aux: [aux] });
        out.push({ name: `REC_CREATE(${hex(rd)}, ${hex(rec)}, aux=${hex(aux)})`, regs: [0xc400015an, rd, rec, params(bytes)] });
      }
    }
  }
  return { initial, actions: out };
}

const platform = makePlatform({ recAuxCount: 1 });

describe('exhaustive exploration of Realm lifecycles', () => {
  it('four granules: every reachable state satisfies the invariants (pinned state count)', () => {
    const c = configuration(4);
    const r = explore(c.initial, c.actions, invariantViolations, 100_000);
    expect(r.violations).toEqual([]);
    expect(r.bounded).toBe(false);
    // Counted by hand from the spec. One VMID, so at most one Realm. Without a Realm each granule is
    // UNDELEGATED or DELEGATED: 2^4 = 16. With one, (rd, rtt) is one of 4 * 3 = 12 ordered pairs,
    // and the Realm is NEW or ACTIVE, with either rec_index 0 and the other two granules free
    // (2^2 = 4), or rec_index 1 and the REC still there (2 ways to place REC and aux), or
    // rec_index 1 and the REC destroyed (4): 12 * 2 * (4 + 2 + 4) = 240. In all, 256 states.
    // The deepest: 4 delegations, REALM_CREATE, REC_CREATE, REALM_ACTIVATE, REC_DESTROY and two
    // undelegations: 10 steps.
    expect({ states: r.states, depth: r.depth }).toEqual({ states: 256, depth: 10 });
  });

  it.runIf(process.env.REALMSPEC_PROOFS === 'large')('five granules (npm run proofs)', () => {
    const c = configuration(5);
    const r = explore(c.initial, c.actions, invariantViolations, 2_000_000);
    console.log(`five granules: ${r.states} states, ${r.transitions} transitions, depth ${r.depth}, bounded ${r.bounded}`);
    expect(r.violations).toEqual([]);
    // By hand as above: 2^5 + 20 * 2 * (2^3 + 3 * 2 * 2 + 2^3) = 32 + 1120.
    expect(r.states).toBe(1152);
  });
});
