/**
 * Resolving Host operations against the model's state: granule picks become granules in the
 * state asked for, IPAs and levels follow the RTTs that exist (an RTT is created one level below
 * where the walk stops, DATA goes where a level 3 entry is UNASSIGNED, ...), parameters are
 * valid unless a choice breaks one of them. Each choice other than 0 aims at a failure row.
 *
 * @packageDocumentation
 */
import { decodeFeatures0, DEFAULT_GEOMETRY, granuleAddr, granuleIndex, GranuleState, metaState, RttEntryState, rttLevelSize, rttMeta, rttWalk, type Realm, type Step } from './deps.js';
import type { Op } from './ops.js';
import { call, enterSteps, enterWith, rangeTop, readyRecs, targetOf } from './realm.js';
import { IPAS, ipaOf, mpidrOf, protectedSize, U64 } from './addresses.js';
import { HOST, POOL, poolPa, rmi, View, writeStruct } from './world.js';

const { UNDELEGATED, DELEGATED, RD, REC } = GranuleState;

/** The level at which the walk to `ipa` stops (the start level when there is no Realm). */
function walkLevel(v: View, rd: bigint, ipa: bigint): number {
  const w = rttWalk(v.s, granuleIndex(rd), Number(ipa), 3);
  return w?.level ?? v.realmFor(rd)?.rttLevelStart ?? 1;
}

/** A level: choice 0 the smart one, 1..5 a fixed level −1..3, others out of range. */
function levelOf(choice: number, smart: number): bigint {
  if (choice === 0) return BigInt.asUintN(64, BigInt(smart));
  if (choice <= 5) return BigInt.asUintN(64, BigInt(choice - 2));
  return [4n, 5n, U64, 0x100000003n][choice % 4] as bigint;
}

const alignDown = (ipa: bigint, level: number): bigint => (level < -1 || level > 3 ? ipa : ipa - (ipa % BigInt(rttLevelSize(DEFAULT_GEOMETRY, level))));

/** The IPA of the first level 3 entry among the targets whose state satisfies `want` (from target k), or the k-th target. */
function findEntry(v: View, rd: bigint, k: number, want: (state: number) => boolean, unprotected = false): bigint {
  const r = v.realmFor(rd);
  for (let j = 0; j < IPAS.length; j++) {
    const ipa = ipaOf(r, 0, k + j, unprotected);
    const w = rttWalk(v.s, granuleIndex(rd), Number(ipa), 3);
    if (w !== undefined && w.level === 3 && want(metaState(rttMeta(w.table, w.index)))) return ipa;
  }
  return ipaOf(r, 0, k, unprotected);
}

/** RmiRealmParams geometries: [s2sz, rtt_level_start, rtt_num_start] (choice 0..4), given the platform's S2SZ. */
function geometry(choice: number, maxS2sz: number): readonly [number, number, number] {
  const g: ReadonlyArray<readonly [number, number, number]> = [
    [39, 1, 1],
    [40, 1, 2],
    [maxS2sz, maxS2sz > 48 ? -1 : 0, 1],
    [maxS2sz + 1, maxS2sz + 1 > 48 ? -1 : 0, 1],
    [32, 1, 1],
    [39, 2, 1],
  ];
  return g[choice % g.length] as readonly [number, number, number];
}


/** Whether pick `i` of `op` asks for the role's usual state. */
const usual = (op: Op, i: number): boolean => (op.p[i]?.m ?? 0) === 0;

