/**
 * The exploration configurations of `proofs/configs/` together: every RMI command of the
 * catalogue is in some configuration's alphabet, each small configuration explores to completion
 * with every check and no violation, and every command of its alphabet succeeds in some state
 * (so that no command is there only to fail). A query-only alphabet has a count derived by hand.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogue } from '@realmspec/core';
import { search } from '@realmspec/explore';
import { loadSetup } from './support.js';

const names = readdirSync(new URL('./configs/', import.meta.url))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length));

describe('the configurations of proofs/configs', () => {
  it('cover all 23 RMI commands of DEN0137 B4.3 in their alphabets', () => {
    const rmi = catalogue.commands.filter((c) => c.iface === 'RMI').map((c) => c.name);
    expect(rmi.length).toBe(23);
    const used = new Set(names.flatMap((n) => loadSetup(n).config.commands.map((c) => c.name)));
    expect(rmi.filter((n) => !used.has(n))).toEqual([]);
  });

  // Small enough to explore with every check in seconds (ripas-data-enter, about 2,000 states and
  // 400,000 transitions, with `npm run proofs`); rtt-data-enter and measured-4 are left to
  // `npm run bench:explore` (the first has every page of 512-entry RTTs; the second is bounded by depth).
  for (const name of ['ripas-enter-4', 'psci-two-recs', 'ripas-data-enter']) {
    it.runIf(name !== 'ripas-data-enter' || process.env.REALMSPEC_PROOFS === 'large')(`${name}: explored to completion, no violation, every command succeeds somewhere`, () => {
      const r = search(loadSetup(name));
      expect(r.violation).toBeUndefined();
      expect(r.bounded).toBe(false);
      // A success evaluates the command's post-conditions: some success rule is reached.
      const hits = r.hits;
      const never = loadSetup(name).config.commands.filter((c) => {
        const entry = catalogue.byName.get(c.name);
        return entry === undefined || hits === undefined || !entry.success.some((rule) => (hits.reached[rule.n] as number) > 0);
      });
      expect(never.map((c) => c.name)).toEqual([]);
    });
  }

  it('queries change nothing: RMI_VERSION, RMI_FEATURES, RMI_REC_AUX_COUNT with delegation on four granules', () => {
    const queries = new Set(['RMI_VERSION', 'RMI_FEATURES', 'RMI_REC_AUX_COUNT', 'RMI_GRANULE_DELEGATE', 'RMI_GRANULE_UNDELEGATE']);
    const patch = (symmetry: boolean) => ({ symmetry, commands: loadSetup('psci-two-recs').config.commands.filter((c) => queries.has(c.name)) });
    const plain = search(loadSetup('psci-two-recs', patch(false)));
    expect(plain.violation).toBeUndefined();
    // Derived by hand. Alphabet: RMI_VERSION with 1.0 and 2.0, RMI_FEATURES with index 0 and 1,
    // and DELEGATE, UNDELEGATE and REC_AUX_COUNT on each of the 4 pool granules: 16 actions.
    // Only delegation changes the state (the queries have no footprint, B4.3.23, B4.3.4,
    // B4.3.11), so the states are the 2^4 ways to delegate the pool, the deepest 4 steps away.
    // Successes per state: RMI_VERSION 1.0 (2.0 is incompatible, B4.3.23), both RMI_FEATURES
    // indexes, and 4 of the 8 (un)delegations (each granule is in exactly one of the two
    // states); REC_AUX_COUNT fails (no granule is an RD, B4.3.11 rd_state): 7 per state.
    expect({ states: plain.states, depth: plain.depth, transitions: plain.transitions, successes: plain.successes }).toEqual({ states: 16, depth: 4, transitions: 16 * 16, successes: 16 * 7 });
    // Modulo renaming, only the number of delegated granules matters: 0..4, 5 states.
    const reduced = search(loadSetup('psci-two-recs', patch(true)));
    expect({ states: reduced.states, depth: reduced.depth, transitions: reduced.transitions, successes: reduced.successes }).toEqual({ states: 5, depth: 4, transitions: 5 * 16, successes: 5 * 7 });
  });
});
