/**
 * Test support for the machine: unwrapping Host API results, a booted machine and a launched
 * demo Realm (built once; machines are immutable values), and the consistency every test checks
 * after the machine moves (the GPT cross-check and the RMM model's invariants).
 */
import { expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { stateKey } from '@realmspec/core';
import { gptChanges } from '@realmspec/el3';
import { invariantViolations } from '../../core/test/support/invariants.js';
import * as _ from '../src/index.js';

/** The result of a Host API call that must succeed. */
export function ok<M, R>(r: _.HostResult<M, R>): readonly [M, R] {
  if (E.isLeft(r)) throw new Error(`Host API call failed: ${_.describeHostError(r.left)}`);
  return r.right;
}

/** The error of a Host API call that must fail. */
export function err<M, R>(r: _.HostResult<M, R>): _.HostError {
  if (E.isRight(r)) throw new Error('the Host API call succeeded; it should have failed');
  return r.left;
}

/** A freshly booted default machine. */
export const BOOTED: _.Machine = ok(_.bootMachine())[0];

/** The demo Realm, launched on {@link BOOTED}: 2 MB of RAM at 2 GB, 40-bit IPA, kernel and initrd, `recs` RECs. */
export function launched(recs = 1, m: _.Machine = BOOTED): readonly [_.Machine, _.LaunchReport] {
  return ok(_.launchRealm(m, { kernel: _.demoKernel(), initrd: _.demoInitrd(), recs }));
}

/** Asserts the machine is consistent: GPT cross-check, CPUs in the Non-secure world, RMM model invariants. */
export function expectConsistent(m: _.Machine): void {
  expect(_.machineViolations(m)).toEqual([]);
  expect(invariantViolations(m.core)).toEqual([]);
}

/** A fingerprint of everything a machine holds (RMM state, GPT, CPUs, Host records), to show a call left it unchanged. */
export function fingerprint(m: _.Machine): string {
  const gpt = gptChanges(m.el3.gpt).map(([g, v]) => `${g}:${v}`).join(',');
  const cpus = m.el3.cpus.map((c) => `${c.world}/${c.switches}`).join(',');
  const host = JSON.stringify(m.host, (_k, v) => (typeof v === 'bigint' ? v.toString(16) : v));
  return [stateKey(m.core), gpt, cpus, host].join('|');
}
