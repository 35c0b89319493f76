/**
 * Model-based tests (fast-check `commands`) of random RTT, DATA and RIPAS operations on two Realms
 * (one with two concatenated starting RTTs). After every step: the state invariants of
 * `support/invariants.ts`, the RTT tree invariants of DEN0137 A2.2.3 and A5.5 (each non-starting
 * RTT referenced by exactly one TABLE entry of its Realm, each DATA granule by exactly one
 * ASSIGNED entry, nothing mapped twice, liveness counts), RMI_RTT_READ_ENTRY agreeing with the
 * walk, and "a failed command changes nothing". Each run ends by tearing both Realms down the way
 * a Host does, following the `top` outputs, until every granule is UNDELEGATED again.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  catalogue,
  DEFAULT_GEOMETRY as D,
  encodeStruct,
  GranuleState,
  granuleAddr,
  granuleAt,
  granuleIndex,
  initialState,
  makePlatform,
  Ripas,
  RmiRealmParams,
  RmiRecParams,
  RuleHits,
  rttEntries,
  rttEntry,
  rttLevelSize,
  rttOutputAddress,
  rttWalk,
  RttEntryState,
  smc,
  stateKey,
  type RmmState,
} from '../../src/index.js';
import { makeRtt, rttAddrs, rttMeta, rttMetas } from '../../src/internal.js';
import { G, OUTSIDE, delegate, fidOf, ok, realmParamsFields, recParamsFields, write } from '../support/fixtures.js';
import { invariantViolations } from '../support/invariants.js';
import { withRipasRequest } from './support.js';
import { atLeast, runs } from '../support/runs.js';

const platform = makePlatform({ recAuxCount: 1 });
const GB = 0x4000_0000n;
const MB2 = 0x20_0000n;
const KB4 = 0x1000n;

/** The two Realms: RD, starting RTTs, IPA width, REC and its aux granule. */
const REALMS = [
  { rd: G(0), rtt: G(1), s2sz: 39n, num: 1n, rec: G(8), aux: G(9), vmid: 1n, hash: 0n },
  { rd: G(4), rtt: G(6), s2sz: 40n, num: 2n, rec: G(10), aux: G(11), vmid: 2n, hash: 1n },
] as const;
const SRC = G(20);
/** Granules the steps may delegate and use for RTTs and DATA. */
const POOL = Array.from({ length: 24 }, (_, k) => G(32 + k));

function start(): RmmState {
  let s = initialState(platform);
  s = write(s, SRC, Uint8Array.from({ length: 4096 }, (_, i) => (i * 31) & 0xff));
  for (const r of REALMS) {
    const rtts = Array.from({ length: Number(r.num) }, (_, k) => r.rtt + BigInt(k) * KB4);
    s = delegate(s, r.rd, ...rtts);
    s = write(s, G(3), encodeStruct(RmiRealmParams, realmParamsFields({ rtt_base: r.rtt, s2sz: r.s2sz, rtt_num_start: r.num, vmid: r.vmid, hash_algo: r.hash })));
    s = ok(s, 'RMI_REALM_CREATE', r.rd, G(3));
    s = delegate(s, r.rec, r.aux);
    s = write(s, G(3), encodeStruct(RmiRecParams, recParamsFields(0, [r.aux])));
    s = ok(s, 'RMI_REC_CREATE', r.rd, r.rec, G(3));
  }
  // Two thirds of the pool start delegated, so that RTTs and DATA can be made from the first steps.
  return delegate(s, ...POOL.slice(0, 16));
}
const S0 = start();

// -------------------------------------------------------------------------------------
// invariants
// -------------------------------------------------------------------------------------

