/**
 * A conformance campaign: fast-check generates runs (state-aware Host and Realm sequences), the
 * driver answers each, every answer is judged, and the first run that shows a group not seen
 * before is shrunk at once by fast-check's own shrinking, the driver re-run for every candidate
 * (a candidate counts when it shows the same group), then by removing runs of operations, halving
 * their length down to one.
 * One shrunk, replayable trace per group; later occurrences of a group are counted.
 *
 * @packageDocumentation
 */
import fc from 'fast-check';
import { RuleHits, type RmmState } from '@realmspec/core';
import { replayStart } from '@realmspec/trace';
import type { Driver, DriverResult } from './driver.js';
import { build, type Built } from './gen/build.js';
import { runArbitrary, type Op } from './gen/ops.js';
import type { Setting } from './gen/world.js';
import { couldShow, observe, type Observation } from './observe.js';
import { findingTrace } from './report.js';
import type { CampaignResult, Finding, Progress } from './result.js';

export type { CampaignResult, Finding, Progress } from './result.js';
import { noWaivers, type Waivers } from './waivers.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Options of {@link campaign}. */
export interface CampaignOptions {
  /** The implementation. */
  readonly driver: Driver;
  /** Its platform and limits (from {@link Driver.setting}). */
  readonly setting: Setting;
  /** The seed: equal seeds generate equal runs. */
  readonly seed: number;
  /** Stop after this many runs (default: no limit). */
  readonly runs?: number;
  /** Stop after this long, in ms (default: no limit; give `runs` or `timeMs`). */
  readonly timeMs?: number;
  /** Runs in flight at once (default 1): each worker has its own fast-check loop and seed. */
  readonly workers?: number;
  /** Demand the model's own answer. */
  readonly strict?: boolean;
  /** Accepted deviations. */
  readonly waivers?: Waivers;
  /** The most Host operations in one run (default 200: a run's cost is mostly the driver's start). */
  readonly maxOps?: number;
  /** The most driver runs one shrink may take (default 250). */
  readonly shrinkRuns?: number;
  /** The longest one shrink may take, in ms (default 45 s). */
  readonly shrinkMs?: number;
  /** Stop at the first finding that is not waived (benchmarks). */
  readonly stopAtFirst?: boolean;
  /** Set `aborted` to stop (Ctrl-C): the campaign ends after the runs in flight. */
  readonly signal?: { aborted: boolean };
  /** Called with each new finding as soon as it is shrunk. */
  readonly onFinding?: (f: Finding) => void;
  /** Called after each run. */
  readonly onProgress?: (p: Progress) => void;
  /**
   * Count rule coverage on one generated run in this many (default 4; 0: none). Counting
   * evaluates every failure condition and every post-condition of every call, which costs more
   * than the call: a sample keeps the coverage representative and the campaign fast.
   */
  readonly coverageEvery?: number;
  /** Called when a run first shows a group, before it is shrunk. */
  readonly onDetect?: (o: Observation, elapsedMs: number) => void;
}

/** Thrown inside the property to end a fast-check loop. */
class Stop extends Error {}

// -------------------------------------------------------------------------------------
// campaign
// -------------------------------------------------------------------------------------

