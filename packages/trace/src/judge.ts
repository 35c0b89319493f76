/**
 * Judging a trace's expectations against the spec as a relation (DEN0137 B1.6): an expectation
 * that differs from the model's own answer passes when the spec permits it ("permitted; the
 * model chose ..."), unless the replay is strict. Expectations are observations of another RMM:
 * any 64-bit value may appear, and one the spec does not permit is a mismatch.
 *
 * @packageDocumentation
 */
import {
  judge,
  realmCallOutcomes,
  recExitReasonName,
  recExitFieldPermits,
  rmiCallOutcomes,
  type GranuleIndex,
  type ModelAnswer,
  type Observed,
  type RmmState,
  type Verdict,
} from '@realmspec/core';
import { hex } from '@realmspec/core/internal';
import type { ExitExpect, RealmExpect, RmiExpect } from './codec.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What judging one expectation found. */
export interface Judged {
  /** One line per expectation the spec does not permit. */
  readonly mismatches: readonly string[];
  /** One line per expectation that differs from the model's answer but is permitted. */
  readonly permitted: readonly string[];
  /** The catalogue rules behind the verdicts. */
  readonly rules: readonly string[];
}

const agree: Judged = { mismatches: [], permitted: [], rules: [] };

function fromVerdict(v: Verdict, prefix: string): Judged {
  if (v.kind === 'agrees') return agree;
  const lines = v.why.map((w) => `${prefix}${w}`);
  return v.kind === 'permitted' ? { mismatches: [], permitted: lines, rules: v.rules } : { mismatches: lines, permitted: [], rules: v.rules };
}

/** Both judgements together. */
export function joinJudged(a: Judged, b: Judged): Judged {
  if (a === agree) return b;
  if (b === agree) return a;
  return { mismatches: [...a.mismatches, ...b.mismatches], permitted: [...a.permitted, ...b.permitted], rules: [...new Set([...a.rules, ...b.rules])] };
}

function observed(e: { readonly x0?: bigint; readonly status?: string; readonly index?: bigint; readonly out?: ReadonlyArray<bigint | null> }): Observed {
  return {
    ...(e.x0 !== undefined ? { x0: e.x0 } : {}),
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.index !== undefined ? { index: Number(e.index) } : {}),
    ...(e.out !== undefined ? { out: e.out } : {}),
  };
}

// -------------------------------------------------------------------------------------
// judging
// -------------------------------------------------------------------------------------

/**
 * The verdict on an `rmi` step's expectation (status, index, x0, out; not `exit`): the Host SMC
 * `call` (X0 = FID) ran on `pre` and the model answered `model`.
 */
export function judgeRmi(pre: RmmState, call: readonly bigint[], model: ModelAnswer, e: RmiExpect | undefined, strict: boolean): Judged {
  if (e === undefined || (e.x0 === undefined && e.status === undefined && e.out === undefined)) return agree;
  return fromVerdict(judge(rmiCallOutcomes(pre, call, model), observed(e), strict), '');
}

/** The verdict on a realm call's expectation; the call (X0 = FID) ran on REC `recGi` in `pre` and returned `model`. */
export function judgeRealmCall(pre: RmmState, recGi: GranuleIndex, call: readonly bigint[], model: ModelAnswer, e: RealmExpect | undefined, strict: boolean, prefix: string): Judged {
  if (e === undefined) return agree;
  return fromVerdict(judge(realmCallOutcomes(pre, recGi, call, model), observed(e), strict), prefix);
}

/** The verdict on an `exit` expectation against the RmiRecExit the model wrote (`got`, read back from the run granule). */
export function judgeExit(e: ExitExpect, got: Readonly<Record<string, bigint | readonly bigint[]>>, strict: boolean): Judged {
  const mismatches: string[] = [];
  const permitted: string[] = [];
  const differ = (field: string, want: bigint, actual: bigint): void => {
    const line = `exit.${field}: expected ${hex(want)}, got ${hex(actual)}`;
    if (recExitFieldPermits(field, want, actual) && !strict) permitted.push(`${line} (permitted: hardware state, A4.3)`);
    else mismatches.push(strict && recExitFieldPermits(field, want, actual) ? `${line} (--strict)` : line);
  };
  for (const [k, v] of Object.entries(e)) {
    const actual = got[k];
    if (k === 'exit_reason') {
      const want = typeof v === 'string' ? BigInt(recExitReasonName.indexOf(v)) : (v as bigint);
      if (want !== actual) mismatches.push(`exit.exit_reason: expected ${String(v)}, got ${recExitReasonName[Number(actual)] ?? String(actual)}`);
    } else if (Array.isArray(v)) {
      v.forEach((x: bigint | null, i: number) => {
        const a = (actual as readonly bigint[] | undefined)?.[i] ?? 0n;
        if (x !== null && x !== a) differ(`${k}[${i}]`, x, a);
      });
    } else if (v !== actual) differ(k, v as bigint, (actual as bigint | undefined) ?? 0n);
  }
  return mismatches.length === 0 && permitted.length === 0 ? agree : { mismatches, permitted, rules: [] };
}