/** The RTT tree invariants of DEN0137 A2.2.3 (ownership) and A5.5 (structure, liveness). */
function rttViolations(s: RmmState): string[] {
  const bad: string[] = [];
  const refs = new Map<number, number>();
  const covered = new Map<number, number>();
  const rtts = s.rtts.entries();
  for (const [gi, t] of rtts) {
    const realm = s.realms.get(t.realm);
    if (realm === undefined) {
      bad.push(`RTT ${gi}: no Realm ${t.realm}`);
      continue;
    }
    const fresh = makeRtt(t.realm, t.level, t.baseIpa, rttMetas(t), rttAddrs(t));
    if (fresh.live !== t.live || fresh.h !== t.h) bad.push(`RTT ${gi}: live ${t.live}/${fresh.live} or hash out of date`);
    const size = rttLevelSize(D, t.level);
    const protectedTop = 2 ** (realm.ipaWidth - 1);
    for (let i = 0; i < rttEntries(D, t.level); i++) {
      const e = rttEntry(t, i);
      const ipa = t.baseIpa + i * size;
      const prot = ipa < protectedTop;
      if ((e.state === RttEntryState.UNASSIGNED || e.state === RttEntryState.ASSIGNED) !== prot && e.state !== RttEntryState.TABLE) bad.push(`RTT ${gi}[${i}]: state ${e.state} at IPA ${ipa}`);
      // Canonical entries (equal states compare equal): RIPAS only in Protected UNASSIGNED and
      // ASSIGNED entries, MemAttr and S2AP only in ASSIGNED_NS ones, no address when unassigned.
      if (e.ripas !== 0 && e.state !== RttEntryState.UNASSIGNED && e.state !== RttEntryState.ASSIGNED) bad.push(`RTT ${gi}[${i}]: RIPAS in state ${e.state}`);
      if ((e.memAttr !== 0 || e.s2ap !== 0) && e.state !== RttEntryState.ASSIGNED_NS) bad.push(`RTT ${gi}[${i}]: attributes in state ${e.state}`);
      if (e.addr !== 0 && (e.state === RttEntryState.UNASSIGNED || e.state === RttEntryState.UNASSIGNED_NS)) bad.push(`RTT ${gi}[${i}]: an address in state ${e.state}`);
      if (e.state === RttEntryState.TABLE) {
        const c = s.rtts.get(e.addr / 4096);
        refs.set(e.addr / 4096, (refs.get(e.addr / 4096) ?? 0) + 1);
        if (t.level === 3) bad.push(`RTT ${gi}[${i}]: TABLE at level 3`);
        if (c === undefined || c.realm !== t.realm || c.level !== t.level + 1 || c.baseIpa !== ipa) bad.push(`RTT ${gi}[${i}]: TABLE entry does not match its child`);
      }
      if (e.state === RttEntryState.ASSIGNED || e.state === RttEntryState.ASSIGNED_NS) {
        if (t.level < 1) bad.push(`RTT ${gi}[${i}]: a block at level ${t.level}`);
      }
      if (e.state === RttEntryState.ASSIGNED) {
        for (let g = e.addr / 4096; g < (e.addr + size) / 4096; g++) covered.set(g, (covered.get(g) ?? 0) + 1);
      }
    }
  }
  // Each non-starting RTT is referenced by exactly one TABLE entry of its Realm; starting RTTs by none.
  for (const [gi, t] of rtts) {
    const realm = s.realms.get(t.realm);
    const starting = realm !== undefined && gi >= realm.rttBase && gi < realm.rttBase + realm.rttNumStart;
    if ((refs.get(gi) ?? 0) !== (starting ? 0 : 1)) bad.push(`RTT ${gi}: referenced ${refs.get(gi) ?? 0} times`);
  }
  // Each DATA granule is mapped by exactly one ASSIGNED entry, and only DATA granules are.
  for (const [gi, g] of s.granules.entries()) if (g.state === GranuleState.DATA && covered.get(gi) !== 1) bad.push(`DATA ${gi}: mapped ${covered.get(gi) ?? 0} times`);
  for (const [gi] of covered) if (granuleAt(s, gi).state !== GranuleState.DATA) bad.push(`granule ${gi} is mapped but not DATA`);
  return bad;
}

/** RMI_RTT_READ_ENTRY at (ipa, level) gives what the walk gives, encoded per B4.3.20.3. */
function checkReadEntry(s: RmmState, rd: bigint, ipa: bigint, level: number): void {
  const w = rttWalk(s, granuleIndex(rd), Number(ipa), level)!;
  const e = w.entry;
  const { UNASSIGNED, ASSIGNED, TABLE, UNASSIGNED_NS, ASSIGNED_NS } = RttEntryState;
  const state = { [UNASSIGNED]: 0n, [UNASSIGNED_NS]: 0n, [ASSIGNED]: 1n, [ASSIGNED_NS]: 1n, [TABLE]: 2n }[e.state];
  const desc = e.state === UNASSIGNED || e.state === UNASSIGNED_NS ? 0n : e.state === ASSIGNED_NS ? BigInt(e.addr) | BigInt(e.memAttr << 2) | BigInt(e.s2ap << 6) : BigInt(e.addr);
  const ripas = e.state === UNASSIGNED || e.state === ASSIGNED ? BigInt(e.ripas) : 0n;
  const r = smc(s, [fidOf('RMI_RTT_READ_ENTRY'), rd, ipa, BigInt(level)]);
  expect(r.regs).toEqual([0n, BigInt(w.level), state, desc, ripas]);
}

