/**
 * Canonical hashing and serialisation of model values: numbers, bigints, booleans, strings,
 * byte arrays, arrays and plain records. Records must always be built by one constructor so
 * that their keys come in one order; the model's record constructors guarantee that.
 *
 * @internal
 * @packageDocumentation
 */
import { mix32 } from './pmap.js';

const byteHashes = new WeakMap<Uint8Array, number>();

/** FNV-1a over a byte array, mixed. */
export function fnvBytes(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ (b[i] as number), 0x01000193);
  return mix32(h >>> 0);
}

/** {@link fnvBytes}, cached per array (byte arrays held in the model are never mutated). */
export function hashBytes(b: Uint8Array): number {
  const cached = byteHashes.get(b);
  if (cached !== undefined) return cached;
  const h = fnvBytes(b);
  byteHashes.set(b, h);
  return h;
}

/** Structural 32-bit hash of a model value. */
export function hashValue(v: unknown): number {
  switch (typeof v) {
    case 'number':
      return mix32((Math.imul(v | 0, 0x27d4eb2d) ^ ((v / 4294967296) | 0) ^ 0x1234567) >>> 0);
    case 'bigint':
      return mix32((Number(BigInt.asUintN(32, v)) ^ Math.imul(Number(BigInt.asUintN(32, v >> 32n)), 0x2c1b3c6d) ^ 0x7f4a7c15) >>> 0);
    case 'boolean':
      return v ? 0x3c6ef372 : 0x1b873593;
    case 'string': {
      let h = 0x811c9dc5;
      for (let i = 0; i < v.length; i++) h = Math.imul(h ^ v.charCodeAt(i), 0x01000193);
      return mix32(h >>> 0);
    }
    case 'undefined':
      return 0x5bd1e995;
    default:
      break;
  }
  if (v === null) return 0x68e31da4;
  if (v instanceof Uint8Array) return hashBytes(v);
  if (Array.isArray(v)) {
    let h = 0x9747b28c ^ v.length;
    for (const x of v) h = mix32((Math.imul(h, 31) + hashValue(x)) >>> 0);
    return h;
  }
  let h = 0x2f8f5a3e;
  for (const k in v as Record<string, unknown>) {
    h = mix32((Math.imul(h, 31) + hashValue((v as Record<string, unknown>)[k])) >>> 0);
  }
  return h;
}

/** Canonical text of a model value: equal values give equal text and vice versa. */
export function canonical(v: unknown): string {
  switch (typeof v) {
    case 'number':
      return String(v);
    case 'bigint':
      return '0x' + v.toString(16);
    case 'boolean':
      return v ? 'T' : 'F';
    case 'string':
      return JSON.stringify(v);
    case 'undefined':
      return 'U';
    default:
      break;
  }
  if (v === null) return 'N';
  if (v instanceof Uint8Array) return 'b' + Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  const parts: string[] = [];
  for (const k in v as Record<string, unknown>) parts.push(k + ':' + canonical((v as Record<string, unknown>)[k]));
  return '{' + parts.join(',') + '}';
}
