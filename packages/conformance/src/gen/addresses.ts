/**
 * The IPAs and MPIDRs the generator aims at: Protected and Unprotected targets, boundaries and
 * bad values, and the MPIDR of a REC index (DEN0137 A5.2, A2.3.3).
 *
 * @packageDocumentation
 */
import type { Realm } from './deps.js';

/** 2^64 − 1. */
export const U64 = (1n << 64n) - 1n;

/** Protected IPA offsets the generator aims at (the Unprotected ones add the Protected space's size). */
export const IPAS = [0x0, 0x1000, 0x2000, 0x1fe000, 0x200000, 0x201000, 0x40000000, 0x40001000, 0x3000, 0x400000].map(BigInt);

/** The size of the Protected IPA space of `r` (the Unprotected space starts there). */
export function protectedSize(r: Realm | undefined): bigint {
  return 1n << BigInt((r?.ipaWidth ?? 39) - 1);
}

/** An IPA: choice 0..1 the k-th Protected / Unprotected target, 2 a boundary or bad IPA. */
export function ipaOf(r: Realm | undefined, mode: number, k: number, unprotectedFirst = false): bigint {
  const half = protectedSize(r);
  const base = IPAS[k % IPAS.length] as bigint;
  const m = mode % 3;
  if (m === 0) return unprotectedFirst ? half + base : base;
  if (m === 1) return unprotectedFirst ? base : half + base;
  const bad = [half - 0x1000n, half, 2n * half - 0x1000n, 2n * half, base + 0x800n, half + base + 8n, U64 & ~0xfffn];
  return bad[k % bad.length] as bigint;
}

/** The MPIDR of REC index `i` (RmiRecMpidr: Aff0 = 4 bits, Aff1.. above). */
export function mpidrOf(i: number): bigint {
  return BigInt((i & 0xf) | (((i >> 4) & 0xff) << 8) | (((i >> 12) & 0xff) << 16));
}