// -------------------------------------------------------------------------------------
// steps
// -------------------------------------------------------------------------------------

interface Real {
  s: RmmState;
  readonly hits: RuleHits;
  steps: number;
  failures: number;
}

/** An IPA of Realm `r`: Protected or Unprotected half, 1 GB, 2 MB and 4 KB offsets, aligned to `level`. */
const ipaArb = fc.record({ unprot: fc.boolean(), gb: fc.constantFrom(0, 0, 0, 1), mb: fc.constantFrom(0, 0, 0, 1, 2), page: fc.constantFrom(0, 1, 511) });
type IpaPick = { unprot: boolean; gb: number; mb: number; page: number };
function ipaOf(realm: number, p: IpaPick, level: number): bigint {
  const half = p.unprot ? 1n << (REALMS[realm]!.s2sz - 1n) : 0n;
  const raw = half + BigInt(p.gb) * GB + BigInt(p.mb) * MB2 + BigInt(p.page) * KB4;
  const size = BigInt(rttLevelSize(D, Math.min(3, Math.max(1, level))));
  return raw - (raw % size);
}

/** The k-th pool granule in state `st` (or any pool granule). */
function poolGranule(s: RmmState, st: GranuleState, k: number): bigint {
  const hits = POOL.filter((pa) => granuleAt(s, granuleIndex(pa)).state === st);
  return hits.length === 0 ? POOL[k % POOL.length]! : hits[k % hits.length]!;
}

class Step implements fc.Command<object, Real> {
  private shown = '';
  constructor(
    private readonly name: string,
    private readonly args: (s: RmmState) => bigint[],
    private readonly probe?: { realm: number; ipa: bigint },
  ) {}
  check(): boolean {
    return true;
  }
  run(_m: object, r: Real): void {
    const before = r.s;
    const args = this.args(before);
    this.shown = `${this.name}(${args.map((a) => '0x' + a.toString(16)).join(', ')})`;
    // A full canonical key costs more than the step: take it on every fourth step.
    const key = r.steps % 4 === 0 ? stateKey(before) : undefined;
    const res = smc(before, [fidOf(this.name), ...args], r.hits);
    r.steps++;
    if (res.regs[0] !== 0n) {
      r.failures++;
      expect(res.state).toBe(before);
      if (key !== undefined) expect(stateKey(res.state)).toBe(key);
    }
    r.s = res.state;
    expect(invariantViolations(r.s, before)).toEqual([]);
    expect(rttViolations(r.s)).toEqual([]);
    if (this.probe !== undefined) checkReadEntry(r.s, REALMS[this.probe.realm]!.rd, this.probe.ipa - (this.probe.ipa % KB4), 3);
  }
  toString(): string {
    return this.shown || this.name;
  }
}

/** A realm step: an RMI command on Realm `realm` at an IPA and level. */
const realmArb = fc.constantFrom(0, 0, 1);
const levelArb = fc.constantFrom(3, 3, 2, 2, 1, 4);
const on = (name: string, argsOf: (realm: number, ipa: bigint, level: number, k: number) => (s: RmmState) => bigint[]) =>
  fc.record({ realm: realmArb, ipa: ipaArb, level: levelArb, k: fc.nat(31) }).map(({ realm, ipa, level, k }) => {
    const at = ipaOf(realm, ipa, name.startsWith('RMI_RTT_') && !name.includes('MAP') && !name.includes('READ') && !name.includes('RIPAS') ? level - 1 : level);
    return new Step(name, argsOf(realm, at, level, k), { realm, ipa: at });
  });
const rdOf = (realm: number): bigint => REALMS[realm]!.rd;
const { UNDELEGATED, DELEGATED } = GranuleState;

