/**
 * Ordering properties of the RTT, DATA and RIPAS commands (DEN0137 B1.6.2): for every stated
 * constraint, random calls where both conditions hold report the earlier one (or one listed
 * before it), never the later one, and a report the spec's partial order permits.
 *
 * The `[rd_bound, rd_state] < [...]` and `[rec_bound, rec_gran_state] < [...]` constraints are
 * well-formedness orderings: in reachable states there is no Realm (REC) at an address that is
 * not an RD (REC). As in `../rmi/ordering.test.ts` (D-WELLFORMED), the generators add a copy of
 * the Realm or REC record at the address under test. The Realm has a 38-bit IPA space, so IPAs in
 * [2^38, 2^39) fail ipa_bound while its starting RTT still covers them.
 */
import fc from 'fast-check';
import {
  granuleIndex,
  RealmState,
  RecState,
  Ripas,
  rmiDataCreate,
  rmiDataCreateUnknown,
  rmiDataDestroy,
  rmiRttCreate,
  rmiRttDestroy,
  rmiRttFold,
  rmiRttInitRipas,
  rmiRttMapUnprotected,
  rmiRttSetRipas,
  rmiRttUnmapUnprotected,
  type RmmState,
} from '../../src/index.js';
import { updateRealm, updateRec } from '../../src/internal.js';
import { G, OUTSIDE, R, delegate, ok, withRealm, withRec } from '../support/fixtures.js';
import { orderingSuite } from '../support/ordering.js';
import { DATA, GB, KB4, MB2, SRC, T, withData, withRipasRequest, withSources } from './support.js';

const RUNS = 400;
/** First Unprotected IPA of the 38-bit Realm, and the end of its IPA space. */
const U = 1n << 37n;
const TOP = 1n << 38n;
const desc = (oa: bigint): bigint => oa | (5n << 2n) | (3n << 6n);

/** A 38-bit Realm with level 2 and 3 RTTs at 0 and at U, a DATA page, RAM entries, NS mappings and a REC. */
function pool(): RmmState {
  let s = withSources(withRealm({ s2sz: 38n }));
  s = delegate(s, T.l2, T.l3, T.nl2, T.nl3, T.spare);
  s = ok(s, 'RMI_RTT_CREATE', R.rd, T.l2, 0n, 2n);
  s = ok(s, 'RMI_RTT_CREATE', R.rd, T.l3, 0n, 3n);
  s = ok(s, 'RMI_RTT_CREATE', R.rd, T.nl2, U, 2n);
  s = ok(s, 'RMI_RTT_CREATE', R.rd, T.nl3, U, 3n);
  s = withData(s, KB4, DATA[0]!, SRC);
  s = ok(s, 'RMI_RTT_INIT_RIPAS', R.rd, 0x4000n, 0x8000n);
  s = ok(s, 'RMI_RTT_MAP_UNPROTECTED', R.rd, U + KB4, 3n, desc(0x8800_0000n));
  s = ok(s, 'RMI_RTT_MAP_UNPROTECTED', R.rd, U + MB2, 2n, desc(0x9000_0000n));
  return delegate(withRec(s, R.rec, 0, R.aux), DATA[1]!);
}
const P = pool();
const PA = ok(P, 'RMI_REALM_ACTIVATE', R.rd);

/** `s` with a copy of the Realm record (in state `state`) at the granule containing `rd`. */
function injectRealm(s: RmmState, rd: bigint, state?: RealmState): RmmState {
  const model = s.realms.get(granuleIndex(R.rd))!;
  return { ...s, realms: s.realms.set(granuleIndex(rd), state === undefined ? model : updateRealm(model, { state })) };
}

/** rd: valid, misaligned, not delegable, or not an RD; the latter two get a Realm record. */
const rdArb = fc.constantFrom(R.rd, R.rd + 8n, OUTSIDE, OUTSIDE, T.spare, G(14));
const withRd = (s: RmmState, rd: bigint, state?: RealmState): RmmState => (rd === R.rd || rd === R.rd + 8n ? s : injectRealm(s, rd, state));

// -------------------------------------------------------------------------------------
// structure commands: RMI_RTT_CREATE, RMI_RTT_DESTROY, RMI_RTT_FOLD
// -------------------------------------------------------------------------------------

/**
 * P with a Realm record whose IPA space is 37 bits: the RTTs at U (TABLE entries) then lie beyond
 * it, so that ipa_bound can hold together with a condition on a TABLE entry (D-WELLFORMED).
 */
const PN = { ...P, realms: P.realms.set(granuleIndex(R.rd), updateRealm(P.realms.get(granuleIndex(R.rd))!, { ipaWidth: 37 })) };

/** Levels: valid, the starting level, 4; IPAs: mapped by tables, not, beyond the IPA space. */
const structureCall = fc
  .record({
    rd: rdArb,
    narrow: fc.boolean(),
    level: fc.constantFrom(2n, 3n, 3n, 4n, 1n),
    ipa: fc.constantFrom(0n, U, U, GB, GB * 3n, TOP, TOP + GB, MB2),
    rtt: fc.constantFrom(T.spare, T.spare + 8n, OUTSIDE, G(15)),
  })
  .map(({ rd, narrow, level, ipa, rtt }) => ({ s: withRd(narrow ? PN : P, rd), input: { rd, ipa, level, rtt } }));

