/**
 * In-memory structure layouts: one table per structure drives its decoder, its encoder, its
 * invalid-encoding check and (in the conformance package) its generator, so they cannot drift.
 *
 * @packageDocumentation
 */
import { InputError } from '../internal/errors.js';

/** One field of a little-endian structure. @category Codecs */
export interface FieldLayout {
  /** Field name as the spec writes it, in lower case. */
  readonly name: string;
  /** Byte offset from the start of the structure. */
  readonly offset: number;
  /** Width of one element in bytes. */
  readonly bytes: 1 | 2 | 4 | 8;
  /** Number of elements for an array field (`gprs`, `aux`, `rpv`); 1 when absent. */
  readonly count?: number;
  /** Bits of each element that are SBZ (should be zero): a set bit there is an invalid encoding. */
  readonly sbz?: bigint;
  /** Whether the field is signed (Int64). */
  readonly signed?: boolean;
}

/** A structure layout: its size and its fields, in offset order. @category Codecs */
export interface Layout {
  /** Structure name as in the spec. */
  readonly name: string;
  /** Base offset of the structure inside the granule that holds it. */
  readonly base: number;
  /** Size in bytes. */
  readonly size: number;
  /** The fields. */
  readonly fields: readonly FieldLayout[];
}

/** A decoded structure: every field as a 64-bit value or an array of them. @category Codecs */
export type StructValue = Readonly<Record<string, bigint | readonly bigint[]>>;

function readElem(b: Uint8Array, at: number, bytes: number): bigint {
  let v = 0n;
  for (let i = bytes - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[at + i] ?? 0);
  return v;
}

function writeElem(b: Uint8Array, at: number, bytes: number, v: bigint): void {
  let x = BigInt.asUintN(bytes * 8, v);
  for (let i = 0; i < bytes; i++) {
    b[at + i] = Number(x & 0xffn);
    x >>= 8n;
  }
}

/** Reads field `f` of `layout` from granule bytes `g`. @category Codecs */
export function readField(layout: Layout, f: FieldLayout, g: Uint8Array): bigint | readonly bigint[] {
  const at = layout.base + f.offset;
  if (f.count === undefined) return readElem(g, at, f.bytes);
  const out: bigint[] = [];
  for (let i = 0; i < f.count; i++) out.push(readElem(g, at + i * f.bytes, f.bytes));
  return out;
}

/** Decodes every field of `layout` from granule bytes `g`. Performs no validity check. @category Codecs */
export function decodeStruct(layout: Layout, g: Uint8Array): StructValue {
  const out: Record<string, bigint | readonly bigint[]> = {};
  for (const f of layout.fields) out[f.name] = readField(layout, f, g);
  return out;
}

/**
 * Encodes `values` into `g` (a 4096-byte granule image) at the layout's place; fields not given
 * are zero. A value wider than its field is truncated: callers validate widths first.
 * @category Codecs
 */
export function encodeStructInto(layout: Layout, values: Readonly<Record<string, bigint | readonly bigint[] | undefined>>, g: Uint8Array): void {
  checkStructValues(layout, values);
  g.fill(0, layout.base, layout.base + layout.size);
  for (const f of layout.fields) {
    const v = values[f.name];
    if (v === undefined) continue;
    const at = layout.base + f.offset;
    if (typeof v === 'bigint') writeElem(g, at, f.bytes, v);
    else v.forEach((x, i) => writeElem(g, at + i * f.bytes, f.bytes, x));
  }
}

/**
 * Throws an {@link InputError} naming the field unless every key of `values` is a field of
 * `layout` and every value fits it: a bigint of the field's width (a signed field also takes
 * its negative values), or for an array field an array of at most its count of them.
 */
