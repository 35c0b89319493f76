/**
 * RMI_PSCI_COMPLETE's post-conditions (DEN0137 B4.3.7.3): each holds on the model's transition
 * in the case it speaks about, and each can fail on a doctored state. Expected values are
 * written from the spec by hand.
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { rmiPsciComplete, runRec, type RmmState, type Transition } from '../../src/index.js';
import { R } from '../support/fixtures.js';
import { REC2, REC2_GI, REC_GI, RUN, WORLD, neg, patchRec } from '../realm/support.js';

type Args = { readonly calling_rec: bigint; readonly target_rec: bigint; readonly status: bigint };
type T = Transition<Args, Record<string, never>>;
const post = rmiPsciComplete.post!;

const CPU_ON = 0xc400_0003n;
const AFFINITY_INFO = 0xc400_0004n;
const DENIED = neg(-3n);
const ALREADY_ON = neg(-4n);

/** R.rec made PSCI call `regs` (a REC exit due to PSCI, request pending). */
const asked = (s: RmmState, regs: bigint[]): RmmState => runRec(s, { rec: R.rec, run_ptr: RUN }, [{ kind: 'call', regs }]).state;
/** RMI_PSCI_COMPLETE(R.rec, REC2, status) on `pre`: the transition. */
function complete(pre: RmmState, status: bigint): T {
  const input = { calling_rec: R.rec, target_rec: REC2, status };
  const r = rmiPsciComplete(pre, input);
  if (E.isLeft(r)) throw new Error(`RMI_PSCI_COMPLETE failed: ${r.left.rule}`);
  return { pre, input, post: r.right[0], out: {} };
}

function holds(label: string, t: T): boolean | 'n/a' {
  const p = post.success[label];
  if (p === undefined) throw new Error(`no post-condition ${label}`);
  if (typeof p === 'function') return p(t);
  return p.when(t) ? p.holds(t) : 'n/a';
}

const withRecs = (t: T, gi: number, patch: Parameters<typeof patchRec>[2]): T => ({ ...t, post: patchRec(t.post, gi, patch) });
const callerGprs = (t: T) => t.post.recs.get(REC_GI)!.gprs;

const ON_PENDING = asked(WORLD, [CPU_ON, 1n, 0x8000n, 0x1234n]);
/** CPU_ON of REC2 completed: REC2 starts at 0x8000 with X0 = 0x1234. */
const ON = complete(ON_PENDING, 0n);
/** REC2 became runnable before the Host completed the request. */
const ON_ALREADY = complete(patchRec(ON_PENDING, REC2_GI, { runnable: true }), 0n);
const ON_DENIED = complete(ON_PENDING, DENIED);
const AFF_PENDING = asked(WORLD, [AFFINITY_INFO, 1n, 0n]);
const AFF_OFF = complete(AFF_PENDING, 0n);
const AFF_ON = complete(patchRec(AFF_PENDING, REC2_GI, { runnable: true }), 0n);

describe('RMI_PSCI_COMPLETE post-conditions hold on the model (B4.3.7.3)', () => {
  const cases: Array<[string, T, string]> = [
    ['CPU_ON of a REC that is not runnable', ON, 'on_success'],
    ['CPU_ON of a runnable REC', ON_ALREADY, 'on_already'],
    ['CPU_ON denied by the Host', ON_DENIED, 'status'],
    ['AFFINITY_INFO of a REC that is not runnable', AFF_OFF, 'affinity_off'],
    ['AFFINITY_INFO of a runnable REC', AFF_ON, 'affinity_on'],
  ];
  const conditional = ['on_already', 'on_success', 'affinity_on', 'affinity_off', 'status'];
  for (const [name, t, row] of cases) {
    it(`${name}: ${row} applies and holds, no other case row applies; pending and args hold`, () => {
      expect(conditional.map((l) => holds(l, t))).toEqual(conditional.map((l) => (l === row ? true : 'n/a')));
      expect([holds('pending', t), holds('args', t)]).toEqual([true, true]);
    });
  }

  it('the caller sees, by hand: SUCCESS, ALREADY_ON, DENIED, OFF (1), ON (0)', () => {
    expect([ON, ON_ALREADY, ON_DENIED, AFF_OFF, AFF_ON].map((t) => callerGprs(t)[0])).toEqual([0n, ALREADY_ON, DENIED, 1n, 0n]);
  });
});

describe('RMI_PSCI_COMPLETE post-conditions can fail', () => {
  it('pending: the request must be completed', () => {
    expect(holds('pending', withRecs(ON, REC_GI, { psciPending: true }))).toBe(false);
  });

  it('args: the caller\'s X1..X3 become zero', () => {
    const g = callerGprs(ON);
    expect(holds('args', withRecs(ON, REC_GI, { gprs: [g[0]!, 1n, 0x8000n, 0x1234n, ...g.slice(4)] }))).toBe(false);
  });

  it('on_success: target X0 = context id, X1..X30 zero, pc = entry, runnable; caller X0 = SUCCESS', () => {
    const target = ON.post.recs.get(REC2_GI)!;
    expect([target.gprs[0], target.pc, target.runnable]).toEqual([0x1234n, 0x8000n, true]);
    expect(holds('on_success', withRecs(ON, REC2_GI, { pc: 0x8004n }))).toBe(false);
    expect(holds('on_success', withRecs(ON, REC2_GI, { gprs: target.gprs.map((v, i) => (i === 30 ? 1n : v)) }))).toBe(false);
    expect(holds('on_success', withRecs(ON, REC2_GI, { gprs: target.gprs.map((v, i) => (i === 0 ? 0n : v)) }))).toBe(false);
    expect(holds('on_success', withRecs(ON, REC2_GI, { runnable: false }))).toBe(false);
    expect(holds('on_success', withRecs(ON, REC_GI, { gprs: callerGprs(ON).map((v, i) => (i === 0 ? ALREADY_ON : v)) }))).toBe(false);
  });

  it('on_already, affinity_on, affinity_off, status: the caller\'s X0', () => {
    const x0 = (t: T, v: bigint) => withRecs(t, REC_GI, { gprs: callerGprs(t).map((g, i) => (i === 0 ? v : g)) });
    expect(holds('on_already', x0(ON_ALREADY, 0n))).toBe(false);
    expect(holds('affinity_on', x0(AFF_ON, 1n))).toBe(false);
    expect(holds('affinity_off', x0(AFF_OFF, 0n))).toBe(false);
    expect(holds('status', x0(ON_DENIED, 0n))).toBe(false);
  });
});
