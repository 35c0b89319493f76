/**
 * The teardown check: from a state, the Host can destroy every REC, DATA granule, Unprotected
 * mapping, RTT and Realm, and undelegate every granule (the all-UNDELEGATED state, with no Realm,
 * REC or RTT left).
 *
 * The property asks for a path; the check gives one, constructed by a fixed Host strategy
 * (a witness), rather than by storing the explored graph and searching it backwards. The
 * strategy, one command at a time: destroy a REC; for an RTT entry, destroy the DATA of an
 * ASSIGNED page, unfold an ASSIGNED block (RMI_RTT_CREATE with a free DELEGATED granule) or
 * unmap an ASSIGNED_NS entry; destroy an RTT that is not a starting one, deepest first; destroy
 * a Realm; undelegate a granule. It runs from each explored state and stops as soon as it
 * reaches a state already shown to tear down (the exploration marks those in its visited set;
 * in breadth-first order the first step usually reaches one), so the check costs about one
 * command and one fingerprint per state, needs no memory for edges, and works the same in
 * workers and shards. When the strategy gets stuck the check reports the state and the
 * strategy's last state: either the spec leaves the Host no way out, or the strategy is too
 * simple (then it is the strategy to improve, never the model).
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
function chunks(t: Rtt): ReadonlyArray<readonly number[]> {
  return (t as unknown as { readonly chunks: ReadonlyArray<readonly number[]> }).chunks;
}

// -------------------------------------------------------------------------------------
// the strategy
// -------------------------------------------------------------------------------------

/** Whether `s` is torn down: no Realm, REC or RTT, and every granule UNDELEGATED. */
export function tornDown(s: RmmState): boolean {
  return s.realms.size === 0 && s.recs.size === 0 && s.rtts.size === 0 && !s.granules.some((_, g) => g.state !== GranuleState.UNDELEGATED);
}

/**
 * One step of the strategy from `s`: the state after the first of its commands that succeeds, in
 * the strategy's order (destroy a REC; for the RTT entries, deepest tables first, destroy DATA or
 * unfold a block, unmap an Unprotected entry; destroy a table that is not a starting one; destroy
 * a Realm; undelegate a granule). Undefined when none succeeds.
 */
export function teardownStep(s: RmmState): RmmState | undefined {
  const run = (regs: bigint[]): RmmState | undefined => {
    const r = smc(s, regs);
    return r.failure === undefined && r.state !== s ? r.state : undefined;
  };
  let next: RmmState | undefined;
  for (const [gi] of s.recs.entries()) if ((next = run([REC_DESTROY, pa(gi)])) !== undefined) return next;
  const rtts = s.rtts.entries().sort((x, y) => y[1].level - x[1].level);
  for (const [gi, t] of rtts) {
    const rd = pa(t.realm);
    const size = rttLevelSize(s.platform.geometry, t.level);
    // The entries in order, chunk by chunk (no flattened copy: most tables have 512 entries).
    let i = 0;
    for (const chunk of chunks(t)) {
      for (const v of chunk) {
        const st = (v % META_SPAN) & 7;
        if (st === RttEntryState.ASSIGNED || st === RttEntryState.ASSIGNED_NS) {
          const ipa = BigInt(t.baseIpa + i * size);
          if (st === RttEntryState.ASSIGNED) {
            if ((next = run([DATA_DESTROY, rd, ipa])) !== undefined) return next;
            const g = s.granules.entries().find(([, x]) => x.state === GranuleState.DELEGATED)?.[0];
            if (g !== undefined && (next = run([RTT_CREATE, rd, pa(g), ipa, BigInt(t.level + 1)])) !== undefined) return next;
          } else if ((next = run([UNMAP, rd, ipa, BigInt(t.level)])) !== undefined) return next;
        }
        i++;
      }
    }
    const realm = s.realms.get(t.realm);
    const starting = realm !== undefined && gi >= realm.rttBase && gi < realm.rttBase + realm.rttNumStart;
    if (!starting && (next = run([RTT_DESTROY, rd, BigInt(t.baseIpa), BigInt(t.level)])) !== undefined) return next;
  }
  for (const [rd] of s.realms.entries()) if ((next = run([REALM_DESTROY, pa(rd)])) !== undefined) return next;
  for (const [gi, g] of s.granules.entries()) if (g.state === GranuleState.DELEGATED && (next = run([UNDELEGATE, pa(gi)])) !== undefined) return next;
  return undefined;
}

/**
 * Runs the teardown strategy from `s0` (unchecked: the states it passes are not explored states),
 * one command at a time, until the state is torn down, or `known` says the state reached is
 * one already shown to tear down (the exploration's memo: then the strategy need not go on),
 * or the strategy is stuck.
 */
export function teardown(s0: RmmState, limit = 10_000, known?: (s: RmmState) => boolean): Teardown {
  const was = setCheckedMode(false);
  let s = s0;
  let steps = 0;
  try {
    while (steps < limit && !tornDown(s)) {
      const next = teardownStep(s);
      if (next === undefined) break;
      s = next;
      steps++;
      if (known?.(s) === true) return { ok: true, steps, left: '' };
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
