/**
 * Every command of the catalogue has executable post-conditions: each RMI command and each Realm
 * call (RSI and PSCI) has a `post` definition with one predicate for every success condition it
 * establishes (rows without `establishedBy`), and no predicate for one it does not, so the engine
 * checks every success row after every successful call in checked mode.
 */
import { describe, expect, it } from 'vitest';
import { catalogue, realmCommands, rmiCommands } from '../../src/index.js';

const commands = [...rmiCommands, ...realmCommands];

describe('post-condition coverage', () => {
  it('covers the whole catalogue: every catalogue command is implemented once', () => {
    expect(commands.map((c) => c.entry.name).sort()).toEqual(catalogue.commands.map((c) => c.name).sort());
  });

  for (const c of commands) {
    it(`${c.entry.name} has a post-condition for every success row it establishes, and only those`, () => {
      expect(c.post).toBeDefined();
      const established = c.entry.success.filter((r) => r.establishedBy === undefined).map((r) => r.label).sort();
      expect(Object.keys(c.post?.success ?? {}).sort()).toEqual(established);
    });
  }
});
