/**
 * Model-based test of Host and Realm interleavings (fast-check `commands`): RECs entered and
 * left running while the Host issues commands (as on another PE), Realm steps of every kind,
 * whole RMI_REC_ENTER runs, RIPAS changes with RMI_RTT_SET_RIPAS, RMI_PSCI_COMPLETE, REC
 * destruction, DATA and Unprotected mappings changing under the Realm. After every step:
 * the state invariants hold; a failed command changes nothing; a running REC is never destroyed
 * and RECs run only between entry and exit; a Realm in REALM_SYSTEM_OFF never runs again; the
 * RIM never changes after activation; a REM changes only through RSI_MEASUREMENT_EXTEND.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { bootHes } from '@realmspec/hes';
import {
  RealmState,
  RecState,
  RmiRecEnter,
  RuleHits,
  encodeStruct,
  granuleIndex,
  hostWrite,
  realmStep,
  rmiRecEnter,
  runRec,
  smc,
  type RealmAction,
  type RealmStepResult,
  type RmmState,
} from '../../src/index.js';
import { G, R } from '../support/fixtures.js';
import { invariantViolations } from '../support/invariants.js';
import { AUX2, D, NS, P, REC2, REC3, RUN, RUN2, U, fid, world } from './support.js';
import { atLeast, runs } from '../support/runs.js';

const PORT = bootHes().attestationPort();
const BASE = world({ rec2Runnable: true, attestation: PORT });
const RD = granuleIndex(R.rd);
const RIM = Buffer.from(BASE.realms.get(RD)!.measurements[0]!);
const RECS = [R.rec, REC2, REC3] as const;
const RUNS = [RUN, RUN2, G(14)] as const;

interface Model {
  /** Granule indexes of the RECs this test left running. */
  readonly running: Set<number>;
}

interface Real {
  s: RmmState;
  readonly hits: RuleHits;
  readonly seen: Map<string, number>;
}

const count = (r: Real, what: string): void => {
  r.seen.set(what, (r.seen.get(what) ?? 0) + 1);
};

const rems = (s: RmmState): string => s.realms.get(RD)?.measurements.slice(1).map((m) => Buffer.from(m).toString('hex')).join() ?? '';

/** The checks after every step. `extended`: the step ran a successful RSI_MEASUREMENT_EXTEND. */
function checkAfter(m: Model, r: Real, before: RmmState, extended: boolean): void {
  const s = r.s;
  expect(invariantViolations(s, before)).toEqual([]);
  // RECs run only between entry and exit, and a running REC still exists.
  for (const [gi, rec] of s.recs.entries()) expect(rec.state === RecState.REC_RUNNING).toBe(m.running.has(gi));
  for (const gi of m.running) expect(s.recs.get(gi)?.state).toBe(RecState.REC_RUNNING);
  const realm = s.realms.get(RD);
  const was = before.realms.get(RD);
  if (realm !== undefined) {
    // The RIM never changes after activation.
    expect(Buffer.from(realm.measurements[0]!).equals(RIM)).toBe(true);
    // There is no way back from REALM_SYSTEM_OFF.
    if (was?.state === RealmState.REALM_SYSTEM_OFF) expect(realm.state).toBe(RealmState.REALM_SYSTEM_OFF);
  }
  // A REM changes only through RSI_MEASUREMENT_EXTEND.
  if (!extended) expect(rems(s)).toBe(rems(before));
}

const isExtend = (x: RealmStepResult): boolean => x.call?.command?.name === 'RSI_MEASUREMENT_EXTEND' && x.call.failure === undefined && x.exit === undefined;

// ---- generators -----------------------------------------------------------------------------

