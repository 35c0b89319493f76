/**
 * 64-bit hashing of model values in two independent 32-bit lanes (murmur3's block step with
 * different seeds and constants per lane, and its finaliser), for state fingerprints.
 *
 * @packageDocumentation
 */
import { mix32 } from '@realmspec/core/internal';

// -------------------------------------------------------------------------------------
// lanes
// -------------------------------------------------------------------------------------

/** A running 64-bit hash: two 32-bit lanes. */
export class Lanes {
  /** Lane A. */
  a: number;
  /** Lane B. */
  b: number;

  /** Starts a hash; `seed` separates kinds of values. */
  constructor(seed = 0) {
    this.a = (0x9747b28c ^ seed) >>> 0;
    this.b = (0x5bd1e995 + Math.imul(seed, 0x27d4eb2d)) >>> 0;
  }

  /** Mixes in a 32-bit integer. */
  add(x: number): void {
    let k = Math.imul(x, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    let h = this.a ^ k;
    h = (h << 13) | (h >>> 19);
    this.a = (Math.imul(h, 5) + 0xe6546b64) | 0;
    let j = Math.imul(x ^ 0x7f4a7c15, 0x85ebca6b);
    j = (j << 17) | (j >>> 15);
    j = Math.imul(j, 0xc2b2ae35);
    let g = this.b ^ j;
    g = (g << 11) | (g >>> 21);
    this.b = (Math.imul(g, 9) + 0x52dce729) | 0;
  }

  /** Mixes in a non-negative integer below 2^53. */
  addNumber(x: number): void {
    this.add(x | 0);
    this.add((x / 4294967296) | 0);
  }

  /** Mixes in another 64-bit hash. */
  addPair(a: number, b: number): void {
    this.add(a);
    this.add(b);
  }

  /** Finalises lane A (murmur3 fmix32). */
  finalA(): number {
    return fmix32(this.a ^ 0x1234567);
  }

  /** Finalises lane B. */
  finalB(): number {
    return fmix32(this.b ^ 0x7654321);
  }
}

/** The murmur3 finaliser: a 32-bit avalanche (the core's persistent maps use the same one). */
export const fmix32: (h: number) => number = mix32;

// -------------------------------------------------------------------------------------
// values
// -------------------------------------------------------------------------------------

const T_NUM = 1;
const T_BIG = 2;
const T_TRUE = 3;
const T_FALSE = 4;
const T_STR = 5;
const T_UNDEF = 6;
const T_NULL = 7;
const T_BYTES = 8;
const T_ARRAY = 9;
const T_RECORD = 10;

const bytesCache = new WeakMap<object, Float64Array>();

/**
 * Mixes a model value into `h`: numbers, bigints, booleans, strings, byte arrays, arrays and
 * plain records (field order as the model's constructors build them). Byte arrays are hashed once
 * (they are never mutated in the model) and remembered.
 */
export function addValue(h: Lanes, v: unknown): void {
  switch (typeof v) {
    case 'number':
      h.add(T_NUM);
      if (Number.isInteger(v) && Math.abs(v) < 2 ** 53) h.addNumber(v < 0 ? 2 ** 53 + v : v);
      else h.addNumber(Math.abs(Math.round(v * 1e6)) % 2 ** 53);
      return;
    case 'bigint':
      h.add(T_BIG);
      h.add(Number(BigInt.asUintN(32, v)) | 0);
      h.add(Number(BigInt.asUintN(32, v >> 32n)) | 0);
      if (v >> 64n !== 0n && v >> 64n !== -1n) addValue(h, v >> 64n);
      return;
    case 'boolean':
      h.add(v ? T_TRUE : T_FALSE);
      return;
    case 'string':
      h.add(T_STR);
      h.add(v.length);
      for (let i = 0; i < v.length; i++) h.add(v.charCodeAt(i));
      return;
    case 'undefined':
      h.add(T_UNDEF);
      return;
    default:
      break;
  }
  if (v === null) {
    h.add(T_NULL);
    return;
  }
  if (v instanceof Uint8Array) {
    const p = bytesHash(v);
    h.add(T_BYTES);
    h.addPair(p[0] as number, p[1] as number);
    return;
  }
  if (Array.isArray(v)) {
    h.add(T_ARRAY);
    h.add(v.length);
    for (const x of v) addValue(h, x);
    return;
  }
  h.add(T_RECORD);
  for (const k in v as Record<string, unknown>) addValue(h, (v as Record<string, unknown>)[k]);
}

/** The 64-bit hash of a byte array, as `[a, b]` (remembered per array). */
export function bytesHash(v: Uint8Array): Float64Array {
  let p = bytesCache.get(v);
  if (p === undefined) {
    const h = new Lanes(T_BYTES);
    h.add(v.length);
    let i = 0;
    for (; i + 4 <= v.length; i += 4) h.add(((v[i] as number) | ((v[i + 1] as number) << 8) | ((v[i + 2] as number) << 16) | ((v[i + 3] as number) << 24)) | 0);
    for (; i < v.length; i++) h.add(v[i] as number);
    p = new Float64Array([h.finalA(), h.finalB()]);
    bytesCache.set(v, p);
  }
  return p;
}

/** The 64-bit hash of any model value (cached per byte array or object when `cache` is given). */
export function valueHash(v: unknown, cache?: WeakMap<object, Float64Array>): Float64Array {
  if (v instanceof Uint8Array) return bytesHash(v);
  const isObj = typeof v === 'object' && v !== null;
  if (isObj && cache !== undefined) {
    const c = cache.get(v);
    if (c !== undefined) return c;
  }
  const h = new Lanes(T_RECORD);
  addValue(h, v);
  const p = new Float64Array([h.finalA(), h.finalB()]);
  if (isObj && cache !== undefined) cache.set(v, p);
  return p;
}

/**
 * The 64-bit hash of a record without the fields in `skip` (the fields that name granules, which
 * the canonical form relabels), cached per record object in `cache`.
 */
export function recordHash(v: object, skip: ReadonlySet<string>, cache: WeakMap<object, Float64Array>): Float64Array {
  let p = cache.get(v);
  if (p === undefined) {
    const h = new Lanes(T_RECORD);
    for (const k in v as Record<string, unknown>) if (!skip.has(k)) addValue(h, (v as Record<string, unknown>)[k]);
    p = new Float64Array([h.finalA(), h.finalB()]);
    cache.set(v, p);
  }
  return p;
}
