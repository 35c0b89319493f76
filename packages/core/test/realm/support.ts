/**
 * Fixtures for the Realm execution tests: an active Realm (the standard Realm of
 * `support/fixtures.ts`: 39-bit IPA, starting level 1) whose Protected IPAs cover every RTT
 * entry kind of states.md §4.4 and whose Unprotected IPAs are mapped with each S2AP, with two
 * RECs, built through commands. Expected values in tests are written out from the spec digest;
 * these helpers only build states and run steps.
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import {
  catalogue,
  encodeStructInto,
  granuleBytes,
  granuleIndex,
  initialState,
  makePlatform,
  realmStep,
  RmiRecEnter,
  rmiRecEnter,
  stateKey,
  type AttestationPort,
  type PlatformConfig,
  type RealmAction,
  type RealmStepResult,
  type RmmState,
} from '../../src/index.js';
import { updateRec, updateState } from '../../src/internal.js';
import { G, R, delegate, ok, withRealm, withRec, write } from '../support/fixtures.js';
import { SRC, SRC2, UNPROT, pattern, withData, withProtectedTables, withSources, withUnprotectedTables } from '../rtt/support.js';

export { UNPROT, pattern };

/** Run granules (RmiRecRun) of the Host: Non-secure, delegable, never delegated. */
export const RUN = G(6);
export const RUN2 = G(7);
/** The second REC (index 1, MPIDR 1) and its aux granules. */
export const REC2 = G(5);
export const AUX2 = Array.from({ length: 16 }, (_, k) => G(64 + k));
/** A third REC (index 2, MPIDR 2, never runnable) and its aux granules. */
export const REC3 = G(110);
export const AUX3 = Array.from({ length: 16 }, (_, k) => G(112 + k));
/** Granule index of the first REC. */
export const REC_GI = granuleIndex(R.rec);
export const REC2_GI = granuleIndex(REC2);
export const REC3_GI = granuleIndex(REC3);

/** DATA granules of the Protected IPAs below. */
export const D = { d0: G(48), d1: G(49), assignedEmpty: G(50), hostCall: G(51), destroyed: G(52), assignedDestroyed: G(53) } as const;

/** Protected IPAs, one per RTT entry kind (states.md §4.4). */
export const P = {
  /** ASSIGNED, RAM: DATA D.d0 with the bytes of pattern(1). */
  data0: 0x0000n,
  /** ASSIGNED, RAM: DATA D.d1 with pattern(2). */
  data1: 0x1000n,
  /** UNASSIGNED, RAM (RTT_INIT_RIPAS). */
  ram: 0x2000n,
  /** UNASSIGNED, EMPTY. */
  empty: 0x3000n,
  /** UNASSIGNED, DESTROYED (DATA_CREATE then DATA_DESTROY). */
  destroyed: 0x4000n,
  /** ASSIGNED, EMPTY (DATA_CREATE_UNKNOWN). */
  assignedEmpty: 0x5000n,
  /** ASSIGNED, DESTROYED (DATA_DESTROY then DATA_CREATE_UNKNOWN). */
  assignedDestroyed: 0x6000n,
  /** ASSIGNED, RAM: DATA D.hostCall, zero-filled, for RsiHostCall structures and tokens. */
  hostCall: 0x7000n,
  /** UNASSIGNED, EMPTY at level 1: 1 GB, no table below the starting RTT. */
  level1: 0x4000_0000n,
} as const;

/** Non-secure PAs the Unprotected IPAs map to. */
export const NS = { rw: G(100), ro: G(101), wo: G(102), none: G(103), realm: G(60) } as const;

/** Unprotected IPAs (2^38 and up). */
export const U = {
  /** ASSIGNED_NS, S2AP read/write, to NS.rw. */
  rw: UNPROT,
  /** ASSIGNED_NS, S2AP read-only, to NS.ro. */
  ro: UNPROT + 0x1000n,
  /** ASSIGNED_NS, S2AP write-only, to NS.wo. */
  wo: UNPROT + 0x2000n,
  /** UNASSIGNED_NS (level 3). */
  unassigned: UNPROT + 0x3000n,
  /** ASSIGNED_NS, S2AP none, to NS.none. */
  none: UNPROT + 0x4000n,
  /** ASSIGNED_NS, read/write, to a delegated granule (GPT_REALM). */
  realmPa: UNPROT + 0x5000n,
  /** UNASSIGNED_NS at level 1 (no table below the starting RTT). */
  level1: UNPROT + 0x4000_0000n,
} as const;

