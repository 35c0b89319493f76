import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { RealmState, RmiRecEnter, encodeStruct, granuleIndex, hostWrite, runRec, stateKey, type RealmAction } from '@realmspec/core';
import { Gpi, gpiAt } from '@realmspec/el3';
import * as _ from '../src/index.js';
import { err, expectConsistent, fingerprint, launched, ok } from './support.js';

const [M, L] = launched(2);
const RD = L.realm.rd;
const REC0 = L.realm.recs[0] as _.HostRec;
const rec = (m: _.Machine, r: _.HostRec = REC0) => m.core.recs.get(granuleIndex(r.rec));
const run = (script: RealmAction[], extra: object = {}, m: _.Machine = M) => ok(_.runRealm(m, { rd: RD, script, ...extra }));
/** A RAM page no image uses. */
const FREE = 0x8010_0000n;
const UNPROT = 1n << 39n;

describe('runRealm', () => {
  it('runs a program the way the RMM model runs RMI_REC_ENTER (runRec), when no exit needs the Host', () => {
    const script: RealmAction[] = [_.rsi.version(), _.store(0x8000_0100n, 0x5a5an), _.load(0x8000_0100n, 4)];
    const [m, r] = run(script);
    expect(r).toMatchObject({ ended: 'done', entries: 1, divergences: [] });
    const s0 = hostWrite(M.core, REC0.run, encodeStruct(RmiRecEnter, { flags: 0n }));
    if (E.isLeft(s0)) throw new Error('run granule');
    const core = runRec(s0.right, { rec: REC0.rec, run_ptr: REC0.run }, script);
    expect(stateKey(m.core)).toBe(stateKey(core.state));
    expect(rec(m)?.gprs[4]).toBe(0x5a5an);
    expectConsistent(m);
  });

  it('backs a faulting RAM page with a fresh zeroed DATA granule and runs the access again', () => {
    const [m, r] = run([_.load(FREE + 8n, 3)]);
    expect(r.populated).toHaveLength(1);
    expect(r.populated[0]?.ipa).toBe(FREE);
    expect(r.entries).toBe(2);
    expect(rec(m)?.gprs[3]).toBe(0n);
    expect(gpiAt(m.el3.gpt, granuleIndex(r.populated[0]?.pa ?? 0n))).toBe(Gpi.REALM);
    expectConsistent(m);
  });

  it('accepts a RIPAS change to EMPTY, reclaims the page, and the Host then reads only zeros from it', () => {
    const [m, r] = run([_.store(FREE, 0x5ec2e7n), _.rsi.ipaStateSet(FREE, FREE + 0x1000n, 0n)]);
    expect(r.reclaimed).toHaveLength(1);
    const pa = r.reclaimed[0] as bigint;
    expect(r.populated[0]?.pa).toBe(pa);
    // The Realm sees RSI_SUCCESS, new_base = top, response ACCEPT (DEN0137 B5.3.6, B3.40).
    expect(rec(m)?.gprs.slice(0, 3)).toEqual([0n, FREE + 0x1000n, 0n]);
    expect(gpiAt(m.el3.gpt, granuleIndex(pa))).toBe(Gpi.NS);
    expect(ok(_.hostRead(m, pa, 4096))[1].every((b) => b === 0)).toBe(true);
    expect(r.divergences).toEqual([]);
    expectConsistent(m);
  });

  it('rejects a RIPAS change to RAM when told to: new_base = base, response REJECT', () => {
    const [m1] = run([_.rsi.ipaStateSet(FREE, FREE + 0x1000n, 0n)]);
    const [m2, r] = run([_.rsi.ipaStateSet(FREE, FREE + 0x1000n, 1n)], { ripas: 'reject' }, m1);
    expect(r.ended).toBe('done');
    expect(rec(m2)?.gprs.slice(0, 3)).toEqual([0n, FREE, 1n]);
  });

  it('emulates an emulatable access at an Unprotected IPA (a read gets 0) and injects an SEA otherwise', () => {
    const pc = rec(M)?.pc ?? 0n;
    const [m1, r1] = run([_.store(0x8000_0000n, 7n), _.load(UNPROT + 0x40n, 0)]);
    expect(r1).toMatchObject({ ended: 'done', entries: 2 });
    expect(rec(m1)?.gprs[0]).toBe(0n);
    expect(rec(m1)?.pc).toBe(pc + 4n);
    const [, r2] = run([{ kind: 'access', ipa: UNPROT, access: 'write', value: 1n, isv: false }]);
    expect(r2.runs[1]?.entry?.seaInjected).toBe(true);
  });

  it('completes PSCI_CPU_ON so the second REC can run on the second CPU', () => {
    const [m1] = run([_.psci.cpuOn(1n, 0x8000_0000n, 0x42n)]);
    const rec1 = L.realm.recs[1] as _.HostRec;
    expect(rec(m1, rec1)).toMatchObject({ runnable: true, pc: 0x8000_0000n });
    const [m2, r] = ok(_.runRealm(m1, { rd: RD, rec: 1, cpu: 1, script: [_.rsi.version()] }));
    expect(r.ended).toBe('done');
    expect(rec(m2, rec1)?.gprs[0]).toBe(0n);
    expect(m2.el3.cpus[1]?.switches).toBe((m1.el3.cpus[1]?.switches ?? 0) + 2);
    expectConsistent(m2);
  });

  it('stops at PSCI_SYSTEM_OFF; the Realm cannot be entered again', () => {
    const [m, r] = run([_.psci.systemOff(), _.rsi.version()]);
    expect(r.ended).toBe('system_off');
    expect(m.core.realms.get(granuleIndex(RD))?.state).toBe(RealmState.REALM_SYSTEM_OFF);
    const [, again] = run([_.rsi.version()], {}, m);
    expect(again).toMatchObject({ ended: 'enter_failed', enterStatus: 'RMI_ERROR_REALM' });
  });

  it('stops at the entry limit', () => {
    const irq: RealmAction = { kind: 'exit', reason: 'irq' };
    expect(run([irq, irq, irq, irq], { maxEntries: 2 })[1]).toMatchObject({ ended: 'limit', entries: 2 });
  });

  it('rejects an unknown Realm, REC or CPU, and a malformed program, leaving the machine unchanged', () => {
    const before = fingerprint(M);
    expect(err(_.runRealm(M, { rd: 0x8000_0000n, script: [] }))).toMatchObject({ kind: 'invalid', what: 'rd' });
    expect(err(_.runRealm(M, { rd: RD, rec: 2, script: [] }))).toMatchObject({ kind: 'invalid', what: 'rec' });
    expect(err(_.runRealm(M, { rd: RD, cpu: 2, script: [] }))).toMatchObject({ kind: 'invalid', what: 'cpu' });
    expect(_.describeHostError(err(_.runRealm(M, { rd: RD, script: [{ kind: 'access', ipa: 'xyz', access: 'read' }] })))).toMatch(/script\.0\.ipa: expected an address/);
    expect(err(_.runRealm(M, { rd: RD, script: [{ kind: 'jump' }] }))).toMatchObject({ kind: 'decode', what: 'runRealm' });
    expect(fingerprint(M)).toBe(before);
  });
});
