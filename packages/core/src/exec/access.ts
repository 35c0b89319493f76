/**
 * Realm memory accesses: a load, store or instruction fetch by the Realm either completes,
 * takes an abort inside the Realm, or causes a REC exit, depending on the RTT entry of its IPA
 * (DEN0137 A5.2.3, A5.2.6–A5.2.9, A4.3.4.2, A4.3.4.3; states.md §4.4).
 *
 * @packageDocumentation
 */
import { GRANULE_SIZE, type GranuleIndex } from '../model/bits.js';
import { nsAccessPermitted } from '../model/granule.js';
import { InternalError } from '../internal/errors.js';
import { updateRec } from '../model/rec.js';
import { RttEntryState } from '../model/rtt.js';
import { addrIsProtected, ipaSpaceTop, rttOutputAddress } from '../model/rtt-walk.js';
import { granuleAt, withRec, type RmmState } from '../model/state.js';
import { dataAbortEsr, instructionAbortEsr, permissionFault, translationFault } from '../realm/esr.js';
import { recExit } from '../realm/exit.js';
import { leBytes, leValue, protectedTargetOf, readBytes, unmappedAbort, walkIpa, writeBytes } from '../realm/memory.js';
import type { AccessOutcome, ExitCause, RealmAccessAction, RecExitFields } from '../realm/types.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The result of one Realm access (DEN0137 A5.2.9). */
export interface AccessStep {
  readonly state: RmmState;
  /** The outcome inside the Realm, when there was no REC exit. */
  readonly access: AccessOutcome | undefined;
  /** The REC exit the access caused, if any. */
  readonly exit: RecExitFields | undefined;
  /** The exit could not be written to the run granule. */
  readonly exitGpf: boolean;
}

/** S2AP[0]: stage 2 read permission; S2AP[1]: write permission (Arm ARM D8.4.5). */
const S2AP_READ = 1;
const S2AP_WRITE = 2;
/** XZR as a transfer register. */
const XZR = 31;

/** `gprs` with register `reg` set to `v` (a copy). */
function withReg(gprs: readonly bigint[], reg: number, v: bigint): readonly bigint[] {
  const out = gprs.slice();
  out[reg] = v;
  return out;
}

// -------------------------------------------------------------------------------------
// access
// -------------------------------------------------------------------------------------

/**
 * A Realm access `a` on REC `recGi` (REC_RUNNING): the outcome per DEN0137 A5.2.9.
 * - Beyond the IPA space: stage 1 Address Size Fault to the Realm (A5.2.8).
 * - Protected, RIPAS EMPTY: SEA to the Realm; ASSIGNED with RIPAS RAM: completes; otherwise
 *   (UNASSIGNED with RAM, or DESTROYED): REC exit due to Data / Instruction Abort.
 * - Unprotected: a fetch takes an SEA; UNASSIGNED_NS: REC exit due to Data Abort, emulatable when
 *   ISV = 1; ASSIGNED_NS: completes at the Host's PA unless S2AP forbids it (permission fault:
 *   REC exit due to Data Abort) or the PA is not in the Non-secure PAS (GPF to the Realm, A5.2.6).
 */
