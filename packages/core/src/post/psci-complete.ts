/**
 * Post-conditions of RMI_PSCI_COMPLETE (DEN0137 B4.3.7.3), written from the spec's success
 * table: the calling REC's pending PSCI request is completed, its X0 gets the result and X1..X3
 * become zero; a PSCI_CPU_ON that succeeds starts the target REC.
 *
 * @packageDocumentation
 */
import type { PostDefinition, Transition } from '../engine/post.js';
import { catalogueCommand } from '../catalogue/index.js';
import type { Rec as RecRecord } from '../model/rec.js';
import { PsciStatus } from '../abi/status.js';
import { gi, Rec } from './view.js';

/** The inputs of RMI_PSCI_COMPLETE (DEN0137 B4.3.7.1.1). */
export interface PsciCompleteArgs {
  /** PA of the calling REC. */
  readonly calling_rec: bigint;
  /** PA of the target REC. */
  readonly target_rec: bigint;
  /** The Host's PsciReturnCode, 64-bit encoding. */
  readonly status: bigint;
}

type T = Transition<PsciCompleteArgs, Record<string, never>>;

/** FID_PSCI_CPU_ON and FID_PSCI_AFFINITY_INFO, both the SMC32 and the SMC64 id (B6.3.3, B6.3.1). */
const CPU_ON = new Set(catalogueCommand('PSCI_CPU_ON').fids.map((f) => BigInt(f)));
const AFFINITY_INFO = new Set(catalogueCommand('PSCI_AFFINITY_INFO').fids.map((f) => BigInt(f)));

const calling = (t: T): RecRecord | undefined => Rec(t.pre, t.input.calling_rec);
const target = (t: T): RecRecord | undefined => Rec(t.pre, t.input.target_rec);
/** Rec(calling_rec).gprs[0] after the command. */
const result = (t: T): bigint | undefined => Rec(t.post, t.input.calling_rec)?.gprs[0];

/** `pre:` of a row: status is PSCI_SUCCESS, the pending call is one of `fids`, and the target's runnable flag is `runnable`. */
const succeeded =
  (fids: ReadonlySet<bigint>, runnable: boolean) =>
  (t: T): boolean =>
    t.input.status === PsciStatus.PSCI_SUCCESS && fids.has(calling(t)?.gprs[0] ?? -1n) && target(t)?.runnable === runnable;

/** DEN0137 B4.3.7.3 (B3.26 PsciReturnCodeEncode: the 64-bit encoding the model keeps). */
export const psciCompletePost: PostDefinition<PsciCompleteArgs, Record<string, never>> = {
  success: {
    pending: (t) => Rec(t.post, t.input.calling_rec)?.psciPending === false,
    on_already: { when: succeeded(CPU_ON, true), holds: (t) => result(t) === PsciStatus.PSCI_ALREADY_ON },
    on_success: {
      when: succeeded(CPU_ON, false),
      // The target starts at the entry point (caller's X2) with X0 the context id (caller's X3)
      // and every other register zero; it becomes RUNNABLE; the caller gets PSCI_SUCCESS.
      holds: (t) => {
        const c = calling(t) as RecRecord;
        const r = Rec(t.post, t.input.target_rec);
        return (
          r !== undefined &&
          r.gprs[0] === (c.gprs[3] ?? 0n) &&
          r.gprs.slice(1).every((v) => v === 0n) &&
          r.pc === (c.gprs[2] ?? 0n) &&
          r.runnable &&
          result(t) === PsciStatus.PSCI_SUCCESS
        );
      },
    },
    affinity_on: { when: succeeded(AFFINITY_INFO, true), holds: (t) => result(t) === PsciStatus.PSCI_SUCCESS },
    affinity_off: { when: succeeded(AFFINITY_INFO, false), holds: (t) => result(t) === PsciStatus.PSCI_OFF },
    status: { when: (t) => t.input.status !== PsciStatus.PSCI_SUCCESS, holds: (t) => result(t) === BigInt.asUintN(64, t.input.status) },
    args: (t) => {
      const g = Rec(t.post, t.input.calling_rec)?.gprs;
      return g !== undefined && g[1] === 0n && g[2] === 0n && g[3] === 0n;
    },
  },
  locate: {
    calling_rec: (t) => gi(t.input.calling_rec),
    target_rec: (t) => gi(t.input.target_rec),
  },
};
