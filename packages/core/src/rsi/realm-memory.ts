/**
 * How RSI commands reach Realm memory: the command's address walks the Realm's RTTs, and the
 * RMM reads or writes the DATA granule behind it. What happens when the address is not backed
 * is the model's decision D-RSI-MEM (DEN0137 leaves it open; TF-RMM behaviour): RIPAS EMPTY is
 * the derived failure condition `addr_empty`, an unmapped IPA a REC exit due to Data Abort.
 *
 * @internal
 * @packageDocumentation
 */
import { isGranuleAligned } from '../model/bits.js';
import { addrIsProtected } from '../model/rtt-walk.js';
import type { RmmState } from '../model/state.js';
import type { Refinement } from '../engine/refine.js';
import { realmContext, type RealmCallInput, type RealmCallCtx, type RealmOutcome } from '../realm/command.js';
import { protectedTarget, unmappedAbort, type ProtectedTarget } from '../realm/memory.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The context of an RSI command that touches Realm memory at one address (DEN0137 B5.3.1, B5.3.4, B5.3.9). @category RSI */
export interface MemoryCtx extends RealmCallCtx {
  /** The address input. */
  readonly addr: bigint;
  /** Where `addr` leads; undefined unless it is a Protected IPA aligned to `align`. */
  readonly target: ProtectedTarget | undefined;
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** The context of a command whose input `name` is a Realm address aligned to `align` bytes. @internal */
export function memoryContext(name: string, align: bigint): (s: RmmState, i: RealmCallInput) => MemoryCtx {
  return (s, i) => {
    const c = realmContext(s, i);
    const addr = c.in[name] ?? 0n;
    const target = addr % align === 0n && addrIsProtected(c.realm, addr) ? protectedTarget(s, c.realm, addr) : undefined;
    return { s: c.s, recGi: c.recGi, rec: c.rec, realm: c.realm, fid: c.fid, in: c.in, addr, target };
  };
}

/** The address is granule-aligned. @internal */
export const granuleAligned = (c: MemoryCtx): boolean => isGranuleAligned(c.addr);

/**
 * The derived failure condition `addr_empty` of RSI_HOST_CALL, RSI_REALM_CONFIG and
 * RSI_ATTESTATION_TOKEN_CONTINUE: the RIPAS of the address is EMPTY. @internal
 *
 * DECISION D-RSI-MEM: when an RSI command makes the RMM access Realm memory at an IPA whose RIPAS
 * is EMPTY, the command fails with RSI_ERROR_INPUT and changes nothing (a Realm access there
 * would take an SEA, A5.2.3); the catalogue gives the condition a row of its own (`origin:
 * derived`), so the failure has a rule id. False when the address is not an aligned Protected IPA
 * (D-WELLFORMED: addr_align and addr_bound come first).
 */
export const addrEmpty = (c: MemoryCtx): boolean => c.target?.kind === 'empty';

/**
 * A {@link MemoryCtx} once every failure condition was checked: the address leads to the DATA
 * granule or to an unmapped entry (addr_align, addr_bound and addr_empty exclude the other
 * cases). @internal
 */
export type CheckedMemoryCtx = MemoryCtx & { readonly target: Exclude<ProtectedTarget, { kind: 'empty' }> };

/** What addr_align, addr_bound and addr_empty establish for apply (`engine/refine.ts`). @internal */
export const addressChecked: Refinement<MemoryCtx, CheckedMemoryCtx> = {
  establishes: 'addr an aligned Protected IPA whose RIPAS is not EMPTY',
  holds: (c): c is CheckedMemoryCtx => c.target !== undefined && c.target.kind !== 'empty',
};

/**
 * The outcome when the address is not mapped (HIPAS UNASSIGNED with RIPAS RAM, or RIPAS
 * DESTROYED). @internal
 *
 * DECISION D-RSI-MEM: a REC exit due to Data Abort at that IPA (ESR: EC Data Abort, DFSC
 * translation fault at the level the walk reached; HPFAR the IPA; FAR 0); the Realm's registers
 * are unchanged, and the Realm retries the call after the Host maps the IPA. TF-RMM behaves this
 * way (realm_ipa_to_pa, emulate_stage2_data_abort), and A4.2.2 says the same of RsiHostCall writes.
 */
export function unmapped(c: MemoryCtx, t: Extract<ProtectedTarget, { kind: 'unmapped' }>): RealmOutcome {
  return { kind: 'exit', cause: unmappedAbort(c.addr, t.level) };
}
