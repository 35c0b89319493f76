/**
 * How RSI commands reach Realm memory: the command's address walks the Realm's RTTs, and the
 * RMM reads or writes the DATA granule behind it. What happens when the address is not backed
 * is the model's decision D-RSI-MEM (DEN0137 leaves it open; TF-RMM behaviour).
 *
 * @internal
 * @packageDocumentation
 */
import { isGranuleAligned } from '../model/bits.js';
import { addrIsProtected } from '../model/rtt-walk.js';
import type { RmmState } from '../model/state.js';
import { realmContext, returnToRealm, type RealmCallInput, type RealmCallCtx, type RealmOutcome } from '../realm/command.js';
import { RsiStatus } from '../abi/status.js';
import { protectedTarget, unmappedAbort, type ProtectedTarget } from '../realm/memory.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The context of an RSI command that touches Realm memory at one address. @internal */
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

/** The RMM could reach the DATA granule at the address. @internal */
export const reached = (c: MemoryCtx): boolean => c.target?.kind === 'page';

/**
 * The outcome when the address is not backed by a DATA granule with RIPAS RAM.
 *
 * DECISION D-RSI-MEM: when an RSI command makes the RMM access Realm memory at an IPA whose RIPAS
 * is EMPTY, the command returns RSI_ERROR_INPUT and changes nothing; when the IPA is not mapped
 * (HIPAS UNASSIGNED with RIPAS RAM, or RIPAS DESTROYED) there is a REC exit due to Data Abort at
 * that IPA (ESR: EC Data Abort, DFSC translation fault at the level the walk reached; HPFAR the
 * IPA; FAR 0), the Realm's registers are unchanged, and the Realm retries the call after the
 * Host maps the IPA. Neither is a failure condition of the spec; TF-RMM behaves this way
 * (realm_ipa_to_pa, emulate_stage2_data_abort), and A4.2.2 says the same of RsiHostCall writes.
 * @internal
 */
export function unbacked(c: MemoryCtx, t: Exclude<ProtectedTarget, { kind: 'page' }>): RealmOutcome {
  if (t.kind === 'empty') return returnToRealm(RsiStatus.RSI_ERROR_INPUT);
  return { kind: 'exit', cause: unmappedAbort(c.addr, t.level) };
}
