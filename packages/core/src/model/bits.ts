/**
 * Addresses, granules and 64-bit register values.
 *
 * @packageDocumentation
 */

/** Granule size in bytes: the RMM architecture uses 4 KB granules (DEN0137 A2.2). @category Granule */
export const GRANULE_SIZE = 4096;
/** log2 of the granule size (DEN0137 A2.2). @category Granule */
export const GRANULE_SHIFT = 12;
/** Mask of the offset bits inside a granule. @internal */
export const GRANULE_MASK = 0xfffn;
/** 2^64 − 1: the largest register value. @internal */
export const U64_MAX = 0xffff_ffff_ffff_ffffn;

/** A granule index: a PA shifted right by {@link GRANULE_SHIFT}; always below 2^52, so exact in a number. @category Granule */
export type GranuleIndex = number;

/** 2^53: below it a bigint converts to a number exactly, without allocating. @internal */
const EXACT = 1n << 53n;

/** DEN0137 B3 AddrIsGranuleAligned: `addr` is aligned to the granule size. @category Granule */
export function isGranuleAligned(addr: bigint): boolean {
  // A fast path below 2^53 (exact as a Number); both paths agree at and above it.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent; the test only picks the faster of two exact paths.
  return addr < EXACT ? Number(addr) % GRANULE_SIZE === 0 : (addr & GRANULE_MASK) === 0n;
}

/** Index of the granule containing `addr` (a 64-bit PA). @category Granule */
export function granuleIndex(addr: bigint): GranuleIndex {
  // The number path avoids two bigint allocations per call; commands call this on every argument.
  return addr < EXACT ? Math.floor(Number(addr) / GRANULE_SIZE) : Number(addr >> 12n);
}

/** PA of the first byte of granule `gi`. @category Granule */
export function granuleAddr(gi: GranuleIndex): bigint {
  return BigInt(gi) << 12n;
}

/** Reads bits `[hi:lo]` of a 64-bit value as a number (at most 53 bits wide). @internal */
export function bits(v: bigint, hi: number, lo: number): number {
  return Number((v >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n));
}

/** Sign-extends a 64-bit value to a signed bigint (Int64). @internal */
export function toInt64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** A 64-bit two's-complement encoding of a signed value. @internal */
export function fromInt64(v: bigint | number): bigint {
  return BigInt.asUintN(64, BigInt(v));
}

/** Formats a value as `0x…` hex. @internal */
export function hex(v: bigint | number): string {
  return '0x' + v.toString(16);
}