/** Runs a campaign. */
export async function campaign(o: CampaignOptions): Promise<CampaignResult> {
  const t0 = performance.now();
  const start: RmmState = replayStart(o.setting.platform);
  const hits = new RuleHits();
  const arb = runArbitrary(o.setting.limits, o.maxOps ?? 200, o.setting.platform.recAuxCount);
  const waivers = o.waivers ?? noWaivers;
  const known = new Map<string, Finding>();
  const claimed = new Set<string>();
  const groups: Finding[] = [];
  const c = { runs: 0, steps: 0, judged: 0, discarded: 0, followed: 0, cut: 0, permitted: 0, generated: 0 };
  let runId = 0;
  let done = false;
  const elapsed = (): number => performance.now() - t0;
  const stopping = (): boolean => done || o.signal?.aborted === true || (o.timeMs !== undefined && elapsed() >= o.timeMs) || (o.runs !== undefined && c.generated >= o.runs);
  const progress = (): Progress => ({ runs: c.runs, steps: c.steps, judged: c.judged, findings: groups.length, waived: groups.filter((g) => g.waived !== undefined).length, elapsedMs: elapsed() });

  /** Runs `ops` on the driver and observes it. */
  const attempt = async (ops: readonly Op[], withHits: boolean): Promise<{ built: Built; result: DriverResult; observations: readonly Observation[] }> => {
    const built = build(o.setting, start, ops, withHits ? hits : undefined);
    const id = ++runId;
    const result = await o.driver.run(id, o.setting, built.steps);
    c.runs++;
    c.steps += built.steps.length;
    if (result.kind === 'cannot') c.discarded++;
    const { observations, judgement } = observe(built, result, { strict: o.strict === true, driver: o.driver.name, run: id });
    if (judgement !== undefined) {
      c.judged += judgement.judged;
      c.followed += judgement.followed;
      c.permitted += judgement.permitted;
      if (judgement.cut !== undefined) c.cut++;
    }
    o.onProgress?.(progress());
    return { built, result, observations };
  };

  const worker = async (w: number): Promise<void> => {
    for (let round = 0; !stopping(); round++) {
      let target: Observation | undefined;
      let best: { ops: readonly Op[]; built: Built; result: DriverResult; obs: Observation } | undefined;
      let found = 0;
      let original = 0;
      let shrinkStart = 0;
      let shrinkRuns = 0;
      // Nothing is shorter than one step: a shrink that reached it is done.
      const minimal = (): boolean => best !== undefined && best.obs.step === 0;
      const budgetLeft = (): boolean => !minimal() && shrinkRuns < (o.shrinkRuns ?? 250) && performance.now() - shrinkStart < (o.shrinkMs ?? 45_000) && o.signal?.aborted !== true;
      /** `ops` if it reproduces the target (cut after the operation of the divergent step), else undefined. */
      const reproduce = async (ops: readonly Op[]): Promise<boolean> => {
        // A candidate whose model run cannot show the group is not sent to the driver.
        if (target !== undefined && !couldShow(build(o.setting, start, ops), target)) return false;
        shrinkRuns++;
        const r = await attempt(ops, false);
        const obs = r.observations.find((x) => x.key === target?.key);
        if (obs === undefined) return false;
        const kept = obs.step >= 0 ? ops.slice(0, (r.built.opOf[obs.step] ?? ops.length - 1) + 1) : ops;
        const steps = obs.step >= 0 ? obs.step + 1 : r.built.steps.length;
        if (best === undefined || steps < (best.obs.step >= 0 ? best.obs.step + 1 : best.built.steps.length)) best = { ops: kept, built: r.built, result: r.result, obs };
        return true;
      };
      const property = fc.asyncProperty(arb, async (ops) => {
        if (stopping()) throw new Stop();
        c.generated++;
        const every = o.coverageEvery ?? 4;
        const r = await attempt(ops, every > 0 && c.generated % every === 1 % every);
        for (const x of r.observations) {
          const f = known.get(x.key);
          if (f !== undefined) f.count++;
        }
        const fresh = r.observations.find((x) => !known.has(x.key) && !claimed.has(x.key));
        if (fresh === undefined) return true;
        // A failure of the driver must reproduce on the same trace to be a finding.
        if (fresh.step < 0) {
          const again = await attempt(ops, false);
          if (!again.observations.some((x) => x.key === fresh.key)) return true;
        }
        claimed.add(fresh.key);
        target = fresh;
        found = elapsed();
        o.onDetect?.(fresh, found);
        original = r.built.steps.length;
        shrinkStart = performance.now();
        const kept = fresh.step >= 0 ? ops.slice(0, (r.built.opOf[fresh.step] ?? ops.length - 1) + 1) : ops;
        best = { ops: kept, built: r.built, result: r.result, obs: fresh };
        return false;
      });
      const seed = o.seed + w * 1_000_003 + round * 7919;
      const details = await fc.check(property, { seed, numRuns: 2 ** 31 - 1, endOnFailure: true });
      // An exception other than Stop, outside a shrink, is a bug of the harness: report it.
      if (details.failed && target === undefined && !(details.errorInstance instanceof Stop)) throw details.errorInstance instanceof Error ? details.errorInstance : new Error(String(details.errorInstance));
      if (target === undefined || best === undefined) {
        if (stopping()) return;
        continue;
      }
      // 1. The shortest suffix that still shows it: the divergent operation alone, then with 1, 3, 7, ... before it.
      const cut = best.ops;
      for (let back = 0; back < cut.length - 1 && budgetLeft(); back = 2 * back + 1) if (await reproduce(cut.slice(cut.length - 1 - back))) break;
      // 2. fast-check's shrinking of that sequence (fewer operations, plainer choices), the driver re-run for every candidate.
      await fc.check(
        fc.asyncProperty(arb, async (cand) => !(budgetLeft() && (await reproduce(cand)))),
        { seed, numRuns: 1, examples: [[[...(best as { ops: readonly Op[] }).ops]]], endOnFailure: false },
      );
      // 3. Runs of operations, from the end, half the length before the divergent one first, then
      // halving down to one operation at a time, while the budget lasts: most of a generated run
      // goes in a few large pieces, so a driver that starts slowly still gets a short trace.
      let ops = [...(best as { ops: readonly Op[] }).ops];
      for (let size = 2 ** Math.floor(Math.log2(Math.max(1, (ops.length - 1) / 2))); size >= 1 && budgetLeft(); size = Math.floor(size / 2)) {
        for (let end = ops.length - 1; end - size >= 0 && budgetLeft(); ) {
          if (await reproduce([...ops.slice(0, end - size), ...ops.slice(end)])) {
            ops = [...(best as { ops: readonly Op[] }).ops];
            end = Math.min(end - size, ops.length - 1);
          } else end -= size;
        }
      }
      const b = best as { ops: readonly Op[]; built: Built; result: DriverResult; obs: Observation };
      const waived = waivers.reasonFor(b.obs.key, b.obs.rule);
      const finding: Finding = {
        id: groups.length + 1,
        group: b.obs.key,
        command: b.obs.command,
        rule: b.obs.rule,
        kind: b.obs.kind,
        waived,
        count: 1,
        foundAtMs: found,
        shrinkMs: performance.now() - shrinkStart,
        shrinkRuns,
        steps: { original, shrunk: b.obs.step >= 0 ? b.obs.step + 1 : b.built.steps.length },
        observation: b.obs,
        trace: findingTrace({ id: groups.length + 1, driver: o.driver.name, seed: o.seed, setting: o.setting, built: b.built, result: b.result, observation: b.obs, waived }),
      };
      known.set(finding.group, finding);
      groups.push(finding);
      o.onFinding?.(finding);
      if (o.stopAtFirst === true && waived === undefined) done = true;
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, o.workers ?? 1) }, (_, w) => worker(w)));
  return { ...progress(), groups, discarded: c.discarded, followed: c.followed, cut: c.cut, permitted: c.permitted, hits, interrupted: o.signal?.aborted === true };
}
