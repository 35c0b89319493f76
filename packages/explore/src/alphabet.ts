/**
 * The action alphabet of a configuration and the initial state it explores from: every command
 * of the configuration with every combination of its input domains (valid and invalid values
 * alike), each Host-written structure in its own scratch granule of the initial state, and for
 * RMI_REC_ENTER every Realm environment alternative (RSI and PSCI calls, Protected and
 * Unprotected accesses, IRQ / FIQ and WFx exits).
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  catalogue,
  decodePlatform,
  encodeStruct,
  hostWrite,
  initialState,
  RmiRealmParams,
  RmiRecEnter,
  RmiRecParams,
  type Layout,
  type Platform,
  type RealmAction,
  type RmmState,
} from '@realmspec/core';
import { formatValidationErrors } from '@realmspec/core/internal';
import { POOL, type Config, type EnvStep, type InputDomain, type Payload, type Scalar, type ScalarDomain, type StructFields } from './config.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One Host step of the alphabet: an SMC, and for RMI_REC_ENTER what the Realm does once entered. */
export interface Action {
  /** Position in the alphabet (what paths store). */
  readonly index: number;
  /** The RMI command's name. */
  readonly command: string;
  /** How the step prints: `RMI_RTT_CREATE(rd=0x…, rtt=0x…, ipa=0x0, level=0x2)`. */
  readonly label: string;
  /** X0 (the FID), X1.. */
  readonly regs: readonly bigint[];
  /** RMI_REC_ENTER: the Realm's actions (an empty list: the REC exits at once due to IRQ). */
  readonly realm: readonly RealmAction[] | undefined;
  /** The same Realm actions as trace-v1 realm steps. */
  readonly realmSteps: ReadonlyArray<Readonly<Record<string, unknown>>> | undefined;
}

/** A Host write of the initial state (a scratch granule with a structure or data). */
export interface SetupWrite {
  /** Where. */
  readonly pa: bigint;
  /** What (a whole granule). */
  readonly bytes: Uint8Array;
}

/** Everything an exploration needs from a configuration. */
export interface Setup {
  /** The configuration. */
  readonly config: Config;
  /** The platform. */
  readonly platform: Platform;
  /** The state before any action: the platform's initial state with {@link Setup.writes} done. */
  readonly initial: RmmState;
  /** The scratch writes that make the initial state. */
  readonly writes: readonly SetupWrite[];
  /** The alphabet. */
  readonly actions: readonly Action[];
}

const hex = (v: bigint): string => '0x' + v.toString(16);

// -------------------------------------------------------------------------------------
// domains
// -------------------------------------------------------------------------------------

/** The cartesian product of `lists`, first list varying slowest. */
export function product<A>(lists: ReadonlyArray<readonly A[]>): A[][] {
  let out: A[][] = [[]];
  for (const l of lists) out = out.flatMap((prefix) => l.map((x) => [...prefix, x]));
  return out;
}

const LAYOUTS: Readonly<Record<string, Layout>> = { realmParams: RmiRealmParams, recParams: RmiRecParams, recEnter: RmiRecEnter };

class Builder {
  readonly problems: string[] = [];
  readonly writes: SetupWrite[] = [];
  private readonly byContent = new Map<string, bigint>();
  private next: bigint;
  private readonly poolAddrs: readonly bigint[];
  private readonly poolSet: ReadonlySet<number>;

  constructor(private readonly config: Config) {
    this.next = config.scratch & ~0xfffn;
    this.poolAddrs = config.pool.map((gi) => BigInt(gi) << 12n);
    this.poolSet = new Set(config.pool);
  }

  /** The values of a scalar: the pool's granules for `$pool`. */
  scalar(v: Scalar, where: string): bigint[] {
    if (v === POOL) return [...this.poolAddrs];
    // A pool granule named by value would break the symmetry the exploration relies on.
    if (this.config.symmetry && this.poolSet.has(Number(v >> 12n)) && v < 1n << 64n) this.problems.push(`${where}: names pool granule ${hex(v)} by value; with symmetry on, name pool granules only as "$pool"`);
    return [v];
  }

  scalarDomain(d: ScalarDomain, where: string): bigint[] {
    return (Array.isArray(d) ? d : [d]).flatMap((v) => this.scalar(v, where));
  }