function realmCreate(v: View, op: Op): Step[] {
  const p = v.s.platform;
  const [geo = 0, vmidChoice = 0, hash = 0, bad = 0, rttChoice = 0, bpsChoice = 0] = op.n;
  const pre = usual(op, 0) && usual(op, 1) ? v.ensureDelegated(2) : [];
  const rd = v.pick(op.p[0] ?? { m: 0, k: 0 }, DELEGATED);
  const delegated = v.inState(DELEGATED).filter((g) => granuleAddr(g) !== rd);
  const [s2sz, level, num] = geometry(geo, decodeFeatures0(p.features0).s2sz);
  // The starting RTTs: rtt_num_start delegated granules in a row, aligned to their number, when the model has them.
  const run = delegated.find((g) => g % num === 0 && Array.from({ length: num }, (_, i) => delegated.includes(g + i)).every(Boolean));
  const rtt = rttChoice === 0 && run !== undefined ? granuleAddr(run) : v.pick(op.p[1] ?? { m: 0, k: 0 }, DELEGATED, op.w[0] ?? 0n);
  const used = v.realms().map(([, r]) => BigInt(r.vmid));
  const vmids = [BigInt(op.p[0]?.k ?? 0) + 1n + BigInt(used.length), used[0] ?? 0n, p.vmid16 ? 0xffffn : 0xffn, p.vmid16 ? 0x10000n : 0x100n, 0n, 2n, 0xffn];
  const fields: Record<string, bigint> = {
    s2sz: BigInt(s2sz),
    num_bps: BigInt([1, 0, 63][bpsChoice % 3] as number),
    num_wps: 1n,
    hash_algo: BigInt([1, 0, 2][hash % 3] as number),
    vmid: (vmids[vmidChoice % vmids.length] as bigint) & 0xffffn,
    rtt_base: rtt,
    rtt_level_start: BigInt.asUintN(64, BigInt(level)),
    rtt_num_start: BigInt(num),
  };
  // A broken parameter, aimed at params_valid / params_supp and the RTT checks.
  const breakers: Array<() => void> = [
    () => undefined,
    () => (fields.flags = 1n << BigInt(1 + ((op.p[1]?.k ?? 0) % 60))),
    () => (fields.hash_algo = 2n + BigInt(bad)),
    () => (fields.rtt_level_start = fields.rtt_level_start === 0n ? 1n : 0n),
    () => (fields.rtt_num_start = BigInt(num + 1)),
    () => (fields.rtt_base = rtt + 0x800n),
    () => (fields.s2sz = 31n),
    () => (fields.pmu_num_ctrs = 31n),
  ];
  (breakers[bad % breakers.length] as () => void)();
  const params = poolPa(p, HOST.params);
  return [...pre, writeStruct(params, 'realmParams', fields), rmi('RMI_REALM_CREATE', [rd, (op.n[3] ?? 0) === 9 ? op.w[1] ?? params : params])];
}

function recCreate(v: View, op: Op): Step[] {
  const p = v.s.platform;
  const [runnable = 0, mpidrChoice = 0, auxChoice = 0, gprChoice = 0, paramsChoice = 0] = op.n;
  const pre = usual(op, 1) && usual(op, 2) ? v.ensureDelegated(1 + p.recAuxCount + (auxChoice % 3 === 1 ? 1 : 0)) : [];
  const rd = v.pick(op.p[0] ?? { m: 0, k: 0 }, RD);
  const rec = v.pick(op.p[1] ?? { m: 0, k: 0 }, DELEGATED);
  const realm = v.s.realms.get(granuleIndex(rd)) ?? v.realmFor(rd);
  const free = v.inState(DELEGATED).filter((g) => granuleAddr(g) !== rec);
  const count = p.recAuxCount + [0, 1, -1][auxChoice % 3]!;
  const ak = op.p[2]?.k ?? 0;
  const aux = Array.from({ length: Math.max(0, Math.min(16, count)) }, (_, i) => (op.p[2]?.m ?? 0) !== 0 && i === 0 ? v.pick(op.p[2] as { m: number; k: number }, DELEGATED) : free.length > i ? granuleAddr(free[(ak + i) % free.length] as number) : poolPa(p, (ak + i) % POOL));
  const index = realm?.recIndex ?? 0;
  const mpidr = [mpidrOf(index), mpidrOf(index + 1), mpidrOf(Math.max(0, index - 1)), 0xf0n, op.w[2] ?? 0n][mpidrChoice % 5] as bigint;
  const gprs = Array.from({ length: 8 }, (_, i) => (gprChoice === 0 ? BigInt(i + 1) * 0x1111n : (op.w[i % 3] ?? 0n) + BigInt(i)));
  const fields: Record<string, bigint | bigint[]> = { flags: runnable % 4 === 3 ? 0n : runnable % 4 === 2 ? 2n : 1n, mpidr, pc: ipaOfPc(realm, op.w[0] ?? 0n), gprs, num_aux: BigInt(Math.max(0, count)), aux };
  const params = paramsChoice % 8 === 7 ? v.pick({ m: 9, k: op.p[1]?.k ?? 0 }, DELEGATED) : poolPa(p, HOST.recParams);
  return [...pre, writeStruct(poolPa(p, HOST.recParams), 'recParams', fields), rmi('RMI_REC_CREATE', [rd, rec, params])];
}

