/**
 * The teardown check: from a state, the Host can destroy every REC, DATA granule, Unprotected
 * mapping, RTT and Realm, and undelegate every granule (the all-UNDELEGATED state, with no Realm,
 * REC or RTT left).
 *
 * The property asks for a path; the check gives one, constructed by a fixed Host strategy
 * (a witness), rather than by storing the explored graph and searching it backwards. The
 * strategy, repeated until nothing changes: destroy every REC; for every RTT entry, destroy the
 * DATA of an ASSIGNED page, unfold an ASSIGNED block (RMI_RTT_CREATE with a free DELEGATED
 * granule) and unmap an ASSIGNED_NS entry; destroy every RTT that is not a starting one, deepest
 * first; destroy every Realm; undelegate every granule. It runs from each explored state, so the
 * check costs a few dozen commands per state, needs no memory for edges, and works the same in
 * workers and shards. When the strategy gets stuck the check reports the state and the strategy's
 * last state: either the spec leaves the Host no way out, or the strategy is too simple (then it
 * is the strategy to improve, never the model).
 *
 * @packageDocumentation
 */
import { catalogue, GranuleState, RttEntryState, rttLevelSize, setCheckedMode, smc, type RmmState, type Rtt } from '@realmspec/core';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The result of the teardown strategy from one state. */
export interface Teardown {
  /** Whether it reached the all-UNDELEGATED state. */
  readonly ok: boolean;
  /** Host commands it ran (successful ones). */
  readonly steps: number;
  /** What is left, in words, when it did not. */
  readonly left: string;
}

const fid = (name: string): bigint => BigInt(catalogue.byName.get(name)?.fids[0] ?? 0);
const REC_DESTROY = fid('RMI_REC_DESTROY');
const DATA_DESTROY = fid('RMI_DATA_DESTROY');
const RTT_CREATE = fid('RMI_RTT_CREATE');
const RTT_DESTROY = fid('RMI_RTT_DESTROY');
const UNMAP = fid('RMI_RTT_UNMAP_UNPROTECTED');
const REALM_DESTROY = fid('RMI_REALM_DESTROY');
const UNDELEGATE = fid('RMI_GRANULE_UNDELEGATE');

const META_SPAN = 1024;
const pa = (gi: number): bigint => BigInt(gi) << 12n;

/** The packed entries of an RTT (its internal chunks, flattened). */
function entries(t: Rtt): number[] {
  return (t as unknown as { readonly chunks: ReadonlyArray<readonly number[]> }).chunks.flat();
}

// -------------------------------------------------------------------------------------
// the strategy
// -------------------------------------------------------------------------------------

/** Whether `s` is torn down: no Realm, REC or RTT, and every granule UNDELEGATED. */
export function tornDown(s: RmmState): boolean {
  return s.realms.size === 0 && s.recs.size === 0 && s.rtts.size === 0 && !s.granules.some((_, g) => g.state !== GranuleState.UNDELEGATED);
}

/** Runs the teardown strategy from `s` (unchecked: the states it passes are not explored states). */
export function teardown(s0: RmmState, limit = 10_000): Teardown {
  const was = setCheckedMode(false);
  let s = s0;
  let steps = 0;
  const run = (regs: bigint[]): boolean => {
    const r = smc(s, regs);
    if (r.failure !== undefined) return false;
    s = r.state;
    steps++;
    return true;
  };
  try {
    for (let progress = true; progress && steps < limit; ) {
      progress = false;
      for (const [gi] of s.recs.entries()) progress = run([REC_DESTROY, pa(gi)]) || progress;
      const rtts = s.rtts.entries().sort((x, y) => y[1].level - x[1].level);
      const free = (): number | undefined => s.granules.entries().find(([, g]) => g.state === GranuleState.DELEGATED)?.[0];
      for (const [gi, t] of rtts) {
        const rd = pa(t.realm);
        const size = rttLevelSize(s.platform.geometry, t.level);
        entries(t).forEach((v, i) => {
          const st = (v % META_SPAN) & 7;
          const ipa = BigInt(t.baseIpa + i * size);
          if (st === RttEntryState.ASSIGNED) {
            if (run([DATA_DESTROY, rd, ipa])) progress = true;
            else {
              const g = free();
              if (g !== undefined && run([RTT_CREATE, rd, pa(g), ipa, BigInt(t.level + 1)])) progress = true;
            }
          } else if (st === RttEntryState.ASSIGNED_NS) progress = run([UNMAP, rd, ipa, BigInt(t.level)]) || progress;
        });
        const realm = s.realms.get(t.realm);
        const starting = realm !== undefined && gi >= realm.rttBase && gi < realm.rttBase + realm.rttNumStart;
        if (!starting && s.rtts.has(gi)) progress = run([RTT_DESTROY, rd, BigInt(t.baseIpa), BigInt(t.level)]) || progress;
      }
      for (const [rd] of s.realms.entries()) progress = run([REALM_DESTROY, pa(rd)]) || progress;
      for (const [gi, g] of s.granules.entries()) if (g.state === GranuleState.DELEGATED) progress = run([UNDELEGATE, pa(gi)]) || progress;
    }
  } finally {
    setCheckedMode(was);
  }
  if (tornDown(s)) return { ok: true, steps, left: '' };
  const left = [
    s.realms.size > 0 ? `${s.realms.size} Realm(s)` : '',
    s.recs.size > 0 ? `${s.recs.size} REC(s)` : '',
    s.rtts.size > 0 ? `${s.rtts.size} RTT(s)` : '',
    s.granules
      .entries()
      .filter(([, g]) => g.state !== GranuleState.UNDELEGATED)
      .map(([gi, g]) => `0x${pa(gi).toString(16)} in state ${g.state}`)
      .join(', '),
  ].filter((x) => x !== '');
  return { ok: false, steps, left: left.join('; ') };
}
