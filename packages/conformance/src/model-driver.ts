/**
 * `realmspec driver [--mutant ID] IN.jsonl -o OUT.jsonl`: the model as a driver, following the
 * driver contract exactly: a fresh model per run, OUT = IN line for line with each step's
 * expectation replaced by the model's answer, the platform and limits in OUT's header whatever
 * IN's header said, exit 2 with `IN:LINE: reason` for a step beyond its limits, and a crash of
 * the implementation (an exception, as a mutant's assertion) recorded as `{"crash": TEXT}` on
 * its step with exit 0.
 *
 * @packageDocumentation
 */
import { writeFileSync } from 'node:fs';
import { DEFAULT_FEATURES0, Gpt, makePlatform, type Platform } from '@realmspec/core';
import { decodeTrace, fileLines, headerLine, replayStart, stepLine, type Limits, type Step } from '@realmspec/trace';
import { answerSteps } from './impl.js';
import { implOf, mutantById } from './mutants/index.js';

/** What `realmspec driver` can express: at most 8 Realm steps per entry, IRQ and FIQ exits, 16 argument registers, reads of 4 KB. */
export const MODEL_LIMITS: Limits = { realmStepsPerEnter: 8, realmExits: ['irq', 'fiq'], realmArgs: 16, readMax: 4096 };

/**
 * The platform `realmspec driver` provides: the model's default DRAM and features but a 44-bit S2SZ, `recAuxCount`
 * auxiliary granules per REC (default 1, so that REC creation fits in a short trace), and a
 * Secure and a Root granule inside DRAM (so that `gran_gpt` and `src_pas` can hold).
 */
export function modelDriverPlatform(recAuxCount = 1): Platform {
  return makePlatform({
    recAuxCount,
    // S2SZ 44 (the default's fields otherwise): one starting RTT at level 0 covers up to 48 bits,
    // so an s2sz one above the bound is refused by that bound alone.
    features0: (DEFAULT_FEATURES0 & ~0xffn) | 44n,
    gpt: [
      { base: 0x8003_c000n, size: 0x2000n, gpt: Gpt.SECURE },
      { base: 0x8003_e000n, size: 0x1000n, gpt: Gpt.ROOT },
    ],
  });
}

/** Why `step` is beyond `limits`, if it is. */
export function beyondLimits(step: Step, limits: Limits): string | undefined {
  if (step.kind === 'read' && limits.readMax !== undefined && step.len > limits.readMax) return `a read of ${step.len} bytes, more than the ${limits.readMax} this driver reads`;
  if (step.kind !== 'rmi' || step.realm === undefined) return undefined;
  if (limits.realmStepsPerEnter !== undefined && step.realm.length > limits.realmStepsPerEnter) return `${step.realm.length} realm steps, more than the ${limits.realmStepsPerEnter} this driver runs in one RMI_REC_ENTER`;
  for (const [k, a] of step.realm.entries()) {
    if (a.kind === 'exit' && limits.realmExits !== undefined && !limits.realmExits.includes(a.reason)) return `realm.${k}: this driver cannot inject a ${a.reason} exit`;
    if (a.kind === 'call' && limits.realmArgs !== undefined && a.args.length > limits.realmArgs) return `realm.${k}: ${a.args.length} argument registers, more than the ${limits.realmArgs} this driver sets`;
  }
  return undefined;
}

/** Options of {@link modelDriver}. */
export interface ModelDriverOptions {
  /** The trace to run. */
  readonly inPath: string;
  /** Where the answers go. */
  readonly outPath: string;
  /** Run the model with this mutant's fault. */
  readonly mutant?: string;
  /** RMI_REC_AUX_COUNT of the platform (default 1). */
  readonly recAuxCount?: number;
}

/** Runs the model driver; returns the exit status and the lines for standard error. */
export function modelDriver(o: ModelDriverOptions): { readonly code: number; readonly err: readonly string[] } {
  if (o.mutant !== undefined && mutantById(o.mutant) === undefined) return { code: 2, err: [`realmspec driver: no mutant '${o.mutant}' (realmspec driver --list-mutants lists them)`] };
  const platform = modelDriverPlatform(o.recAuxCount ?? 1);
  const steps: Step[] = [];
  for (const item of decodeTrace(fileLines(o.inPath))) {
    if (item.kind === 'malformed') return { code: 2, err: item.errors.map((e) => `${o.inPath}:${e.line}: ${e.message}`) };
    if (item.kind !== 'step') continue;
    const why = beyondLimits(item.step, MODEL_LIMITS);
    if (why !== undefined) return { code: 2, err: [`${o.inPath}:${item.step.line}: ${why}`] };
    steps.push(item.step);
  }
  // The attestation port (the emulated HES, whose boot costs tens of ms) only for traces that ask for a token.
  const attests = steps.some((s) => s.kind === 'rmi' && (s.realm ?? []).some((a) => a.kind === 'call' && a.command?.name.startsWith('RSI_ATTESTATION_') === true));
  const answered = answerSteps(implOf(o.mutant), replayStart(platform, attests ? {} : { attestation: null }), steps);
  writeFileSync(o.outPath, [headerLine(platform, MODEL_LIMITS), ...answered.map((s) => stepLine(s))].join('\n') + '\n');
  return { code: 0, err: [] };
}