orderingSuite(rmiRttCreate, structureCall, RUNS);
orderingSuite(rmiRttDestroy, structureCall, RUNS);
orderingSuite(rmiRttFold, structureCall, RUNS);

// -------------------------------------------------------------------------------------
// RMI_RTT_MAP_UNPROTECTED, RMI_RTT_UNMAP_UNPROTECTED
// -------------------------------------------------------------------------------------

const nsCall = fc
  .record({
    rd: rdArb,
    level: fc.constantFrom(3n, 3n, 2n, 0n, 4n),
    ipa: fc.constantFrom(U + KB4, U + MB2, U + GB, U + GB * 2n, KB4, TOP + GB),
    oa: fc.constantFrom(0x8800_0000n, 0x9000_0000n, 1n << 48n),
  })
  .map(({ rd, level, ipa, oa }) => ({ s: withRd(P, rd), input: { rd, ipa, level, desc: desc(oa) } }));

orderingSuite(rmiRttMapUnprotected, nsCall, RUNS);
orderingSuite(rmiRttUnmapUnprotected, nsCall, RUNS);

// -------------------------------------------------------------------------------------
// DATA commands
// -------------------------------------------------------------------------------------

/** IPAs: a DATA page, an UNASSIGNED page, no level 3 RTT, Unprotected (with and without RTTs). */
const dataCall = fc
  .record({
    rd: rdArb,
    active: fc.boolean(),
    ipa: fc.constantFrom(KB4, 0x3000n, GB, MB2, U + KB4, U + GB),
  })
  .map(({ rd, active, ipa }) => ({ s: withRd(active ? PA : P, rd, active ? RealmState.REALM_ACTIVE : undefined), input: { rd, ipa, data: DATA[1]!, src: SRC, flags: 1n } }));

orderingSuite(rmiDataCreate, dataCall, RUNS);
orderingSuite(rmiDataCreateUnknown, dataCall, RUNS);
orderingSuite(rmiDataDestroy, dataCall, RUNS);

// -------------------------------------------------------------------------------------
// RMI_RTT_INIT_RIPAS
// -------------------------------------------------------------------------------------

/** Ranges: valid, base unaligned to the walk level, base on a DATA page, no progress, top unaligned. */
const initCall = fc
  .record({
    rd: rdArb,
    active: fc.boolean(),
    range: fc.constantFrom<[bigint, bigint]>(
      [0x8000n, 0x10000n],
      [MB2 + KB4, MB2 + 0x2000n],
      [MB2 + KB4, MB2 + 0x2800n],
      [KB4, 0x3000n],
      [KB4, 0x2800n],
      [MB2, MB2 + 0x1000n],
      [MB2, MB2 + 0x1800n],
      [0x8000n, 0x9800n],
    ),
  })
  .map(({ rd, active, range: [base, top] }) => ({ s: withRd(active ? PA : P, rd, active ? RealmState.REALM_ACTIVE : undefined), input: { rd, base, top } }));

orderingSuite(rmiRttInitRipas, initCall, RUNS);

// -------------------------------------------------------------------------------------
// RMI_RTT_SET_RIPAS
// -------------------------------------------------------------------------------------

/** `s` with a copy of the REC record (running or not) at the granule containing `rec`. */
function injectRec(s: RmmState, rec: bigint, running: boolean): RmmState {
  const model = s.recs.get(granuleIndex(R.rec))!;
  const r = updateRec(model, { state: running ? RecState.REC_RUNNING : RecState.REC_READY });
  return { ...s, recs: s.recs.set(granuleIndex(rec), r) };
}

/**
 * A pending request [req, req + 1 MB) for RAM; the call's base is the request's or not, its top
 * aligned or not; the request starts at an aligned level 3 entry, inside a level 2 entry, or at
 * a level 2 entry that cannot progress.
 */
const setCall = fc
  .record({
    rd: rdArb,
    rec: fc.constantFrom(R.rec, R.rec, R.rec + 8n, OUTSIDE, T.spare),
    running: fc.boolean(),
    req: fc.constantFrom(0x8000n, MB2 + KB4, MB2),
    sameBase: fc.constantFrom(true, true, false),
    top: fc.constantFrom(0x1000n, 0x1800n),
  })
  .map(({ rd, rec, running, req, sameBase, top }) => {
    let s = withRipasRequest(PA, R.rec, { base: req, top: req + 0x10_0000n, value: Ripas.RAM, running: running && rec === R.rec });
    if (rec !== R.rec && rec !== R.rec + 8n) s = injectRec(s, rec, running);
    const base = sameBase ? req : req + KB4;
    return { s: withRd(s, rd), input: { rd, rec_ptr: rec, base, top: base + top } };
  });

orderingSuite(rmiRttSetRipas, setCall, RUNS);
