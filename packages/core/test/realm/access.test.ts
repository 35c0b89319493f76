/**
 * Realm memory accesses (DEN0137 A5.2.3, A5.2.6–A5.2.9; states.md §4.4): the outcome for every
 * RTT entry kind, and the bytes a completed access reads or writes.
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { granuleBytes, granuleIndex, hostRead, RecState, type AccessOutcome, type RmmState } from '../../src/index.js';
import { R, ok, write } from '../support/fixtures.js';
import { BLOCK, MB2, withDataBlock } from '../rtt/support.js';
import { D, NS, P, REC_GI, U, WORLD, enter, pattern, step, world } from './support.js';

const RUNNING = enter(WORLD);

/** What an access does: 'exit' (REC exit) or the outcome inside the Realm. */
function outcome(s: RmmState, ipa: bigint, access: 'read' | 'write' | 'exec', isv = true): AccessOutcome['kind'] | 'exit' {
  const r = step(s, { kind: 'access', ipa, access, isv });
  if (r.exit !== undefined) {
    expect(r.state.recs.get(REC_GI)!.state).toBe(RecState.REC_READY);
    return 'exit';
  }
  expect(r.state.recs.get(REC_GI)!.state).toBe(RecState.REC_RUNNING);
  return r.access!.kind;
}

/** Little-endian value of `n` bytes of `b` at `off`, computed here. */
const le = (b: Uint8Array, off: number, n: number): bigint => {
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[off + i]!);
  return v;
};

describe('access outcome per RTT entry (A5.2.9, states.md §4.4)', () => {
  // [IPA, data read, data write, instruction fetch]
  const table: Array<[string, bigint, string, string, string]> = [
    ['ASSIGNED, RAM', P.data0, 'completed', 'completed', 'completed'],
    ['UNASSIGNED, RAM', P.ram, 'exit', 'exit', 'exit'],
    ['UNASSIGNED, EMPTY', P.empty, 'sea', 'sea', 'sea'],
    ['UNASSIGNED, DESTROYED', P.destroyed, 'exit', 'exit', 'exit'],
    ['ASSIGNED, EMPTY', P.assignedEmpty, 'sea', 'sea', 'sea'],
    ['ASSIGNED, DESTROYED', P.assignedDestroyed, 'exit', 'exit', 'exit'],
    ['UNASSIGNED, EMPTY at level 1', P.level1, 'sea', 'sea', 'sea'],
    ['UNASSIGNED_NS', U.unassigned, 'exit', 'exit', 'sea'],
    ['UNASSIGNED_NS at level 1', U.level1, 'exit', 'exit', 'sea'],
    ['ASSIGNED_NS, S2AP RW', U.rw, 'completed', 'completed', 'sea'],
    ['ASSIGNED_NS, S2AP RO', U.ro, 'completed', 'exit', 'sea'],
    ['ASSIGNED_NS, S2AP WO', U.wo, 'exit', 'completed', 'sea'],
    ['ASSIGNED_NS, S2AP none', U.none, 'exit', 'exit', 'sea'],
    ['ASSIGNED_NS to a PA outside the NS PAS', U.realmPa, 'gpf', 'gpf', 'sea'],
    ['beyond the IPA space (2^39)', 1n << 39n, 'address_size_fault', 'address_size_fault', 'address_size_fault'],
  ];
  for (const [name, ipa, read, wr, exec] of table) {
    it(`${name}: read ${read}, write ${wr}, fetch ${exec}`, () => {
      expect([outcome(RUNNING, ipa, 'read'), outcome(RUNNING, ipa, 'write'), outcome(RUNNING, ipa, 'exec')]).toEqual([read, wr, exec]);
    });
  }

  it('an access not aligned to its size takes an Alignment fault in the Realm (D-ACCESS-ALIGN)', () => {
    expect(step(RUNNING, { kind: 'access', ipa: P.data0 + 4n, access: 'read', size: 8 }).access?.kind).toBe('alignment_fault');
    expect(step(RUNNING, { kind: 'access', ipa: P.data0 + 2n, access: 'exec' }).access?.kind).toBe('alignment_fault');
    expect(step(RUNNING, { kind: 'access', ipa: P.data0 + 4n, access: 'read', size: 4 }).access?.kind).toBe('completed');
  });
});

