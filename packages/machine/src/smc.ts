/**
 * A Host SMC through the whole machine: EL3 routes it by function id and world; an RMI call
 * switches the CPU to the Realm world, where the RMM model runs it (RMI_REC_ENTER runs the
 * Realm's actions, each access checked against the memory model), the effects of the command
 * are carried out by EL3 and the memory model, and RMM_RMI_REQ_COMPLETE switches the CPU back.
 *
 * @packageDocumentation
 */
import {
  catalogueCommand,
  functionId,
  granuleIndex,
  smc,
  type RealmAction,
  type RunResult,
  type RealmStepResult,
  type RecEntryReport,
  type RecExitFields,
  type RmmState,
  type RuleHits,
  type SpecFailure,
} from '@realmspec/core';
import { hex } from '@realmspec/core/internal';
import { El3Fid, el3Smc, type El3State, type SmcRoute } from '@realmspec/el3';
import { accessDivergence, describeAccessResult, realmAccessResult, type AccessResult } from '@realmspec/memory';
import { effectsOf, runEffects } from './effects.js';
import { namedRegisters, rmiLayoutOf } from './layout.js';
import { describeAction, describeExit, realmStatusName, rmiResultName } from './names.js';
import { updateMachine, type Machine } from './state.js';
import type { HostSmcStep, RealmStep, Step } from './steps.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One Realm action that ran during an RMI_REC_ENTER, with the memory model's account of it. */
export interface RealmActionRun {
  /** The action. */
  readonly action: RealmAction;
  /** What the RMM model's Realm execution did. */
  readonly step: RealmStepResult;
  /** For an access: what the memory model says it does (stage 2 translation and the GPC against EL3's GPT). */
  readonly memory: AccessResult | undefined;
}

/** What an RMI_REC_ENTER did beyond its X0 (DEN0137 B4.3.14, A4). */
export interface RecRun {
  /** The REC's PA. */
  readonly rec: bigint;
  /** The entry half's report, when the REC was entered. */
  readonly entry: RecEntryReport | undefined;
  /** The actions that ran, in order. */
  readonly actions: readonly RealmActionRun[];
  /** The REC exit that ended the run; undefined when the command failed. */
  readonly exit: RecExitFields | undefined;
  /** Actions not run because the REC had exited before them. */
  readonly leftover: number;
}

/** What one Host SMC did. */
export interface SmcOutcome {
  /** Where EL3 sent it. */
  readonly route: SmcRoute;
  /** X0 and the output registers the Host sees. */
  readonly regs: readonly bigint[];
  /** The RMI command, if the id named one. */
  readonly command: string | undefined;
  /** The failure condition that held, if the RMI command failed. */
  readonly failure: SpecFailure | undefined;
  /** For RMI_REC_ENTER: the Realm's run. */
  readonly run: RecRun | undefined;
  /** The steps, in order: the Host's call first, then EL3's services to the RMM. */
  readonly steps: readonly Step[];
  /** Where the RMM model and the platform disagreed (memory model, scrubbing); empty normally. */
  readonly divergences: readonly string[];
}

/** What the RMM side of an SMC produced (the handler's state). */
interface RmmSide {
  readonly core: RmmState;
  readonly command: string | undefined;
  readonly failure: SpecFailure | undefined;
  readonly outputs: ReadonlyArray<readonly [string, bigint]>;
  readonly run: RecRun | undefined;
  readonly steps: readonly Step[];
  readonly divergences: readonly string[];
}

const REC_ENTER = catalogueCommand('RMI_REC_ENTER');
const REC_ENTER_FIDS = new Set(REC_ENTER.fids);

// -------------------------------------------------------------------------------------
// RMI_REC_ENTER
// -------------------------------------------------------------------------------------

/**
 * DEN0137 B4.3.14 RMI_REC_ENTER through the RMM model's `runRec`, each Realm access compared,
 * as it runs, with the memory model's translation and granule protection check on EL3's GPT.
 */
function recEnter(core: RmmState, el3: El3State, regs: readonly bigint[], actions: readonly RealmAction[], from: number, hits: RuleHits | undefined): { core: RmmState; x0: bigint; failure: SpecFailure | undefined; run: RecRun; divergences: string[] } {
  const input = { rec: regs[1] ?? 0n, run_ptr: regs[2] ?? 0n };
  const recGi = granuleIndex(input.rec);
  const runs: RealmActionRun[] = [];
  const divergences: string[] = [];
  // Core's runRec takes the actions from the first; only a later start needs a copy.
  const todo = from === 0 ? actions : actions.slice(from);
  const r = smc(core, regs, { ...(hits !== undefined ? { hits } : {}), realm: todo, observe: (before, action, step) => {
    const memory = action.kind === 'access' ? realmAccessResult(before, el3.gpt, recGi, action) : undefined;
    if (action.kind === 'access' && memory !== undefined) {
      const d = accessDivergence(action, memory, step);
      if (d !== undefined) divergences.push(d);
    }
    // The IRQ exit that ends an action list without an exit is not one of the Realm's actions.
    if (runs.length < todo.length) runs.push({ action, step, memory });
  } });
  const done = r.run as RunResult;
  const run: RecRun = { rec: input.rec, entry: done.entry, actions: runs, exit: done.exit, leftover: done.leftover };
  return { core: r.state, x0: done.x0, failure: r.failure, run, divergences };
}

