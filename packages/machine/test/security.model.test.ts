/**
 * Security properties of the whole machine (issue point 5), model-based over random sequences of
 * Host and Realm actions, hostile Host actions included:
 * - the Host never reads or writes a granule in the Realm PAS (and is refused exactly there);
 * - a Realm never reaches another Realm's granule, or an undelegated one, through its Protected
 *   IPA space, and reaches only Non-secure memory through its Unprotected IPA space;
 * - after undelegation the Host reads only scrubbed content, and no Realm secret ever appears in
 *   memory the Host can read;
 * - EL3's GPT and the RMM model's granule states agree after every step (with the model's invariants);
 * - no sequence makes the model throw.
 * CI runs a fixed seed; REALMSPEC_LONG=1 runs ten times as many sequences, one and a half times as long.
 */
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { granuleIndex } from '@realmspec/core';
import { withGranuleBytes } from '@realmspec/core/internal';
import { Gpi, withGpi } from '@realmspec/el3';
import { commands } from './security/commands.js';
import { WORLD, checkWorld, initialModel } from './security/world.js';

const LONG = process.env['REALMSPEC_LONG'] === '1';
const SCRATCH = WORLD.scratch[0] as bigint;

describe('security properties of the CCA machine', () => {
  it('the starting world satisfies them', () => {
    checkWorld(initialModel(), WORLD.machine);
    expect(WORLD.realms).toHaveLength(2);
  });

  it('the checks catch a Realm secret in Host memory, a GPT disagreement, and a delegated granule left in the Non-secure PAS', () => {
    const m = WORLD.machine;
    const leaked = new Uint8Array(4096);
    leaked.set([0x01, 0, 0, 0, 0, 0, 0x5e, 0xec], 64);
    expect(() => checkWorld(initialModel(), { ...m, core: withGranuleBytes(m.core, granuleIndex(SCRATCH), leaked) })).toThrow();
    expect(() => checkWorld(initialModel(), { ...m, el3: { ...m.el3, gpt: withGpi(m.el3.gpt, granuleIndex(SCRATCH), Gpi.REALM) } })).toThrow();
    const model = initialModel();
    model.delegated.add(granuleIndex(0x9100_0000n));
    expect(() => checkWorld(model, m)).toThrow();
  });

  it('hold over random Host and Realm action sequences', { timeout: LONG ? 1_800_000 : 60_000 }, () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: LONG ? 60 : 40, size: 'max' }), (cmds) => {
        fc.modelRun(() => ({ model: initialModel(), real: { m: WORLD.machine } }), cmds);
      }),
      { seed: 0x5ec0de, numRuns: LONG ? 1500 : 150 },
    );
  });
});