export function realmAccess(s: RmmState, recGi: GranuleIndex, a: RealmAccessAction): AccessStep {
  const rec = s.recs.get(recGi);
  const realm = rec === undefined ? undefined : s.realms.get(rec.owner);
  if (rec === undefined || realm === undefined) throw new InternalError(`Realm access on granule ${recGi}, which is not a REC of a Realm`);
  const exec = a.access === 'exec';
  const write = a.access === 'write';
  const size = exec ? 4 : (a.size ?? 8);
  const reg = a.reg ?? 0;
  const isv = a.isv ?? true;
  let gprs = rec.gprs;
  if (write && a.value !== undefined && reg !== XZR) gprs = withReg(gprs, reg, BigInt.asUintN(64, a.value));
  const data = write && reg !== XZR ? BigInt.asUintN(size * 8, gprs[reg] ?? 0n) : 0n;
  const inRealm = (outcome: AccessOutcome, state = s): AccessStep => ({
    state: gprs === rec.gprs ? state : withRec(state, recGi, updateRec(state.recs.get(recGi) ?? rec, { gprs })),
    access: outcome,
    exit: undefined,
    exitGpf: false,
  });
  const exit = (cause: ExitCause): AccessStep => {
    const x = recExit(s, recGi, cause, gprs);
    return { state: x.state, access: undefined, exit: x.fields, exitGpf: x.gpf };
  };
  const ipa = a.ipa;
  // A5.2.8: an IPA beyond 2^ipa_width is outside the Realm's IPA space.
  if (ipa >= BigInt(ipaSpaceTop(realm))) return inRealm({ kind: 'address_size_fault' });
  // DECISION D-ACCESS-ALIGN: an access not aligned to its size (a fetch not aligned to 4) takes an
  // Alignment fault in the Realm, as with SCTLR_EL1.A set; the model has no unaligned accesses,
  // which could span two pages.
  if (ipa % BigInt(size) !== 0n) return inRealm({ kind: 'alignment_fault' });
  const n = Number(ipa);
  const w = walkIpa(s, realm, n);
  const e = w.entry;
  const syndrome = isv && !exec ? { size, reg, write } : undefined;
  if (addrIsProtected(realm, ipa)) {
    const t = protectedTargetOf(w, n);
    // A5.2.3: RIPAS EMPTY (assigned or not) gives an SEA taken to the Realm.
    if (t.kind === 'empty') return inRealm({ kind: 'sea' });
    if (t.kind === 'unmapped') {
      // HIPAS UNASSIGNED with RIPAS RAM, or RIPAS DESTROYED: the access cannot progress.
      if (exec) return exit({ kind: 'instruction_abort', esr: instructionAbortEsr(translationFault(t.level)), ipa });
      return exit(unmappedAbort(ipa, t.level, syndrome));
    }
    return complete(s, t.gi, t.offset);
  }
  // A5.2.6: an instruction fetch from an Unprotected IPA gives an SEA taken to the Realm.
  if (exec) return inRealm({ kind: 'sea' });
  const abort = (dfsc: number): AccessStep =>
    exit({ kind: 'data_abort', esr: dataAbortEsr(dfsc, syndrome), ipa, va: ipa, unprotected: true, emulatable: isv, writeValue: isv && write ? data : 0n });
  if (e.state !== RttEntryState.ASSIGNED_NS) return abort(translationFault(w.level));
  // A stage 2 permission fault: S2AP does not allow this access.
  if ((e.s2ap & (write ? S2AP_WRITE : S2AP_READ)) === 0) return abort(permissionFault(w.level));
  const pa = rttOutputAddress(w, n) as number;
  const gi = Math.floor(pa / GRANULE_SIZE);
  // DECISION D-NS-GPF: the RMM does not check the GPT of the Host's PA (B4.3.19); an access to a
  // PA outside the Non-secure PAS takes a Granule Protection Fault in the Realm (A5.2.6: "Realm
  // software must be able to handle taking a GPF"), with no REC exit.
  if (!nsAccessPermitted(granuleAt(s, gi))) return inRealm({ kind: 'gpf' });
  return complete(s, gi, pa % GRANULE_SIZE);

  function complete(state: RmmState, gi: GranuleIndex, offset: number): AccessStep {
    if (exec) return inRealm({ kind: 'completed', value: undefined }, state);
    if (write) return inRealm({ kind: 'completed', value: undefined }, writeBytes(state, gi, offset, leBytes(data, size)));
    const value = leValue(readBytes(state, gi, offset, size));
    if (reg !== XZR) gprs = withReg(gprs, reg, value);
    return inRealm({ kind: 'completed', value }, state);
  }
}