const delegateStep = fc.nat(31).map((k) => new Step('RMI_GRANULE_DELEGATE', (s) => [poolGranule(s, UNDELEGATED, k)]));
const createStep = on('RMI_RTT_CREATE', (realm, ipa, level, k) => (s) => [rdOf(realm), poolGranule(s, DELEGATED, k), ipa, BigInt(level)]);
/** As a Host does before mapping `ipa`: create the RTT one level below where the walk to level 3 ends. */
const createForStep = fc.record({ realm: realmArb, ipa: ipaArb, k: fc.nat(31) }).map(({ realm, ipa, k }) => {
  const at = ipaOf(realm, ipa, 3);
  return new Step('RMI_RTT_CREATE', (s) => {
    const level = Math.min(3, rttWalk(s, granuleIndex(rdOf(realm)), Number(at), 3)!.level + 1);
    const size = BigInt(rttLevelSize(D, level - 1));
    return [rdOf(realm), poolGranule(s, DELEGATED, k), at - (at % size), BigInt(level)];
  }, { realm, ipa: at });
});
/** What a Host knows of its own Realm: the entries in state `st`, as (ipa, level), and its non-starting RTTs. */
function entriesIn(s: RmmState, realm: number, st: RttEntryState): Array<[bigint, number]> {
  const rd = granuleIndex(rdOf(realm));
  const out: Array<[bigint, number]> = [];
  for (const [, t] of s.rtts.entries()) {
    if (t.realm !== rd) continue;
    for (let i = 0; i < rttEntries(D, t.level); i++) if ((rttMeta(t, i) & 7) === st) out.push([BigInt(t.baseIpa + i * rttLevelSize(D, t.level)), t.level]);
  }
  return out;
}
function tablesOf(s: RmmState, realm: number): Array<[bigint, number]> {
  const r = s.realms.get(granuleIndex(rdOf(realm)))!;
  return s.rtts.entries().filter(([gi, t]) => t.realm === granuleIndex(rdOf(realm)) && (gi < r.rttBase || gi >= r.rttBase + r.rttNumStart)).map(([, t]) => [BigInt(t.baseIpa), t.level]);
}
/** A step on the k-th of the things `find` lists (the Host acting on what it created), or on IPA 0 when there is none. */
const onExisting = (name: string, find: (s: RmmState, realm: number) => Array<[bigint, number]>, args: (rd: bigint, ipa: bigint, level: number) => bigint[]) =>
  fc.record({ realm: realmArb, k: fc.nat(63) }).map(({ realm, k }) => new Step(name, (s) => {
    const all = find(s, realm);
    const [ipa, level] = all[k % Math.max(1, all.length)] ?? [0n, 3];
    return args(rdOf(realm), ipa, level);
  }));

