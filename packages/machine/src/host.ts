/**
 * The Host API's direct operations: a raw SMC, Host reads and writes of physical memory through
 * the Non-secure PAS, and sharing Host memory with a Realm at an Unprotected IPA (the path VirtIO
 * uses; DEN0137 A5.2.1, B4.3.19 RMI_RTT_MAP_UNPROTECTED). Every input is decoded first.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { GRANULE_SIZE, U64 } from '@realmspec/core';
import { hex } from '@realmspec/core/internal';
import { Pas, physRead, physWrite } from '@realmspec/memory';
import { Address, Bytes, Index, RealmScriptCodec } from './codecs.js';
import { decodeWith, invalid, type HostResult } from './errors.js';
import { ensureTables } from './rtt.js';
import { runSession } from './session.js';
import { machineSmc, type SmcOutcome } from './smc.js';
import { hostRealm, updateMachine, withHostRealm, type Machine, type SharedPage } from './state.js';
import type { Step } from './steps.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** io-ts codec of {@link hostSmc}'s argument: X0..X17, the CPU (default 0), and for RMI_REC_ENTER the Realm's actions. */
export const HostSmcCodec = t.intersection([
  t.type({ regs: t.refinement(t.array(U64), (r) => r.length >= 1 && r.length <= 18, 'X0..X17 (1 to 18 registers)') }),
  t.partial({ cpu: Index, actions: RealmScriptCodec }),
]);

/** io-ts codec of {@link mapShared}'s argument. */
export const MapSharedCodec = t.intersection([t.type({ rd: Address, ipa: Address }), t.partial({ pa: Address })]);

/** What {@link mapShared} did. */
export interface SharedMapping {
  /** The mapping: the Unprotected IPA and the Non-secure PA behind it. */
  readonly page: SharedPage;
  /** Every step, in order. */
  readonly steps: readonly Step[];
  /** Disagreements between the RMM model and the platform (normally none). */
  readonly divergences: readonly string[];
  /** SMCs after which the GPT cross-check ran. */
  readonly checks: number;
}

/** A Host-controlled stage 2 descriptor for RMI_RTT_MAP_UNPROTECTED: the PA, MemAttr 0b101 (Normal write-back), S2AP read/write (DEN0137 B4.4.22). */
export function unprotectedDescriptor(pa: bigint): bigint {
  // DECISION D-HOST-NS-DESC: shared pages are mapped Normal write-back (MemAttr 0b101 with
  // FEAT_S2FWB, as the core's fixtures do) and read/write (S2AP 0b11), as Linux KVM maps them.
  return pa | (0b101n << 2n) | (0b11n << 6n);
}

// -------------------------------------------------------------------------------------
// API
// -------------------------------------------------------------------------------------

/**
 * A raw Host SMC (`{ regs: [X0, X1, ...], cpu?, actions? }`) through EL3, whatever it is: an RMI
 * command (including hostile ones), an EL3 service, or an unknown id. The outcome says what
 * happened; only a malformed argument is an error.
 */
export function hostSmc(m: Machine, input: unknown): HostResult<Machine, SmcOutcome> {
  const d = decodeWith(HostSmcCodec, 'hostSmc', input);
  if (E.isLeft(d)) return d;
  const cpu = d.right.cpu ?? 0;
  if (cpu >= m.el3.cpus.length) return E.left(invalid('cpu', `the machine has ${m.el3.cpus.length} CPU(s); there is no CPU ${cpu}`));
  return E.right(machineSmc(m, cpu, d.right.regs, d.right.actions ?? []));
}

/** The Host reads `len` bytes at PA `pa` through the Non-secure PAS (Arm ARM D9): a granule protection fault for memory it does not own. */
export function hostRead(m: Machine, pa: unknown, len: unknown): HostResult<Machine, Uint8Array> {
  const a = decodeWith(Address, 'pa', pa);
  if (E.isLeft(a)) return a;
  const n = decodeWith(t.refinement(Index, (k) => k <= 1 << 20, 'a length of at most 1 MB'), 'len', len);
  if (E.isLeft(n)) return n;
  const r = physRead(m.core, m.el3.gpt, Pas.NON_SECURE, a.right, n.right);
  return E.isLeft(r) ? E.left({ kind: 'memory', fault: r.left }) : E.right([m, r.right]);
}

/** The Host writes `bytes` at PA `pa` through the Non-secure PAS (Arm ARM D9): a granule protection fault, and nothing written, for memory it does not own. */
export function hostWrite(m: Machine, pa: unknown, bytes: unknown): HostResult<Machine, void> {
  const a = decodeWith(Address, 'pa', pa);
  if (E.isLeft(a)) return a;
  const b = decodeWith(Bytes, 'bytes', bytes);
  if (E.isLeft(b)) return b;
  const r = physWrite(m.core, m.el3.gpt, Pas.NON_SECURE, a.right, b.right);
  return E.isLeft(r) ? E.left({ kind: 'memory', fault: r.left }) : E.right([updateMachine(m, { core: r.right }), undefined]);
}

/**
 * Shares a page of Host memory with a Realm: `ipa` is the page's Protected IPA or its
 * Unprotected alias (the top IPA bit set); the Host maps Non-secure granule `pa` (a fresh one if
 * absent) there with RMI_RTT_MAP_UNPROTECTED, creating the Unprotected RTTs it needs.
 */
export function mapShared(m: Machine, spec: unknown): HostResult<Machine, SharedMapping> {
  const d = decodeWith(MapSharedCodec, 'mapShared', spec);
  if (E.isLeft(d)) return d;
  const realm = hostRealm(m, d.right.rd);
  if (realm === undefined) return E.left(invalid('rd', `the Host launched no Realm with its RD at ${hex(d.right.rd)}`));
  const top = 1n << BigInt(realm.ipaWidth - 1);
  const ipa = d.right.ipa | top;
  if (d.right.ipa % BigInt(GRANULE_SIZE) !== 0n) return E.left(invalid('ipa', `${hex(d.right.ipa)} is not 4 KB aligned`));
  if (ipa >= top << 1n) return E.left(invalid('ipa', `${hex(d.right.ipa)} is beyond the ${realm.ipaWidth}-bit IPA space`));
  return runSession(m, 0, (s) => {
    const pa = d.right.pa ?? (s.alloc(1)[0] as bigint);
    ensureTables(s, realm.rd, ipa);
    s.rmi('RMI_RTT_MAP_UNPROTECTED', { rd: realm.rd, ipa, level: 3n, desc: unprotectedDescriptor(pa) });
    const page = { ipa, pa };
    s.m = withHostRealm(s.m, { ...realm, shared: [...realm.shared, page] });
    return { page, steps: s.steps, divergences: s.divergences, checks: s.checks };
  });
}
