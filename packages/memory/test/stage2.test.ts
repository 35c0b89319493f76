/**
 * Realm accesses through the memory model against the spec's table of outcomes (states.md §4.4,
 * DEN0137 A5.2.9), and against the RMM model's own Realm execution for the same accesses.
 */
import { describe, expect, it } from 'vitest';
import { granuleIndex, type RealmAccessAction } from '@realmspec/core';
import { Gpi, withGpi } from '@realmspec/el3';
import * as _ from '../src/index.js';
import { gptOf } from './support.js';
import { D, NS, P, U, WORLD, enter, step, REC_GI } from '../../core/test/realm/support.js';

const RUNNING = enter(WORLD);
const GPT = gptOf(RUNNING);
const access = (ipa: bigint, kind: 'read' | 'write' | 'exec', extra: Partial<RealmAccessAction> = {}): RealmAccessAction => ({ kind: 'access', ipa, access: kind, ...(kind === 'write' ? { value: 0x1122n } : {}), ...extra });
const result = (ipa: bigint, kind: 'read' | 'write' | 'exec', extra: Partial<RealmAccessAction> = {}): _.AccessResult => _.realmAccessResult(RUNNING, GPT, REC_GI, access(ipa, kind, extra));
const done = (pa: bigint, pas: _.Pas): { kind: 'completed'; pa: bigint; pas: _.Pas } => ({ kind: 'completed', pa, pas });
const abort = (exit: 'data_abort' | 'instruction_abort', fault: 'translation' | 'permission', level: number, unprotected: boolean, emulatable: boolean): _.Stage2Abort => ({ kind: 'abort', exit, fault, level, unprotected, emulatable });
const REALM = _.Pas.REALM;
const NSP = _.Pas.NON_SECURE;

describe('Protected IPAs (DEN0137 A5.2.3)', () => {
  it('ASSIGNED with RIPAS RAM: every access reaches the DATA granule in the Realm PAS', () => {
    expect(result(P.data0 + 8n, 'write')).toMatchObject(done(D.d0 + 8n, REALM));
    expect(result(P.data1, 'exec')).toMatchObject(done(D.d1, REALM));
    // pattern(1) bytes 0..7: (7i + 1) mod 251 = 1, 8, 15, 22, 29, 36, 43, 50, little-endian.
    expect(result(P.data0, 'read')).toEqual({ ...done(D.d0, REALM), value: 0x322b241d160f0801n });
  });

  it('RIPAS EMPTY, assigned or not, at any level: an SEA taken to the Realm', () => {
    for (const ipa of [P.empty, P.assignedEmpty, P.level1]) for (const k of ['read', 'write', 'exec'] as const) expect(result(ipa, k)).toEqual({ kind: 'sea' });
  });

  it('UNASSIGNED with RAM, or DESTROYED: a REC exit due to a Data or Instruction Abort, never emulatable', () => {
    for (const ipa of [P.ram, P.destroyed, P.assignedDestroyed]) {
      expect(result(ipa, 'read')).toEqual(abort('data_abort', 'translation', 3, false, false));
      expect(result(ipa, 'write')).toEqual(abort('data_abort', 'translation', 3, false, false));
      expect(result(ipa, 'exec')).toEqual(abort('instruction_abort', 'translation', 3, false, false));
    }
  });
});

describe('Unprotected IPAs (DEN0137 A5.2.6)', () => {
  it('ASSIGNED_NS: the Host PA in the Non-secure PAS, as S2AP allows', () => {
    expect(result(U.rw, 'read')).toMatchObject(done(NS.rw, NSP));
    expect(result(U.rw, 'write')).toMatchObject(done(NS.rw, NSP));
    expect(result(U.ro, 'read')).toMatchObject(done(NS.ro, NSP));
    expect(result(U.ro, 'write')).toEqual(abort('data_abort', 'permission', 3, true, true));
    expect(result(U.wo, 'read')).toEqual(abort('data_abort', 'permission', 3, true, true));
    expect(result(U.wo, 'write')).toMatchObject(done(NS.wo, NSP));
    expect(result(U.none, 'read')).toEqual(abort('data_abort', 'permission', 3, true, true));
  });

  it('an instruction fetch from any Unprotected IPA is an SEA', () => {
    for (const ipa of [U.rw, U.unassigned, U.level1]) expect(result(ipa, 'exec')).toEqual({ kind: 'sea' });
  });

  it('UNASSIGNED_NS: a Data Abort exit, emulatable only with ISV', () => {
    expect(result(U.unassigned, 'read')).toEqual(abort('data_abort', 'translation', 3, true, true));
    expect(result(U.unassigned, 'write', { isv: false })).toEqual(abort('data_abort', 'translation', 3, true, false));
    expect(result(U.level1, 'write')).toEqual(abort('data_abort', 'translation', 1, true, true));
  });

  it('an ASSIGNED_NS mapping of a Realm granule: a granule protection fault', () => {
    expect(result(U.realmPa, 'read')).toMatchObject({ kind: 'gpf', pa: NS.realm, pas: NSP, gpi: Gpi.REALM });
  });
});

describe('outside the translation', () => {
  it('beyond 2^ipa_width: an Address Size Fault; not aligned to its size: an Alignment fault', () => {
    expect(result(1n << 39n, 'read')).toEqual({ kind: 'address_size_fault' });
    expect(result(P.data0 + 4n, 'read')).toEqual({ kind: 'alignment_fault' });
    expect(result(P.data0 + 4n, 'read', { size: 4 })).toMatchObject(done(D.d0 + 4n, REALM));
  });
});

describe('against the RMM model', () => {
  const ipas = [...Object.values(P), ...Object.values(U), 1n << 39n, P.data0 + 4n];

  it('agrees with Realm execution on every entry kind and access kind', () => {
    for (const ipa of ipas) {
      for (const k of ['read', 'write', 'exec'] as const) {
        for (const isv of [true, false]) {
          const a = access(ipa, k, { isv });
          expect(_.accessDivergence(a, _.realmAccessResult(RUNNING, GPT, REC_GI, a), step(RUNNING, a))).toBeUndefined();
        }
      }
    }
  });

  it('reports a divergence when EL3 does not hold a DATA granule in the Realm PAS', () => {
    const broken = withGpi(GPT, granuleIndex(D.d0), Gpi.NS);
    const a = access(P.data0, 'read');
    const expected = _.realmAccessResult(RUNNING, broken, REC_GI, a);
    expect(expected).toMatchObject({ kind: 'gpf', gpi: Gpi.NS });
    expect(_.accessDivergence(a, expected, step(RUNNING, a))).toMatch(/memory model GPF at 0x80030000, RMM model completed/);
  });
});
