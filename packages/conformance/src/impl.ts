/**
 * An RMM implementation as the harness drives it in-process: Host SMCs, REC entries with the
 * Realm's steps, and Host memory. {@link modelImpl} is the model itself; mutants wrap it. The
 * in-process driver ({@link answerSteps}) turns a trace's steps into the same trace with every
 * expectation replaced by what the implementation did, as a process driver writes its OUT file
 * (driver contract, "Invocation").
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  decodeStruct,
  encodeStructInto,
  functionId,
  granuleBytes,
  granuleIndex,
  hostRead,
  hostWrite,
  realmRoute,
  RmiRealmParams,
  RmiRecEnter,
  RmiRecExit,
  RmiRecParams,
  runRec,
  smc,
  type Layout,
  type RealmAction as CoreRealmAction,
  type RmmState,
  type RuleHits,
} from '@realmspec/core';
import { exitExpectOf, realmExpectOf, rmiExpectOf, type RealmAction, type Step } from '@realmspec/trace';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What an implementation answered to a Host SMC other than RMI_REC_ENTER. */
export interface RmiAnswer {
  /** The state the implementation reached (its own view; a mutant may differ from the model). */
  readonly state: RmmState;
  /** X0, X1, ...: the result registers. */
  readonly regs: readonly bigint[];
}

/** A REC exit's fields by name (DEN0137 B4.4.17), as read back from the run granule. */
export type ExitRecord = Readonly<Record<string, bigint | readonly bigint[]>>;

/** What an implementation answered to RMI_REC_ENTER with Realm steps. */
export interface EnterAnswer {
  /** The state after the REC exit. */
  readonly state: RmmState;
  /** X0 of RMI_REC_ENTER. */
  readonly x0: bigint;
  /** Per Realm step: for a call that returned to the Realm, X0..X30 after it; otherwise undefined. */
  readonly calls: ReadonlyArray<readonly bigint[] | undefined>;
  /** The RmiRecExit written, when the command succeeded. */
  readonly exit: ExitRecord | undefined;
}

/** An implementation, driven in-process. Every function is total; an exception is a crash of the implementation. */
export interface Impl {
  /** A Host SMC (X0 = FID) other than RMI_REC_ENTER. */
  readonly rmi: (s: RmmState, regs: readonly bigint[]) => RmiAnswer;
  /** RMI_REC_ENTER of `rec` with RmiRecRun at `runPtr`, the Realm taking `actions`. */
  readonly enter: (s: RmmState, rec: bigint, runPtr: bigint, actions: readonly CoreRealmAction[]) => EnterAnswer;
}

// -------------------------------------------------------------------------------------
// the model
// -------------------------------------------------------------------------------------

/** The RmiRecExit in the run granule at `runPtr`. */
export function readExit(s: RmmState, runPtr: bigint): ExitRecord {
  return decodeStruct(RmiRecExit, granuleBytes(s, granuleIndex(runPtr)));
}

/** The model as an implementation, counting the catalogue rules its calls reach in `hits`. */
export function modelImplWith(hits: RuleHits | undefined): Impl {
  return {
    rmi: (s, regs) => {
      const r = smc(s, regs, hits);
      return { state: r.state, regs: r.regs };
    },
    enter: (s, rec, runPtr, actions) => {
      const r = runRec(s, { rec, run_ptr: runPtr }, actions, hits);
      const calls = r.steps.map((st) => (st.exit === undefined && st.call !== undefined ? st.call.regs : undefined));
      return { state: r.state, x0: r.x0, calls, exit: r.failure === undefined ? readExit(r.state, runPtr) : undefined };
    },
  };
}

/** The model as an implementation. */
export const modelImpl: Impl = modelImplWith(undefined);

// -------------------------------------------------------------------------------------
// steps
// -------------------------------------------------------------------------------------

const layouts: Readonly<Record<'realmParams' | 'recParams' | 'recEnter', Layout>> = { realmParams: RmiRealmParams, recParams: RmiRecParams, recEnter: RmiRecEnter };

/** The bytes a write step stores (a structure is encoded into a granule; recEnter keeps the exit half). */
export function writeBytes(s: RmmState, step: Extract<Step, { kind: 'write' }>): Uint8Array {
  const p = step.payload;
  if (p.kind === 'bytes') return p.bytes;
  const g = p.kind === 'recEnter' ? new Uint8Array(granuleBytes(s, granuleIndex(step.pa))) : new Uint8Array(4096);
  encodeStructInto(layouts[p.kind], p.fields, g);
  return g;
}

