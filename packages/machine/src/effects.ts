/**
 * Effects at the adapter seam (guideline 9): what the rest of the platform must do after an RMI
 * command the RMM model ran. The core does not return effect lists, so they are derived here
 * from the command that succeeded: RMI_GRANULE_DELEGATE and RMI_GRANULE_UNDELEGATE are the only
 * commands that change the GPT (DEN0137 A2.2.3), each through one RMM-EL3 call, and every
 * command whose success makes a granule pass through DELEGATED requires it to be scrubbed
 * (DEN0137 A2.2.4). EL3 and the memory model then carry the effects out.
 *
 * @packageDocumentation
 */
import { InternalError, granuleAddr, granuleIndex, type GranuleIndex, type RmmState } from '@realmspec/core';
import { hex } from '@realmspec/core/internal';
import { RmmEl3Fid, gpiAt, rmmEl3FidName, rmmEl3Smc, rmmEl3StatusName, type El3State } from '@realmspec/el3';
import { scrubGranule } from '@realmspec/memory';
import type { Step } from './steps.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Something the platform does because of an RMI command. */
export type PlatformEffect =
  /** The RMM asks EL3 to move a granule between the Non-secure and Realm PAS (RMM_GTSI_*). */
  | { readonly kind: 'gtsi'; readonly fid: number; readonly pa: bigint }
  /** A granule's old contents must be gone (it was wiped on its way through DELEGATED). */
  | { readonly kind: 'scrub'; readonly gi: GranuleIndex };

// -------------------------------------------------------------------------------------
// derivation
// -------------------------------------------------------------------------------------

/**
 * The effects of RMI command `command` that succeeded with inputs `inputs` and outputs
 * `outputs`, in the order the RMM performs them (TF-RMM `smc_granule_delegate`: GTSI first,
 * then zero-fill; `smc_granule_undelegate`: zero-fill first, then GTSI, so that the Host never
 * sees the old contents; `smc_data_destroy`: the DATA granule is wiped).
 */
export function effectsOf(command: string, inputs: Readonly<Record<string, bigint>>, outputs: Readonly<Record<string, bigint>>): PlatformEffect[] {
  // DECISION D-EFFECTS: effects are derived from the command that succeeded, not from comparing
  // the granule states before and after. It is how the platform works (the RMM calls EL3 from the
  // handlers of exactly these two commands), it costs O(1) per step where a comparison costs
  // O(granules), and it keeps the GPT cross-check meaningful: EL3's GPT is maintained from the
  // commands alone, so a command that changed the RMM's GPT view without being one of these (or
  // one of these that did not) shows up as a disagreement instead of being copied across.
  switch (command) {
    case 'RMI_GRANULE_DELEGATE': {
      const pa = inputs['addr'] ?? 0n;
      return [
        { kind: 'gtsi', fid: RmmEl3Fid.RMM_GTSI_DELEGATE, pa },
        { kind: 'scrub', gi: granuleIndex(pa) },
      ];
    }
    case 'RMI_GRANULE_UNDELEGATE': {
      const pa = inputs['addr'] ?? 0n;
      return [
        { kind: 'scrub', gi: granuleIndex(pa) },
        { kind: 'gtsi', fid: RmmEl3Fid.RMM_GTSI_UNDELEGATE, pa },
      ];
    }
    case 'RMI_DATA_DESTROY':
      return [{ kind: 'scrub', gi: granuleIndex(outputs['data'] ?? 0n) }];
    default:
      return [];
  }
}

// -------------------------------------------------------------------------------------
// execution
// -------------------------------------------------------------------------------------

/** What carrying out effects did. */
export interface EffectsRun {
  readonly el3: El3State;
  readonly core: RmmState;
  /** EL3's steps (one per RMM-EL3 call). */
  readonly steps: readonly Step[];
  /** Scrubs that found the RMM model had not wiped a granule. */
  readonly divergences: readonly string[];
}

/**
 * Carries out `effects` on CPU `cpu` (in the Realm world, inside the RMI call): each GTSI through
 * EL3's RMM-EL3 interface, each scrub through the memory model. EL3 refusing a transition the RMM
 * model has already made means the two views of the GPT diverged: a model bug, thrown.
 */
export function runEffects(el3: El3State, core: RmmState, cpu: number, effects: readonly PlatformEffect[]): EffectsRun {
  let e = el3;
  let s = core;
  const steps: Step[] = [];
  const divergences: string[] = [];
  for (const fx of effects) {
    if (fx.kind === 'scrub') {
      const r = scrubGranule(s, fx.gi);
      if (r.changed) divergences.push(`granule ${hex(granuleAddr(fx.gi))} was not wiped by the RMM model where DEN0137 A2.2.4 requires it; scrubbed`);
      s = r.state;
      continue;
    }
    const gi = granuleIndex(fx.pa);
    const before = gpiAt(e.gpt, gi);
    const r = rmmEl3Smc(e, cpu, [BigInt(fx.fid), fx.pa]);
    const status = rmmEl3StatusName.get(Number(BigInt.asIntN(64, r.regs[0] ?? 0n))) ?? 'SMC_UNK';
    const call = rmmEl3FidName.get(fx.fid) ?? 'RMM_GTSI';
    if (r.regs[0] !== 0n) throw new InternalError(`EL3 refused ${call}(${hex(fx.pa)}) with ${status} after the RMM model made the transition: the GPT views diverged`);
    e = r.el3;
    const after = gpiAt(e.gpt, gi);
    steps.push({ actor: 'el3', kind: 'rmm-el3', cpu, call, pa: fx.pa, status, gpi: before === undefined || after === undefined ? undefined : [before, after] });
  }
  return { el3: e, core: s, steps, divergences };
}