const commands = [
  onExisting('RMI_RTT_UNMAP_UNPROTECTED', (s, realm) => entriesIn(s, realm, RttEntryState.ASSIGNED_NS), (rd, ipa, level) => [rd, ipa, BigInt(level)]),
  onExisting('RMI_DATA_DESTROY', (s, realm) => entriesIn(s, realm, RttEntryState.ASSIGNED), (rd, ipa) => [rd, ipa]),
  onExisting('RMI_RTT_DESTROY', tablesOf, (rd, ipa, level) => [rd, ipa, BigInt(level)]),
  onExisting('RMI_RTT_FOLD', tablesOf, (rd, ipa, level) => [rd, ipa, BigInt(level)]),
  fc.record({ realm: realmArb, k: fc.nat(63), measure: fc.boolean() }).map(({ realm, k, measure }) => new Step('RMI_DATA_CREATE', (s) => {
    const free = entriesIn(s, realm, RttEntryState.UNASSIGNED).filter(([, level]) => level === 3);
    return [rdOf(realm), poolGranule(s, DELEGATED, k), free[k % Math.max(1, free.length)]?.[0] ?? 0n, SRC, measure ? 1n : 0n];
  })),
  onExisting('RMI_DATA_CREATE_UNKNOWN', (s, realm) => entriesIn(s, realm, RttEntryState.UNASSIGNED).filter(([, level]) => level === 3), (rd, ipa) => [rd, G(32 + Number((ipa >> 12n) % 24n)), ipa]),
  onExisting('RMI_RTT_INIT_RIPAS', (s, realm) => entriesIn(s, realm, RttEntryState.UNASSIGNED), (rd, ipa, level) => [rd, ipa, ipa + 3n * BigInt(rttLevelSize(D, level))]),
  delegateStep,
  delegateStep,
  delegateStep,
  fc.nat(31).map((k) => new Step('RMI_GRANULE_UNDELEGATE', (s) => [poolGranule(s, DELEGATED, k)])),
  createStep,
  createForStep,
  createForStep,
  createForStep,
  on('RMI_RTT_DESTROY', (realm, ipa, level) => () => [rdOf(realm), ipa, BigInt(level)]),
  on('RMI_RTT_FOLD', (realm, ipa, level) => () => [rdOf(realm), ipa, BigInt(level)]),
  on('RMI_RTT_FOLD', (realm, ipa, level) => () => [rdOf(realm), ipa, BigInt(level)]),
  on('RMI_DATA_CREATE', (realm, ipa, _l, k) => (s) => [rdOf(realm), poolGranule(s, DELEGATED, k), ipa, SRC, BigInt(k & 1)]),
  on('RMI_DATA_CREATE', (realm, ipa, _l, k) => (s) => [rdOf(realm), poolGranule(s, DELEGATED, k), ipa, SRC, BigInt(k & 1)]),
  on('RMI_DATA_CREATE_UNKNOWN', (realm, ipa, _l, k) => (s) => [rdOf(realm), poolGranule(s, DELEGATED, k), ipa]),
  on('RMI_DATA_DESTROY', (realm, ipa) => () => [rdOf(realm), ipa]),
  on('RMI_RTT_INIT_RIPAS', (realm, ipa, level) => () => [rdOf(realm), ipa, ipa + BigInt(rttLevelSize(D, Math.min(3, Math.max(1, level)))) * 2n]),
  on('RMI_RTT_MAP_UNPROTECTED', (realm, ipa, level, k) => () => [rdOf(realm), ipa, BigInt(level), (BigInt(k) << 30n) | (5n << 2n) | (3n << 6n)]),
  on('RMI_RTT_UNMAP_UNPROTECTED', (realm, ipa, level) => () => [rdOf(realm), ipa, BigInt(level)]),
  on('RMI_RTT_READ_ENTRY', (realm, ipa, level) => () => [rdOf(realm), ipa, BigInt(level)]),
  fc.constantFrom(0, 1, 1, 1).map((realm) => new Step('RMI_REALM_ACTIVATE', () => [rdOf(realm)])),
  // The Realm asks for a RIPAS change (RSI_IPA_STATE_SET); the Host completes it in pieces.
  fc.record({ realm: realmArb, ipa: ipaArb, value: fc.constantFrom(Ripas.EMPTY, Ripas.RAM), destroyed: fc.boolean() }).map(({ realm, ipa, value, destroyed }) => new RipasRequest(realm, ipaOf(realm, { ...ipa, unprot: false }, 3), value, destroyed)),
  fc.record({ realm: realmArb, top: fc.constantFrom(KB4, MB2, GB) }).map(({ realm, top }) => new Step('RMI_RTT_SET_RIPAS', (s) => {
    const rec = s.recs.get(granuleIndex(REALMS[realm]!.rec))!;
    return [rdOf(realm), REALMS[realm]!.rec, rec.ripasAddr, rec.ripasAddr + top];
  })),
  fc.constantFrom(OUTSIDE, G(3) + 8n).map((rd) => new Step('RMI_RTT_READ_ENTRY', () => [rd, 0n, 3n])),
];

/** A REC exit due to RSI_IPA_STATE_SET leaves a pending request in the REC (only an active Realm's REC runs). */
class RipasRequest implements fc.Command<object, Real> {
  constructor(
    private readonly realm: number,
    private readonly base: bigint,
    private readonly value: Ripas,
    private readonly destroyed: boolean,
  ) {}
  check(): boolean {
    return true;
  }
  run(_m: object, r: Real): void {
    const rd = granuleIndex(REALMS[this.realm]!.rd);
    if (r.s.realms.get(rd)?.state !== 1) return;
    r.s = withRipasRequest(r.s, REALMS[this.realm]!.rec, { base: this.base, top: this.base + 4n * MB2, value: this.value, destroyed: this.destroyed });
  }
  toString(): string {
    return `realm ${this.realm} requests RIPAS ${this.value} from 0x${this.base.toString(16)}`;
  }
}

// -------------------------------------------------------------------------------------
// teardown
// -------------------------------------------------------------------------------------

