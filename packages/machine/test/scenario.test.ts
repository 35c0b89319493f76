import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { RuleHits, verifyCcaToken } from '@realmspec/core';
import * as _ from '../src/index.js';
import { expectConsistent } from './support.js';

describe('the launch scenario (VirtIO-like shared buffer)', () => {
  const hits = new RuleHits();
  const r = _.sharedBufferScenario({ hits });
  if (E.isLeft(r)) throw new Error(_.describeHostError(r.left));
  const s = r.right;

  it('the Host reads what the Realm wrote through the Unprotected IPA, and the Realm reads the Host reply', () => {
    expect(s.message).toBe(_.DEMO_MESSAGE);
    // "hi realm" as the little-endian doubleword the Realm loaded.
    expect(s.replySeen).toBe(0x6d6c_6165_7220_6968n);
  });

  it('the granule the Realm gave back holds only zeros for the Host; its private page is a granule protection fault', () => {
    expect(s.reclaimed?.scrubbed).toBe(true);
    expect(s.protectedRead.fault).toBe(`GPF at 0x${s.protectedRead.pa.toString(16)}: Non-secure PAS access to a GPI_REALM granule`);
  });

  it('the token the Realm passed verifies against the HES IAK with the Realm challenge and the launch RIM', () => {
    const v = verifyCcaToken(s.token, { iakPublicKey: s.machine.hes.iakPublicKey });
    if (E.isLeft(v)) throw new Error(`${v.left.kind}: ${v.left.detail}`);
    expect(v.right.realm.challenge).toEqual(_.DEMO_CHALLENGE);
    expect(v.right.realm.initialMeasurement).toEqual(s.launch.rim);
    expect(v.right.realm.hashAlgoId).toBe('sha-256');
    expect(v.right.platform.swComponents.map((c) => c.type)).toContain('RMM');
  });

  it('runs every step without a disagreement, leaves a consistent machine, and counts the rules it reached', () => {
    expect(s.divergences).toEqual([]);
    expect(s.checks).toBeGreaterThan(80);
    expectConsistent(s.machine);
    const called = hits.tally().map((t) => t.command);
    for (const c of ['RMI_REALM_CREATE', 'RMI_RTT_SET_RIPAS', 'RMI_PSCI_COMPLETE', 'RSI_ATTESTATION_TOKEN_CONTINUE', 'PSCI_CPU_ON']) expect(called).toContain(c);
  });

  it('is deterministic', () => {
    const again = _.sharedBufferScenario();
    expect(E.isRight(again) && again.right.token).toEqual(s.token);
  });
});