// -------------------------------------------------------------------------------------
// the RMM behind EL3
// -------------------------------------------------------------------------------------

/** The RMM as EL3 sees it: runs an RMI call on the RMM model, then the command's effects. */
function rmm(cpu: number, actions: readonly RealmAction[], from: number, hits: RuleHits | undefined) {
  return (el3: El3State, side: RmmSide, regs: readonly bigint[]): { el3: El3State; rmm: RmmSide; regs: readonly bigint[] } => {
    const fid = functionId(regs[0] ?? 0n);
    if (REC_ENTER_FIDS.has(fid)) {
      const r = recEnter(side.core, el3, regs, actions, from, hits);
      const rmmSide: RmmSide = { core: r.core, command: REC_ENTER.name, failure: r.failure, outputs: side.outputs, run: r.run, steps: side.steps, divergences: r.divergences };
      return { el3, rmm: rmmSide, regs: [r.x0] };
    }
    const r = smc(side.core, regs, hits);
    const command = r.command?.name;
    const layout = rmiLayoutOf(fid);
    if (command === undefined || r.failure !== undefined || layout === undefined) {
      const rmmSide: RmmSide = { core: r.state, command, failure: r.failure, outputs: side.outputs, run: side.run, steps: side.steps, divergences: side.divergences };
      return { el3, rmm: rmmSide, regs: r.regs };
    }
    const outputs = layout.outputs.map(([name, reg]) => [name, r.regs[reg] ?? 0n] as const);
    const fx = runEffects(el3, r.state, cpu, effectsOf(command, namedRegisters(layout.inputs, regs), namedRegisters(layout.outputs, r.regs)));
    const rmmSide: RmmSide = { core: fx.core, command, failure: undefined, outputs, run: side.run, steps: fx.steps, divergences: fx.divergences };
    return { el3: fx.el3, rmm: rmmSide, regs: r.regs };
  };
}

/** The Realm's steps of a run, as records. */
function realmSteps(run: RecRun): RealmStep[] {
  return run.actions.map(({ action, step, memory }) => {
    const kind = action.kind === 'exit' ? 'async' : action.kind;
    let result: string;
    if (step.exit !== undefined) result = `REC exit ${describeExit(step.exit)}`;
    else if (step.call !== undefined) result = realmStatusName(step.call.fid, step.call.regs[0] ?? 0n);
    else if (memory !== undefined) result = describeAccessResult(memory);
    else result = step.access?.kind ?? 'continues';
    return { actor: 'realm', kind, rec: run.rec, action: describeAction(action), result };
  });
}

function hostStep(cpu: number, fid: number, regs: readonly bigint[], out: readonly bigint[], side: RmmSide, route: SmcRoute): HostSmcStep {
  const x0 = out[0] ?? 0n;
  const layout = route === 'rmi' && side.command !== undefined ? rmiLayoutOf(fid) : undefined;
  if (layout !== undefined && side.command !== undefined) {
    const args = layout.inputs.map(([name, reg]) => [name, BigInt.asUintN(64, regs[reg] ?? 0n)] as const);
    return { actor: 'host', kind: 'smc', cpu, fid, command: side.command, args, x0, status: side.failure?.status ?? rmiResultName(x0), rule: side.failure?.rule, outputs: side.outputs };
  }
  const command = route === 'el3' ? (fid === El3Fid.SMCCC_VERSION ? 'SMCCC_VERSION' : 'PSCI_VERSION') : undefined;
  const args = regs.slice(1).map((v, i) => [`x${i + 1}`, v] as const);
  const status = route === 'el3' ? hex(x0) : rmiResultName(x0);
  return { actor: 'host', kind: 'smc', cpu, fid, command, args: command === undefined ? args : [], x0, status, rule: undefined, outputs: [] };
}

// -------------------------------------------------------------------------------------
// Host SMC
// -------------------------------------------------------------------------------------

/**
 * A Host SMC on CPU `cpu` (which must be in the Non-secure world) with X0.. = `regs`; for
 * RMI_REC_ENTER the Realm runs `actions` from index `from` on. Never fails: a refused command is
 * an outcome. @internal
 */
export function machineSmc(m: Machine, cpu: number, regs: readonly bigint[], actions: readonly RealmAction[] = [], from = 0): readonly [Machine, SmcOutcome] {
  const side0: RmmSide = { core: m.core, command: undefined, failure: undefined, outputs: [], run: undefined, steps: [], divergences: [] };
  const r = el3Smc(m.el3, cpu, regs, side0, rmm(cpu, actions, from, m.hits));
  const fid = functionId(regs[0] ?? 0n);
  const side = r.rmm;
  const host = hostStep(cpu, fid, regs, r.regs, side, r.route);
  const outcome: SmcOutcome = {
    route: r.route,
    regs: r.regs,
    command: r.route === 'rmi' ? side.command : host.command,
    failure: side.failure,
    run: side.run,
    steps: [host, ...(side.run === undefined ? [] : realmSteps(side.run)), ...side.steps],
    divergences: side.divergences,
  };
  return [updateMachine(m, { core: side.core, el3: r.el3 }), outcome];
}
