/**
 * The post-conditions of RMI_REC_AUX_COUNT, RMI_REC_CREATE and RMI_REC_DESTROY (post/rec.ts;
 * DEN0137 B4.3.11.3, B4.3.12.3, B4.3.13.3) hold on the model's transitions and fail on doctored
 * ones. Expected values by hand from the spec and the fixture's parameters.
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import {
  AttestState,
  encodeStruct,
  GranuleState,
  granuleIndex,
  initialState,
  makePlatform,
  RecState,
  RmiRecParams,
  rmiRecAuxCount,
  rmiRecCreate,
  rmiRecDestroy,
  type Command,
  type Rec,
  type Realm,
  type RmmState,
  type Transition,
} from '../../src/index.js';
import { realmGranule, updateRealm, updateRec, withGranule, withRealmRecord, withRec as withRecRecord } from '../../src/internal.js';
import { delegate, R, recParamsFields, withRealm, withRec, write } from '../support/fixtures.js';

/** The transition of a command that must succeed. */
function run<I, C, O>(cmd: Command<I, C, O>, pre: RmmState, input: I): Transition<I, O> {
  const r = cmd(pre, input);
  if (E.isLeft(r)) throw new Error(`${cmd.entry.name} failed: ${r.left.rule}`);
  return { pre, input, post: r.right[0], out: r.right[1] };
}

/** The predicate of success row `label` (the `holds` part of a conditional row). */
function row<I, C, O>(cmd: Command<I, C, O>, label: string): (t: Transition<I, O>) => boolean {
  const p = cmd.post?.success[label];
  if (p === undefined) throw new Error(`${cmd.entry.name} has no post-condition ${label}`);
  return typeof p === 'function' ? p : p.holds;
}

/** The `when` of conditional row `label`. */
function when<I, C, O>(cmd: Command<I, C, O>, label: string): (t: Transition<I, O>) => boolean {
  const p = cmd.post?.success[label];
  if (p === undefined || typeof p === 'function') throw new Error(`${label} is not conditional`);
  return p.when;
}

const rdGi = granuleIndex(R.rd);
const recGi = granuleIndex(R.rec);
type CreateT = Transition<{ rd: bigint; rec: bigint; params_ptr: bigint }, Record<string, never>>;

/** `t` with the post-state's REC at R.rec patched. */
const recPatch = (t: CreateT, patch: Partial<Rec>): CreateT => ({ ...t, post: withRecRecord(t.post, recGi, updateRec(t.post.recs.get(recGi)!, patch)) });
/** `t` with the post-state's Realm at R.rd patched. */
const realmPatch = <I, O>(t: Transition<I, O>, patch: Partial<Realm>): Transition<I, O> => ({
  ...t,
  post: withRealmRecord(t.post, rdGi, updateRealm(t.post.realms.get(rdGi)!, patch)),
});

/** A Realm with REC params for REC 0 at R.recParams (flags from `over`), its REC and aux granules delegated. */
function recCreatePre(over: Record<string, bigint | bigint[]> = {}): RmmState {
  const gprs = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n];
  const s = delegate(withRealm(), R.rec, ...R.aux);
  return write(s, R.recParams, encodeStruct(RmiRecParams, recParamsFields(0, R.aux, { gprs, pc: 0x8_0000n, ...over })));
}
const input = { rd: R.rd, rec: R.rec, params_ptr: R.recParams };

// -------------------------------------------------------------------------------------
// RMI_REC_CREATE
// -------------------------------------------------------------------------------------

