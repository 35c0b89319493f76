/**
 * The world of the security properties: a machine with two launched Realms (each with one page
 * shared through an Unprotected IPA), Secure, Root and any-access carve-outs, and the Host's
 * abstract model of what it owns and what its memory should hold. The model is updated only
 * from what the Host sees (SMC results, its own writes, the Realm's accesses to Non-secure
 * memory); the checks compare it and the security properties with the machine after every step.
 */
import { expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { Gpt, GranuleState, RttEntryState, granuleAddr, granuleAt, granuleIndex, rttEntries, rttEntry, rttLevelSize, type GranuleIndex, type RealmAccessAction, type RmmState } from '@realmspec/core';
import { Gpi, gpiAt } from '@realmspec/el3';
import { Pas, gpiPermits, physRead } from '@realmspec/memory';
import { invariantViolations } from '../../../core/test/support/invariants.js';
import * as _ from '../../src/index.js';
import { ok } from '../support.js';

// -------------------------------------------------------------------------------------
// the machine
// -------------------------------------------------------------------------------------

/** Values the Realms store at Protected IPAs: tagged 0xEC5E in bytes 7..6, which no Host write can produce (Host bytes are < 0x80). */
export const SECRET = 0xec5e_0000_0000_0000n;
/** Values the Realms store at Unprotected IPAs: tagged 0x5055. */
export const PUBLIC = 0x5055_0000_0000_0000n;
/** The secret tag as it appears in memory (little-endian bytes 6 and 7). */
const SECRET_BYTES = Buffer.from([0x5e, 0xec]);

/** A Realm of the world: its RD, RAM pages and Unprotected slots. */
export interface WorldRealm {
  readonly rd: bigint;
  readonly ram: readonly bigint[];
  readonly unprotected: readonly bigint[];
}

const RAM_BASE = 0x8000_0000n;
const UNPROT = 1n << 39n;

function build(): { machine: _.Machine; realms: WorldRealm[]; pool: bigint[]; scratch: bigint[] } {
  let [m] = ok(
    _.bootMachine({
      platform: {
        gpt: [
          { base: '0x81000000', size: '0x1000', gpi: 'GPT_SECURE' },
          { base: '0x81001000', size: '0x1000', gpi: 'GPT_ROOT' },
          { base: '0x81002000', size: '0x1000', gpi: 'GPT_AAP' },
        ],
      },
    }),
  );
  const kernel = _.makeArm64Image(new Uint8Array(5000).fill(0x33));
  const realms: WorldRealm[] = [];
  for (let k = 0; k < 2; k++) {
    const [m1, l] = ok(_.launchRealm(m, { kernel, ramBase: RAM_BASE, ramSize: 0x1_0000n }));
    const [m2] = ok(_.mapShared(m1, { rd: l.realm.rd, ipa: RAM_BASE + 0xf000n }));
    m = m2;
    const ram = Array.from({ length: 16 }, (_v, i) => RAM_BASE + BigInt(i) * 0x1000n);
    realms.push({ rd: l.realm.rd, ram, unprotected: Array.from({ length: 16 }, (_v, i) => UNPROT + RAM_BASE + BigInt(i) * 0x1000n) });
  }
  const scratch = Array.from({ length: 6 }, (_v, i) => 0x9000_0000n + BigInt(i) * 0x1000n);
  const hostEnd = m.host.next + 8;
  const pool: bigint[] = [];
  for (let g = 0x80000; g < hostEnd; g++) pool.push(granuleAddr(g));
  pool.push(...scratch, 0x8100_0000n, 0x8100_1000n, 0x8100_2000n, 0x1_0000_0000n, 1n << 48n);
  return { machine: m, realms, pool, scratch };
}

/** The world, built once (machines are values). */
export const WORLD = build();

// -------------------------------------------------------------------------------------
// the Host's model
// -------------------------------------------------------------------------------------

/** What the Host knows: the granules it delegated, and what the memory it tracks must hold. */
export interface Model {
  /** Granules the Host delegated (RMI_GRANULE_DELEGATE succeeded) and has not undelegated. */
  readonly delegated: Set<GranuleIndex>;
  /** Expected contents of the granules the Host tracks (its scratch pages and every granule it got back). */
  readonly shadow: Map<GranuleIndex, Uint8Array>;
}

/** The machine under test, as fast-check's "real" system. */
export interface Real {
  m: _.Machine;
}

/** The model at the start: the launch's granules delegated, the scratch pages zero. */
export function initialModel(): Model {
  const delegated = new Set<GranuleIndex>();
  for (const [gi, g] of WORLD.machine.core.granules.entries()) if (g.state !== GranuleState.UNDELEGATED) delegated.add(gi);
  return { delegated, shadow: new Map(WORLD.scratch.map((pa) => [granuleIndex(pa), new Uint8Array(4096)])) };
}

const G = (pa: bigint): GranuleIndex => granuleIndex(pa);

/** Updates the model from steps the Host saw: delegations, undelegations (scrubbed: zero), REC entries (the RMM writes the run granule). */
export function observe(model: Model, steps: readonly _.Step[]): void {
  for (const s of steps) {
    if (s.actor !== 'host' || s.kind !== 'smc') continue;
    const arg = (name: string): bigint => s.args.find(([k]) => k === name)?.[1] ?? 0n;
    if (s.command === 'RMI_GRANULE_DELEGATE' && s.x0 === 0n) {
      model.delegated.add(G(arg('addr')));
      model.shadow.delete(G(arg('addr')));
    }
    if (s.command === 'RMI_GRANULE_UNDELEGATE' && s.x0 === 0n) {
      model.delegated.delete(G(arg('addr')));
      model.shadow.set(G(arg('addr')), new Uint8Array(4096));
    }
    if (s.command === 'RMI_REC_ENTER') model.shadow.delete(G(arg('run_ptr')));
  }
}

/** Updates the shadow with the Realm's completed stores to Non-secure memory. */
export function observeRealm(model: Model, runs: readonly _.RecRun[]): void {
  for (const r of runs) {
    for (const a of r.actions) {
      const mem = a.memory;
      if (a.action.kind !== 'access' || a.action.access !== 'write' || mem?.kind !== 'completed' || mem.pas !== Pas.NON_SECURE) continue;
      const page = model.shadow.get(G(mem.pa));
      if (page === undefined) continue;
      const act = a.action as RealmAccessAction;
      const off = Number(mem.pa & 0xfffn);
      for (let i = 0; i < (act.size ?? 8); i++) page[off + i] = Number(((act.value ?? 0n) >> BigInt(8 * i)) & 0xffn);
    }
  }
}

// -------------------------------------------------------------------------------------
// the properties
// -------------------------------------------------------------------------------------

/** DATA granule → the RD granule of the Realm whose RTTs map it (every ASSIGNED Protected entry). */
function dataOwners(s: RmmState): Map<GranuleIndex, GranuleIndex> {
  const out = new Map<GranuleIndex, GranuleIndex>();
  for (const [, t] of s.rtts.entries()) {
    for (let i = 0; i < rttEntries(s.platform.geometry, t.level); i++) {
      const e = rttEntry(t, i);
      if (e.state === RttEntryState.ASSIGNED) for (let k = 0; k < rttLevelSize(s.platform.geometry, t.level) / 4096; k++) out.set(e.addr / 4096 + k, t.realm);
    }
  }
  return out;
}

/** Whether the Host (Non-secure PAS) may touch granule `gi` according to EL3's GPT. */
export function hostMay(m: _.Machine, gi: GranuleIndex): boolean {
  const g = gpiAt(m.el3.gpt, gi);
  return g !== undefined && gpiPermits(g, Pas.NON_SECURE);
}

/**
 * The properties that hold after every step: the GPT and the RMM's granule states agree, the
 * model's invariants hold, every granule the Host delegated is in the Realm PAS, every tracked
 * page reads back as the Host expects (undelegated ones scrubbed), and no Realm secret is in any
 * memory the Host can read.
 */
export function checkWorld(model: Model, m: _.Machine): void {
  expect(_.machineViolations(m)).toEqual([]);
  expect(invariantViolations(m.core)).toEqual([]);
  for (const gi of model.delegated) expect(gpiAt(m.el3.gpt, gi)).toBe(Gpi.REALM);
  for (const [gi, bytes] of model.shadow) {
    const r = physRead(m.core, m.el3.gpt, Pas.NON_SECURE, granuleAddr(gi), 4096);
    expect(E.isRight(r) && Buffer.from(r.right).equals(Buffer.from(bytes))).toBe(true);
  }
  for (const [gi, bytes] of m.core.memory.entries()) {
    if (hostMay(m, gi)) expect(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(SECRET_BYTES)).toBe(-1);
  }
}

/**
 * The properties of a Realm run: a Protected access that completed reached a DATA granule of this
 * Realm in the Realm PAS, an Unprotected one Non-secure memory (the memory model applied EL3's GPC
 * to both); no divergence. Ownership is read from the state at the time of the access (RTTs do
 * not change during one REC entry).
 */
export function checkRun(rd: bigint, r: _.RunReport): void {
  expect(r.divergences).toEqual([]);
  for (const run of r.runs) {
    const first = run.actions[0];
    if (first === undefined) continue;
    const owners = dataOwners(first.step.state);
    for (const a of run.actions) {
      if (a.memory?.kind !== 'completed') continue;
      const gi = G(a.memory.pa);
      const g = granuleAt(a.step.state, gi);
      if (a.memory.pas === Pas.REALM) {
        expect([g.state, g.gpt, owners.get(gi)]).toEqual([GranuleState.DATA, Gpt.REALM, G(rd)]);
      } else expect(g.gpt === Gpt.NS || g.gpt === Gpt.AAP).toBe(true);
    }
  }
}
