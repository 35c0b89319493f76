/**
 * A Realm's memory access as the hardware memory model sees it: stage 2 translation, then the
 * granule protection check against EL3's GPT, then the bytes. This is a second, independent
 * account of what the RMM model's Realm execution does for the same access (DEN0137 A5.2.9,
 * A4.3.4; Arm ARM D9); {@link accessDivergence} says where the two disagree.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  ExceptionClass,
  RecExitReason,
  ecOf,
  faultOf,
  hpfarOf,
  isvOf,
  type RealmAccessAction,
  type RealmStepResult,
  type RecExitFields,
  type RmmState,
} from '@realmspec/core';
import { hex, leValue } from '@realmspec/core/internal';
import type { Gpi, Gpt } from '@realmspec/el3';
import { gpcCheck } from './gpc.js';
import type { Pas } from './pas.js';
import { physRead } from './physical.js';
import { stage2Translate, type AccessKind, type Stage2Abort } from './stage2.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What a Realm access does, in the memory model's terms. */
export type AccessResult =
  /** The access reached memory: `pa` in `pas`; for a read, the value loaded (little-endian). */
  | { readonly kind: 'completed'; readonly pa: bigint; readonly pas: Pas; readonly value: bigint | undefined }
  /** A stage 1 Address Size Fault taken to the Realm. */
  | { readonly kind: 'address_size_fault' }
  /** An Alignment fault taken to the Realm. */
  | { readonly kind: 'alignment_fault' }
  /** A Synchronous External Abort taken to the Realm. */
  | { readonly kind: 'sea' }
  /** A granule protection fault taken to the Realm: the translated PA is not in a PAS the GPT permits. */
  | { readonly kind: 'gpf'; readonly pa: bigint; readonly pas: Pas; readonly gpi: Gpi | undefined }
  /** A REC exit due to a Data or Instruction Abort. */
  | Stage2Abort;

// -------------------------------------------------------------------------------------
// prediction
// -------------------------------------------------------------------------------------

/** The size in bytes of access `a` (a fetch is 4 bytes; a data access 8 unless given). */
export function accessSizeOf(a: RealmAccessAction): number {
  // Core's realmAccess applies the same rule inline (realm/access.ts) and exports no helper for it.
  return a.access === 'exec' ? 4 : (a.size ?? 8);
}

/**
 * DEN0137 A5.2.9 with Arm ARM D9: what access `a` by the REC at granule `recGi` (of a Realm in
 * state `s`) does according to the memory model: stage 2 translation through the RTTs, the GPC
 * against `gpt`, and for a completed read the bytes at the PA.
 */
export function realmAccessResult(s: RmmState, gpt: Gpt, recGi: number, a: RealmAccessAction): AccessResult {
  const rec = s.recs.get(recGi);
  const realm = rec === undefined ? undefined : s.realms.get(rec.owner);
  if (realm === undefined) throw new RangeError(`realmAccessResult: granule ${recGi} is not a REC of a Realm`);
  const kind: AccessKind = a.access;
  const size = accessSizeOf(a);
  const t = stage2Translate(s, realm, a.ipa, kind, size, a.isv ?? true);
  if (t.kind !== 'pa') return t;
  if (kind !== 'read') {
    const fault = gpcCheck(gpt, t.pa, t.pas);
    return fault === undefined ? { kind: 'completed', pa: t.pa, pas: t.pas, value: undefined } : { kind: 'gpf', pa: t.pa, pas: t.pas, gpi: fault.gpi };
  }
  // A read: physRead makes the GPC (an aligned access of at most 8 bytes lies in one granule).
  const bytes = physRead(s, gpt, t.pas, t.pa, size);
  if (E.isRight(bytes)) return { kind: 'completed', pa: t.pa, pas: t.pas, value: leValue(bytes.right) };
  if (bytes.left.kind === 'gpf') return { kind: 'gpf', pa: t.pa, pas: t.pas, gpi: bytes.left.gpi };
  return { kind: 'completed', pa: t.pa, pas: t.pas, value: undefined };
}

// -------------------------------------------------------------------------------------
// observation
// -------------------------------------------------------------------------------------

/** ESR_EL2.ISS DFSC / IFSC: bits 5:0 (Arm ARM D24.2.43). */
const FSC_MASK = 0x3fn;

/** A REC exit due to a Data or Instruction Abort, read back from its RmiRecExit (exit reason SYNC, ESR EC and DFSC). */
function abortOfExit(x: RecExitFields, unprotected: boolean): Stage2Abort | undefined {
  const ec = ecOf(x.esr);
  const f = faultOf(Number(x.esr & FSC_MASK));
  if (x.exit_reason !== RecExitReason.RMI_EXIT_SYNC || f === undefined) return undefined;
  if (ec !== ExceptionClass.DATA_ABORT && ec !== ExceptionClass.INSTRUCTION_ABORT) return undefined;
  const exit = ec === ExceptionClass.DATA_ABORT ? 'data_abort' : 'instruction_abort';
  return { kind: 'abort', exit, fault: f.fault, level: f.level, unprotected, emulatable: isvOf(x.esr) };
}

/** One line describing an access result, for divergence reports. */
export function describeAccessResult(r: AccessResult | undefined): string {
  if (r === undefined) return 'no access outcome';
  switch (r.kind) {
    case 'completed':
      return `completed at ${hex(r.pa)}${r.value === undefined ? '' : ` (value ${hex(r.value)})`}`;
    case 'gpf':
      return `GPF at ${hex(r.pa)}`;
    case 'abort':
      return `REC exit: ${r.exit} (${r.fault} fault, level ${r.level}${r.emulatable ? ', emulatable' : ''})`;
    default:
      return r.kind;
  }
}

/**
 * Where the RMM model's Realm step `step` for access `a` (at an IPA the Realm sees as
 * `unprotected` or not) disagrees with the memory model's `expected` result: undefined when they
 * agree, else a description of both. Completed accesses must agree on the value a read loaded.
 */
export function accessDivergence(a: RealmAccessAction, expected: AccessResult, step: RealmStepResult): string | undefined {
  const got = step.access;
  const say = (observed: string): string => `Realm ${a.access} at IPA ${hex(a.ipa)}: memory model ${describeAccessResult(expected)}, RMM model ${observed}`;
  if (expected.kind === 'abort') {
    const x = step.exit === undefined ? undefined : abortOfExit(step.exit, expected.unprotected);
    if (x === undefined) return say(got !== undefined ? got.kind : `exit reason ${step.exit?.exit_reason ?? 'none'}`);
    const same = x.exit === expected.exit && x.fault === expected.fault && x.level === expected.level && x.emulatable === expected.emulatable;
    return same && step.exit?.hpfar === hpfarOf(a.ipa) ? undefined : say(describeAccessResult(x));
  }
  if (got === undefined) return say(`a REC exit (reason ${step.exit?.exit_reason ?? 'none'})`);
  if (got.kind !== expected.kind) return say(got.kind);
  if (got.kind === 'completed' && expected.kind === 'completed' && a.access === 'read' && got.value !== expected.value) {
    return say(`completed (value ${hex(got.value ?? 0n)})`);
  }
  return undefined;
}