const ipa = fc.constantFrom(...Object.values(P), ...Object.values(U), P.hostCall + 0x100n, P.data1 + 0x10n, 1n << 39n);
const small = fc.constantFrom(0n, 1n, 2n, 3n, 4n, 0x40n, 0x1000n, 0x10000n);
const addrArg = fc.oneof(ipa, small);
const rsi = fc.oneof(
  fc.tuple(fc.constantFrom('RSI_VERSION', 'RSI_FEATURES'), fc.constantFrom(0x1_0000n, 0n, 0x2_0000n)).map(([n, a]) => [fid(n), a]),
  fc.tuple(fc.constantFrom('RSI_MEASUREMENT_READ', 'RSI_MEASUREMENT_EXTEND'), fc.nat(5), fc.constantFrom(0n, 8n, 64n, 65n), fc.bigInt(0n, (1n << 64n) - 1n)).map(([n, i, size, v]) => [
    fid(n),
    BigInt(i),
    size,
    v,
  ]),
  fc.tuple(fc.constant('RSI_ATTESTATION_TOKEN_INIT'), fc.bigInt(0n, 255n)).map(([n, c]) => [fid(n), c]),
  fc.tuple(fc.constant('RSI_ATTESTATION_TOKEN_CONTINUE'), addrArg, fc.constantFrom(0n, 0x800n, 0x1000n), fc.constantFrom(0n, 0x800n, 0x1000n)).map(([n, a, o, z]) => [fid(n), a, o, z]),
  fc.tuple(fc.constantFrom('RSI_REALM_CONFIG', 'RSI_HOST_CALL'), addrArg).map(([n, a]) => [fid(n), a]),
  fc.tuple(fc.constantFrom('RSI_IPA_STATE_SET', 'RSI_IPA_STATE_GET'), fc.constantFrom(0n, 0x2000n, 0x3000n, 0x4000n), fc.constantFrom(0x3000n, 0x5000n, 0x8000n, 0x1000n), fc.nat(3), fc.nat(2)).map(
    ([n, b, t, ripas, f]) => [fid(n), b, t, BigInt(ripas), BigInt(f)],
  ),
);
const psci = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom(0xc400_0003n, 0xc400_0004n, 0x8400_0003n), fc.nat(3), fc.constantFrom(0x1000n, 0x1000n, U.rw), small)
      .map(([f, t, e, c]) => [f, BigInt(t), f === 0xc400_0004n ? 0n : e, c]),
  },
  { weight: 3, arbitrary: fc.constantFrom([0x8400_0000n], [0x8400_000an, 0x8400_0003n], [0xc400_0001n, 0n], [0x8400_0002n], [0x8400_0005n], [0x8000_0000n]) },
  { weight: 1, arbitrary: fc.constantFrom([0x8400_0008n], [0x8400_0009n]) },
);
const access = fc
  .record({ ipa, access: fc.constantFrom('read' as const, 'write' as const, 'exec' as const), size: fc.constantFrom(1 as const, 4 as const, 8 as const), isv: fc.boolean(), value: small })
  .map((a) => ({ kind: 'access' as const, ...a }));
const action: fc.Arbitrary<RealmAction> = fc.oneof(
  { weight: 8, arbitrary: rsi.map((regs) => ({ kind: 'call' as const, regs })) },
  { weight: 2, arbitrary: psci.map((regs) => ({ kind: 'call' as const, regs })) },
  { weight: 4, arbitrary: access },
  { weight: 2, arbitrary: fc.constantFrom<RealmAction>({ kind: 'exit', reason: 'irq' }, { kind: 'exit', reason: 'fiq' }, { kind: 'exit', reason: 'serror' }, { kind: 'wfx', instr: 'wfi' }, { kind: 'wfx', instr: 'wfet', timeout: 3n }) },
);

// ---- commands -------------------------------------------------------------------------------

/** RMI_REC_ENTER without Realm steps yet: the REC stays REC_RUNNING (another PE runs it). */
class Enter implements fc.Command<Model, Real> {
  constructor(readonly k: number, readonly flags: bigint, readonly gpr0: bigint) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    // The Host may have delegated the run granule: then its write faults and changes nothing.
    const run = RUNS[this.k]!;
    const g = encodeStruct(RmiRecEnter, { flags: this.flags, gprs: [this.gpr0] });
    const before = E.getOrElse(() => r.s)(hostWrite(r.s, run, g.subarray(0, 0x800)));
    const res = rmiRecEnter(before, { rec: RECS[this.k]!, run_ptr: run }, r.hits);
    // A Realm in REALM_SYSTEM_OFF never runs again.
    if (before.realms.get(RD)?.state === RealmState.REALM_SYSTEM_OFF) expect(E.isLeft(res)).toBe(true);
    if (E.isLeft(res)) {
      count(r, `enter failed ${res.left.rule}`);
      r.s = before;
    } else {
      const [s, entry] = res.right;
      r.s = s;
      count(r, entry.exit === undefined ? 'entered' : 'entry exit');
      if (entry.exit === undefined) m.running.add(granuleIndex(RECS[this.k]!));
    }
    checkAfter(m, r, before, false);
  }
  toString(): string {
    return `enter(${this.k}, flags=${this.flags})`;
  }
}

