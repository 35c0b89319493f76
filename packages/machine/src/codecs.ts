/**
 * io-ts codecs for what the Host API takes from its callers: 64-bit addresses and sizes (bigint,
 * safe integer, or `0x…` / decimal text), byte images (a Uint8Array or hex text), CPU numbers,
 * and Realm programs. Decoding is the only validation of shape; the spec and architecture checks
 * come after, in the API functions.
 *
 * @packageDocumentation
 */
import * as t from 'io-ts';
import { HexBytes, U64 } from '@realmspec/core';

// -------------------------------------------------------------------------------------
// scalars
// -------------------------------------------------------------------------------------

/**
 * Core's {@link U64} (a bigint, a safe non-negative integer, or `0x…` hex or decimal text)
 * restricted to the values `ok` accepts, its failures described as `what`.
 */
function u64Refinement(name: string, what: string, ok: (v: bigint) => boolean, notOk: string): t.Type<bigint, string, unknown> {
  return new t.Type<bigint, string, unknown>(
    name,
    (u): u is bigint => U64.is(u) && ok(u),
    (u, c) => {
      const r = U64.validate(u, c);
      if (r._tag === 'Left') return t.failure(u, c, `${what}: ${r.left[0]?.message ?? 'a 64-bit value'}`);
      return ok(r.right) ? r : t.failure(u, c, notOk);
    },
    U64.encode,
  );
}

/** A physical or intermediate physical address: any 64-bit value (core {@link U64}). */
export const Address = u64Refinement('Address', 'an address', () => true, 'an address');

/** A size in bytes: a 64-bit value (core {@link U64}) greater than zero. */
export const Size = u64Refinement('Size', 'a size in bytes', (v) => v > 0n, 'a size greater than zero');

/** A small non-negative integer (CPU numbers, REC indexes, counts). */
export const Index = t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'a non-negative integer');

/** A byte image: a Uint8Array, or hex text (core {@link HexBytes}: `0x` optional, an even number of digits), `_` and whitespace ignored. */
export const Bytes = new t.Type<Uint8Array, Uint8Array, unknown>(
  'Bytes',
  (u): u is Uint8Array => u instanceof Uint8Array,
  (u, c) => {
    if (u instanceof Uint8Array) return t.success(u);
    if (typeof u !== 'string') return t.failure(u, c, 'bytes: a Uint8Array or hex text');
    const r = HexBytes.validate(u.replace(/[\s_]/g, ''), c);
    return r._tag === 'Right' ? r : t.failure(u, c, 'hex text with an even number of hex digits');
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
