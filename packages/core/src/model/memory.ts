/**
 * Memory contents and the Host's view of memory: the Non-secure PAS as the GPT allows it
 * (DEN0137 A2.2.2; Arm ARM granule protection checks).
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import { GRANULE_SIZE, granuleAddr, type GranuleIndex } from './bits.js';
import { nsAccessPermitted } from './granule.js';
import { Gpt } from './platform.js';
import { granuleAt, updateState, type RmmState } from './state.js';

/** A granule of zeros. Shared; never written. @internal */
export const ZERO_GRANULE: Uint8Array = new Uint8Array(GRANULE_SIZE);

/** The 4096 bytes of granule `gi` (zeros when nothing was written): the model's own array, never to be written. @internal */
export function granuleView(s: RmmState, gi: GranuleIndex): Uint8Array {
  return s.memory.get(gi) ?? ZERO_GRANULE;
}

/** The 4096 bytes of granule `gi` (zeros when nothing was written), as a fresh copy the caller owns. @category Granule */
export function granuleBytes(s: RmmState, gi: GranuleIndex): Uint8Array {
  return (s.memory.get(gi) ?? ZERO_GRANULE).slice();
}

/** `s` with granule `gi` holding `bytes` (taken over, not copied; never mutate them afterwards). A physical write: no GPT check (adapters check the PAS first). */
export function withGranuleBytes(s: RmmState, gi: GranuleIndex, bytes: Uint8Array): RmmState {
  return updateState(s, { memory: s.memory.set(gi, bytes) });
}

/** `s` with granule `gi` wiped to zeros (DEN0137 A2.2.4: contents are scrubbed on delegation and undelegation). */
export function wipeGranule(s: RmmState, gi: GranuleIndex): RmmState {
  return s.memory.has(gi) ? updateState(s, { memory: s.memory.delete(gi) }) : s;
}

/** A granule protection fault: an access the GPT does not permit from the accessing PAS. @category Granule */
export interface GranuleProtectionFault {
  readonly fault: 'GPF';
  /** The first PA of the access that the GPT denies. */
  readonly pa: bigint;
  /** The GPT entry of that granule. */
  readonly gpt: Gpt;
}

function checkHostAccess(s: RmmState, pa: bigint, len: number): GranuleProtectionFault | undefined {
  if (len === 0) return undefined;
  const first = Number(pa >> 12n);
  const last = Number((pa + BigInt(len) - 1n) >> 12n);
  for (let gi = first; gi <= last; gi++) {
    const g = granuleAt(s, gi);
    if (!nsAccessPermitted(g)) return { fault: 'GPF', pa: gi === first ? pa : granuleAddr(gi), gpt: g.gpt };
  }
  return undefined;
}

/**
 * The Host writes `bytes` at `pa` through the Non-secure PAS. A granule whose GPT entry does not
 * permit Non-secure access gives a granule protection fault and nothing is written.
 * @category Granule
 */
export function hostWrite(s: RmmState, pa: bigint, bytes: Uint8Array): E.Either<GranuleProtectionFault, RmmState> {
  if (pa + BigInt(bytes.length) > 1n << 64n) return E.left({ fault: 'GPF', pa, gpt: Gpt.ROOT });
  const fault = checkHostAccess(s, pa, bytes.length);
  if (fault !== undefined) return E.left(fault);
  let out = s;
  let done = 0;
  while (done < bytes.length) {
    const at = pa + BigInt(done);
    const gi = Number(at >> 12n);
    const off = Number(at & 0xfffn);
    const n = Math.min(GRANULE_SIZE - off, bytes.length - done);
    const g = new Uint8Array(granuleBytes(out, gi));
    g.set(bytes.subarray(done, done + n), off);
    out = g.every((b) => b === 0) ? wipeGranule(out, gi) : withGranuleBytes(out, gi, g);
    done += n;
  }
  return E.right(out);
}

/** The Host reads `len` bytes at `pa` through the Non-secure PAS; a denied granule gives a granule protection fault. @category Granule */
export function hostRead(s: RmmState, pa: bigint, len: number): E.Either<GranuleProtectionFault, Uint8Array> {
  if (pa + BigInt(len) > 1n << 64n) return E.left({ fault: 'GPF', pa, gpt: Gpt.ROOT });
  const fault = checkHostAccess(s, pa, len);
  if (fault !== undefined) return E.left(fault);
  const out = new Uint8Array(len);
  let done = 0;
  while (done < len) {
    const at = pa + BigInt(done);
    const gi = Number(at >> 12n);
    const off = Number(at & 0xfffn);
    const n = Math.min(GRANULE_SIZE - off, len - done);
    out.set(granuleBytes(s, gi).subarray(off, off + n), done);
    done += n;
  }
  return E.right(out);
}