/**
 * One Realm step on a REC this test left running: the `k`-th running one. When none is running,
 * REC `k` is entered first (as Enter does), so that random sequences reach deep into Realm runs.
 */
class Step implements fc.Command<Model, Real> {
  constructor(readonly k: number, readonly a: RealmAction) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    if (m.running.size === 0) new Enter(this.k, 0n, 0n).run(m, r);
    if (m.running.size === 0) return;
    const gi = [...m.running][this.k % m.running.size]!;
    const before = r.s;
    const res = realmStep(before, gi, this.a, r.hits);
    r.s = res.state;
    if (res.exit !== undefined) {
      m.running.delete(gi);
      count(r, `exit ${res.exit.exit_reason}`);
    }
    if (res.call?.command !== undefined) count(r, `${res.call.command.name} ${res.call.failure?.rule ?? (res.exit !== undefined ? 'exit' : 'ok')}`);
    if (res.access !== undefined) count(r, `access ${res.access.kind}`);
    checkAfter(m, r, before, isExtend(res));
  }
  toString(): string {
    return `step(${this.k}, ${JSON.stringify(this.a, (_, v) => (typeof v === 'bigint' ? '0x' + v.toString(16) : v))})`;
  }
}

/** A whole RMI_REC_ENTER with Realm steps (as the Host and a trace see it). */
class Run implements fc.Command<Model, Real> {
  constructor(readonly k: number, readonly actions: RealmAction[]) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const before = r.s;
    const res = runRec(before, { rec: RECS[this.k]!, run_ptr: RUNS[this.k]! }, this.actions, r.hits);
    if (before.realms.get(RD)?.state === RealmState.REALM_SYSTEM_OFF) expect(res.failure).toBeDefined();
    if (res.failure !== undefined) {
      expect(res.state).toBe(before);
      count(r, `run failed ${res.failure.rule}`);
    } else {
      expect(res.exit).toBeDefined();
      count(r, `exit ${res.exit?.exit_reason}`);
    }
    r.s = res.state;
    checkAfter(m, r, before, res.steps.some(isExtend));
  }
  toString(): string {
    return `run(${this.k}, ${this.actions.length} steps)`;
  }
}

/** A Host RMI command through `smc`; `args` may read the state (a REC's pending RIPAS range). */
class Host implements fc.Command<Model, Real> {
  constructor(readonly name: string, readonly args: (s: RmmState) => bigint[]) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const before = r.s;
    const res = smc(before, [fid(this.name), ...this.args(before)], r.hits);
    if (res.failure !== undefined || res.regs[0] !== 0n) {
      // A failed command changes nothing.
      expect(res.state).toBe(before);
      count(r, `${this.name} failed`);
    } else count(r, `${this.name} ok`);
    r.s = res.state;
    checkAfter(m, r, before, false);
  }
  toString(): string {
    return this.name;
  }
}

