/**
 * What the generator knows about the machine and the model's state while it resolves abstract
 * steps: the granule pool it works in, the Host's parameter granules, bad addresses, the IPAs
 * it aims at, and the granules, Realms and RECs the model has now.
 *
 * @packageDocumentation
 */
import { catalogue, RmiRealmParams, RmiRecParams, RmiRecEnter, Gpt, granuleAddr, granuleAt, granuleIndex, GranuleState, type Platform, type Realm, type RmmState, type Step } from './deps.js';
import type { Limits } from '@realmspec/trace';
import type { Pick } from './ops.js';

/** The platform and limits a driver declared in its header: what the harness generates for. */
export interface Setting {
  /** The platform the implementation provides. */
  readonly platform: Platform;
  /** What the driver can express. */
  readonly limits: Limits;
}

/** Granules of the pool the Realm objects come from. */
export const POOL = 48;
/** Pool offsets of the Host's own granules (never delegated by a plain pick). */
export const HOST = { params: 48, recParams: 49, src: 50, src2: 51, run: 52, buffer: 53 } as const;

/** The pool: granule indexes, from the start of the first DRAM range. */
export function poolBase(p: Platform): number {
  const d = p.dram.find((r) => r.size >= 0x40000n) ?? p.dram[0];
  return d === undefined ? granuleIndex(0x8000_0000n) : granuleIndex(d.base);
}

/** PA of pool granule `n`. */
export function poolPa(p: Platform, n: number): bigint {
  return granuleAddr(poolBase(p) + n);
}

/** An RMI step calling `name` with X1.. = `args`. */
export function rmi(name: string, args: readonly bigint[]): Step {
  const command = catalogue.byName.get(name);
  if (command === undefined) throw new Error(`no command ${name}`);
  // Registers hold 64 bits: sums near the top of the range wrap, as they would in a register.
  return { kind: 'rmi', line: 0, command, fid: BigInt(command.fids[0] as number), args: args.map((a) => BigInt.asUintN(64, a)), expect: undefined, realm: undefined };
}

/** A Host write of structure `kind` at `pa`. */
export function writeStruct(pa: bigint, kind: 'realmParams' | 'recParams' | 'recEnter', fields: Record<string, bigint | bigint[]>): Step {
  // Each value is cut to its field's width, as the Host's store into the structure would cut it.
  const layout = LAYOUTS[kind];
  const cut: Record<string, bigint | bigint[]> = {};
  for (const [name, v] of Object.entries(fields)) {
    const f = layout.fields.find((x) => x.name === name);
    if (f === undefined) continue;
    const bits = f.bytes * 8;
    cut[name] = Array.isArray(v) ? v.slice(0, f.count ?? 1).map((x) => BigInt.asUintN(bits, x)) : BigInt.asUintN(bits, v);
  }
  return { kind: 'write', line: 0, pa: BigInt.asUintN(64, pa), payload: { kind, fields: cut }, expectFault: false, checked: false };
}

const LAYOUTS = { realmParams: RmiRealmParams, recParams: RmiRecParams, recEnter: RmiRecEnter } as const;

/** The addresses a bad pick yields, by `k`. */
export function badAddress(p: Platform, k: number, w: bigint): bigint {
  const d = p.dram[0];
  const end = d === undefined ? 0x1_0000_0000n : d.base + d.size;
  const gpt = p.gpt.find((g) => g.gpt !== Gpt.NS);
  const choices = [poolPa(p, k % POOL) + 0x800n, end, end + 0x1000_0000n, gpt?.base ?? end, w, poolPa(p, HOST.params), poolPa(p, k % POOL) + 8n, 0n];
  return choices[k % choices.length] as bigint;
}

const listsByState = new WeakMap<RmmState, ReadonlyMap<number, readonly number[]>>();

/** The granules of the pool by state, and those outside it that the model tracks (a bad pick may have delegated one). */
function granuleLists(s: RmmState): Map<number, number[]> {
  const m = new Map<number, number[]>();
  const add = (st: number, gi: number): void => {
    const list = m.get(st);
    if (list === undefined) m.set(st, [gi]);
    else list.push(gi);
  };
  const base = poolBase(s.platform);
  for (let n = 0; n < POOL; n++) add(granuleAt(s, base + n).state, base + n);
  if (s.granules.some((gi) => gi < base || gi >= base + POOL)) for (const [gi, g] of s.granules.entries()) if (gi < base || gi >= base + POOL) add(g.state, gi);
  return m;
}

/** The model's state as the resolver sees it, with the lists it asks for computed once. */
export class View {
  private byState: Map<number, number[]> | undefined;

  constructor(
    readonly s: RmmState,
    readonly setting: Setting,
  ) {}

  /** Pool granules (indexes) in granule state `st`, in address order. */
  inState(st: number): number[] {
    if (this.byState === undefined) {
      // Computed once per model state (an operation that fails leaves the state as it was), copied per view.
      let lists = listsByState.get(this.s);
      if (lists === undefined) {
        lists = granuleLists(this.s);
        listsByState.set(this.s, lists);
      }
      this.byState = new Map([...lists].map(([k, v]) => [k, [...v]]));
    }
    let list = this.byState.get(st);
    if (list === undefined) this.byState.set(st, (list = []));
    return list;
  }

  /**
   * Delegate steps that make at least `n` pool granules DELEGATED, for an operation that needs
   * them (a Realm needs an RD and an RTT): the View counts them as DELEGATED from then on.
   */
  ensureDelegated(n: number): Step[] {
    const delegated = this.inState(GranuleState.DELEGATED);
    const free = this.inState(GranuleState.UNDELEGATED);
    const steps: Step[] = [];
    const base = poolBase(this.s.platform);
    while (delegated.length < n) {
      const gi = free.find((g) => g >= base && g < base + POOL && granuleAt(this.s, g).gpt === Gpt.NS);
      if (gi === undefined) break;
      free.splice(free.indexOf(gi), 1);
      delegated.push(gi);
      delegated.sort((a, b) => a - b);
      steps.push(rmi('RMI_GRANULE_DELEGATE', [granuleAddr(gi)]));
    }
    return steps;
  }

  /** The Realms (RD granule index, record). */
  realms(): Array<readonly [number, Realm]> {
    return this.s.realms.entries();
  }

  /** Resolves a pick whose usual state is `usual`. */
  pick(p: Pick, usual: number, w = 0n): bigint {
    const states = [usual, GranuleState.DELEGATED, GranuleState.UNDELEGATED, GranuleState.RD, GranuleState.REC, GranuleState.RTT, GranuleState.DATA, GranuleState.REC_AUX];
    const platform = this.s.platform;
    if (p.m === 8) return poolPa(platform, p.k % POOL);
    if (p.m >= 9) return badAddress(platform, p.k, w);
    const list = this.inState(states[p.m] as number);
    if (list.length === 0) return poolPa(platform, p.k % POOL);
    return granuleAddr(list[p.k % list.length] as number);
  }

  /** The Realm an RD address names, or the first Realm there is. */
  realmFor(rd: bigint): Realm | undefined {
    return this.s.realms.get(granuleIndex(rd)) ?? this.realms()[0]?.[1];
  }
}
