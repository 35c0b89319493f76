import { describe, expect, it } from 'vitest';
import {
  AttestState,
  DEFAULT_FEATURES0,
  GranuleState,
  RecState,
  encodeStruct,
  granuleAt,
  granuleIndex,
  initialState,
  makePlatform,
  RmiRecParams,
  type RmmState,
} from '../../src/index.js';
import { updateRec } from '../../src/internal.js';
import { G, OUTSIDE, R, X0, call, delegate, ok, recParamsFields, withRealm, withRec, write } from '../support/fixtures.js';
import { failureSuite } from '../support/failures.js';

/** A REC_CREATE setup for REC index 0 of the standard Realm: rec and aux delegated, params written. */
function create(over: Record<string, bigint | bigint[]> = {}, s0: RmmState = withRealm()): { s: RmmState; args: bigint[] } {
  let s = delegate(s0, R.rec, ...R.aux);
  s = write(s, R.recParams, encodeStruct(RmiRecParams, recParamsFields(0, R.aux, over)));
  return { s, args: [R.rd, R.rec, R.recParams] };
}

const withArgs = (c: { s: RmmState; args: bigint[] }, k: number, v: bigint): { s: RmmState; args: bigint[] } => ({ s: c.s, args: c.args.map((a, i) => (i === k ? v : a)) });
const auxWith = (k: number, v: bigint): bigint[] => R.aux.map((a, i) => (i === k ? v : a));

// DEN0137 B4.3.12.
failureSuite('RMI_REC_CREATE', [
  { label: 'params_align', setup: () => withArgs(create(), 2, R.recParams + 0x100n), x0: X0.INPUT },
  { label: 'params_bound', setup: () => withArgs(create(), 2, OUTSIDE), x0: X0.INPUT },
  { label: 'params_pas', setup: () => withArgs(create(), 2, R.rtt), x0: X0.INPUT },
  { label: 'params_valid', variant: 'flags bit 1', setup: () => create({ flags: 3n }), x0: X0.INPUT },
  { label: 'params_valid', variant: 'MPIDR aff0[7:4]', setup: () => create({ mpidr: 0x10n }), x0: X0.INPUT },
  { label: 'params_valid', variant: 'MPIDR bits 63:32', setup: () => create({ mpidr: 1n << 32n }), x0: X0.INPUT },
  {
    label: 'params_valid',
    variant: 'byte after aux[15]',
    setup: () => {
      const c = create();
      return { ...c, s: write(c.s, R.recParams + 0x900n, Uint8Array.of(1)) };
    },
    x0: X0.INPUT,
  },
  { label: 'rec_align', setup: () => withArgs(create(), 1, R.rec + 8n), x0: X0.INPUT },
  { label: 'rec_bound', setup: () => withArgs(create(), 1, OUTSIDE), x0: X0.INPUT },
  { label: 'rec_state', setup: () => withArgs(create(), 1, G(40)), x0: X0.INPUT },
  { label: 'rd_align', setup: () => withArgs(create(), 0, R.rd + 8n), x0: X0.INPUT },
  { label: 'rd_bound', setup: () => withArgs(create(), 0, OUTSIDE), x0: X0.INPUT },
  { label: 'rd_state', setup: () => withArgs(create(), 0, R.rtt), x0: X0.INPUT },
  { label: 'realm_state', setup: () => create({}, ok(withRealm(), 'RMI_REALM_ACTIVATE', R.rd)), x0: X0.REALM(0) },
  {
    label: 'num_recs',
    // MAX_RECS_ORDER 1: at most 2^1 - 1 = 1 REC; the second REC_CREATE fails.
    setup: () => {
      const platform = makePlatform({ features0: (DEFAULT_FEATURES0 & ~(0xfn << 38n)) | (1n << 38n) });
      const s = withRec(withRealm({}, initialState(platform)), G(50), 0, R.aux);
      const aux2 = Array.from({ length: 16 }, (_, k) => G(60 + k));
      const s2 = write(delegate(s, R.rec, ...aux2), R.recParams, encodeStruct(RmiRecParams, recParamsFields(1, aux2)));
      return { s: s2, args: [R.rd, R.rec, R.recParams] };
    },
    x0: X0.REALM(0),
  },
  { label: 'mpidr_index', setup: () => create({ mpidr: 1n }), x0: X0.INPUT },
  { label: 'num_aux', setup: () => create({ num_aux: 15n }), x0: X0.INPUT },
  { label: 'aux_align', setup: () => create({ aux: auxWith(3, R.aux[3]! + 8n) }), x0: X0.INPUT },
  { label: 'aux_alias', variant: 'two equal entries', setup: () => create({ aux: auxWith(5, R.aux[2]!) }), x0: X0.INPUT },
  { label: 'aux_alias', variant: 'an entry equal to rec', setup: () => create({ aux: auxWith(0, R.rec) }), x0: X0.INPUT },
  { label: 'aux_state', variant: 'undelegated', setup: () => create({ aux: auxWith(1, G(99)) }), x0: X0.INPUT },
  { label: 'aux_state', variant: 'not delegable', setup: () => create({ aux: auxWith(1, OUTSIDE) }), x0: X0.INPUT },
]);

function withRunningRec(): RmmState {
  const s = withRec(withRealm(), R.rec, 0, R.aux);
  const gi = granuleIndex(R.rec);
  return { ...s, recs: s.recs.set(gi, updateRec(s.recs.get(gi)!, { state: RecState.REC_RUNNING })) };
}