describe('RMI_REC_CREATE post-conditions (B4.3.12.3)', () => {
  const t = run(rmiRecCreate, recCreatePre(), input);
  const idle = run(rmiRecCreate, recCreatePre({ flags: 0n }), input);
  const holds = (label: string, tt: CreateT = t): boolean => row(rmiRecCreate, label)(tt);
  const rim = (tt: CreateT): Uint8Array => tt.post.realms.get(rdGi)!.measurements[0]!;

  it('every row holds on the model transitions, the conditional ones when they apply', () => {
    for (const tt of [t, idle]) {
      for (const r of rmiRecCreate.entry.success) {
        const applies = r.when === undefined || when(rmiRecCreate, r.label)(tt);
        if (applies) expect([r.label, holds(r.label, tt)]).toEqual([r.label, true]);
      }
    }
  });

  it('runnable and rim apply to a runnable REC, not_runnable and rim_unchanged to the other', () => {
    const applies = (tt: CreateT) => ['runnable', 'not_runnable', 'rim', 'rim_unchanged'].filter((l) => when(rmiRecCreate, l)(tt));
    expect(applies(t)).toEqual(['runnable', 'rim']);
    expect(applies(idle)).toEqual(['not_runnable', 'rim_unchanged']);
  });

  const other = new Uint8Array(64).fill(7);
  const doctored: ReadonlyArray<readonly [string, CreateT]> = [
    ['rec_index', realmPatch(t, { recIndex: 0 })],
    ['rec_gran_state', { ...t, post: withGranule(t.post, recGi, realmGranule(GranuleState.DELEGATED)) }],
    ['rec_owner', recPatch(t, { owner: rdGi + 1 })],
    ['rec_attest', recPatch(t, { attestState: AttestState.ATTEST_IN_PROGRESS })],
    // Aff1 (bits 15:8) differs.
    ['rec_mpidr', recPatch(t, { mpidr: 0x100n })],
    ['rec_state', recPatch(t, { state: RecState.REC_RUNNING })],
    ['runnable', recPatch(t, { runnable: false })],
    ['not_runnable', recPatch(idle, { runnable: true })],
    ['rec_gprs', recPatch(t, { gprs: t.post.recs.get(recGi)!.gprs.map((g, i) => (i === 3 ? 0n : g)) })],
    ['rec_pc', recPatch(t, { pc: 0x8_0004n })],
    // The RIM left as it was: the REC was not measured.
    ['rim', realmPatch(t, { measurements: [t.pre.realms.get(rdGi)!.measurements[0]!, ...t.post.realms.get(rdGi)!.measurements.slice(1)] })],
    ['rim_unchanged', realmPatch(idle, { measurements: [other, ...idle.post.realms.get(rdGi)!.measurements.slice(1)] })],
    ['rec_aux', recPatch(t, { aux: [...t.post.recs.get(recGi)!.aux].reverse() })],
    ['rec_aux_state', { ...t, post: withGranule(t.post, granuleIndex(R.aux[15]!), realmGranule(GranuleState.DELEGATED)) }],
    ['ripas_addr', recPatch(t, { ripasAddr: 0x1000n })],
    ['ripas_top', recPatch(t, { ripasTop: 0x1000n })],
    ['host_call', recPatch(t, { hostCallPending: true })],
    ['num_recs', realmPatch(t, { numRecs: 2 })],
    ['psci_pending', recPatch(t, { psciPending: true })],
    ['emulatable_abort', recPatch(t, { emulatableAbort: true })],
  ];
  for (const [label, bad] of doctored) {
    it(`${label} fails on a post-state that breaks it`, () => {
      expect(holds(label, bad)).toBe(false);
    });
  }

  it('covers every row of the catalogue', () => {
    expect(doctored.map(([l]) => l).sort()).toEqual(rmiRecCreate.entry.success.map((r) => r.label).sort());
  });

  it('rec_gprs: X8 and above must be zero', () => {
    expect(holds('rec_gprs', recPatch(t, { gprs: t.post.recs.get(recGi)!.gprs.map((g, i) => (i === 30 ? 1n : g)) }))).toBe(false);
  });

  it('rec_mpidr ignores the SBZ bits 7:4 (B3.23 MpidrEqual)', () => {
    expect(holds('rec_mpidr', recPatch(t, { mpidr: 0xf0n }))).toBe(true);
  });

  it('rim is RimExtendRec of the RIM before the command: extending from another RIM breaks it', () => {
    const pre = { ...t, pre: withRealmRecord(t.pre, rdGi, updateRealm(t.pre.realms.get(rdGi)!, { measurements: [other, ...t.pre.realms.get(rdGi)!.measurements.slice(1)] })) };
    expect(holds('rim', pre)).toBe(false);
    expect(rim(t)).not.toEqual(rim(idle));
  });

  it('locates rd, rec and the aux granules after the command', () => {
    const loc = rmiRecCreate.post!.locate;
    expect(loc.rec!(t)).toBe(recGi);
    expect(loc['Rec(rec).aux']!(t)).toEqual(R.aux.map(granuleIndex));
    expect(loc['RecAuxCount(rd)']!(t)).toBe(16);
  });
});

