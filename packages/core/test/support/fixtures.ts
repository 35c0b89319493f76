/**
 * Test fixtures: build model states the way a Host would, through commands, and read results.
 * Expected values in tests come from the spec digest, never from these helpers.
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  catalogue,
  encodeStruct,
  hostWrite,
  initialState,
  RmiRealmParams,
  RmiRecParams,
  smc,
  type RmmState,
  type RuleHits,
  type SmcResult,
} from '../../src/index.js';

/** PA of granule `n` of the default platform's DRAM (0x8000_0000 + n * 4 KB). */
export const G = (n: number): bigint => 0x8000_0000n + BigInt(n) * 0x1000n;

/** A PA outside every DRAM range of the default platform (not delegable). */
export const OUTSIDE = 0x1_0000_0000n;

/** Function id of a catalogue command. */
export function fidOf(name: string): bigint {
  const c = catalogue.byName.get(name);
  if (c === undefined) throw new Error(`no command ${name}`);
  return BigInt(c.fids[0] as number);
}

/** Issues command `name` with registers X1.. = `args` through the SMC interface. */
export function call(s: RmmState, name: string, args: readonly bigint[], hits?: RuleHits): SmcResult {
  return smc(s, [fidOf(name), ...args], hits);
}

/** Issues a command that must succeed and returns the new state. */
export function ok(s: RmmState, name: string, ...args: bigint[]): RmmState {
  const r = call(s, name, args);
  if (r.regs[0] !== 0n) throw new Error(`${name}(${args.map((a) => '0x' + a.toString(16)).join(', ')}) failed: x0=0x${(r.regs[0] as bigint).toString(16)} ${r.failure?.rule ?? ''}`);
  return r.state;
}

/** The Host writes `bytes` at `pa`; the write must not fault. */
export function write(s: RmmState, pa: bigint, bytes: Uint8Array): RmmState {
  const r = hostWrite(s, pa, bytes);
  if (E.isLeft(r)) throw new Error(`write at 0x${pa.toString(16)} faulted`);
  return r.right;
}

/** Delegates every granule in `pas`. */
export function delegate(s: RmmState, ...pas: bigint[]): RmmState {
  return pas.reduce((acc, pa) => ok(acc, 'RMI_GRANULE_DELEGATE', pa), s);
}

/** A valid RmiRealmParams for the default platform: 39-bit IPA, start level 1, one starting RTT, SHA-256. */
export function realmParamsFields(over: Record<string, bigint | bigint[]> = {}): Record<string, bigint | bigint[]> {
  return { s2sz: 39n, num_bps: 1n, num_wps: 1n, hash_algo: 0n, vmid: 1n, rtt_base: G(1), rtt_level_start: 1n, rtt_num_start: 1n, ...over };
}

/** The RmiRealmParams image of {@link realmParamsFields}. */
export function realmParams(over: Record<string, bigint | bigint[]> = {}): Uint8Array {
  return encodeStruct(RmiRealmParams, realmParamsFields(over));
}

/** Layout of the standard realm fixture. */
export const R = {
  rd: G(0),
  rtt: G(1),
  params: G(2),
  rec: G(3),
  recParams: G(4),
  /** aux granules of the first REC: G(16)..G(31). */
  aux: Array.from({ length: 16 }, (_, k) => G(16 + k)),
} as const;

/** A state with a Realm in REALM_NEW at R.rd (RTT at R.rtt, params left at R.params). */
export function withRealm(over: Record<string, bigint | bigint[]> = {}, s: RmmState = initialState()): RmmState {
  const fields = realmParamsFields({ rtt_base: R.rtt, ...over });
  s = delegate(s, R.rd, fields.rtt_base as bigint);
  s = write(s, R.params, encodeStruct(RmiRealmParams, fields));
  return ok(s, 'RMI_REALM_CREATE', R.rd, R.params);
}

/** RmiRecParams fields for REC index `index` of a Realm, with aux granules `aux`. */
export function recParamsFields(index: number, aux: readonly bigint[], over: Record<string, bigint | bigint[]> = {}): Record<string, bigint | bigint[]> {
  const mpidr = BigInt(index & 0xf) | (BigInt((index >> 4) & 0xff) << 8n) | (BigInt((index >> 12) & 0xff) << 16n);
  return { flags: 1n, mpidr, pc: 0x1000n, num_aux: BigInt(aux.length), aux: [...aux], ...over };
}

/** `s` with REC `rec` (index `index`, aux granules `aux`) created in the Realm at R.rd; params at R.recParams. */
export function withRec(s: RmmState, rec: bigint, index: number, aux: readonly bigint[], over: Record<string, bigint | bigint[]> = {}): RmmState {
  s = delegate(s, rec, ...aux);
  s = write(s, R.recParams, encodeStruct(RmiRecParams, recParamsFields(index, aux, over)));
  return ok(s, 'RMI_REC_CREATE', R.rd, rec, R.recParams);
}

/** X0 of an RMI result: status | index << 8 (DEN0137 B4.4.25), written out for expectations. */
export const X0 = {
  SUCCESS: 0n,
  INPUT: 1n,
  REALM: (i = 0) => 2n | (BigInt(i) << 8n),
  REC: 3n,
  RTT: (level: number) => 4n | (BigInt(level & 0xff) << 8n),
} as const;