function checkStructValues(layout: Layout, values: unknown): void {
  if (typeof values !== 'object' || values === null) throw new InputError(layout.name, 'an object of field values', values);
  const byName = fieldsByName(layout);
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue;
    const f = byName.get(k);
    if (f === undefined) throw new InputError(`${layout.name}.${k}`, `a field of ${layout.name} (${layout.fields.map((x) => x.name).join(', ')})`, v);
    const bits = BigInt(f.bytes * 8);
    const fits = (x: unknown): boolean => typeof x === 'bigint' && x < 1n << bits && (x >= 0n || (f.signed === true && x >= -(1n << (bits - 1n))));
    const what = `a ${f.bytes * 8}-bit ${f.signed === true ? 'signed or unsigned ' : ''}value (bigint)`;
    if (f.count === undefined) {
      if (!fits(v)) throw new InputError(`${layout.name}.${k}`, what, v);
    } else {
      if (!Array.isArray(v) || v.length > f.count) throw new InputError(`${layout.name}.${k}`, `an array of at most ${f.count} values`, v);
      v.forEach((x: unknown, i: number) => {
        if (!fits(x)) throw new InputError(`${layout.name}.${k}[${i}]`, what, x);
      });
    }
  }
}

const fieldMaps = new WeakMap<Layout, ReadonlyMap<string, FieldLayout>>();

function fieldsByName(layout: Layout): ReadonlyMap<string, FieldLayout> {
  let m = fieldMaps.get(layout);
  if (m === undefined) {
    m = new Map(layout.fields.map((f) => [f.name, f]));
    fieldMaps.set(layout, m);
  }
  return m;
}

/** A fresh 4096-byte granule image holding `values` encoded by `layout`. @category Codecs */
export function encodeStruct(layout: Layout, values: Readonly<Record<string, bigint | readonly bigint[] | undefined>>): Uint8Array {
  const g = new Uint8Array(4096);
  encodeStructInto(layout, values, g);
  return g;
}

const reservedMasks = new WeakMap<Layout, Uint32Array>();

/** Per 32-bit word of the structure, the bits that must be zero: bytes outside every field and SBZ bits. */
function reservedMask(layout: Layout): Uint32Array {
  let m = reservedMasks.get(layout);
  if (m === undefined) {
    const bytes = new Uint8Array(layout.size).fill(0xff);
    for (const f of layout.fields) {
      for (let e = 0; e < (f.count ?? 1); e++) {
        const at = f.offset + e * f.bytes;
        for (let i = 0; i < f.bytes; i++) bytes[at + i] = f.sbz === undefined ? 0 : Number((f.sbz >> BigInt(8 * i)) & 0xffn);
      }
    }
    m = new Uint32Array(bytes.buffer);
    reservedMasks.set(layout, m);
  }
  return m;
}

/**
 * DEN0137 B4.2, B5.2: whether the structure in `g` is a valid encoding as far as layout goes:
 * every byte outside the fields is zero and no SBZ bit of a field is set. Enumeration and range
 * checks belong to the structure's own validity function.
 * @category Codecs
 */
export function hasZeroReservedBits(layout: Layout, g: Uint8Array): boolean {
  const mask = reservedMask(layout);
  if ((g.byteOffset + layout.base) % 4 === 0) {
    // Structures start at 4-byte aligned offsets, so a word view is exact (and 4x fewer steps).
    const words = new Uint32Array(g.buffer, g.byteOffset + layout.base, layout.size / 4);
    for (let i = 0; i < words.length; i++) if (((words[i] as number) & (mask[i] as number)) !== 0) return false;
    return true;
  }
  const bytes = new Uint8Array(mask.buffer);
  for (let i = 0; i < layout.size; i++) if (((g[layout.base + i] ?? 0) & (bytes[i] as number)) !== 0) return false;
  return true;
}

/** The field of `layout` called `name`; throws when the layout has none (a model bug). @internal */
export function fieldOf(layout: Layout, name: string): FieldLayout {
  const f = layout.fields.find((x) => x.name === name);
  if (f === undefined) throw new Error(`internal error: ${layout.name} has no field ${name}`);
  return f;
}