const recIdx = fc.nat(2);
/** The REC with a pending RIPAS request (else REC k), and the range it asked for. */
const pendingRange = (k: number) => (s: RmmState): bigint[] => {
  const pa = RECS.find((x) => (s.recs.get(granuleIndex(x))?.ripasTop ?? 0n) !== 0n) ?? RECS[k]!;
  const rec = s.recs.get(granuleIndex(pa));
  return [R.rd, pa, rec?.ripasAddr ?? 0n, rec?.ripasTop ?? 0x1000n];
};
/** A REC with a PSCI request pending and the REC its MPIDR names (else RECs a and b), with `status`. */
const psciPair = (a: number, b: number, status: bigint) => (s: RmmState): bigint[] => {
  const calling = RECS.find((x) => s.recs.get(granuleIndex(x))?.psciPending === true);
  if (calling === undefined) return [RECS[a]!, RECS[b]!, status];
  const mpidr = Number(s.recs.get(granuleIndex(calling))!.gprs[1]! & 0xfn);
  return [calling, RECS[mpidr % 3]!, status];
};
const status = fc.constantFrom(0n, 0n, BigInt.asUintN(64, -3n), BigInt.asUintN(64, -4n));
const enterCmd = fc.tuple(recIdx, fc.constantFrom(0n, 0n, 0n, 1n, 2n, 3n, 1n << 4n, 3n << 2n, 1n << 5n), small).map(([k, f, g]) => new Enter(k, f, g));
const stepCmd = fc.tuple(recIdx, action).map(([k, a]) => new Step(k, a));
const commands = [
  enterCmd,
  enterCmd,
  stepCmd,
  stepCmd,
  stepCmd,
  stepCmd,
  stepCmd,
  stepCmd,
  fc.tuple(recIdx, fc.array(action, { maxLength: 4 })).map(([k, a]) => new Run(k, a)),
  fc.tuple(recIdx, fc.array(action, { maxLength: 4 })).map(([k, a]) => new Run(k, a)),
  recIdx.map((k) => new Host('RMI_RTT_SET_RIPAS', pendingRange(k))),
  recIdx.map((k) => new Host('RMI_RTT_SET_RIPAS', pendingRange(k))),
  fc.tuple(recIdx, recIdx, status).map(([a, b, st]) => new Host('RMI_PSCI_COMPLETE', psciPair(a, b, st))),
  fc.tuple(recIdx, recIdx, status).map(([a, b, st]) => new Host('RMI_PSCI_COMPLETE', () => [RECS[a]!, RECS[b]!, st])),
  fc.oneof({ weight: 1, arbitrary: recIdx.map((k) => new Host('RMI_REC_DESTROY', () => [RECS[k]!])) }, { weight: 3, arbitrary: fc.constant(new Host('RMI_REC_DESTROY', () => [REC3])) }),
  fc.constantFrom(P.data0, P.data1, P.hostCall).map((x) => new Host('RMI_DATA_DESTROY', () => [R.rd, x])),
  fc.tuple(fc.constantFrom(D.d0, D.d1, D.hostCall), fc.constantFrom(P.data0, P.data1, P.hostCall, P.ram)).map(([d, x]) => new Host('RMI_DATA_CREATE_UNKNOWN', () => [R.rd, d, x])),
  fc.constantFrom(U.rw, U.ro).map((x) => new Host('RMI_RTT_UNMAP_UNPROTECTED', () => [R.rd, x, 3n])),
  fc.constantFrom(U.rw, U.unassigned).map((x) => new Host('RMI_RTT_MAP_UNPROTECTED', () => [R.rd, x, 3n, NS.rw | (3n << 6n)])),
  fc.constantFrom(RUN, RUN2, NS.rw, AUX2[0]!).map((x) => new Host('RMI_GRANULE_DELEGATE', () => [x])),
  fc.constantFrom(RUN, RUN2, NS.rw).map((x) => new Host('RMI_GRANULE_UNDELEGATE', () => [x])),
];

describe('random Host and Realm interleavings', () => {
  it('keep every invariant of Realm execution', () => {
    const seen = new Map<string, number>();
    const hits = new RuleHits();
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 80, size: 'max' }), (cmds) => {
        const real: Real = { s: BASE, hits, seen };
        fc.modelRun(() => ({ model: { running: new Set<number>() }, real }), cmds);
      }),
      { seed: 0x7ea1, numRuns: runs(300) },
    );
    if (process.env.REALMSPEC_VERBOSE) console.log([...seen].sort());
    // The walk must reach the interesting cases, or it proves little.
    for (const what of ['entered', 'exit 0', 'exit 1', 'exit 3', 'exit 4', 'exit 5', 'RMI_RTT_SET_RIPAS ok', 'RMI_PSCI_COMPLETE ok', 'RMI_REC_DESTROY ok', 'RSI_MEASUREMENT_EXTEND ok', 'RSI_ATTESTATION_TOKEN_CONTINUE ok', 'enter failed RMI_REC_ENTER/system_off', 'enter failed RMI_REC_ENTER/rec_state']) {
      expect(seen.get(what) ?? 0, what).toBeGreaterThan(atLeast(0));
    }
  });
});