// DEN0137 B4.3.13. rec_state needs a REC inside RMI_REC_ENTER on another PE: built directly.
failureSuite('RMI_REC_DESTROY', [
  { label: 'rec_align', setup: () => ({ s: withRec(withRealm(), R.rec, 0, R.aux), args: [R.rec + 8n] }), x0: X0.INPUT },
  { label: 'rec_bound', setup: () => ({ s: withRec(withRealm(), R.rec, 0, R.aux), args: [OUTSIDE] }), x0: X0.INPUT },
  { label: 'rec_gran_state', variant: 'an RD', setup: () => ({ s: withRec(withRealm(), R.rec, 0, R.aux), args: [R.rd] }), x0: X0.INPUT },
  { label: 'rec_gran_state', variant: 'a REC_AUX granule', setup: () => ({ s: withRec(withRealm(), R.rec, 0, R.aux), args: [R.aux[0]!] }), x0: X0.INPUT },
  { label: 'rec_state', setup: () => ({ s: withRunningRec(), args: [R.rec] }), x0: X0.REC },
]);

// DEN0137 B4.3.11.
failureSuite('RMI_REC_AUX_COUNT', [
  { label: 'rd_align', setup: () => ({ s: withRealm(), args: [R.rd + 1n] }), x0: X0.INPUT },
  { label: 'rd_bound', setup: () => ({ s: withRealm(), args: [OUTSIDE] }), x0: X0.INPUT },
  { label: 'rd_state', setup: () => ({ s: withRealm(), args: [R.rtt] }), x0: X0.INPUT },
]);

describe('RMI_REC_CREATE success (B4.3.12.3)', () => {
  const gprs = [0x10n, 0x11n, 0x12n, 0x13n, 0x14n, 0x15n, 0x16n, 0x17n];
  const s = withRec(withRealm(), R.rec, 0, R.aux, { pc: 0x8000n, gprs });
  const rec = s.recs.get(granuleIndex(R.rec))!;
  const realm = s.realms.get(granuleIndex(R.rd))!;

  it('makes the REC and its aux granules, and counts the REC in the Realm', () => {
    expect(granuleAt(s, granuleIndex(R.rec)).state).toBe(GranuleState.REC);
    for (const a of R.aux) expect(granuleAt(s, granuleIndex(a)).state).toBe(GranuleState.REC_AUX);
    expect(realm.recIndex).toBe(1);
    expect(realm.numRecs).toBe(1);
  });

  it('initialises the REC from the params', () => {
    expect(rec).toMatchObject({ owner: granuleIndex(R.rd), state: RecState.REC_READY, runnable: true, mpidr: 0n, pc: 0x8000n, attestState: AttestState.NO_ATTEST_IN_PROGRESS });
    expect(rec.gprs).toEqual([...gprs, ...new Array(23).fill(0n)]);
    expect(rec.aux).toEqual(R.aux.map(granuleIndex));
    expect([rec.ripasAddr, rec.ripasTop, rec.psciPending, rec.hostCallPending, rec.emulatableAbort]).toEqual([0n, 0n, false, false, false]);
  });

  it('extends the RIM for a runnable REC only', () => {
    const rim0 = withRealm().realms.get(granuleIndex(R.rd))!.measurements[0]!;
    expect(Buffer.compare(realm.measurements[0]!, rim0)).not.toBe(0);
    const idle = withRec(withRealm(), R.rec, 0, R.aux, { flags: 0n });
    expect(Buffer.compare(idle.realms.get(granuleIndex(R.rd))!.measurements[0]!, rim0)).toBe(0);
    expect(idle.recs.get(granuleIndex(R.rec))!.runnable).toBe(false);
  });

  it('takes MPIDRs in REC index order: index 17 is aff1 = 1, aff0 = 1', () => {
    let t = s;
    for (let i = 1; i <= 17; i++) t = withRec(t, G(100 + i * 20), i, Array.from({ length: 16 }, (_, k) => G(101 + i * 20 + k)));
    const last = t.recs.get(granuleIndex(G(100 + 17 * 20)))!;
    expect(last.mpidr).toBe(0x101n);
    expect(t.realms.get(granuleIndex(R.rd))!.numRecs).toBe(18);
  });
});

describe('RMI_REC_DESTROY and RMI_REC_AUX_COUNT success', () => {
  it('returns the REC and aux granules to DELEGATED and the REC index is not reused', () => {
    const s = ok(withRec(withRealm(), R.rec, 0, R.aux), 'RMI_REC_DESTROY', R.rec);
    expect(granuleAt(s, granuleIndex(R.rec)).state).toBe(GranuleState.DELEGATED);
    for (const a of R.aux) expect(granuleAt(s, granuleIndex(a)).state).toBe(GranuleState.DELEGATED);
    const realm = s.realms.get(granuleIndex(R.rd))!;
    expect([realm.numRecs, realm.recIndex]).toEqual([0, 1]);
    // Index 0 cannot be reused: B4.3.12 mpidr_index.
    const again = write(s, R.recParams, encodeStruct(RmiRecParams, recParamsFields(0, R.aux)));
    expect(call(again, 'RMI_REC_CREATE', [R.rd, R.rec, R.recParams]).failure?.rule).toBe('RMI_REC_CREATE/mpidr_index');
  });

  it('reports RecAuxCount, the platform value (16 by default)', () => {
    expect(call(withRealm(), 'RMI_REC_AUX_COUNT', [R.rd]).regs).toEqual([0n, 16n]);
  });
});
