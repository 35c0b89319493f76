import { describe, expect, it } from 'vitest';
import { Gpt, GranuleState, granuleAt, granuleBytes, granuleIndex, hostRead, initialState, makePlatform } from '../../src/index.js';
import * as E from 'fp-ts/lib/Either.js';
import { G, OUTSIDE, X0, call, delegate, ok, write } from '../support/fixtures.js';
import { failureSuite } from '../support/failures.js';

// DEN0137 B4.3.5: all four conditions give RMI_ERROR_INPUT (X0 = 1).
failureSuite('RMI_GRANULE_DELEGATE', [
  { label: 'gran_align', setup: () => ({ s: initialState(), args: [G(0) + 0x10n] }), x0: X0.INPUT },
  { label: 'gran_bound', setup: () => ({ s: initialState(), args: [OUTSIDE] }), x0: X0.INPUT },
  { label: 'gran_state', setup: () => ({ s: delegate(initialState(), G(0)), args: [G(0)] }), x0: X0.INPUT },
  {
    label: 'gran_gpt',
    // A DRAM granule the platform assigned to the Secure PAS: UNDELEGATED, but GPT_SECURE.
    setup: () => ({ s: initialState(makePlatform({ gpt: [{ base: G(8), size: 0x1000n, gpt: Gpt.SECURE }] })), args: [G(8)] }),
    x0: X0.INPUT,
  },
]);

// DEN0137 B4.3.6.
failureSuite('RMI_GRANULE_UNDELEGATE', [
  { label: 'gran_align', setup: () => ({ s: delegate(initialState(), G(0)), args: [G(0) + 1n] }), x0: X0.INPUT },
  { label: 'gran_bound', setup: () => ({ s: initialState(), args: [OUTSIDE] }), x0: X0.INPUT },
  { label: 'gran_state', setup: () => ({ s: initialState(), args: [G(0)] }), x0: X0.INPUT },
]);

describe('RMI_GRANULE_DELEGATE / UNDELEGATE success', () => {
  it('moves a granule to DELEGATED in the Realm PAS and back to UNDELEGATED in the Non-secure PAS', () => {
    const s1 = ok(initialState(), 'RMI_GRANULE_DELEGATE', G(5));
    expect(granuleAt(s1, granuleIndex(G(5)))).toMatchObject({ state: GranuleState.DELEGATED, gpt: Gpt.REALM });
    const s2 = ok(s1, 'RMI_GRANULE_UNDELEGATE', G(5));
    expect(granuleAt(s2, granuleIndex(G(5)))).toMatchObject({ state: GranuleState.UNDELEGATED, gpt: Gpt.NS });
  });

  it('wipes the contents: what the Host wrote before delegation is gone after undelegation', () => {
    const secret = new Uint8Array(4096).fill(0xa5);
    let s = write(initialState(), G(6), secret);
    s = ok(s, 'RMI_GRANULE_DELEGATE', G(6));
    // While delegated, the Host cannot read the granule at all: a granule protection fault.
    expect(E.isLeft(hostRead(s, G(6), 16))).toBe(true);
    s = ok(s, 'RMI_GRANULE_UNDELEGATE', G(6));
    const back = hostRead(s, G(6), 4096);
    expect(E.isRight(back) && back.right.every((b) => b === 0)).toBe(true);
    expect(granuleBytes(s, granuleIndex(G(6))).every((b) => b === 0)).toBe(true);
  });

  it('returns to a state equal to the initial one after a delegate/undelegate pair', () => {
    const s0 = initialState();
    const s2 = ok(ok(s0, 'RMI_GRANULE_DELEGATE', G(9)), 'RMI_GRANULE_UNDELEGATE', G(9));
    expect(s2.granules.size).toBe(0);
    expect(call(s2, 'RMI_GRANULE_DELEGATE', [G(9)]).regs[0]).toBe(0n);
  });
});
