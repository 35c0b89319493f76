/**
 * The actions of the security properties as fast-check model-based commands: Host SMCs, many of
 * them hostile (delegating, undelegating, mapping or destroying granules that are not the Host's
 * to give), Host reads and writes of any granule, and Realm programs of Protected and Unprotected
 * accesses and RSI calls. Each command checks what it alone can see; every command then checks
 * the world's properties.
 */
import { expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import * as fc from 'fast-check';
import { catalogue, granuleIndex, type RealmAction } from '@realmspec/core';
import * as _ from '../../src/index.js';
import { ok } from '../support.js';
import { PUBLIC, SECRET, WORLD, checkRun, checkWorld, hostMay, observe, observeRealm, type Model, type Real } from './world.js';

const hex = (v: bigint): string => '0x' + v.toString(16);
const fid = (name: string): bigint => BigInt(catalogue.byName.get(name)?.fids[0] ?? 0);

/** A command: runs on the machine, updates the model, checks the properties. */
abstract class Step implements fc.Command<Model, Real> {
  check(): boolean {
    return true;
  }
  abstract act(model: Model, real: Real): void;
  run(model: Model, real: Real): void {
    this.act(model, real);
    checkWorld(model, real.m);
  }
  abstract toString(): string;
}

/** A raw Host SMC: any RMI command with any arguments. */
class Smc extends Step {
  constructor(readonly regs: readonly bigint[]) {
    super();
  }
  act(model: Model, real: Real): void {
    const [m, o] = ok(_.hostSmc(real.m, { regs: this.regs }));
    expect(o.divergences).toEqual([]);
    observe(model, o.steps);
    real.m = m;
  }
  toString(): string {
    const name = catalogue.commands.find((c) => c.fids.includes(Number(this.regs[0])))?.name ?? hex(this.regs[0] ?? 0n);
    return `${name}(${this.regs.slice(1).map(hex).join(', ')})`;
  }
}

/** The Host reads its memory, or tries to read someone else's: refused exactly where the GPT says. */
class Read extends Step {
  constructor(readonly pa: bigint, readonly len: number) {
    super();
  }
  act(model: Model, real: Real): void {
    const first = granuleIndex(this.pa);
    const last = granuleIndex(this.pa + BigInt(this.len) - 1n);
    const allowed = [first, last].every((g) => hostMay(real.m, g) && !model.delegated.has(g));
    const r = _.hostRead(real.m, this.pa, this.len);
    expect(E.isRight(r)).toBe(allowed);
    if (E.isLeft(r)) expect(r.left.kind).toBe('memory');
  }
  toString(): string {
    return `hostRead(${hex(this.pa)}, ${this.len})`;
  }
}

/** The Host writes: refused exactly where the GPT says, and then nothing is written. */
class Write extends Step {
  constructor(readonly pa: bigint, readonly bytes: Uint8Array) {
    super();
  }
  act(model: Model, real: Real): void {
    const gs = [granuleIndex(this.pa), granuleIndex(this.pa + BigInt(this.bytes.length) - 1n)];
    const allowed = gs.every((g) => hostMay(real.m, g) && !model.delegated.has(g));
    const r = _.hostWrite(real.m, this.pa, this.bytes);
    expect(E.isRight(r)).toBe(allowed);
    if (E.isLeft(r)) return;
    real.m = r.right[0];
    for (let i = 0; i < this.bytes.length; i++) {
      const a = this.pa + BigInt(i);
      const page = model.shadow.get(granuleIndex(a));
      if (page !== undefined) page[Number(a & 0xfffn)] = this.bytes[i] as number;
    }
  }
  toString(): string {
    return `hostWrite(${hex(this.pa)}, ${this.bytes.length} bytes)`;
  }
}

/** A Realm program on one REC, on one CPU. */
class Run extends Step {
  constructor(readonly realm: number, readonly cpu: number, readonly script: readonly RealmAction[]) {
    super();
  }
  act(model: Model, real: Real): void {
    const rd = WORLD.realms[this.realm]?.rd ?? 0n;
    const r = _.runRealm(real.m, { rd, cpu: this.cpu, script: this.script, maxEntries: 40 });
    // A run the Host's own calls cannot complete (its Realm was torn down under it) is an error, and changes nothing.
    if (E.isLeft(r)) return;
    const [m, report] = r.right;
    checkRun(rd, report);
    observe(model, report.steps);
    observeRealm(model, report.runs);
    real.m = m;
  }
  toString(): string {
    return `runRealm(${this.realm}, cpu ${this.cpu}, [${this.script.map(_.describeAction).join('; ')}])`;
  }
}

// -------------------------------------------------------------------------------------
// arbitraries
// -------------------------------------------------------------------------------------

const pa = fc.constantFrom(...WORLD.pool);
const realm = fc.integer({ min: 0, max: WORLD.realms.length - 1 });
const page = fc.integer({ min: 0, max: 15 });
const word = fc.integer({ min: 0, max: 511 }).map((w) => BigInt(w * 8));
const ram = (r: number, p: number): bigint => WORLD.realms[r]?.ram[p] ?? 0n;
const unprot = (r: number, p: number): bigint => WORLD.realms[r]?.unprotected[p] ?? 0n;
const rdOf = (r: number): bigint => WORLD.realms[r]?.rd ?? 0n;
const counter = fc.integer({ min: 1, max: 0xffff }).map(BigInt);

/** A Realm action of Realm `r`. */
function realmAction(r: number): fc.Arbitrary<RealmAction> {
  return fc.oneof(
    fc.tuple(page, word, counter).map(([p, w, n]): RealmAction => ({ kind: 'access', ipa: ram(r, p) + w, access: 'write', value: SECRET | n, reg: 20 })),
    fc.tuple(page, word).map(([p, w]): RealmAction => _.load(ram(r, p) + w, 21)),
    fc.tuple(page, word, counter, fc.boolean()).map(([p, w, n, isv]): RealmAction => ({ kind: 'access', ipa: unprot(r, p) + w, access: 'write', value: PUBLIC | n, reg: 22, isv })),
    fc.tuple(page, word).map(([p, w]): RealmAction => _.load(unprot(r, p) + w, 23)),
    fc.tuple(page, fc.constantFrom(0n, 1n)).map(([p, v]) => _.rsi.ipaStateSet(ram(r, p), ram(r, p) + 0x1000n, v)),
    page.map((p): RealmAction => ({ kind: 'access', ipa: ram(r, p), access: 'exec' })),
    fc.constantFrom(_.rsi.version(), _.rsi.measurementRead(0n), _.rsi.ipaStateGet(ram(r, 0), ram(r, 15) + 0x1000n)),
  );
}

const RMI = catalogue.commands.filter((c) => c.iface === 'RMI').map((c) => BigInt(c.fids[0] as number));
const arg = fc.oneof(pa, realm.map(rdOf), fc.tuple(realm, page).map(([r, p]) => ram(r, p)), fc.tuple(realm, page).map(([r, p]) => unprot(r, p)), fc.constantFrom(0n, 1n, 2n, 3n, 0xffffn));

/** Every command of the security properties, with hostile Host actions weighted up. */
export const commands: Array<fc.Arbitrary<fc.Command<Model, Real>>> = [
  pa.map((p) => new Smc([fid('RMI_GRANULE_DELEGATE'), p])),
  pa.map((p) => new Smc([fid('RMI_GRANULE_UNDELEGATE'), p])),
  fc.tuple(pa, fc.integer({ min: 0, max: 4095 }), fc.integer({ min: 1, max: 64 })).map(([p, off, len]) => new Read(p + BigInt(off), len)),
  fc.tuple(pa, fc.integer({ min: 0, max: 4095 }), fc.uint8Array({ minLength: 1, maxLength: 32, max: 0x7f })).map(([p, off, b]) => new Write(p + BigInt(off), b)),
  fc.tuple(realm, page, pa).map(([r, p, x]) => new Smc([fid('RMI_RTT_MAP_UNPROTECTED'), rdOf(r), unprot(r, p), 3n, _.unprotectedDescriptor(x)])),
  fc.tuple(realm, page).map(([r, p]) => new Smc([fid('RMI_RTT_UNMAP_UNPROTECTED'), rdOf(r), unprot(r, p), 3n])),
  fc.tuple(realm, page).map(([r, p]) => new Smc([fid('RMI_DATA_DESTROY'), rdOf(r), ram(r, p)])),
  fc.tuple(realm, pa, page).map(([r, x, p]) => new Smc([fid('RMI_DATA_CREATE_UNKNOWN'), rdOf(r), x, ram(r, p)])),
  fc.tuple(realm, pa, page, pa).map(([r, x, p, src]) => new Smc([fid('RMI_DATA_CREATE'), rdOf(r), x, ram(r, p), src, 1n])),
  fc.tuple(fc.constantFrom(...RMI), fc.array(arg, { maxLength: 5 })).map(([f, args]) => new Smc([f, ...args])),
  realm.chain((r) => fc.tuple(fc.constant(r), fc.integer({ min: 0, max: 1 }), fc.array(realmAction(r), { minLength: 1, maxLength: 6 }))).map(([r, cpu, s]) => new Run(r, cpu, s)),
  realm.chain((r) => fc.tuple(fc.constant(r), fc.array(realmAction(r), { minLength: 1, maxLength: 6 }))).map(([r, s]) => new Run(r, 0, s)),
];
