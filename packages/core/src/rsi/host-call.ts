/**
 * RSI_HOST_CALL: a call from the Realm to the Host through an RsiHostCall structure in Realm
 * memory; the Host's answer is written back on the next REC entry (DEN0137 B5.3.4, A4.5,
 * A4.3.9, A4.2.2).
 *
 * @packageDocumentation
 */
import { defineCommand } from '../engine/command.js';
import { InternalError } from '../internal/errors.js';
import { fieldOf } from '../model/layout.js';
import { addrIsProtected } from '../model/rtt-walk.js';
import type { RmmState } from '../model/state.js';
import { RsiHostCall } from '../model/structs.js';
import type { RealmCallInput, RealmOutcome } from '../realm/command.js';
import { readU64, writeBytes, type ProtectedTarget } from '../realm/memory.js';
import { rsiHostCallPost } from '../post/rsi-calls.js';
import { addrEmpty, addressChecked, memoryContext, unmapped, type CheckedMemoryCtx, type MemoryCtx } from './realm-memory.js';

// -------------------------------------------------------------------------------------
// RsiHostCall
// -------------------------------------------------------------------------------------

/** Alignment and size of an RsiHostCall structure (DEN0137 B5.4.2). @category RSI */
export const HOST_CALL_ALIGN = 0x100n;
const IMM = fieldOf(RsiHostCall, 'imm').offset;
const GPRS = fieldOf(RsiHostCall, 'gprs').offset;
/** Number of gprs in an RsiHostCall: X0..X30. */
const HOST_CALL_GPRS = 31;

/** imm and gprs[0..30] of the RsiHostCall at `t` (DEN0137 B5.4.2). */
function readHostCall(s: RmmState, t: Extract<ProtectedTarget, { kind: 'page' }>): { readonly imm: bigint; readonly gprs: readonly bigint[] } {
  const gprs: bigint[] = [];
  for (let i = 0; i < HOST_CALL_GPRS; i++) gprs.push(readU64(s, t.gi, t.offset + GPRS + 8 * i));
  // imm is a 16-bit field.
  return { imm: readU64(s, t.gi, t.offset + IMM) & 0xffffn, gprs };
}

/**
 * `s` with gprs[0..30] of the RsiHostCall at `t` set to `gprs`, the Host's enter.gprs as the
 * 31 little-endian doublewords the RmiRecEnter holds (DEN0137 A4.2.2, B4.4.15); copied.
 */
export function writeHostCallGprs(s: RmmState, t: Extract<ProtectedTarget, { kind: 'page' }>, gprs: Uint8Array): RmmState {
  if (gprs.length !== 8 * HOST_CALL_GPRS) throw new InternalError(`enter.gprs of ${gprs.length} bytes, not ${8 * HOST_CALL_GPRS}`);
  return writeBytes(s, t.gi, t.offset + GPRS, gprs);
}

// -------------------------------------------------------------------------------------
// RSI_HOST_CALL
// -------------------------------------------------------------------------------------

/**
 * DEN0137 B5.3.4 RSI_HOST_CALL: a REC exit due to Host call with exit.imm and exit.gprs[0..30]
 * taken from the RsiHostCall at `addr`; rec.host_call_pending is set until the next entry.
 * @category RSI
 */
export const rsiHostCall = defineCommand<RealmCallInput, MemoryCtx, RealmOutcome, CheckedMemoryCtx>({
  name: 'RSI_HOST_CALL',
  context: memoryContext('addr', HOST_CALL_ALIGN),
  failures: {
    // addr is not aligned to 256 bytes.
    addr_align: (c) => c.addr % HOST_CALL_ALIGN !== 0n,
    // addr is not a Protected IPA.
    addr_bound: (c) => !addrIsProtected(c.realm, c.addr),
    // Derived (D-RSI-MEM): the RIPAS of addr is EMPTY; the structure cannot be read.
    addr_empty: addrEmpty,
  },
  checked: addressChecked,
  apply: (c) => {
    const t = c.target;
    // Not mapped: a REC exit due to Data Abort; the Realm calls again after re-entry (D-RSI-MEM).
    if (t.kind === 'unmapped') return [c.s, unmapped(c, t)];
    const { imm, gprs } = readHostCall(c.s, t);
    return [c.s, { kind: 'exit', cause: { kind: 'host_call', imm, gprs } }];
  },
  // reentry is established by the next REC entry (catalogue establishedBy).
  post: rsiHostCallPost,
});
