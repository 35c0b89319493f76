/**
 * Physical memory by granule, read and written with a PAS tag and a granule protection check on
 * every granule an access touches (Arm ARM D9). The bytes are those of the RMM model's state
 * (`state.memory`): this module adds the PAS and the GPC around that one holder of memory, and
 * keeps no copy of its own that could diverge.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  GRANULE_SIZE,
  GranuleState,
  granuleAt,
  granuleBytes,
  granuleStateName,
  wipeGranule,
  withGranuleBytes,
  type GranuleIndex,
  type RmmState,
} from '@realmspec/core';
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

/** The granules of [pa, pa + len) with the offset and length inside each. */
function pieces(pa: bigint, len: number): Array<{ gi: GranuleIndex; offset: number; n: number; at: number }> {
  const out: Array<{ gi: GranuleIndex; offset: number; n: number; at: number }> = [];
  let done = 0;
  while (done < len) {
    const a = pa + BigInt(done);
    const offset = Number(a % BigInt(GRANULE_SIZE));
    const n = Math.min(GRANULE_SIZE - offset, len - done);
    out.push({ gi: Number(a / BigInt(GRANULE_SIZE)), offset, n, at: done });
    done += n;
  }
  return out;
}

// DECISION D-MEM-RMM-PRIVATE: the RMM model keeps RDs, RECs, REC_AUX and RTT granules as records,
// not bytes, so a physical access in the Realm PAS to one of them is refused as `rmm-private`
// rather than inventing contents; DATA granules hold bytes and DELEGATED ones read as wiped.

/**
 * Realm-PAS accesses reach DATA granules (and, for reads, DELEGATED ones, which hold the wiped
 * value); the other Realm granules are the RMM's records.
 */
function rmmPrivate(s: RmmState, pa: bigint, len: number, pas: Pas, write: boolean): RmmPrivateAccess | undefined {
  if (pas !== Pas.REALM) return undefined;
  for (const p of pieces(pa, len)) {
    const st = granuleAt(s, p.gi).state;
    const ok = st === GranuleState.DATA || (!write && st === GranuleState.DELEGATED);
    if (!ok) return { kind: 'rmm-private', pa: BigInt(p.gi) * BigInt(GRANULE_SIZE), state: granuleStateName[st] };
  }
  return undefined;
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
  if (fault !== undefined) return E.left(fault);
  const out = new Uint8Array(len);
  for (const p of pieces(pa, len)) out.set(granuleBytes(s, p.gi).subarray(p.offset, p.offset + p.n), p.at);
  return E.right(out);
}

/**
 * Arm ARM D9: a write of `bytes` at `pa` in PAS `pas`, after the GPC on every granule it touches.
 * A refused access writes nothing (the check covers the whole access before any byte lands).
 */
export function physWrite(s: RmmState, gpt: Gpt, pas: Pas, pa: bigint, bytes: Uint8Array): E.Either<MemoryFault, RmmState> {
  const fault = gpcCheckRange(gpt, pa, bytes.length, pas) ?? rmmPrivate(s, pa, bytes.length, pas, true);
  if (fault !== undefined) return E.left(fault);
  let out = s;
  for (const p of pieces(pa, bytes.length)) {
    const g = new Uint8Array(granuleBytes(out, p.gi));
    g.set(bytes.subarray(p.at, p.at + p.n), p.offset);
    // A granule left all zero holds no bytes in the model, so that equal contents give equal states.
    out = g.every((b) => b === 0) ? wipeGranule(out, p.gi) : withGranuleBytes(out, p.gi, g);
  }
  return E.right(out);
}