/** A Host descriptor for RMI_RTT_MAP_UNPROTECTED: OA, MemAttr 0b101 (Normal WB), S2AP. */
const desc = (pa: bigint, s2ap: bigint): bigint => pa | (0b101n << 2n) | (s2ap << 6n);

/** Options of {@link world}. */
export interface WorldOptions {
  /** RmiHashAlgorithm: 0 SHA-256 (default), 1 SHA-512. */
  readonly hashAlgo?: bigint;
  /** Whether REC2 is runnable (default false). */
  readonly rec2Runnable?: boolean;
  /** The platform's attestation port (default none). */
  readonly attestation?: AttestationPort;
  /** Other platform settings. */
  readonly platform?: PlatformConfig;
  /** RPV doublewords of the Realm. */
  readonly rpv?: bigint[];
  /** Leave the Realm in REALM_NEW. */
  readonly inactive?: boolean;
}

/** The fixture world: the standard Realm with every IPA of P and U, REC R.rec (runnable) and REC2, activated. */
export function world(o: WorldOptions = {}): RmmState {
  let s = initialState(makePlatform({ ...(o.platform ?? {}), ...(o.attestation !== undefined ? { attestation: o.attestation } : {}) }));
  s = withRealm({ hash_algo: o.hashAlgo ?? 0n, ...(o.rpv !== undefined ? { rpv: o.rpv } : {}) }, s);
  s = withUnprotectedTables(withProtectedTables(withSources(s)));
  s = ok(s, 'RMI_RTT_INIT_RIPAS', R.rd, P.ram, P.ram + 0x1000n);
  s = withData(s, P.data0, D.d0, SRC, 1n);
  s = withData(s, P.data1, D.d1, SRC2, 0n);
  s = withData(s, P.hostCall, D.hostCall, G(42), 0n);
  s = withData(s, P.destroyed, D.destroyed, SRC, 0n);
  s = ok(s, 'RMI_DATA_DESTROY', R.rd, P.destroyed);
  s = withData(s, P.assignedDestroyed, D.assignedDestroyed, SRC, 0n);
  s = ok(s, 'RMI_DATA_DESTROY', R.rd, P.assignedDestroyed);
  s = ok(s, 'RMI_DATA_CREATE_UNKNOWN', R.rd, D.assignedDestroyed, P.assignedDestroyed);
  s = delegate(s, D.assignedEmpty, NS.realm);
  s = ok(s, 'RMI_DATA_CREATE_UNKNOWN', R.rd, D.assignedEmpty, P.assignedEmpty);
  s = ok(s, 'RMI_RTT_MAP_UNPROTECTED', R.rd, U.rw, 3n, desc(NS.rw, 3n));
  s = ok(s, 'RMI_RTT_MAP_UNPROTECTED', R.rd, U.ro, 3n, desc(NS.ro, 1n));
  s = ok(s, 'RMI_RTT_MAP_UNPROTECTED', R.rd, U.wo, 3n, desc(NS.wo, 2n));
  s = ok(s, 'RMI_RTT_MAP_UNPROTECTED', R.rd, U.none, 3n, desc(NS.none, 0n));
  s = ok(s, 'RMI_RTT_MAP_UNPROTECTED', R.rd, U.realmPa, 3n, desc(NS.realm, 3n));
  s = withRec(s, R.rec, 0, R.aux);
  s = withRec(s, REC2, 1, AUX2, { flags: o.rec2Runnable === true ? 1n : 0n, pc: 0x2000n });
  s = withRec(s, REC3, 2, AUX3, { flags: 0n });
  return o.inactive === true ? s : ok(s, 'RMI_REALM_ACTIVATE', R.rd);
}

/** The fixture world, built once (states are immutable). */
export const WORLD: RmmState = world();

// -------------------------------------------------------------------------------------
// running RECs
// -------------------------------------------------------------------------------------

/** `s` with the RmiRecEnter at `run` holding `fields` (the exit half is kept). */
export function withEnter(s: RmmState, run: bigint, fields: Record<string, bigint | bigint[]>): RmmState {
  const g = new Uint8Array(granuleBytes(s, granuleIndex(run)));
  encodeStructInto(RmiRecEnter, fields, g);
  return write(s, run, g);
}

