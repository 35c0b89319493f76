/**
 * Resolving RMI_REC_ENTER and the Realm's steps: the REC to enter (a runnable REC of an active
 * Realm unless a choice says otherwise), the run granule, and RSI and PSCI calls whose arguments
 * aim at the Realm's IPAs, its RECs' MPIDRs and the boundaries of each call's checks.
 *
 * @packageDocumentation
 */
import { catalogue, granuleAddr, granuleIndex, GranuleState, RealmState, rttLevelSize, type Geometry, type RealmAction, type RealmCall, type Realm, type Step } from './deps.js';
import { PSCI_CALLS, RSI_CALLS, type Op, type RealmOp } from './ops.js';
import { ipaOf, mpidrOf } from './addresses.js';
import { HOST, poolPa, rmi, View, writeStruct } from './world.js';

const PAGE = 0x1000n;

/**
 * The top of a range from `base`: choice `d` % 4 = 1 a top two granules beyond the end of the
 * level 3 RTT that holds `base` (a range an RTT walk stops in: the out_top and RIPAS rows of
 * DEN0137 B4.3.18, B4.3.21, B5.3.5), else 1..16 granules.
 */
export function rangeTop(g: Geometry, base: bigint, d: number): bigint {
  if (d % 4 !== 1) return base + BigInt(1 + (d % 16)) * PAGE;
  const table = BigInt(rttLevelSize(g, 2));
  return base - (base % table) + table + 2n * PAGE;
}

/** A call of `name` (SMC64 unless `smc32`) with X1.. = `args`. */
export function call(op: 'rsi' | 'psci', name: string, args: readonly bigint[], smc32 = false): RealmCall {
  const command = catalogue.byName.get(name);
  if (command === undefined) throw new Error(`no command ${name}`);
  const fids = command.fids.map(BigInt);
  const fid = smc32 ? (fids.find((f) => (f & 0x4000_0000n) === 0n) ?? (fids[0] as bigint)) : (fids.find((f) => (f & 0x4000_0000n) !== 0n) ?? (fids[0] as bigint));
  return { kind: 'call', op, command, fid, args: args.map((a) => BigInt.asUintN(64, a)), expect: undefined };
}

function rsiCall(g: Geometry, r: Realm | undefined, o: RealmOp): RealmCall {
  const [c = 0, a = 0, b = 0, d = 0, e = 0] = o.n;
  const w = (i: number): bigint => o.w[i] ?? 0n;
  const name = RSI_CALLS[c % RSI_CALLS.length] as string;
  const ipa = ipaOf(r, a, b);
  switch (name) {
    case 'RSI_MEASUREMENT_READ':
      // Boundaries first: the first index beyond the REMs, the last REM.
      return call('rsi', name, [[0n, 5n, 4n, 1n, 2n, 3n, 6n][a % 7] as bigint]);
    case 'RSI_MEASUREMENT_EXTEND':
      return call('rsi', name, [BigInt([1, 5, 4, 0, 2, 3][a % 6] as number), [8n, 65n, 64n, 0n, 1n, 32n, w(0)][b % 7] as bigint, ...o.w]);
    case 'RSI_IPA_STATE_GET':
      return call('rsi', name, [ipa, rangeTop(g, ipa, d)]);
    case 'RSI_IPA_STATE_SET':
      return call('rsi', name, [ipa, rangeTop(g, ipa, d), [1n, 0n, 2n, w(0)][e % 4] as bigint, [0n, 1n, 2n][(e >> 2) % 3] as bigint]);
    case 'RSI_HOST_CALL':
      return call('rsi', name, [ipa + (d % 3 === 2 ? 0x80n : 0n)]);
    case 'RSI_VERSION':
      return call('rsi', name, [a === 0 ? 0x10000n : w(0)]);
    case 'RSI_FEATURES':
      return call('rsi', name, [a === 0 ? 0n : w(0)]);
    case 'RSI_REALM_CONFIG':
      return call('rsi', name, [ipa]);
    case 'RSI_ATTESTATION_TOKEN_INIT':
      // Mostly one of three fixed challenges: a token is signed per distinct set of claims (ECDSA
      // P-384, the largest cost of a run), and the model caches equal claims; one call in four
      // takes the drawn words.
      return call('rsi', name, a % 4 === 3 ? o.w.slice(0, 8) : Array.from({ length: 8 }, (_, k) => (a % 4 === 0 ? 0n : BigInt(a % 4) * 0x0101_0101_0101_0101n + BigInt(k))));
    default:
      return call('rsi', name, [ipa, 0n, 0x1000n]);
  }
}

function psciCall(r: Realm | undefined, o: RealmOp): RealmCall {
  const [c = 0, a = 0, b = 0, d = 0] = o.n;
  const w = (i: number): bigint => o.w[i] ?? 0n;
  const name = PSCI_CALLS[c % PSCI_CALLS.length] as string;
  const smc32 = a >= 4;
  const high = (x: bigint): bigint => (smc32 ? x | (w(2) & 0xffff_ffff_0000_0000n) : x);
  // Another REC of the Realm first (index 1 from REC 0), then itself, then one beyond the last.
  const target = mpidrOf((a + 1) % Math.max(1, (r?.recIndex ?? 1) + 1));
  switch (name) {
    case 'PSCI_FEATURES':
      return call('psci', name, [[0xc400_0003n, 0x8400_0000n, 0xc400_0190n, w(0)][a % 4] as bigint]);
    case 'PSCI_CPU_ON':
      return call('psci', name, [high(target), high(ipaOf(r, b, d)), high(w(0))], smc32);
    case 'PSCI_AFFINITY_INFO':
      return call('psci', name, [high(target), BigInt(b % 2)], smc32);
    case 'PSCI_CPU_SUSPEND':
      return call('psci', name, [w(0), ipaOf(r, b, d), w(1)], smc32);
    default:
      return call('psci', name, []);
  }
}