/** The Host destroys every DATA granule and RTT (following `top`), the RECs and the Realms, then undelegates everything. */
function teardown(s0: RmmState): RmmState {
  let s = s0;
  const call = (name: string, ...args: bigint[]) => smc(s, [fidOf(name), ...args]);
  for (const r of REALMS) {
    const rdGi = granuleIndex(r.rd);
    // Deepest RTTs first; in each, DATA_DESTROY from the base, skipping by `top`.
    const tables = s.rtts.entries().filter(([, t]) => t.realm === rdGi).sort(([, a], [, b]) => b.level - a.level);
    for (const [gi, t] of tables) {
      const end = BigInt(t.baseIpa + rttEntries(D, t.level) * rttLevelSize(D, t.level));
      if (t.level === 3 && t.baseIpa < 2 ** Number(r.s2sz - 1n)) {
        for (let ipa = BigInt(t.baseIpa); ipa < end; ) {
          const res = call('RMI_DATA_DESTROY', r.rd, ipa);
          if (res.regs[0] === 0n) s = res.state;
          expect(res.regs[2]).toBeGreaterThan(ipa);
          ipa = res.regs[2]!;
        }
      }
      if (gi >= s.realms.get(rdGi)!.rttBase && gi < s.realms.get(rdGi)!.rttBase + Number(r.num)) continue;
      s = ok(s, 'RMI_RTT_DESTROY', r.rd, BigInt(t.baseIpa), BigInt(t.level));
    }
    s = ok(s, 'RMI_REC_DESTROY', r.rec);
    s = ok(s, 'RMI_REALM_DESTROY', r.rd);
  }
  for (const [gi, g] of s.granules.entries()) if (g.state === GranuleState.DELEGATED) s = ok(s, 'RMI_GRANULE_UNDELEGATE', granuleAddr(gi));
  return s;
}

describe('random RTT, DATA and RIPAS operations on two Realms', () => {
  it('keep every invariant, agree with the walk, change nothing on failure, and can be torn down', () => {
    const total = new RuleHits();
    let steps = 0;
    let failures = 0;
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 80, size: 'max' }), (cmds) => {
        const real: Real = { s: S0, hits: new RuleHits(), steps: 0, failures: 0 };
        fc.modelRun(() => ({ model: {}, real }), cmds);
        total.merge(real.hits);
        steps += real.steps;
        failures += real.failures;
        const end = teardown(real.s);
        expect([end.granules.size, end.realms.size, end.recs.size, end.rtts.size]).toEqual([0, 0, 0, 0]);
        expect(invariantViolations(end)).toEqual([]);
      }),
      { seed: 1234, numRuns: runs(150) },
    );
    const tally = new Map(total.tally().map((t) => [t.command, t]));
    if (process.env.REALMSPEC_VERBOSE) for (const r of catalogue.rules) if (total.calls.has(r.command)) console.log(r.id, total.reached[r.n], total.held[r.n]);
    // The runs must reach success and several failure conditions of every command.
    for (const c of ['RMI_RTT_CREATE', 'RMI_RTT_DESTROY', 'RMI_RTT_FOLD', 'RMI_DATA_CREATE', 'RMI_DATA_CREATE_UNKNOWN', 'RMI_DATA_DESTROY', 'RMI_RTT_INIT_RIPAS', 'RMI_RTT_MAP_UNPROTECTED', 'RMI_RTT_UNMAP_UNPROTECTED', 'RMI_RTT_READ_ENTRY', 'RMI_RTT_SET_RIPAS']) {
      expect(tally.get(c)?.successHeld, c).toBeGreaterThan(atLeast(0));
      expect(tally.get(c)?.failuresHeld, c).toBeGreaterThan(atLeast(1));
    }
    expect(failures).toBeLessThan(steps);
  });
});

// -------------------------------------------------------------------------------------
// folding then re-creating an RTT
// -------------------------------------------------------------------------------------

/** What a Realm access to `ipa` meets: the state and RIPAS of the entry reached at level 3, and the output address. */
function translation(s: RmmState, ipa: number): string {
  const w = rttWalk(s, granuleIndex(REALMS[0].rd), ipa, 3)!;
  return `${w.entry.state}/${w.entry.ripas}/${rttOutputAddress(w, ipa) ?? '-'}`;
}

