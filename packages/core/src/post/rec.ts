/**
 * Post-conditions of RMI_REC_AUX_COUNT, RMI_REC_CREATE and RMI_REC_DESTROY (DEN0137 B4.3.11.3,
 * B4.3.12.3, B4.3.13.3), written from the spec's success tables; the RIM from `post/measure.ts`
 * (B4.3.12.4).
 *
 * @packageDocumentation
 */
import type { PostDefinition, Transition } from '../engine/post.js';
import { GranuleState } from '../model/granule.js';
import { AttestState, RecState, type Rec as RecRecord } from '../model/rec.js';
import type { Realm as RealmRecord } from '../model/realm.js';
import { AuxEqual, AuxStateEqual, Contents, field, fields, MpidrEqual, RecAuxCount, RecParams } from './lifecycle-view.js';
import { RimExtendRec } from './measure.js';
import { bytesEqual, gi, Granule, pa, Realm, Rec } from './view.js';

type RdInput = { readonly rd: bigint };
type RecCreateInput = { readonly rd: bigint; readonly rec: bigint; readonly params_ptr: bigint };
type RecDestroyInput = { readonly rec_ptr: bigint };
type NoOutputs = Record<string, never>;
type Create = Transition<RecCreateInput, NoOutputs>;

/** B4.3.11.3 aux_count (DEN0137 B3.36): at most 16; D-RECAUX: the platform's value. */
export const recAuxCountPost: PostDefinition<RdInput, { readonly aux_count: bigint }> = {
  success: {
    // IMPLEMENTATION DEFINED, but fixed by the platform the model runs on (D-RECAUX), so no choice:
    // RMI_REC_CREATE's num_aux condition and its aux rows read the same RecAuxCount(rd).
    aux_count: (t) => t.out.aux_count === BigInt(RecAuxCount(t.pre)) && t.out.aux_count <= 16n,
  },
  locate: {},
};

// -------------------------------------------------------------------------------------
// RMI_REC_CREATE
// -------------------------------------------------------------------------------------

/** B4.4.13 RmiRecCreateFlags.runnable (bit 0) of params = RecParams(params_ptr): RMI_RUNNABLE. */
function runnableRequested(t: Create): boolean {
  return (field(RecParams(t.pre, t.input.params_ptr), 'flags') & 1n) === 1n;
}

/** A check on Rec(rec) after the command: false when there is none. */
function onRec(p: (rec: RecRecord, t: Create) => boolean): (t: Create) => boolean {
  return (t) => {
    const rec = Rec(t.post, t.input.rec);
    return rec !== undefined && p(rec, t);
  };
}

/** A check on realm_pre and realm, Realm(rd) before and after the command (B4.3.12.1.2). */
function onRealms(p: (pre: RealmRecord, post: RealmRecord) => boolean): (t: Create) => boolean {
  return (t) => {
    const pre = Realm(t.pre, t.input.rd);
    const post = Realm(t.post, t.input.rd);
    return pre !== undefined && post !== undefined && p(pre, post);
  };
}

/** The aux member of a REC (granule indexes in the model) as addresses. */
const auxAddrs = (rec: RecRecord): bigint[] => rec.aux.map(pa);

/** The REC's gprs[0..31] (C1.19 Bits64[32]); the model keeps X0..X30, and gprs[31] reads as zero. */
const gpr = (rec: RecRecord, i: number): bigint | undefined => {
  if (i < rec.gprs.length) return rec.gprs[i];
  // Stryker disable next-line ConditionalExpression: equivalent; callers ask for 0..31 and the model keeps X0..X30, so only 31 reaches here.
  return i === 31 ? 0n : undefined;
};

