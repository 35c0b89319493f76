/**
 * Realm memory: where a Protected IPA of a Realm leads through its RTTs, and reading and writing
 * the bytes of the DATA granules behind it (DEN0137 A5.2.3, A5.5; the RMM's own accesses on
 * behalf of RSI commands). DATA granule bytes live in `state.memory`, copied on write.
 *
 * @packageDocumentation
 */
import { GRANULE_SIZE, type GranuleIndex } from '../model/bits.js';
import { granuleView, wipeGranule, withGranuleBytes } from '../model/memory.js';
import type { Realm } from '../model/realm.js';
import { Ripas, RttEntryState } from '../model/rtt.js';
import { RTT_PAGE_LEVEL, rttOutputAddress, rttWalk, type RttWalkResult } from '../model/rtt-walk.js';
import type { RmmState } from '../model/state.js';
import { InternalError } from '../internal/errors.js';
import { dataAbortEsr, translationFault } from './esr.js';
import type { ExitCause } from './types.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Where a Protected IPA leads (DEN0137 A5.2.3, states.md §4.4). @category REC execution */
export type ProtectedTarget =
  /** HIPAS ASSIGNED, RIPAS RAM: byte `offset` of DATA granule `gi`. */
  | { readonly kind: 'page'; readonly gi: GranuleIndex; readonly offset: number }
  /** RIPAS EMPTY (ASSIGNED or not): a Realm access takes an SEA. */
  | { readonly kind: 'empty' }
  /** HIPAS UNASSIGNED with RIPAS RAM, or RIPAS DESTROYED: not mapped; `level` is where the walk stopped. */
  | { readonly kind: 'unmapped'; readonly level: number };

// -------------------------------------------------------------------------------------
// queries
// -------------------------------------------------------------------------------------

/** DEN0137 B3.78 RttWalk(rd, ipa, 3) for an IPA inside the Realm's IPA space; the starting tables always cover it. */
export function walkIpa(s: RmmState, realm: Realm, ipa: number): RttWalkResult {
  const w = rttWalk(s, realm, ipa, RTT_PAGE_LEVEL);
  if (w === undefined) throw new InternalError(`no RTT walk for IPA 0x${ipa.toString(16)} inside the IPA space`);
  return w;
}

/** Where the Protected IPA `ipa` leads through the walk `w` to it (DEN0137 A5.2.3). */
export function protectedTargetOf(w: RttWalkResult, ipa: number): ProtectedTarget {
  const e = w.entry;
  if (e.ripas === Ripas.EMPTY) return { kind: 'empty' };
  if (e.state === RttEntryState.ASSIGNED && e.ripas === Ripas.RAM) {
    const pa = rttOutputAddress(w, ipa) as number;
    return { kind: 'page', gi: Math.floor(pa / GRANULE_SIZE), offset: pa % GRANULE_SIZE };
  }
  return { kind: 'unmapped', level: w.level };
}

/** Where the Protected IPA `ipa` of `realm` leads (DEN0137 A5.2.3). */
export function protectedTarget(s: RmmState, realm: Realm, ipa: bigint): ProtectedTarget {
  const n = Number(ipa);
  return protectedTargetOf(walkIpa(s, realm, n), n);
}

/**
 * A REC exit due to Data Abort at the Protected IPA `addr`, which is not mapped (an `unmapped`
 * {@link ProtectedTarget}): ESR EC Data Abort with DFSC translation fault at `level`, the walk's
 * level; `access` gives the syndrome of a Realm load or store (DEN0137 A4.3.4.2, A5.2.3). The RMM's
 * own accesses (RSI commands, the RsiHostCall write at REC entry) give none (D-RSI-MEM).
 */
export function unmappedAbort(addr: bigint, level: number, access?: { readonly size: number; readonly reg: number; readonly write: boolean }): ExitCause {
  return { kind: 'data_abort', esr: dataAbortEsr(translationFault(level), access), ipa: addr, va: addr, unprotected: false, emulatable: false, writeValue: 0n };
}

/** Reads `len` bytes at `offset` of granule `gi` (a view; must not be mutated). @internal */
export function readBytes(s: RmmState, gi: GranuleIndex, offset: number, len: number): Uint8Array {
  return granuleView(s, gi).subarray(offset, offset + len);
}

/** A 64-bit little-endian value at `offset` of granule `gi` (DEN0137 B1.8: structures are little-endian). @internal */
export function readU64(s: RmmState, gi: GranuleIndex, offset: number): bigint {
  const g = granuleView(s, gi);
  return new DataView(g.buffer, g.byteOffset, g.byteLength).getBigUint64(offset, true);
}

// -------------------------------------------------------------------------------------
// updates
// -------------------------------------------------------------------------------------

/**
 * `s` with `bytes` written at `offset` of granule `gi` (copy on write). A granule left all zero
 * is dropped from memory, so that equal contents give equal states. @internal
 */
export function writeBytes(s: RmmState, gi: GranuleIndex, offset: number, bytes: Uint8Array): RmmState {
  if (bytes.length === 0) return s;
  const g = new Uint8Array(granuleView(s, gi));
  g.set(bytes, offset);
  // Only zero bytes written can leave the whole granule zero.
  const zeros = bytes.every((b) => b === 0);
  return zeros && g.every((b) => b === 0) ? wipeGranule(s, gi) : withGranuleBytes(s, gi, g);
}

/** `s` with granule `gi` holding exactly `bytes` (4096, taken over), dropped when all zero. @internal */
export function replaceGranule(s: RmmState, gi: GranuleIndex, bytes: Uint8Array): RmmState {
  return bytes.every((b) => b === 0) ? wipeGranule(s, gi) : withGranuleBytes(s, gi, bytes);
}

/** The little-endian bytes of `v` (`size` bytes). @internal */
export function leBytes(v: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = BigInt.asUintN(size * 8, v);
  for (let i = 0; i < size; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/** The little-endian value of `b`. @internal */
export function leValue(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i] as number);
  return v;
}