describe('RMI_RTT_FOLD then RMI_RTT_CREATE', () => {
  const rd = REALMS[0].rd;
  const U = 1n << 38n;
  const nsDesc = (oa: bigint, memAttr: bigint, s2ap: bigint): bigint => oa | (memAttr << 2n) | (s2ap << 6n);

  /** A homogeneous RTT of level `level` at `base`, built through commands, of one of five kinds. */
  function homogeneous(kind: number, level: 2 | 3, attr: { memAttr: bigint; s2ap: bigint; oaBase: bigint }): { s: RmmState; base: bigint } {
    // POOL[0..15] are DELEGATED in S0.
    let s = S0;
    const unprot = kind >= 3;
    const base = (unprot ? U : 0n) + (level === 3 ? 3n * MB2 : 0n);
    if (level === 3) s = ok(s, 'RMI_RTT_CREATE', rd, POOL[0]!, unprot ? U : 0n, 2n);
    if (kind === 1) s = ok(s, 'RMI_RTT_INIT_RIPAS', rd, base, base + BigInt(rttLevelSize(D, level - 1)));
    if (kind === 2) {
      // RIPAS DESTROYED on the parent entry (RTT_DESTROY), unfolded into every child.
      s = ok(s, 'RMI_RTT_CREATE', rd, POOL[1]!, base, BigInt(level));
      s = ok(s, 'RMI_RTT_DESTROY', rd, base, BigInt(level));
    }
    s = ok(s, 'RMI_RTT_CREATE', rd, POOL[2]!, base, BigInt(level));
    if (kind === 4) {
      const size = BigInt(rttLevelSize(D, level));
      for (let k = 0n; k < 512n; k++) s = ok(s, 'RMI_RTT_MAP_UNPROTECTED', rd, base + k * size, BigInt(level), nsDesc(attr.oaBase + k * size, attr.memAttr, attr.s2ap));
    }
    return { s, base };
  }

  it('leaves every translation of the range unchanged, and re-creates the same RTT', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 2, 3, 4),
        fc.constantFrom<2 | 3>(2, 3),
        fc.record({ memAttr: fc.constantFrom(0n, 1n, 5n, 7n), s2ap: fc.nat(3).map(BigInt), oaBase: fc.nat(63).map((n) => BigInt(n) << 30n) }),
        fc.array(fc.nat(511), { minLength: 8, maxLength: 8 }),
        (kind, level, attr, samples) => {
          const { s, base } = homogeneous(kind, level, attr);
          const size = rttLevelSize(D, level);
          const ipas = samples.flatMap((k) => [Number(base) + k * size, Number(base) + k * size + size - 4096]);
          const before = ipas.map((ipa) => translation(s, ipa));
          const original = s.rtts.get(granuleIndex(POOL[2]!))!;
          const folded = ok(s, 'RMI_RTT_FOLD', rd, base, BigInt(level));
          expect(ipas.map((ipa) => translation(folded, ipa))).toEqual(before);
          const again = ok(folded, 'RMI_RTT_CREATE', rd, POOL[3]!, base, BigInt(level));
          expect(ipas.map((ipa) => translation(again, ipa))).toEqual(before);
          const t = again.rtts.get(granuleIndex(POOL[3]!))!;
          expect([rttMetas(t), rttAddrs(t), t.h]).toEqual([rttMetas(original), rttAddrs(original), original.h]);
        },
      ),
      { seed: 1234, numRuns: runs(40) },
    );
  });

  it('does the same for a 2 MB block of DATA pages', () => {
    let s = ok(S0, 'RMI_RTT_CREATE', rd, POOL[0]!, 0n, 2n);
    s = ok(s, 'RMI_RTT_CREATE', rd, POOL[1]!, MB2, 3n);
    const pages = Array.from({ length: 512 }, (_, k) => G(1024 + k));
    s = delegate(s, ...pages);
    pages.forEach((pa, k) => {
      s = ok(s, 'RMI_DATA_CREATE', rd, pa, MB2 + BigInt(k) * KB4, SRC, 0n);
    });
    const ipas = [0, 1, 255, 511].map((k) => Number(MB2) + k * 4096);
    const before = ipas.map((ipa) => translation(s, ipa));
    expect(before[3]).toBe(`${RttEntryState.ASSIGNED}/${Ripas.RAM}/${0x8040_0000 + 511 * 4096}`);
    const folded = ok(s, 'RMI_RTT_FOLD', rd, MB2, 3n);
    expect(ipas.map((ipa) => translation(folded, ipa))).toEqual(before);
    const again = ok(folded, 'RMI_RTT_CREATE', rd, POOL[1]!, MB2, 3n);
    expect(ipas.map((ipa) => translation(again, ipa))).toEqual(before);
    expect(rttViolations(again)).toEqual([]);
    expect(teardown(again).granules.size).toBe(0);
  });
});
