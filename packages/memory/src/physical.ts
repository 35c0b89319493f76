/**
 * Physical memory by granule, read and written with a PAS tag and a granule protection check on
 * every granule an access touches (Arm ARM D9). The bytes are those of the RMM model's state
 * (`state.memory`): this module adds the PAS and the GPC around that one holder of memory, and
 * keeps no copy of its own that could diverge.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import { GRANULE_SIZE, GranuleState, granuleAddr, granuleAt, granuleIndex, granuleStateName, type RmmState } from '@realmspec/core';
import { readBytes, writeBytes } from '@realmspec/core/internal';
import type { Gpt } from '@realmspec/el3';
import { gpcCheckRange, type GranuleProtectionFault } from './gpc.js';
import { Pas } from './pas.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A Realm-PAS access to a granule whose contents the RMM holds as its own records (an RD, REC,
 * REC_AUX or RTT granule): the model has no bytes for it (DEN0137 A2.2: only the RMM uses them).
 */
export interface RmmPrivateAccess {
  readonly kind: 'rmm-private';
  /** The granule's PA. */
  readonly pa: bigint;
  /** Its lifecycle state, by name. */
  readonly state: string;
}

/** Why a physical access did not happen. */
export type MemoryFault = GranuleProtectionFault | RmmPrivateAccess;

// -------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------

/** The offset of `pa` inside its granule. */
const offsetIn = (pa: bigint): number => Number(pa & BigInt(GRANULE_SIZE - 1));

// DECISION D-MEM-RMM-PRIVATE: the RMM model keeps RDs, RECs, REC_AUX and RTT granules as records,
// not bytes, so a physical access in the Realm PAS to one of them is refused as `rmm-private`
// rather than inventing contents; DATA granules hold bytes and DELEGATED ones read as wiped.

/**
 * Realm-PAS accesses reach DATA granules (and, for reads, DELEGATED ones, which hold the wiped
 * value); the other Realm granules are the RMM's records.
 */
function rmmPrivate(s: RmmState, pa: bigint, len: number, pas: Pas, write: boolean): RmmPrivateAccess | undefined {
  if (pas !== Pas.REALM || len <= 0) return undefined;
  const last = granuleIndex(pa + BigInt(len - 1));
  for (let gi = granuleIndex(pa); gi <= last; gi++) {
    const st = granuleAt(s, gi).state;
    const ok = st === GranuleState.DATA || (!write && st === GranuleState.DELEGATED);
    if (!ok) return { kind: 'rmm-private', pa: granuleAddr(gi), state: granuleStateName[st] };
  }
  return undefined;
}

/** The `len` bytes at `pa` (a fresh array), granule by granule, with no check. */
function bytesAt(s: RmmState, pa: bigint, len: number): Uint8Array {
  let gi = granuleIndex(pa);
  let offset = offsetIn(pa);
  if (offset + len <= GRANULE_SIZE) return readBytes(s, gi, offset, len).slice();
  const out = new Uint8Array(len);
  for (let at = 0; at < len; gi++, offset = 0) {
    const n = Math.min(GRANULE_SIZE - offset, len - at);
    out.set(readBytes(s, gi, offset, n), at);
    at += n;
  }
  return out;
}

// -------------------------------------------------------------------------------------
// accesses
// -------------------------------------------------------------------------------------

/**
 * Arm ARM D9: a read of `len` bytes at `pa` in PAS `pas`, after the GPC on every granule it
 * touches. A refused access reads nothing.
 */
export function physRead(s: RmmState, gpt: Gpt, pas: Pas, pa: bigint, len: number): E.Either<MemoryFault, Uint8Array> {
  const fault = gpcCheckRange(gpt, pa, len, pas) ?? rmmPrivate(s, pa, len, pas, false);
  return fault === undefined ? E.right(bytesAt(s, pa, len)) : E.left(fault);
}

/**
 * Arm ARM D9: a write of `bytes` at `pa` in PAS `pas`, after the GPC on every granule it touches.
 * A refused access writes nothing (the check covers the whole access before any byte lands).
 */
export function physWrite(s: RmmState, gpt: Gpt, pas: Pas, pa: bigint, bytes: Uint8Array): E.Either<MemoryFault, RmmState> {
  const fault = gpcCheckRange(gpt, pa, bytes.length, pas) ?? rmmPrivate(s, pa, bytes.length, pas, true);
  if (fault !== undefined) return E.left(fault);
  let out = s;
  let gi = granuleIndex(pa);
  let offset = offsetIn(pa);
  for (let at = 0; at < bytes.length; gi++, offset = 0) {
    const n = Math.min(GRANULE_SIZE - offset, bytes.length - at);
    // Core writeBytes copies the granule once and drops it when the write leaves it all zero.
    out = writeBytes(out, gi, offset, n === bytes.length ? bytes : bytes.subarray(at, at + n));
    at += n;
  }
  return E.right(out);
}
