/**
 * The spec as a relation (DEN0137 B1.6): when several failure conditions hold and no ordering
 * constraint relates them, an implementation may report any of them; the judge accepts each
 * permitted one (naming its rule), and rejects a status, index or output the spec does not permit.
 */
import { describe, expect, it } from 'vitest';
import { catalogue, initialState, judge, outcomes, rmiCallOutcomes, rmiDataCreate, smc, type RmmState } from '../../src/index.js';
import { G, R, delegate, fidOf, ok, withRealm } from '../support/fixtures.js';
import { SRC, withSources } from '../rtt/support.js';

/** An active Realm with no RTT below its level 1 starting RTT, a delegated granule and a source page. */
function activeRealm(): RmmState {
  return ok(delegate(withSources(withRealm()), G(60)), 'RMI_REALM_ACTIVATE', R.rd);
}

// RMI_DATA_CREATE at IPA 0x1000 of an active Realm: realm_state holds (RMI_ERROR_REALM, B4.3.1.2)
// and so does rtt_walk (the walk stops at level 1: RMI_ERROR_RTT with index 1). The spec orders
// neither before the other ([rd_bound, rd_state] < [realm_state]; [rd_bound, rd_state] <
// [rtt_walk, rtte_state]), so both are permitted; the listed order makes the model report realm_state.
const s = activeRealm();
const regs = [fidOf('RMI_DATA_CREATE'), R.rd, G(60), 0x1000n, SRC, 0n];
const model = smc(s, regs);
const o = rmiCallOutcomes(s, regs, model);

describe('permitted failures (B1.6)', () => {
  it('the permitted set holds exactly the unordered conditions that hold, with their statuses and indexes', () => {
    expect(o.permitted.map((f) => [f.rule, f.status, f.index])).toEqual([
      ['RMI_DATA_CREATE/realm_state', 'RMI_ERROR_REALM', 0],
      ['RMI_DATA_CREATE/rtt_walk', 'RMI_ERROR_RTT', 1],
    ]);
    expect(model.failure?.rule).toBe('RMI_DATA_CREATE/realm_state');
    // The same set at the command level.
    const c = outcomes(rmiDataCreate, s, { rd: R.rd, data: G(60), ipa: 0x1000n, src: SRC, flags: 0n });
    expect([c.success, c.failures.map((f) => f.rule)]).toEqual([false, ['RMI_DATA_CREATE/realm_state', 'RMI_DATA_CREATE/rtt_walk']]);
  });

  it("accepts the model's own answer", () => {
    expect(judge(o, { status: 'RMI_ERROR_REALM' })).toEqual({ kind: 'agrees' });
    expect(judge(o, { x0: 2n })).toEqual({ kind: 'agrees' });
  });

  it('accepts the other permitted failure, naming its rule, and rejects it under --strict', () => {
    const v = judge(o, { status: 'RMI_ERROR_RTT', index: 1 });
    expect(v.kind).toBe('permitted');
    expect(v.kind !== 'agrees' && v.rules).toEqual(['RMI_DATA_CREATE/rtt_walk']);
    expect(judge(o, { x0: 0x104n }).kind).toBe('permitted');
    expect(judge(o, { status: 'RMI_ERROR_RTT', index: 1 }, true).kind).toBe('mismatch');
  });

  it('rejects a status or index no holding condition gives, and success', () => {
    const bad = judge(o, { status: 'RMI_ERROR_RTT', index: 2 });
    expect(bad.kind === 'mismatch' && bad.why).toEqual(['index: expected 2, got 1']);
    expect(judge(o, { status: 'RMI_ERROR_REC' }).kind).toBe('mismatch');
    expect(judge(o, { status: 'RMI_ERROR_INPUT' }).kind).toBe('mismatch');
    expect(judge(o, { status: 'RMI_SUCCESS' }).kind).toBe('mismatch');
  });

  it('an ordering constraint removes the later condition: rd_state before realm_state when rd is not an RD', () => {
    // rd is a delegated granule that is not an RD: rd_state holds; ipa 0x1000 and the rest are fine.
    const regs2 = [fidOf('RMI_DATA_CREATE'), G(61), G(60), 0x1000n, SRC, 0n];
    const s2 = delegate(s, G(61));
    const o2 = rmiCallOutcomes(s2, regs2, smc(s2, regs2));
    expect(o2.permitted.map((f) => f.rule)).toEqual(['RMI_DATA_CREATE/rd_state']);
    expect(catalogue.byId.get('RMI_DATA_CREATE/rd_state')?.status).toBe('RMI_ERROR_INPUT');
  });
});

describe('success outputs', () => {
  it('a success whose fixed output differs is a mismatch naming no failure rule (B4.3.4: index 0 reads RmiFeatureRegister0)', () => {
    const st = initialState();
    const r = [fidOf('RMI_FEATURES'), 0n];
    const oc = rmiCallOutcomes(st, r, smc(st, r));
    const f0 = st.platform.features0;
    expect(judge(oc, { x0: 0n, out: [f0] })).toEqual({ kind: 'agrees' });
    expect(judge(oc, { x0: 0n, out: [f0 ^ 1n] })).toEqual({ kind: 'mismatch', why: [expect.stringMatching(/^out\[0\] \(X1\): /)], rules: [] });
  });
});