const ipaOfPc = (r: Realm | undefined, w: bigint): bigint => (w % 4n === 0n ? 0n : (w & 0xfff0n) % protectedSize(r));

/** An RTT operation's (rd, ipa, level): `choices` are [ipa mode, target, level choice]. */
function rttArgs(v: View, op: Op, smartLevel: (walk: number, start: number) => number, alignLevel: (level: number) => number, unprotected = false): [bigint, bigint, bigint] {
  const [mode = 0, k = 0, lv = 0] = op.n;
  const rd = v.pick(op.p[0] ?? { m: 0, k: 0 }, RD);
  const realm = v.realmFor(rd);
  const raw = ipaOf(realm, mode, k, unprotected);
  const smart = smartLevel(walkLevel(v, rd, raw), realm?.rttLevelStart ?? 1);
  const level = levelOf(lv, smart);
  const ipa = mode % 3 === 2 ? raw : alignDown(raw, alignLevel(Number(BigInt.asIntN(64, level))));
  return [rd, ipa, level];
}

/** Resolves one Host operation into the trace steps it stands for. */
export function resolveHost(v: View, op: Op): Step[] {
  const p = v.s.platform;
  const pk = (i: number, usual: number): bigint => v.pick(op.p[i] ?? { m: 0, k: 0 }, usual, op.w[0] ?? 0n);
  switch (op.t) {
    case 'delegate':
      return [rmi('RMI_GRANULE_DELEGATE', [pk(0, UNDELEGATED)])];
    case 'undelegate': {
      // Read the granule back: what the Host sees of a granule it got back (gran_content).
      const pa = pk(0, DELEGATED);
      return (op.n[0] ?? 0) === 0 ? [rmi('RMI_GRANULE_UNDELEGATE', [pa]), { kind: 'read', line: 0, pa: pa & ~7n, len: 16, expect: undefined }] : [rmi('RMI_GRANULE_UNDELEGATE', [pa])];
    }
    case 'realmCreate':
      return realmCreate(v, op);
    case 'realmActivate':
      return [rmi('RMI_REALM_ACTIVATE', [pk(0, RD)])];
    case 'realmDestroy':
      return [rmi('RMI_REALM_DESTROY', [pk(0, RD)])];
    case 'recAuxCount':
      return [rmi('RMI_REC_AUX_COUNT', [pk(0, RD)])];
    case 'recCreate':
      return recCreate(v, op);
    case 'recDestroy':
      return [rmi('RMI_REC_DESTROY', [pk(0, REC)])];
    case 'rttCreate': {
      const pre = usual(op, 1) ? v.ensureDelegated(1) : [];
      const rtt = pk(1, DELEGATED);
      const [rd, ipa, level] = rttArgs(v, { ...op, p: [op.p[0] ?? { m: 0, k: 0 }] }, (w) => Math.min(3, w + 1), (l) => l - 1, (op.p[1]?.k ?? 0) % 4 === 3);
      return [...pre, rmi('RMI_RTT_CREATE', [rd, rtt, ipa, level])];
    }
    case 'rttDestroy':
    case 'rttFold': {
      const [rd, ipa, level] = rttArgs(v, op, (w, start) => Math.max(start + 1, w), (l) => l - 1, (op.p[0]?.k ?? 0) % 4 === 3);
      return [rmi(op.t === 'rttDestroy' ? 'RMI_RTT_DESTROY' : 'RMI_RTT_FOLD', [rd, ipa, level])];
    }
    case 'rttReadEntry': {
      const [rd, ipa, level] = rttArgs(v, op, () => 3, (l) => l, (op.p[0]?.k ?? 0) % 2 === 1);
      return [rmi('RMI_RTT_READ_ENTRY', [rd, ipa, level])];
    }
    case 'mapUnprotected': {
      const [rd, ipa, level] = rttArgs(v, op, (w) => Math.max(2, w), (l) => l, true);
      const lvl = Number(BigInt.asIntN(64, level));
      const pa = lvl === 2 ? poolPa(p, 0) - (poolPa(p, 0) % 0x200000n) : poolPa(p, HOST.buffer + ((op.p[1]?.k ?? 0) % 4));
      const attrs = [0xd8n, 0x44n, 0xc0n, 0x1cn, 0x3n, 0x100n, 0x20n][(op.n[3] ?? 0) % 7] as bigint;
      return [rmi('RMI_RTT_MAP_UNPROTECTED', [rd, ipa, level, (op.p[1]?.m ?? 0) >= 9 ? pk(1, DELEGATED) : pa | attrs])];
    }
    case 'unmapUnprotected': {
      const [rd, ipa, level] = rttArgs(v, op, (w) => w, (l) => l, true);
      return [rmi('RMI_RTT_UNMAP_UNPROTECTED', [rd, ipa, level])];
    }
    case 'dataCreate':
    case 'dataCreateUnknown': {
      const pre = usual(op, 1) ? v.ensureDelegated(1) : [];
      const rd = pk(0, RD);
      const data = pk(1, DELEGATED);
      const [mode = 0, k = 0] = op.n;
      const ipa = mode === 0 ? findEntry(v, rd, k, (st) => st === RttEntryState.UNASSIGNED) : ipaOf(v.realmFor(rd), mode, k);
      if (op.t === 'dataCreateUnknown') return [...pre, rmi('RMI_DATA_CREATE_UNKNOWN', [rd, data, ipa])];
      const src = (op.p[2]?.m ?? 0) === 0 ? poolPa(p, (op.p[2]?.k ?? 0) % 2 === 0 ? HOST.src : HOST.src2) : pk(2, DELEGATED);
      const flags = [1n, 0n, 2n, 0x100n][(op.n[2] ?? 0) % 4] as bigint;
      return [...pre, rmi('RMI_DATA_CREATE', [rd, data, ipa, src, flags])];
    }
    case 'dataDestroy': {
      const rd = pk(0, RD);
      const [mode = 0, k = 0] = op.n;
      const ipa = mode === 0 ? findEntry(v, rd, k, (st) => st === RttEntryState.ASSIGNED) : ipaOf(v.realmFor(rd), mode, k);
      return [rmi('RMI_DATA_DESTROY', [rd, ipa])];
    }
    case 'initRipas': {
      const rd = pk(0, RD);
      const [mode = 0, k = 0, span = 0, odd = 0] = op.n;
      // Span 1: the last two entries of the RTT the walk to base stops in, and one beyond it (walk_top, out_top).
      const cross = span % 6 === 1 ? acrossTableEnd(v, rd, ipaOf(v.realmFor(rd), mode, k)) : undefined;
      const base = cross?.[0] ?? ipaOf(v.realmFor(rd), mode, k);
      const top = (cross?.[1] ?? base + BigInt([1, 0, 16, 512, 1024, 3][span % 6] as number) * 0x1000n) + (odd % 5 === 4 ? 0x800n : 0n);
      return [rmi('RMI_RTT_INIT_RIPAS', [rd, base, top])];
    }
    case 'setRipas':
      return setRipas(v, op);
    case 'enter':
      return enterSteps(v, op);
    case 'psciComplete':
      return psciComplete(v, op);
    case 'features':
      return [rmi('RMI_FEATURES', [(op.n[0] ?? 0) === 0 ? 0n : (op.w[0] ?? 1n)])];
    case 'version':
      return [rmi('RMI_VERSION', [(op.n[0] ?? 0) === 0 ? 0x10000n : (op.w[0] ?? 0n)])];
    case 'hostWrite': {
      const pa = (op.p[0]?.m ?? 0) === 0 ? poolPa(p, HOST.src + ((op.p[0]?.k ?? 0) % 4)) : pk(0, DELEGATED);
      // Content the Realm can tell apart: a fixed pattern when every word is 0 (an RsiHostCall imm above 8 bits, gprs).
      const words = op.w.every((x) => x === 0n) ? op.w.map((_x, i) => 0x1234_5678_9abc_def0n + BigInt(i) * 0x1111n) : op.w;
      const bytes = new Uint8Array(8 * words.length);
      words.forEach((x, i) => new DataView(bytes.buffer).setBigUint64(8 * i, x, true));
      return [{ kind: 'write', line: 0, pa: pa & ~7n, payload: { kind: 'bytes', bytes }, expectFault: false, checked: false }];
    }
    case 'hostRead': {
      const pa = (op.p[0]?.m ?? 0) === 0 ? poolPa(p, (op.p[0]?.k ?? 0) % POOL) : pk(0, DELEGATED);
      const len = Math.min(v.setting.limits.readMax ?? 64, [16, 64, 8][(op.n[0] ?? 0) % 3] as number);
      return [{ kind: 'read', line: 0, pa: pa & ~7n, len, expect: undefined }];
    }
    case 'garbage': {
      const rmis = ['RMI_GRANULE_DELEGATE', 'RMI_REALM_CREATE', 'RMI_REC_CREATE', 'RMI_RTT_CREATE', 'RMI_DATA_CREATE', 'RMI_RTT_MAP_UNPROTECTED', 'RMI_RTT_READ_ENTRY', 'RMI_RTT_INIT_RIPAS', 'RMI_RTT_SET_RIPAS', 'RMI_REC_ENTER', 'RMI_PSCI_COMPLETE', 'RMI_FEATURES'];
      const name = rmis[(op.n[0] ?? 0) % rmis.length] as string;
      return [rmi(name, op.w.slice(0, 6))];
    }
  }
}

