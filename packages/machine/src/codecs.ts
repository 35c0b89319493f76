/**
 * io-ts codecs for what the Host API takes from its callers: 64-bit addresses and sizes (bigint,
 * safe integer, or `0x…` / decimal text), byte images (a Uint8Array or hex text), CPU numbers,
 * and Realm programs. Decoding is the only validation of shape; the spec and architecture checks
 * come after, in the API functions.
 *
 * @packageDocumentation
 */
import * as t from 'io-ts';

// -------------------------------------------------------------------------------------
// scalars
// -------------------------------------------------------------------------------------

const TWO_64 = 1n << 64n;

function u64From(u: unknown, c: t.Context, what: string): t.Validation<bigint> {
  if (typeof u === 'bigint') return u >= 0n && u < TWO_64 ? t.success(u) : t.failure(u, c, `${what} in [0, 2^64)`);
  if (typeof u === 'number') return Number.isSafeInteger(u) && u >= 0 ? t.success(BigInt(u)) : t.failure(u, c, `${what}: a non-negative integer below 2^53`);
  if (typeof u === 'string' && (/^0[xX][0-9a-fA-F]+$/.test(u) || /^[0-9]+$/.test(u))) {
    const v = BigInt(u);
    return v < TWO_64 ? t.success(v) : t.failure(u, c, `${what} below 2^64`);
  }
  return t.failure(u, c, `${what}: a bigint, an integer, or "0x…" hex / decimal text`);
}

/** A 64-bit value: a bigint, a safe non-negative integer, or `0x…` hex or decimal text. */
export const U64 = new t.Type<bigint, bigint, unknown>('U64', (u): u is bigint => typeof u === 'bigint' && u >= 0n && u < TWO_64, (u, c) => u64From(u, c, 'a 64-bit value'), (v) => v);

/** A physical or intermediate physical address (a 64-bit value). */
export const Address = new t.Type<bigint, bigint, unknown>('Address', U64.is, (u, c) => u64From(u, c, 'an address'), (v) => v);

/** A size in bytes: a 64-bit value greater than zero. */
export const Size = new t.Type<bigint, bigint, unknown>(
  'Size',
  (u): u is bigint => U64.is(u) && u > 0n,
  (u, c) => {
    const r = u64From(u, c, 'a size in bytes');
    return r._tag === 'Right' && r.right === 0n ? t.failure(u, c, 'a size greater than zero') : r;
  },
  (v) => v,
);

/** A small non-negative integer (CPU numbers, REC indexes, counts). */
export const Index = t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'a non-negative integer');

/** A byte image: a Uint8Array, or hex text (`0x` optional, an even number of digits, `_` and spaces ignored). */
export const Bytes = new t.Type<Uint8Array, Uint8Array, unknown>(
  'Bytes',
  (u): u is Uint8Array => u instanceof Uint8Array,
  (u, c) => {
    if (u instanceof Uint8Array) return t.success(u);
    if (typeof u !== 'string') return t.failure(u, c, 'bytes: a Uint8Array or hex text');
    const h = u.replace(/^0[xX]/, '').replace(/[\s_]/g, '');
    if (!/^([0-9a-fA-F]{2})*$/.test(h)) return t.failure(u, c, 'hex text with an even number of hex digits');
    return t.success(Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16)));
  },
  (v) => v,
);

// -------------------------------------------------------------------------------------
// Realm programs
// -------------------------------------------------------------------------------------

/** A Realm SMC: X0 (the function id) and X1.. (at most X17, SMCCC v1.2). */
export const RealmCallCodec = t.type({ kind: t.literal('call'), regs: t.refinement(t.array(U64), (r) => r.length >= 1 && r.length <= 18, 'X0..X17 (1 to 18 registers)') }, 'RealmCall');

const AccessSize = t.union([t.literal(1), t.literal(2), t.literal(4), t.literal(8)], 'AccessSize');

/** A Realm load, store or instruction fetch (DEN0137 A5.2). */
export const RealmAccessCodec = t.intersection(
  [
    t.type({ kind: t.literal('access'), ipa: Address, access: t.keyof({ read: null, write: null, exec: null }) }),
    t.partial({ size: AccessSize, reg: t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0 && n <= 31, 'a register number 0..31'), value: U64, isv: t.boolean }),
  ],
  'RealmAccess',
);

/** An interrupt or SError during Realm execution (DEN0137 A4.3.5, A4.3.6, A4.3.10). */
export const RealmAsyncCodec = t.intersection([t.type({ kind: t.literal('exit'), reason: t.keyof({ irq: null, fiq: null, serror: null }) }), t.partial({ iss: U64 })], 'RealmAsync');

/** A WFI, WFE, WFIT or WFET (DEN0137 A4.3.4.1). */
export const RealmWfxCodec = t.intersection([t.type({ kind: t.literal('wfx'), instr: t.keyof({ wfi: null, wfe: null, wfit: null, wfet: null }) }), t.partial({ timeout: U64 })], 'RealmWfx');

/** One step of a Realm program (the core's RealmAction). */
export const RealmActionCodec = t.union([RealmCallCodec, RealmAccessCodec, RealmAsyncCodec, RealmWfxCodec], 'RealmAction');

/** A Realm program: the steps one REC runs, in order. */
export const RealmScriptCodec = t.array(RealmActionCodec, 'RealmScript');