// -------------------------------------------------------------------------------------
// RMI_REC_DESTROY
// -------------------------------------------------------------------------------------

describe('RMI_REC_DESTROY post-conditions (B4.3.13.3)', () => {
  const pre = withRec(withRealm(), R.rec, 0, R.aux);
  const t = run(rmiRecDestroy, pre, { rec_ptr: R.rec });
  const holds = (label: string, tt = t): boolean => row(rmiRecDestroy, label)(tt);

  it('every row holds on the model transition', () => {
    for (const l of ['rec_gran_state', 'rec_aux_state', 'num_recs']) expect([l, holds(l)]).toEqual([l, true]);
  });

  it('rec_gran_state fails when the granule stays a REC', () => {
    expect(holds('rec_gran_state', { ...t, post: withGranule(t.post, recGi, realmGranule(GranuleState.REC)) })).toBe(false);
  });

  it('rec_aux_state fails when an aux granule stays REC_AUX', () => {
    expect(holds('rec_aux_state', { ...t, post: withGranule(t.post, granuleIndex(R.aux[7]!), realmGranule(GranuleState.REC_AUX)) })).toBe(false);
  });

  it('num_recs fails when the Realm keeps its count', () => {
    expect(holds('num_recs', realmPatch(t, { numRecs: 1 }))).toBe(false);
  });

  it('locates the REC, its aux granules and its owner from before the command', () => {
    const loc = rmiRecDestroy.post!.locate;
    expect([loc.rec_ptr!(t), loc.rd!(t), loc['RecAuxCount(rd)']!(t)]).toEqual([recGi, rdGi, 16]);
    expect(loc['rec.aux']!(t)).toEqual(R.aux.map(granuleIndex));
  });
});

// -------------------------------------------------------------------------------------
// RMI_REC_AUX_COUNT
// -------------------------------------------------------------------------------------

describe('RMI_REC_AUX_COUNT post-condition (B4.3.11.3, D-RECAUX)', () => {
  it('aux_count is the platform RecAuxCount: 16 by default, 3 on a platform that says 3', () => {
    const t = run(rmiRecAuxCount, withRealm(), { rd: R.rd });
    expect(t.out.aux_count).toBe(16n);
    expect(row(rmiRecAuxCount, 'aux_count')(t)).toBe(true);
    expect(row(rmiRecAuxCount, 'aux_count')({ ...t, out: { aux_count: 15n } })).toBe(false);
    const t3 = run(rmiRecAuxCount, withRealm({}, initialState(makePlatform({ recAuxCount: 3 }))), { rd: R.rd });
    expect(row(rmiRecAuxCount, 'aux_count')(t3)).toBe(true);
    expect(row(rmiRecAuxCount, 'aux_count')({ ...t3, out: { aux_count: 16n } })).toBe(false);
  });

  it('leaves aux_count exact: no choice (RMI_REC_CREATE num_aux reads the same RecAuxCount)', () => {
    expect(rmiRecAuxCount.post!.choices).toBeUndefined();
  });
});
