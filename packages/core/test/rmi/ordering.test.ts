/**
 * Ordering properties of the lifecycle commands. Every ordering of these commands is a
 * well-formedness ordering ([rd_bound, rd_state] < [realm_state], ...): in reachable states the
 * later condition's object does not exist when the earlier one holds. The generator therefore
 * starts from reachable states and adds arbitrary Realm or REC records at the address under test,
 * as the spec's CBMC testbenches start from arbitrary states (decision D-WELLFORMED).
 */
import fc from 'fast-check';
import {
  RealmState,
  RecState,
  RmiRecParams,
  encodeStruct,
  granuleIndex,
  rmiRealmActivate,
  rmiRealmDestroy,
  rmiRecCreate,
  rmiRecDestroy,
  type RmmState,
} from '../../src/index.js';
import { updateRealm, updateRec } from '../../src/internal.js';
import { G, OUTSIDE, R, delegate, ok, recParamsFields, withRealm, withRec, write } from '../support/fixtures.js';
import { orderingSuite } from '../support/ordering.js';

/** Addresses that fail the granule checks in different ways, plus valid ones. */
const rdChoices = [OUTSIDE, OUTSIDE + 8n, G(5), G(6), R.rtt, R.rd, R.rd + 8n];

const baseRealm = (active: boolean): RmmState => {
  const s = delegate(withRealm(), G(6));
  return active ? ok(s, 'RMI_REALM_ACTIVATE', R.rd) : s;
};

/** `s` with an arbitrary Realm record at the granule containing `addr`. */
function withRealmRecord(s: RmmState, addr: bigint, state: number, numRecs: number): RmmState {
  const model = s.realms.get(granuleIndex(R.rd))!;
  return { ...s, realms: s.realms.set(granuleIndex(addr), updateRealm(model, { state: state as RealmState, numRecs })) };
}

const realmCall = fc
  .record({
    active: fc.boolean(),
    rd: fc.constantFrom(...rdChoices),
    inject: fc.boolean(),
    state: fc.constantFrom(RealmState.REALM_NEW, RealmState.REALM_ACTIVE, RealmState.REALM_SYSTEM_OFF),
    numRecs: fc.constantFrom(0, 1, 1023),
  })
  .map(({ active, rd, inject, state, numRecs }) => {
    const s = baseRealm(active);
    return { s: inject ? withRealmRecord(s, rd, state, numRecs) : s, input: { rd } };
  });

orderingSuite(rmiRealmActivate, realmCall);
orderingSuite(rmiRealmDestroy, realmCall);

const recCreateCall = fc
  .record({
    rd: fc.constantFrom(...rdChoices),
    inject: fc.boolean(),
    state: fc.constantFrom(RealmState.REALM_NEW, RealmState.REALM_ACTIVE),
    numRecs: fc.constantFrom(0, 1023),
  })
  .map(({ rd, inject, state, numRecs }) => {
    let s = delegate(baseRealm(false), R.rec, ...R.aux);
    s = write(s, R.recParams, encodeStruct(RmiRecParams, recParamsFields(0, R.aux)));
    return { s: inject ? withRealmRecord(s, rd, state, numRecs) : s, input: { rd, rec: R.rec, params_ptr: R.recParams } };
  });

orderingSuite(rmiRecCreate, recCreateCall);

const recDestroyCall = fc
  .record({
    rec: fc.constantFrom(OUTSIDE, OUTSIDE + 0x10n, R.rd, G(6), R.rec, R.rec + 8n, R.aux[0]!),
    inject: fc.boolean(),
    running: fc.boolean(),
  })
  .map(({ rec, inject, running }) => {
    const s = withRec(baseRealm(false), R.rec, 0, R.aux);
    const model = s.recs.get(granuleIndex(R.rec))!;
    const record = updateRec(model, { state: running ? RecState.REC_RUNNING : RecState.REC_READY });
    return { s: inject ? { ...s, recs: s.recs.set(granuleIndex(rec), record) } : s, input: { rec_ptr: rec } };
  });

orderingSuite(rmiRecDestroy, recDestroyCall);