function realmAction(v: View, r: Realm | undefined, o: RealmOp, argsMax: number): RealmAction {
  switch (o.t) {
    case 'rsi':
    case 'psci': {
      const c = o.t === 'rsi' ? rsiCall(v.s.platform.geometry, r, o) : psciCall(r, o);
      return c.args.length > argsMax ? { ...c, args: c.args.slice(0, argsMax) } : c;
    }
    case 'access': {
      const [mode = 0, k = 0, kind = 0, size = 0, reg = 0] = o.n;
      const sz = ([8, 4, 1, 2] as const)[size % 4] as 1 | 2 | 4 | 8;
      // A write first: its exit carries the register it stores (a read's carries none).
      return { kind: 'access', ipa: ipaOf(r, mode, k, true), access: (['write', 'read', 'exec'] as const)[kind % 3] as 'read' | 'write' | 'exec', size: sz, reg: reg % 4, ...(size >= 4 ? { value: o.w[0] ?? 0n } : {}), ...(reg >= 8 ? { isv: false } : {}) };
    }
    case 'exit': {
      const exits = v.setting.limits.realmExits ?? ['irq', 'fiq'];
      return { kind: 'exit', reason: exits[(o.n[0] ?? 0) % exits.length] ?? 'irq' };
    }
  }
}

/** The RECs (granule indexes) RMI_REC_ENTER can run: RUNNABLE, of an active Realm, with no PSCI request pending (DEN0137 B4.3.12). */
export function readyRecs(v: View): number[] {
  return v.s.recs
    .entries()
    .filter(([, r]) => r.runnable && !r.psciPending && v.s.realms.get(r.owner)?.state === RealmState.REALM_ACTIVE)
    .map(([gi]) => gi);
}

/** The RECs (granule indexes) of active Realms that are RUNNABLE but wait for the Host to complete a PSCI request. */
function waitingRecs(v: View): number[] {
  return v.s.recs
    .entries()
    .filter(([, r]) => r.runnable && r.psciPending && v.s.realms.get(r.owner)?.state === RealmState.REALM_ACTIVE)
    .map(([gi]) => gi);
}

/** The REC a pending PSCI request of the REC at granule `caller` names (its gprs[1], an MPIDR, in its Realm), if any. */
export function targetOf(v: View, caller: number): bigint | undefined {
  const c = v.s.recs.get(caller);
  if (c === undefined) return undefined;
  for (const [gi, r] of v.s.recs.entries()) if (r.owner === c.owner && r.mpidr === ((c.gprs[1] ?? 0n) & 0xff_ffff_ffffn)) return granuleAddr(gi);
  return undefined;
}

/** RMI_REC_ENTER of the REC at granule `rec` with the Host's run granule, running `realm`. */
export function enterWith(v: View, rec: number, realm: readonly RealmAction[]): Step {
  return { ...(rmi('RMI_REC_ENTER', [granuleAddr(rec), poolPa(v.s.platform, HOST.run)]) as Extract<Step, { kind: 'rmi' }>), realm };
}

/** RMI_REC_ENTER, with an RmiRecEnter written first when a choice says so. */
export function enterSteps(v: View, op: Op): Step[] {
  const p = v.s.platform;
  const [runChoice = 0, enterChoice = 0, flags = 0] = op.n;
  const pk = op.p[0] ?? { m: 0, k: 0 };
  const ready = readyRecs(v);
  // A VMM completes a REC's pending PSCI request before it enters the REC again (DEN0137 B4.3.7):
  // with no REC ready, a REC that waits for one is completed first (PSCI_SUCCESS).
  const waiting = pk.m === 0 && ready.length === 0 ? waitingRecs(v) : [];
  const complete = waiting.length > 0 ? (waiting[pk.k % waiting.length] as number) : undefined;
  const pre = complete === undefined ? [] : [rmi('RMI_PSCI_COMPLETE', [granuleAddr(complete), targetOf(v, complete) ?? granuleAddr(complete), 0n])];
  const rec = pk.m === 0 && ready.length > 0 ? granuleAddr(ready[pk.k % ready.length] as number) : complete !== undefined ? granuleAddr(complete) : v.pick(pk, GranuleState.REC);
  const realm = v.s.realms.get(v.s.recs.get(granuleIndex(rec))?.owner ?? -1);
  const run = runChoice % 8 === 7 ? v.pick({ m: 9, k: pk.k }, GranuleState.DELEGATED) : runChoice % 8 === 6 ? v.pick({ m: 1, k: pk.k }, GranuleState.DELEGATED) : poolPa(p, HOST.run);
  const argsMax = v.setting.limits.realmArgs ?? 16;
  const realmSteps = (op.realm ?? []).map((o) => realmAction(v, realm, o, argsMax));
  const enter = { ...rmi('RMI_REC_ENTER', [rec, run]), realm: realmSteps };
  if (enterChoice % 3 !== 1) return [...pre, enter];
  const fields = { flags: BigInt(flags % 32), gprs: [op.w[0] ?? 0n, op.w[1] ?? 0n] };
  return [...pre, writeStruct(poolPa(p, HOST.run), 'recEnter', fields), enter];
}