/** DEN0137 B4.3.12.3: the REC from params, owned by rd; the Realm's rec_index, num_recs and (runnable) RIM. */
export const recCreatePost: PostDefinition<RecCreateInput, NoOutputs> = {
  success: {
    rec_index: onRealms((pre, post) => post.recIndex === pre.recIndex + 1),
    rec_gran_state: (t) => Granule(t.post, t.input.rec).state === GranuleState.REC,
    rec_owner: onRec((rec, t) => pa(rec.owner) === t.input.rd),
    rec_attest: onRec((rec) => rec.attestState === AttestState.NO_ATTEST_IN_PROGRESS),
    rec_mpidr: onRec((rec, t) => MpidrEqual(rec.mpidr, field(RecParams(t.pre, t.input.params_ptr), 'mpidr'))),
    rec_state: onRec((rec) => rec.state === RecState.REC_READY),
    runnable: { when: runnableRequested, holds: onRec((rec) => rec.runnable) },
    not_runnable: { when: (t) => !runnableRequested(t), holds: onRec((rec) => !rec.runnable) },
    rec_gprs: onRec((rec, t) => {
      const given = fields(RecParams(t.pre, t.input.params_ptr), 'gprs');
      for (let i = 0; i < 32; i++) if (gpr(rec, i) !== (i < 8 ? given[i] : 0n)) return false;
      return true;
    }),
    rec_pc: onRec((rec, t) => rec.pc === field(RecParams(t.pre, t.input.params_ptr), 'pc')),
    // B4.3.12.4: extended from the RIM before the command (the table's `realm` reads as realm_pre).
    rim: {
      when: runnableRequested,
      holds: (t) => {
        const before = Realm(t.pre, t.input.rd)?.measurements[0];
        const realm = Realm(t.post, t.input.rd);
        const after = realm?.measurements[0];
        return realm !== undefined && before !== undefined && after !== undefined && bytesEqual(after, RimExtendRec(t.pre.platform.digest, realm.hashAlgo, before, Contents(t.pre, t.input.params_ptr)));
      },
    },
    // Derived (B4.3.12.4, A7.1.1): a REC that is not runnable is not measured.
    rim_unchanged: {
      when: (t) => !runnableRequested(t),
      holds: onRealms((pre, post) => pre.measurements[0] !== undefined && post.measurements[0] !== undefined && bytesEqual(pre.measurements[0], post.measurements[0])),
    },
    rec_aux: onRec((rec, t) => AuxEqual(auxAddrs(rec), fields(RecParams(t.pre, t.input.params_ptr), 'aux'), RecAuxCount(t.pre))),
    rec_aux_state: onRec((rec, t) => AuxStateEqual(t.post, auxAddrs(rec), RecAuxCount(t.pre), GranuleState.REC_AUX)),
    ripas_addr: onRec((rec) => rec.ripasAddr === 0n),
    ripas_top: onRec((rec) => rec.ripasTop === 0n),
    host_call: onRec((rec) => !rec.hostCallPending),
    num_recs: onRealms((pre, post) => post.numRecs === pre.numRecs + 1),
    // Derived (A4.3.7, A4.3.4.3): a new REC has had no exit.
    psci_pending: onRec((rec) => !rec.psciPending),
    emulatable_abort: onRec((rec) => !rec.emulatableAbort),
  },
  locate: {
    rd: (t) => gi(t.input.rd),
    rec: (t) => gi(t.input.rec),
    // The REC exists only after the command.
    'Rec(rec).aux': (t) => Rec(t.post, t.input.rec)?.aux,
    'RecAuxCount(rd)': (t) => RecAuxCount(t.pre),
  },
};

// -------------------------------------------------------------------------------------
// RMI_REC_DESTROY
// -------------------------------------------------------------------------------------

/** DEN0137 B4.3.13.3: with rec the REC before the command, its granule and aux granules are DELEGATED; its Realm has one REC fewer. */
export const recDestroyPost: PostDefinition<RecDestroyInput, NoOutputs> = {
  success: {
    rec_gran_state: (t) => Granule(t.post, t.input.rec_ptr).state === GranuleState.DELEGATED,
    rec_aux_state: (t) => {
      const rec = Rec(t.pre, t.input.rec_ptr);
      return rec !== undefined && AuxStateEqual(t.post, auxAddrs(rec), RecAuxCount(t.pre), GranuleState.DELEGATED);
    },
    num_recs: (t) => {
      // rd = Rec(rec_ptr).owner before the command (B4.3.13.1.2).
      const rec = Rec(t.pre, t.input.rec_ptr);
      if (rec === undefined) return false;
      const pre = Realm(t.pre, pa(rec.owner));
      const post = Realm(t.post, pa(rec.owner));
      return pre !== undefined && post !== undefined && post.numRecs === pre.numRecs - 1;
    },
  },
  locate: {
    rec_ptr: (t) => gi(t.input.rec_ptr),
    'rec.aux': (t) => Rec(t.pre, t.input.rec_ptr)?.aux,
    'RecAuxCount(rd)': (t) => RecAuxCount(t.pre),
    rd: (t) => Rec(t.pre, t.input.rec_ptr)?.owner,
  },
};
