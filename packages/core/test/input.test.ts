/**
 * The library's public boundary: a call from plain JavaScript with values outside the API's
 * types (a string or array for an address, a number, a value beyond 64 bits, a misspelt
 * structure field) throws an InputError naming the field before anything runs; `smc` and the
 * typed commands agree on what a register value is; the bytes the API hands out are the caller's.
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { encodeStruct, granuleBytes, granuleIndex, hostWrite, initialState, InputError, RmiRealmParams, rmiGranuleDelegate, runRec, smc } from '../src/index.js';
import { G } from './support/fixtures.js';

const s0 = initialState();
const delegate = (input: unknown) => () => rmiGranuleDelegate(s0, input as { addr: bigint });
const thrown = (f: () => unknown): InputError => {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('no InputError');
};

describe('typed commands check their inputs', () => {
  it('a string, an array, a number or nothing for an address is an InputError naming the field', () => {
    for (const bad of [{ addr: '0x80000000' }, { addr: [0x8000_0000n] }, { addr: 0x8000_0000 }, {}, null]) {
      expect(delegate(bad)).toThrow(InputError);
    }
    expect(thrown(delegate({ addr: '0x80000000' })).field).toBe('RMI_GRANULE_DELEGATE.addr');
    expect(thrown(delegate({ addr: '0x80000000' })).message).toMatch(/^RMI_GRANULE_DELEGATE\.addr: expected a 64-bit unsigned value .*, got "0x80000000" \(a string\)$/);
  });

  it('a value beyond 64 bits or below zero is an InputError in the typed command and in smc alike (D-REGS)', () => {
    expect(delegate({ addr: (1n << 64n) + G(0) })).toThrow(InputError);
    expect(delegate({ addr: -1n })).toThrow(InputError);
    expect(thrown(() => smc(s0, [0xc4000151n, (1n << 64n) + G(0)])).field).toBe('smc.regs[1] (X1)');
    expect(() => smc(s0, [0xc4000151n, 0x8000_0000 as unknown as bigint])).toThrow(InputError);
    // Any 64-bit value is fine: a spec failure, not an exception.
    expect(smc(s0, [0xc4000151n, 0xffff_ffff_ffff_ffffn]).failure?.rule).toBe('RMI_GRANULE_DELEGATE/gran_align');
    expect(E.isLeft(rmiGranuleDelegate(s0, { addr: 0xffff_ffff_ffff_ffffn }))).toBe(true);
  });

  it('Realm actions given to RMI_REC_ENTER are checked, naming the action and field', () => {
    const e = thrown(() => runRec(s0, { rec: G(1), run_ptr: G(2) }, [{ kind: 'access', ipa: '0x1000', access: 'read' } as never]));
    expect(e.field).toBe('realm[0]');
    expect(e.message).toContain('ipa');
    expect(() => smc(s0, [0xc400015cn, G(1), G(2)], { realm: [{ kind: 'jump' } as never] })).toThrow(InputError);
  });
});

describe('encodeStruct checks field names and widths', () => {
  it('a misspelt field, a value too wide, a non-bigint or a too-long array is an InputError naming it', () => {
    expect(thrown(() => encodeStruct(RmiRealmParams, { s2zs: 39n })).field).toBe('RmiRealmParams.s2zs');
    expect(thrown(() => encodeStruct(RmiRealmParams, { s2sz: 256n })).field).toBe('RmiRealmParams.s2sz');
    expect(thrown(() => encodeStruct(RmiRealmParams, { vmid: 39 as unknown as bigint })).field).toBe('RmiRealmParams.vmid');
    expect(thrown(() => encodeStruct(RmiRealmParams, { rpv: new Array(9).fill(0n) })).field).toBe('RmiRealmParams.rpv');
  });

  it('a signed field takes its negative values (rtt_level_start −1 is 0xff..ff)', () => {
    const a = encodeStruct(RmiRealmParams, { rtt_level_start: -1n });
    const b = encodeStruct(RmiRealmParams, { rtt_level_start: 0xffff_ffff_ffff_ffffn });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

describe('bytes handed out are the caller’s', () => {
  it('writing into what granuleBytes returned changes no state', () => {
    const s = E.getOrElseW(() => s0)(hostWrite(s0, G(3), new Uint8Array([1, 2, 3])));
    const b = granuleBytes(s, granuleIndex(G(3)));
    b[0] = 0xff;
    expect(granuleBytes(s, granuleIndex(G(3)))[0]).toBe(1);
    const zero = granuleBytes(s0, granuleIndex(G(4)));
    zero[0] = 0xff;
    expect(granuleBytes(s0, granuleIndex(G(5)))[0]).toBe(0);
  });
});