/** The entries of `[base, top)`: the last two of the RTT the walk to `ipa` stops in and the first beyond it, aligned to its level. */
function acrossTableEnd(v: View, rd: bigint, ipa: bigint): [bigint, bigint] {
  const g = v.s.platform.geometry;
  const level = walkLevel(v, rd, ipa);
  if (level < 1 || level > 3) return [ipa, ipa + 0x1000n];
  const entry = BigInt(rttLevelSize(g, level));
  const table = BigInt(rttLevelSize(g, level - 1));
  const end = ipa - (ipa % table) + table;
  return [end - 2n * entry, end + entry];
}

/**
 * RMI_RTT_SET_RIPAS for the REC with a pending RIPAS change, unless a choice says otherwise. The
 * call continues a change a Realm asked for (DEN0137 B4.3.21): with none pending, a REC that can
 * run asks for one first (RSI_IPA_STATE_SET in an entry), plainly over a range across the end of
 * the RTT that holds its base, where the call stops (out_top < top).
 */
function setRipas(v: View, op: Op): Step[] {
  const [mode = 0, k = 0, span = 0, value = 0] = op.n;
  const usualRec = (op.p[1]?.m ?? 0) === 0;
  const pending = v.s.recs.entries().filter(([, r]) => r.ripasAddr < r.ripasTop).map(([gi]) => gi);
  const ready = readyRecs(v);
  const ask = usualRec && pending.length === 0 && ready.length > 0 ? (ready[(op.p[1]?.k ?? 0) % ready.length] as number) : undefined;
  const asker = ask === undefined ? undefined : v.s.recs.get(ask);
  const askBase = ipaOf(asker === undefined ? undefined : v.s.realms.get(asker.owner), 0, k);
  const request: readonly [bigint, bigint] | undefined = asker === undefined ? undefined : [askBase, rangeTop(v.s.platform.geometry, askBase, span === 0 ? 1 : span)];
  const pre = ask !== undefined && request !== undefined ? [enterWith(v, ask, [call('rsi', 'RSI_IPA_STATE_SET', [request[0], request[1], BigInt(1 - (value % 2)), 0n])])] : [];
  const recGi = ask ?? (usualRec && pending.length > 0 ? (pending[(op.p[1]?.k ?? 0) % pending.length] as number) : granuleIndex(v.pick(op.p[1] ?? { m: 0, k: 0 }, REC, op.w[0] ?? 0n)));
  const r = v.s.recs.get(recGi);
  const rd = (op.p[0]?.m ?? 0) === 0 && r !== undefined ? granuleAddr(r.owner) : v.pick(op.p[0] ?? { m: 0, k: 0 }, RD, op.w[0] ?? 0n);
  // The pending range (the one just asked for, or the REC's), unless choices move base or top.
  const [ripasAddr, ripasTop] = request ?? [r?.ripasAddr, r?.ripasTop];
  const base = mode === 0 && ripasAddr !== undefined ? ripasAddr : ipaOf(v.realmFor(rd), mode, k);
  const top = mode === 0 && ripasTop !== undefined && (span === 0 || request !== undefined) ? ripasTop : base + BigInt(1 + (span % 16)) * 0x1000n;
  return [...pre, rmi('RMI_RTT_SET_RIPAS', [rd, granuleAddr(recGi), base, top])];
}

