/**
 * Mistakes an implementation is likely to make, which a trial of hand-seeded faults showed the
 * suite could miss. Each test states the spec rule and fails on the mistake named in its title.
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { bootHes } from '@realmspec/hes';
import { granuleBytes, granuleIndex, verifyCcaToken, type RmmState } from '../src/index.js';
import { R, X0, call, delegate, ok, withRealm } from './support/fixtures.js';
import { T, UNPROT, withProtectedTables } from './rtt/support.js';
import { D, P, REC2, REC2_GI, WORLD, enter, fid, patchRec, smcIn, world } from './realm/support.js';

describe('mistakes the suite must catch', () => {
  it('REALM_DESTROY succeeding for a Realm with no RECs but a live starting RTT (B4.3.10.2 realm_live, A5.5.8)', () => {
    // A level 2 RTT below the starting RTT: the starting RTT has a TABLE entry, so it is live.
    const s = withProtectedTables(withRealm());
    expect(s.realms.get(granuleIndex(R.rd))!.numRecs).toBe(0);
    const r = call(s, 'RMI_REALM_DESTROY', [R.rd]);
    expect([r.regs[0], r.failure?.rule]).toEqual([X0.REALM(0), 'RMI_REALM_DESTROY/realm_live']);
  });

  it('a level 0 (512 GB) Unprotected block accepted (B3.65 RttLevelIsBlockOrPage: block levels are 1 and 2)', () => {
    // A 48-bit Realm starting at level 0: 2^47 is an Unprotected IPA aligned to a level 0 entry.
    const s = withRealm({ s2sz: 48n, rtt_level_start: 0n });
    const r = call(s, 'RMI_RTT_MAP_UNPROTECTED', [R.rd, 1n << 47n, 0n, 0x8800_0000n | (3n << 6n)]);
    expect([r.regs[0], r.failure?.rule]).toEqual([X0.INPUT, 'RMI_RTT_MAP_UNPROTECTED/level_bound']);
  });

  it('RMI_PSCI_COMPLETE leaving a CPU_ON target with stale X1..X30 (B4.3.7.3: target gprs[1..] are zero)', () => {
    // The target REC (not runnable) holds register values from its creation or an earlier run.
    const stale = patchRec(enter(WORLD), REC2_GI, { gprs: Array.from({ length: 31 }, (_, i) => BigInt(0x100 + i)) });
    const on = smcIn(stale, [fid('PSCI_CPU_ON'), 1n, 0x8000n, 0x1234n]);
    expect(on.exit?.exit_reason).toBe(3); // RMI_EXIT_PSCI
    const s = ok(on.state, 'RMI_PSCI_COMPLETE', R.rec, REC2, 0n);
    const target = s.recs.get(REC2_GI)!;
    expect([target.pc, ...target.gprs]).toEqual([0x8000n, 0x1234n, ...new Array(30).fill(0n)]);
  });

  it('RSI_IPA_STATE_SET rejecting a range that ends exactly at the top of the Protected space (B3.6: top − 1 must be Protected)', () => {
    // The standard Realm has a 39-bit IPA space: the Protected space ends at 2^38.
    const r = smcIn(enter(WORLD), [fid('RSI_IPA_STATE_SET'), UNPROT - 0x1000n, UNPROT, 1n, 0n]);
    expect(r.call?.failure?.rule).toBeUndefined();
    expect(r.exit).toMatchObject({ exit_reason: 4, ripas_base: UNPROT - 0x1000n, ripas_top: UNPROT });
    // One granule further is beyond it.
    const beyond = smcIn(enter(WORLD), [fid('RSI_IPA_STATE_SET'), UNPROT - 0x1000n, UNPROT + 0x1000n, 1n, 0n]);
    expect(beyond.call?.failure?.rule).toBe('RSI_IPA_STATE_SET/rgn_bound');
  });

  it('RMI_RTT_FOLD folding Unprotected entries that differ only in S2AP (B3.63 RttIsHomogeneous: same attributes)', () => {
    let s = delegate(withRealm(), T.nl2, T.nl3);
    s = ok(s, 'RMI_RTT_CREATE', R.rd, T.nl2, UNPROT, 2n);
    s = ok(s, 'RMI_RTT_CREATE', R.rd, T.nl3, UNPROT, 3n);
    // 512 pages of one 2 MB-aligned NS range, MemAttr 5, S2AP read/write, but page 7 read-only.
    const mapAll = (s2apOf: (i: number) => bigint): RmmState => {
      let x = s;
      for (let i = 0; i < 512; i++) {
        const desc = (0x8800_0000n + BigInt(i) * 0x1000n) | (5n << 2n) | (s2apOf(i) << 6n);
        x = ok(x, 'RMI_RTT_MAP_UNPROTECTED', R.rd, UNPROT + BigInt(i) * 0x1000n, 3n, desc);
      }
      return x;
    };
    const mixed = call(mapAll((i) => (i === 7 ? 1n : 3n)), 'RMI_RTT_FOLD', [R.rd, UNPROT, 3n]);
    expect(mixed.failure?.rule).toBe('RMI_RTT_FOLD/rtt_homo');
    // The same table with one S2AP throughout folds into a 2 MB block.
    const uniform = call(mapAll(() => 3n), 'RMI_RTT_FOLD', [R.rd, UNPROT, 3n]);
    expect([uniform.regs[0], uniform.regs[1]]).toEqual([0n, T.nl3]);
  });

  it('a token cache that ignores the RPV (A7.2.3.1: the Realm token carries the Realm Personalization Value)', () => {
    const hes = bootHes();
    const port = hes.attestationPort();
    const token = (rpv: bigint[]): Uint8Array => {
      let s = smcIn(enter(world({ attestation: port, rpv })), [fid('RSI_ATTESTATION_TOKEN_INIT'), 7n]).state;
      const r = smcIn(s, [fid('RSI_ATTESTATION_TOKEN_CONTINUE'), P.hostCall, 0n, 4096n]);
      expect(r.call!.regs[0]).toBe(0n);
      s = r.state;
      return granuleBytes(s, granuleIndex(D.hostCall)).slice(0, Number(r.call!.regs[1]));
    };
    // Two Realms alike in everything but the RPV, attested one after the other by one HES.
    const rpvOf = (t: Uint8Array): number => {
      const v = verifyCcaToken(t, { iakPublicKey: hes.iakPublicKey });
      if (E.isLeft(v)) throw new Error(JSON.stringify(v.left));
      return v.right.realm.personalizationValue[0]!;
    };
    expect(rpvOf(token([0x11n, 0n, 0n, 0n, 0n, 0n, 0n, 0n]))).toBe(0x11);
    expect(rpvOf(token([0x22n, 0n, 0n, 0n, 0n, 0n, 0n, 0n]))).toBe(0x22);
  });
});