/** `s` after RMI_REC_ENTER of `rec` with `run` (RmiRecEnter `fields`): the REC is REC_RUNNING. */
export function enter(s: RmmState, rec: bigint = R.rec, run: bigint = RUN, fields: Record<string, bigint | bigint[]> = {}): RmmState {
  const r = rmiRecEnter(withEnter(s, run, fields), { rec, run_ptr: run });
  if (E.isLeft(r)) throw new Error(`RMI_REC_ENTER failed: ${r.left.rule}`);
  return r.right[0];
}

/** One Realm step on the REC at granule `gi` (default R.rec). */
export function step(s: RmmState, action: RealmAction, gi = REC_GI): RealmStepResult {
  return realmStep(s, gi, action);
}

/** A Realm SMC with X0..Xn = `regs` on the REC at granule `gi`. */
export function smcIn(s: RmmState, regs: readonly bigint[], gi = REC_GI): RealmStepResult {
  return realmStep(s, gi, { kind: 'call', regs });
}

/** Function id of a catalogue command, as a register value. */
export function fid(name: string): bigint {
  const c = catalogue.byName.get(name);
  if (c === undefined) throw new Error(`no command ${name}`);
  return BigInt(c.fids[0] as number);
}

/** `s` with the REC at granule `gi` changed by `patch` (a state no command sequence builds directly). */
export function patchRec(s: RmmState, gi: number, patch: Parameters<typeof updateRec>[1]): RmmState {
  const r = s.recs.get(gi);
  if (r === undefined) throw new Error(`no REC at ${gi}`);
  return updateState(s, { recs: s.recs.set(gi, updateRec(r, patch)) });
}

/** 2^64 + v for a negative v: a sign-extended 64-bit register value. */
export const neg = (v: bigint): bigint => BigInt.asUintN(64, v);

// -------------------------------------------------------------------------------------
// failure suites for Realm calls
// -------------------------------------------------------------------------------------

/** One failure case of a Realm call. */
export interface RealmFailureCase {
  readonly label: string;
  readonly variant?: string;
  /** The state (the calling REC running) and X0.. of the call. */
  readonly setup: () => { readonly s: RmmState; readonly regs: readonly bigint[]; readonly gi?: number };
  /** X0 the digest gives, written by hand (RSI 1/2/4; PSCI sign-extended). */
  readonly x0: bigint;
  /** X1.. the failure defines (null unchecked); others of X1..X3 must be zero. */
  readonly out?: readonly (bigint | null)[];
}

/**
 * Runs every case of Realm call `command`: exactly that condition first to hold (rule id), X0,
 * X1..X3 zero unless defined, no REC exit, and no state change beyond the calling REC's X0..X3.
 */
export function realmFailureSuite(command: string, cases: readonly RealmFailureCase[]): void {
  const entry = catalogue.byName.get(command);
  describe(`${command} failure conditions`, () => {
    for (const c of cases) {
      it(`${c.label}${c.variant !== undefined ? ` (${c.variant})` : ''} is the first condition to hold: X0 = 0x${c.x0.toString(16)}`, () => {
        const { s, regs, gi = REC_GI } = c.setup();
        const r = realmStep(s, gi, { kind: 'call', regs });
        expect(r.call?.failure?.rule).toBe(`${command}/${c.label}`);
        expect(r.exit).toBeUndefined();
        // The registers the Realm sees: X0 the status, X1..X3 the defined outputs or zero, the rest as passed.
        const want = (s.recs.get(gi)?.gprs ?? []).slice();
        for (let k = 0; k <= 17; k++) want[k] = regs[k] ?? 0n;
        want[0] = c.x0;
        for (let k = 1; k <= 3; k++) want[k] = c.out?.[k - 1] ?? 0n;
        expect(r.call?.regs).toEqual(want);
        expect(stateKey(r.state)).toBe(stateKey(patchRec(s, gi, { gprs: want })));
      });
    }
    it('has a case for every failure condition in the catalogue', () => {
      expect([...new Set(cases.map((c) => c.label))].sort()).toEqual((entry?.failures ?? []).map((f) => f.label).sort());
    });
  });
}