describe('completed accesses read and write the bytes behind the IPA', () => {
  it('a read of a DATA page returns the bytes DATA_CREATE copied, into the register', () => {
    const src = pattern(1);
    for (const [off, size] of [[0, 8], [0x10, 4], [0x22, 2], [0xfff, 1]] as const) {
      const r = step(RUNNING, { kind: 'access', ipa: P.data0 + BigInt(off), access: 'read', size, reg: 4 });
      expect(r.access).toEqual({ kind: 'completed', value: le(src, off, size) });
      expect(r.state.recs.get(REC_GI)!.gprs[4]).toBe(le(src, off, size));
    }
  });

  it('a write changes the DATA granule (only the bytes written) and a later read sees it', () => {
    const w = step(RUNNING, { kind: 'access', ipa: P.data1 + 0x20n, access: 'write', size: 4, reg: 3, value: 0xdead_beefn });
    const bytes = granuleBytes(w.state, granuleIndex(D.d1));
    const want = new Uint8Array(pattern(2));
    want.set([0xef, 0xbe, 0xad, 0xde], 0x20);
    expect(Buffer.compare(Buffer.from(bytes), Buffer.from(want))).toBe(0);
    expect(step(w.state, { kind: 'access', ipa: P.data1 + 0x20n, access: 'read', size: 4 }).access).toEqual({ kind: 'completed', value: 0xdead_beefn });
    // The old state is untouched (copy on write).
    expect(Buffer.compare(Buffer.from(granuleBytes(RUNNING, granuleIndex(D.d1))), Buffer.from(pattern(2)))).toBe(0);
  });

  it('a write stores the register when no value is given, and XZR stores zero', () => {
    const withReg = step(RUNNING, { kind: 'access', ipa: P.data0, access: 'write', size: 8, reg: 6, value: 0x66n }).state;
    const again = step(withReg, { kind: 'access', ipa: P.data0 + 8n, access: 'write', size: 8, reg: 6 }).state;
    expect(le(granuleBytes(again, granuleIndex(D.d0)), 8, 8)).toBe(0x66n);
    const zero = step(again, { kind: 'access', ipa: P.data0 + 8n, access: 'write', size: 8, reg: 31, value: 0x99n }).state;
    expect(le(granuleBytes(zero, granuleIndex(D.d0)), 8, 8)).toBe(0n);
    // XZR is no register (A64: register 31 of a load or store is the zero register): the value
    // given for it goes nowhere, and the REC's X0..X30 are as before.
    expect(zero.recs.get(REC_GI)!.gprs).toEqual(again.recs.get(REC_GI)!.gprs);
  });

  it('a page written back to all zeros holds no bytes (equal contents, equal states)', () => {
    const page = P.hostCall;
    const w = step(RUNNING, { kind: 'access', ipa: page + 0x40n, access: 'write', size: 1, value: 1n }).state;
    expect(w.memory.has(granuleIndex(D.hostCall))).toBe(true);
    const z = step(w, { kind: 'access', ipa: page + 0x40n, access: 'write', size: 1, value: 0n }).state;
    expect(z.memory.has(granuleIndex(D.hostCall))).toBe(false);
  });

  it('accesses at ASSIGNED_NS go to the Host PA: the Host sees Realm writes and the Realm sees Host writes', () => {
    const w = step(RUNNING, { kind: 'access', ipa: U.rw + 0x100n, access: 'write', size: 8, value: 0x0102_0304_0506_0708n }).state;
    const host = hostRead(w, NS.rw + 0x100n, 8);
    expect(E.isRight(host) && Buffer.from(host.right).toString('hex')).toBe('0807060504030201');
    const h = write(RUNNING, NS.ro + 0x18n, Uint8Array.of(0xaa, 0xbb));
    expect(step(h, { kind: 'access', ipa: U.ro + 0x18n, access: 'read', size: 2 }).access).toEqual({ kind: 'completed', value: 0xbbaan });
  });

  it('a read through a 2 MB DATA block finds the right page of the block', () => {
    let s = world({ inactive: true });
    s = ok(withDataBlock(s), 'RMI_REALM_ACTIVATE', R.rd);
    const t = enter(s);
    // IPA 2 MB + 5 pages + 0x30 is byte 0x30 of the 6th granule of the block (content: SRC, pattern(1)).
    const r = step(t, { kind: 'access', ipa: MB2 + 0x5030n, access: 'read', size: 8 });
    expect(r.access).toEqual({ kind: 'completed', value: le(pattern(1), 0x30, 8) });
    const w = step(t, { kind: 'access', ipa: MB2 + 0x5030n, access: 'write', size: 1, value: 0x7en }).state;
    expect(granuleBytes(w, granuleIndex(BLOCK[5]!))[0x30]).toBe(0x7e);
    expect(granuleBytes(w, granuleIndex(BLOCK[4]!))[0x30]).toBe(pattern(1)[0x30]);
  });
});