/**
 * RMI_PSCI_COMPLETE for the REC with a pending PSCI request, unless a choice says otherwise; with
 * none pending, a REC that can run makes one first (PSCI_CPU_ON or PSCI_AFFINITY_INFO of another
 * REC of its Realm, DEN0137 B4.3.7), and the status is aimed at the rows of PsciReturnCodePermitted.
 */
function psciComplete(v: View, op: Op): Step[] {
  const [st = 0, kind = 0] = op.n;
  const status = [0n, BigInt.asUintN(64, -3n), BigInt.asUintN(64, -4n), BigInt.asUintN(64, -2n), 7n][st % 5] as bigint;
  const k = op.p[0]?.k ?? 0;
  const pending = v.s.recs.entries().filter(([, r]) => r.psciPending).map(([gi]) => gi);
  const ready = readyRecs(v);
  if ((op.p[0]?.m ?? 0) === 0 && pending.length === 0 && ready.length > 0) {
    const caller = ready[k % ready.length] as number;
    const c = v.s.recs.get(caller);
    const others = v.s.recs.entries().filter(([gi, r]) => r.owner === c?.owner && gi !== caller);
    const [tgi, target] = others[(op.p[1]?.k ?? 0) % Math.max(1, others.length)] ?? [caller, c];
    const mpidr = target?.mpidr ?? 0n;
    const ask = kind % 2 === 0 ? call('psci', 'PSCI_CPU_ON', [mpidr, 0x1000n, 0n]) : call('psci', 'PSCI_AFFINITY_INFO', [mpidr, 0n]);
    const targetPa = (op.p[1]?.m ?? 0) === 0 ? granuleAddr(tgi) : v.pick(op.p[1] as { m: number; k: number }, REC);
    return [enterWith(v, caller, [ask]), rmi('RMI_PSCI_COMPLETE', [granuleAddr(caller), targetPa, status])];
  }
  const caller = (op.p[0]?.m ?? 0) === 0 && pending.length > 0 ? granuleAddr(pending[k % pending.length] as number) : v.pick(op.p[0] ?? { m: 0, k: 0 }, REC, op.w[0] ?? 0n);
  const c = v.s.recs.get(granuleIndex(caller));
  const target = (op.p[1]?.m ?? 0) === 0 && c !== undefined ? targetOf(v, granuleIndex(caller)) ?? v.pick(op.p[1] ?? { m: 0, k: 0 }, REC) : v.pick(op.p[1] ?? { m: 0, k: 0 }, REC);
  return [rmi('RMI_PSCI_COMPLETE', [caller, target, status])];
}