/** The core's Realm action for a trace's realm step. */
export function coreAction(a: RealmAction): CoreRealmAction {
  return a.kind === 'call' ? { kind: 'call', regs: [a.fid, ...a.args] } : a;
}

/** The registers a Realm call's answer records: X1 up to its highest output (at least X3). */
function callWidth(fid: bigint): number {
  return realmRoute(functionId(fid))?.width ?? 4;
}

const ENTER = 0xc400015cn;

/** Whether a step is RMI_REC_ENTER (by its FID, SVE hint ignored). */
export function isEnter(step: Step): boolean {
  return step.kind === 'rmi' && BigInt(functionId(step.fid)) === ENTER;
}

/**
 * Runs one step on `impl`: the state after it, the step with its expectation replaced by the
 * answer, and for RMI_REC_ENTER the number of Realm steps that ran (the REC exited after them).
 */
export function answerStep(impl: Impl, s: RmmState, step: Step): [RmmState, Step, number?] {
  switch (step.kind) {
    case 'rmi': {
      if (isEnter(step)) {
        const realm = step.realm ?? [];
        const a = impl.enter(s, step.args[0] ?? 0n, step.args[1] ?? 0n, realm.map(coreAction));
        // Realm steps after the REC exit did not run: they keep no expectation (line for line).
        const answered = realm.map((r, k): RealmAction => {
          if (r.kind !== 'call') return r;
          const regs = k < a.calls.length ? a.calls[k] : undefined;
          return { ...r, expect: regs === undefined ? undefined : realmExpectOf(r.op, regs[0] ?? 0n, regs.slice(1, callWidth(r.fid))) };
        });
        const e = rmiExpectOf(a.x0, []);
        return [a.state, { ...step, expect: a.exit !== undefined ? { ...e, exit: exitExpectOf(a.exit) } : e, ...(step.realm !== undefined ? { realm: answered } : {}) }, a.calls.length];
      }
      const a = impl.rmi(s, [step.fid, ...step.args]);
      return [a.state, { ...step, expect: rmiExpectOf(a.regs[0] ?? 0n, a.regs.slice(1)) }];
    }
    case 'write': {
      const r = hostWrite(s, step.pa, writeBytes(s, step));
      return E.isLeft(r) ? [s, { ...step, checked: true, expectFault: true }] : [r.right, { ...step, checked: true, expectFault: false }];
    }
    case 'read': {
      const r = hostRead(s, step.pa, step.len);
      return [s, { ...step, expect: E.isLeft(r) ? { fault: 'GPF' } : { bytes: r.right } }];
    }
  }
}

/** The answer a step gets when the implementation crashed on it (driver contract, "Outcomes"). */
export function crashed(step: Step, text: string): Step {
  const crash = text.slice(0, 4096);
  if (step.kind === 'rmi') return { ...step, expect: { crash }, ...(step.realm !== undefined ? { realm: step.realm.map((r) => (r.kind === 'call' ? { ...r, expect: undefined } : r)) } : {}) };
  if (step.kind === 'write') return { ...step, checked: true, expectFault: false, crash };
  return { ...step, expect: { crash } };
}

/** A step without its expectation (and its Realm calls' expectations), as a harness sends it. */
export function bare(step: Step): Step {
  if (step.kind === 'rmi') return { ...step, expect: undefined, ...(step.realm !== undefined ? { realm: step.realm.map((r) => (r.kind === 'call' ? { ...r, expect: undefined } : r)) } : {}) };
  if (step.kind === 'write') return { ...step, checked: false, expectFault: false, crash: undefined };
  return { ...step, expect: undefined };
}

/**
 * The in-process driver: runs `steps` on a fresh `impl` from `start` and returns them with their
 * expectations replaced by its answers. An exception on a step is a crash: that step is
 * answered `{"crash": ...}` and the steps after it keep no expectation.
 */
export function answerSteps(impl: Impl, start: RmmState, steps: readonly Step[]): Step[] {
  const out: Step[] = [];
  let s = start;
  let k = 0;
  try {
    for (; k < steps.length; k++) {
      const [next, answered] = answerStep(impl, s, steps[k] as Step);
      s = next;
      out.push(answered);
    }
  } catch (e) {
    out.push(crashed(steps[k] as Step, e instanceof Error ? e.message.split('\n')[0] ?? '' : String(e)));
    for (k++; k < steps.length; k++) out.push(bare(steps[k] as Step));
  }
  return out;
}