  /** Every structure the fields describe, each written to its own scratch granule: their addresses. */
  payload(p: Payload, where: string): bigint[] {
    if ('bytes' in p) {
      const digits = p.bytes.replace(/^0[xX]/, '');
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits) || digits.length > 8192) {
        this.problems.push(`${where}.bytes: hex text of at most 4096 bytes`);
        return [];
      }
      const g = new Uint8Array(4096);
      g.set(Buffer.from(digits, 'hex'));
      return [this.place(g)];
    }
    const kind = Object.keys(p)[0] as keyof typeof LAYOUTS;
    const layout = LAYOUTS[kind] as Layout;
    const fields = (p as Record<string, StructFields>)[kind] as StructFields;
    const names: string[] = [];
    const alternatives: Array<Array<bigint | bigint[]>> = [];
    for (const [name, d] of Object.entries(fields)) {
      const f = layout.fields.find((x) => x.name === name);
      const at = `${where}.${kind}.${name}`;
      if (f === undefined) {
        this.problems.push(`${at}: not a field of ${layout.name}`);
        continue;
      }
      names.push(name);
      if ((f.count ?? 1) > 1) {
        if (!Array.isArray(d)) {
          this.problems.push(`${at}: an array field takes one domain per element`);
          continue;
        }
        alternatives.push(product((d as ScalarDomain[]).map((e, k) => this.scalarDomain(e, `${at}.${k}`))));
      } else {
        if (Array.isArray(d) && d.some((x) => Array.isArray(x))) {
          this.problems.push(`${at}: a scalar field takes a value or a list of values`);
          continue;
        }
        alternatives.push(this.scalarDomain(d as ScalarDomain, at));
      }
    }
    if (this.config.symmetry && kind === 'realmParams' && fields.rtt_num_start !== undefined && this.scalarDomain(fields.rtt_num_start as ScalarDomain, where).some((n) => n > 1n)) {
      this.problems.push(`${where}.realmParams.rtt_num_start: concatenated starting RTTs must be contiguous, which renaming granules does not keep; turn symmetry off`);
    }
    return product(alternatives).map((combo) => {
      const values: Record<string, bigint | bigint[]> = {};
      names.forEach((n, k) => (values[n] = combo[k] as bigint | bigint[]));
      return this.place(encodeStruct(layout, values));
    });
  }

  /** The scratch granule holding `bytes` (one per distinct content). */
  private place(bytes: Uint8Array): bigint {
    const key = Buffer.from(bytes).toString('base64');
    const known = this.byContent.get(key);
    if (known !== undefined) return known;
    const pa = this.next;
    this.next += 0x1000n;
    this.byContent.set(key, pa);
    this.writes.push({ pa, bytes });
    return pa;
  }

  input(d: InputDomain, where: string): bigint[] {
    return (Array.isArray(d) ? d : [d]).flatMap((x) => (typeof x === 'object' ? this.payload(x, where) : this.scalar(x, where)));
  }

  /** Every Realm action list an environment alternative stands for. */
  env(steps: readonly EnvStep[], where: string): Array<{ actions: RealmAction[]; trace: Array<Record<string, unknown>> }> {
    const perStep = steps.map((st, k): Array<{ action: RealmAction; trace: Record<string, unknown> }> => {
      const at = `${where}.${k}`;
      switch (st.op) {
        case 'rsi':
        case 'psci': {
          const fid = BigInt((catalogue.byName.get(st.cmd)?.fids[0] ?? 0) as number);
          return product((st.args ?? []).map((a, j) => this.scalarDomain(a, `${at}.args.${j}`))).map((args) => ({
            action: { kind: 'call', regs: [fid, ...args] },
            trace: { op: st.op, cmd: st.cmd, args: args.map(hex) },
          }));
        }
        case 'access': {
          const values = st.value === undefined ? [undefined] : this.scalarDomain(st.value, `${at}.value`);
          return product<bigint | undefined>([this.scalarDomain(st.ipa, `${at}.ipa`), values]).map(([ipa, value]) => ({
            action: { kind: 'access', ipa: ipa as bigint, access: st.kind, ...(value !== undefined ? { value } : {}) },
            trace: { op: 'access', ipa: hex(ipa as bigint), kind: st.kind, ...(value !== undefined ? { value: hex(value) } : {}) },
          }));
        }
        case 'exit':
          return [{ action: { kind: 'exit', reason: st.reason }, trace: { op: 'exit', reason: st.reason } }];
        case 'wfx':
          return [{ action: { kind: 'wfx', instr: st.instr }, trace: { op: 'wfx', instr: st.instr } }];
      }
    });
    return product(perStep).map((combo) => ({ actions: combo.map((c) => c.action), trace: combo.map((c) => c.trace) }));
  }
}

// -------------------------------------------------------------------------------------
// building
// -------------------------------------------------------------------------------------

/** The platform, initial state and alphabet of a configuration (errors name the field). */
export function buildSetup(config: Config): E.Either<string[], Setup> {
  const p = decodePlatform(config.platform);
  if (E.isLeft(p)) return E.left(formatValidationErrors(p.left).map((m) => `platform: ${m}`));
  const platform = p.right;
  const b = new Builder(config);
  const actions: Action[] = [];
  for (const c of config.commands) {
    const entry = catalogue.byName.get(c.name);
    if (entry === undefined) continue;
    const inputs = entry.spec.inputs;
    const domains = inputs.map((i) => {
      const d = c.inputs[i.name];
      return d === undefined ? [0n] : b.input(d, `commands.${c.name}.${i.name}`);
    });
    const fid = BigInt(entry.fids[0] as number);
    const envs = c.name === 'RMI_REC_ENTER' ? (c.realm ?? [[]]).flatMap((alt, k) => b.env(alt, `commands.${c.name}.realm.${k}`)) : [undefined];
    for (const args of product(domains)) {
      const regs: bigint[] = [fid];
      inputs.forEach((i, k) => (regs[Number(i.reg.slice(1))] = args[k] as bigint));
      for (let r = 0; r < regs.length; r++) regs[r] ??= 0n;
      const label = `${c.name}(${inputs.map((i, k) => `${i.name}=${hex(args[k] as bigint)}`).join(', ')})`;
      for (const env of envs) {
        actions.push({
          index: actions.length,
          command: c.name,
          label: env === undefined ? label : `${label} [${env.trace.map((x) => JSON.stringify(x)).join(' ') || 'irq'}]`,
          regs,
          realm: env?.actions,
          realmSteps: env?.trace,
        });
      }
    }
  }
  if (actions.length > 0xffff) b.problems.push(`commands: ${actions.length} actions; at most 65535`);
  if (b.problems.length > 0) return E.left(b.problems);
  let initial = initialState(platform);
  for (const w of b.writes) {
    const r = hostWrite(initial, w.pa, w.bytes);
    if (E.isLeft(r)) return E.left([`scratch: the Host cannot write 0x${w.pa.toString(16)} (granule protection fault)`]);
    initial = r.right;
  }
  return E.right({ config, platform, initial, writes: b.writes, actions });
}
