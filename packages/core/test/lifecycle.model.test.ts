/**
 * Model-based test of random Realm lifecycles (fast-check `commands`): delegation, Realm and REC
 * creation and destruction, activation, and raw SMCs, with the state invariants checked after
 * every step and "a failed command changes nothing" checked on every failure.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { GranuleState, encodeStruct, granuleAddr, hostWrite, initialState, makePlatform, RmiRealmParams, RmiRecParams, RuleHits, smc, stateKey, type RmmState } from '../src/index.js';
import { G, OUTSIDE, fidOf, realmParamsFields, recParamsFields } from './support/fixtures.js';
import { invariantViolations } from './support/invariants.js';
import { atLeast, runs } from './support/runs.js';

/** Two aux granules per REC keep lifecycles short enough to explore. */
const platform = makePlatform({ recAuxCount: 2 });
const POOL = 10;
const PARAMS = G(200);

interface Real {
  s: RmmState;
  readonly hits: RuleHits;
  steps: number;
  failures: number;
}

const rawAddr = fc.oneof(
  { weight: 8, arbitrary: fc.nat(POOL - 1).map(G) },
  { weight: 1, arbitrary: fc.constantFrom(OUTSIDE, G(3) + 8n, PARAMS) },
);

/**
 * An address: a raw PA, or "the k-th granule in state X" resolved against the state when the
 * step runs, so that random sequences build deep lifecycles instead of failing at once.
 */
type Pick = { readonly raw: bigint } | { readonly state: GranuleState; readonly k: number };
const pick = (...states: GranuleState[]): fc.Arbitrary<Pick> =>
  fc.oneof(
    { weight: 1, arbitrary: rawAddr.map((raw) => ({ raw })) },
    { weight: 3, arbitrary: fc.record({ state: fc.constantFrom(...states), k: fc.nat(7) }) },
  );

function resolve(s: RmmState, p: Pick): bigint {
  if ('raw' in p) return p.raw;
  const all = s.granules.entries().filter(([, g]) => g.state === p.state);
  const hit = all[p.k % Math.max(1, all.length)];
  return hit === undefined ? G(p.k) : granuleAddr(hit[0]);
}

/** One Host step: an optional params write, then an SMC with its addresses resolved. */
class HostStep implements fc.Command<object, Real> {
  private shown = '';
  constructor(
    readonly name: string,
    readonly picks: readonly Pick[],
    readonly params?: (at: (k: number) => bigint) => Uint8Array,
    readonly extra: readonly Pick[] = [],
  ) {}
  check(): boolean {
    return true;
  }
  run(_m: object, r: Real): void {
    const at = (k: number): bigint => resolve(r.s, this.extra[k] as Pick);
    // The Host may have delegated the params granule itself: then its write faults and changes nothing.
    if (this.params !== undefined) r.s = E.getOrElse(() => r.s)(hostWrite(r.s, PARAMS, this.params(at)));
    const args = this.picks.map((p) => resolve(r.s, p));
    if (this.params !== undefined) args.push(PARAMS);
    this.shown = `${this.name}(${args.map((a) => '0x' + a.toString(16)).join(', ')})`;
    const before = r.s;
    const key = stateKey(before);
    const res = smc(before, [fidOf(this.name), ...args], r.hits);
    r.steps++;
    if (res.regs[0] !== 0n) {
      r.failures++;
      expect(res.state).toBe(before);
      expect(stateKey(res.state)).toBe(key);
    }
    r.s = res.state;
    expect(invariantViolations(r.s, before)).toEqual([]);
  }
  toString(): string {
    return this.shown || this.name;
  }
}

const { UNDELEGATED, DELEGATED, RD, REC, REC_AUX, RTT } = GranuleState;
const one = (name: string, ...states: GranuleState[]) => pick(...states).map((p) => new HostStep(name, [p]));
const delegate = one('RMI_GRANULE_DELEGATE', UNDELEGATED);
const commands = [
  delegate,
  delegate,
  delegate,
  one('RMI_GRANULE_UNDELEGATE', DELEGATED, RTT),
  fc
    .record({ rd: pick(DELEGATED), rtt: pick(DELEGATED), vmid: fc.nat(3), s2sz: fc.constantFrom(39n, 39n, 40n), sha512: fc.boolean() })
    .map(({ rd, rtt, vmid, s2sz, sha512 }) => {
      const params = (at: (k: number) => bigint): Uint8Array =>
        encodeStruct(RmiRealmParams, realmParamsFields({ rtt_base: at(0), vmid: BigInt(vmid), s2sz, rtt_num_start: s2sz === 40n ? 2n : 1n, hash_algo: sha512 ? 1n : 0n }));
      return new HostStep('RMI_REALM_CREATE', [rd], params, [rtt]);
    }),
  one('RMI_REALM_ACTIVATE', RD),
  one('RMI_REALM_DESTROY', RD),
  fc
    .record({ rd: pick(RD), rec: pick(DELEGATED), index: fc.oneof(fc.constant(0), fc.constant(1), fc.nat(3)), aux0: pick(DELEGATED), aux1: pick(DELEGATED), runnable: fc.boolean() })
    .map(({ rd, rec, index, aux0, aux1, runnable }) => {
      const params = (at: (k: number) => bigint): Uint8Array => encodeStruct(RmiRecParams, recParamsFields(index, [at(0), at(1)], { flags: runnable ? 1n : 0n }));
      return new HostStep('RMI_REC_CREATE', [rd, rec], params, [aux0, aux1]);
    }),
  one('RMI_REC_DESTROY', REC, REC_AUX),
  one('RMI_REC_AUX_COUNT', RD),
];

describe('random Realm lifecycles', () => {
  it('keep every invariant, and failed commands change nothing', () => {
    const total = new RuleHits();
    let steps = 0;
    let failures = 0;
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 80, size: 'max' }), (cmds) => {
        const real: Real = { s: initialState(platform), hits: new RuleHits(), steps: 0, failures: 0 };
        fc.modelRun(() => ({ model: {}, real }), cmds);
        total.merge(real.hits);
        steps += real.steps;
        failures += real.failures;
      }),
      { seed: 20261126, numRuns: runs(400) },
    );
    // The walk must reach both outcomes of the interesting commands, or it proves little.
    const tally = new Map(total.tally().map((t) => [t.command, t]));
    if (process.env.REALMSPEC_VERBOSE) console.log(total.tally());
    for (const c of ['RMI_REALM_CREATE', 'RMI_REC_CREATE', 'RMI_REC_DESTROY', 'RMI_REALM_DESTROY', 'RMI_REALM_ACTIVATE']) {
      expect(tally.get(c)?.successHeld).toBeGreaterThan(atLeast(0));
      expect(tally.get(c)?.failuresHeld).toBeGreaterThan(atLeast(1));
    }
    expect(failures).toBeLessThan(steps);
  });
});
