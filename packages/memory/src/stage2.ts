/**
 * Realm stage 2 translation: a Realm's access to an IPA goes through its RTTs (the core's RTT
 * walk) to a PA in the Realm PAS (Protected IPA, NS = 0) or the Non-secure PAS (Unprotected IPA,
 * NS = 1), or stops with the fault or REC exit the specification defines for the entry it
 * reaches (DEN0137 A5.2.3, A5.2.6–A5.2.9, A4.3.4; states.md §4.4; Arm ARM D8 stage 2 S2AP).
 *
 * @packageDocumentation
 */
import {
  Ripas,
  RttEntryState,
  addrIsProtected,
  ipaSpaceTop,
  rttOutputAddress,
  rttWalk,
  RTT_PAGE_LEVEL,
  type Realm,
  type RmmState,
} from '@realmspec/core';
import { Pas } from './pas.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What a Realm access is: a load, a store or an instruction fetch (DEN0137 A5.2). */
export type AccessKind = 'read' | 'write' | 'exec';

/** A stage 2 fault that ends in a REC exit (DEN0137 A4.3.4.2, A4.3.4.3). */
export interface Stage2Abort {
  readonly kind: 'abort';
  /** A Data Abort (load or store) or an Instruction Abort (fetch). */
  readonly exit: 'data_abort' | 'instruction_abort';
  /** Arm ARM D8: a translation fault (no valid descriptor) or a permission fault (S2AP). */
  readonly fault: 'translation' | 'permission';
  /** The RTT level of the entry the walk reached. */
  readonly level: number;
  /** The IPA is Unprotected. */
  readonly unprotected: boolean;
  /** The Host may emulate the access (Unprotected IPA and ISV = 1; DEN0137 A4.3.4.3). */
  readonly emulatable: boolean;
}

/** The outcome of stage 2 translation of one Realm access (before the granule protection check). */
export type Stage2Result =
  /** Beyond 2^ipa_width: a stage 1 Address Size Fault taken to the Realm (DEN0137 A5.2.8). */
  | { readonly kind: 'address_size_fault' }
  /** Not aligned to its size: an Alignment fault taken to the Realm (core D-ACCESS-ALIGN). */
  | { readonly kind: 'alignment_fault' }
  /** A Synchronous External Abort taken to the Realm: RIPAS EMPTY, or a fetch from an Unprotected IPA (DEN0137 A5.2.3, A5.2.6). */
  | { readonly kind: 'sea' }
  /** A REC exit due to a Data or Instruction Abort. */
  | Stage2Abort
  /** Translated: the access goes to `pa` in `pas`. */
  | { readonly kind: 'pa'; readonly pa: bigint; readonly pas: Pas; readonly unprotected: boolean; readonly level: number };

/** Arm ARM D8 stage 2 S2AP[0]: read permission; S2AP[1]: write permission. */
const S2AP_READ = 0b01;
const S2AP_WRITE = 0b10;

// -------------------------------------------------------------------------------------
// translation
// -------------------------------------------------------------------------------------

/**
 * DEN0137 A5.2.9 (states.md §4.4): stage 2 translation of a `kind` access of `size` bytes at
 * `ipa` by a Realm, where `isv` says whether the hardware would report the access in the
 * syndrome. Protected IPA: RIPAS EMPTY → SEA; HIPAS ASSIGNED with RIPAS RAM → the DATA granule
 * in the Realm PAS; otherwise (UNASSIGNED with RAM, or DESTROYED) → Data / Instruction Abort
 * exit. Unprotected IPA: a fetch → SEA; UNASSIGNED_NS → Data Abort exit (emulatable with ISV);
 * ASSIGNED_NS → the Host's PA in the Non-secure PAS unless S2AP forbids the access (permission
 * fault, Data Abort exit).
 */
export function stage2Translate(s: RmmState, realm: Realm, ipa: bigint, kind: AccessKind, size: number, isv: boolean): Stage2Result {
  if (ipa >= BigInt(ipaSpaceTop(realm))) return { kind: 'address_size_fault' };
  if (ipa % BigInt(size) !== 0n) return { kind: 'alignment_fault' };
  const n = Number(ipa);
  const w = rttWalk(s, realm, n, RTT_PAGE_LEVEL);
  const unprotected = !addrIsProtected(realm, ipa);
  // The starting RTTs cover the whole IPA space (DEN0137 A5.5.3), so the walk always exists here.
  if (w === undefined) return { kind: 'abort', exit: kind === 'exec' ? 'instruction_abort' : 'data_abort', fault: 'translation', level: realm.rttLevelStart, unprotected, emulatable: false };
  const e = w.entry;
  const abort = (fault: 'translation' | 'permission', emulatable: boolean): Stage2Abort => ({
    kind: 'abort',
    exit: kind === 'exec' ? 'instruction_abort' : 'data_abort',
    fault,
    level: w.level,
    unprotected,
    emulatable,
  });
  if (!unprotected) {
    if (e.ripas === Ripas.EMPTY) return { kind: 'sea' };
    if (e.state !== RttEntryState.ASSIGNED || e.ripas !== Ripas.RAM) return abort('translation', false);
    return { kind: 'pa', pa: BigInt(rttOutputAddress(w, n) as number), pas: Pas.REALM, unprotected, level: w.level };
  }
  if (kind === 'exec') return { kind: 'sea' };
  // ISV = 1 makes a Data Abort at an Unprotected IPA emulatable by the Host (A4.3.4.3).
  if (e.state !== RttEntryState.ASSIGNED_NS) return abort('translation', isv);
  if ((e.s2ap & (kind === 'write' ? S2AP_WRITE : S2AP_READ)) === 0) return abort('permission', isv);
  return { kind: 'pa', pa: BigInt(rttOutputAddress(w, n) as number), pas: Pas.NON_SECURE, unprotected, level: w.level };
}
