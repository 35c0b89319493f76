/**
 * Launching a Realm the way a VMM such as kvmtool does (with Linux KVM's CCA support): delegate
 * granules, create the Realm and its RTTs, load the kernel image and the initrd into DATA
 * granules with measurement, initialise the RIPAS of the RAM range, create the RECs, activate
 * (DEN0137 A2.1, A5, A7.1 "Realm Initial Measurement", D1.2 "Realm creation flow"). Every argument
 * is validated before the first SMC, so a bad one leaves the machine as it was.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import { GRANULE_SIZE, RmiRealmParams, RmiRecParams, alignDownToRttLevel, encodeStruct, granuleIndex, hashSize, rttLevelSize, type Realm } from '@realmspec/core';
import { decodeWith, type HostError, type HostResult } from './errors.js';
import { doublewords } from './program.js';
import { ensureTables } from './rtt.js';
import { runSession, type HostSession } from './session.js';
import { withHostRealm, type HostRealm, type HostRec, type Machine } from './state.js';
import { callText, type Step } from './steps.js';
import { LaunchSpecCodec, validateLaunch, type LaunchPlan } from './launch-plan.js';

export { LaunchSpecCodec, type LaunchSpec } from './launch-plan.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------


/** What launching a Realm did. */
export interface LaunchReport {
  /** The Host's record of the Realm. */
  readonly realm: HostRealm;
  /** The Realm Initial Measurement once active (hash-size bytes; DEN0137 A7.1.1). */
  readonly rim: Uint8Array;
  /** Every step, in order. */
  readonly steps: readonly Step[];
  /** Disagreements between the RMM model and the platform (normally none). */
  readonly divergences: readonly string[];
  /** SMCs after which the GPT cross-check ran. */
  readonly checks: number;
}

// -------------------------------------------------------------------------------------
// steps of the launch
// -------------------------------------------------------------------------------------

/** DEN0137 A2.3.3, B4.4.18: the RmiRecMpidr of REC index `i`. */
export function mpidrOfIndex(i: number): bigint {
  return BigInt(i & 0xf) | (BigInt((i >> 4) & 0xff) << 8n) | (BigInt((i >> 12) & 0xff) << 16n) | (BigInt((i >> 20) & 0xff) << 24n);
}

/** Loads `image` at `ipa` page by page: each page goes through the Host's staging granule into a fresh DATA granule (RMI_DATA_CREATE). */
function loadImage(s: HostSession, rd: bigint, staging: bigint, ipa: bigint, image: Uint8Array, measure: boolean): void {
  for (let off = 0; off < image.length; off += GRANULE_SIZE) {
    const page = new Uint8Array(GRANULE_SIZE);
    page.set(image.subarray(off, off + GRANULE_SIZE));
    s.write(staging, page);
    const [data] = s.alloc(1) as [bigint];
    s.rmi('RMI_GRANULE_DELEGATE', { addr: data });
    // RmiDataFlags.measure: the page's contents go into the RIM (DEN0137 B4.3.1.4).
    s.rmi('RMI_DATA_CREATE', { rd, data, ipa: ipa + BigInt(off), src: staging, flags: measure ? 1n : 0n });
  }
}

/** RMI_RTT_INIT_RIPAS over [base, top), one RTT per call, stepping over pages that already hold DATA (E-INIT-RIPAS-STOP). */
function initRipas(s: HostSession, rd: bigint, base: bigint, top: bigint): void {
  let addr = base;
  while (addr < top) {
    const o = s.rmiTry('RMI_RTT_INIT_RIPAS', { rd, base: addr, top });
    if (o.regs[0] === 0n) addr = o.regs[1] ?? top;
    else if (o.failure?.rule === 'RMI_RTT_INIT_RIPAS/rtte_state') addr += BigInt(GRANULE_SIZE);
    else s.fail({ kind: 'rmi', call: callText('RMI_RTT_INIT_RIPAS', [['rd', rd], ['base', addr], ['top', top]]), x0: o.regs[0] ?? 0n, status: o.failure?.status ?? 'error', rule: o.failure?.rule });
  }
}

/** Creates REC `index` (DEN0137 B4.3.12): only REC 0 is runnable; the others wait for PSCI_CPU_ON. */
function createRec(s: HostSession, rd: bigint, recParams: bigint, index: number, auxCount: number, pc: bigint): HostRec {
  const [rec] = s.alloc(1) as [bigint];
  const aux = s.alloc(auxCount);
  const [run] = s.alloc(1) as [bigint];
  for (const g of [rec, ...aux]) s.rmi('RMI_GRANULE_DELEGATE', { addr: g });
  const mpidr = mpidrOfIndex(index);
  // DECISION D-LAUNCH-REGS: REC 0 starts at the kernel's first byte with X0..X7 = 0 (no device
  // tree is passed; the model has none); the other RECs start at 0 until PSCI_CPU_ON sets them.
  s.write(recParams, encodeStruct(RmiRecParams, { flags: index === 0 ? 1n : 0n, mpidr, pc: index === 0 ? pc : 0n, gprs: new Array<bigint>(8).fill(0n), num_aux: BigInt(auxCount), aux }));
  s.rmi('RMI_REC_CREATE', { rd, rec, params_ptr: recParams });
  return { index, rec, run, aux, mpidr };
}

/** The launch itself, on a plan {@link validateLaunch} accepted. */
function launch(s: HostSession, p: LaunchPlan): HostRealm {
  const [params, recParams, staging] = s.alloc(3) as [bigint, bigint, bigint];
  const [rd] = s.alloc(1) as [bigint];
  const rtts = s.alloc(p.geometry.numStart, p.geometry.numStart, true);
  for (const g of [rd, ...rtts]) s.rmi('RMI_GRANULE_DELEGATE', { addr: g });
  const f = s.m.core.platform.features;
  s.write(
    params,
    encodeStruct(RmiRealmParams, {
      s2sz: BigInt(p.ipaWidth),
      num_bps: BigInt(Math.max(1, f.numBps)),
      num_wps: BigInt(Math.max(1, f.numWps)),
      hash_algo: p.hashAlgo === 'sha-512' ? 1n : 0n,
      // RmiRealmParams.rpv: the 64-byte RPV as eight little-endian doublewords.
      rpv: doublewords(p.rpv),
      vmid: BigInt(p.vmid),
      rtt_base: rtts[0] as bigint,
      rtt_level_start: BigInt(p.geometry.levelStart),
      rtt_num_start: BigInt(p.geometry.numStart),
    }),
  );
  s.rmi('RMI_REALM_CREATE', { rd, params_ptr: params });
  const auxCount = Number(s.rmi('RMI_REC_AUX_COUNT', { rd })['aux_count'] ?? 0n);
  // Tables down to level 3 over the whole RAM range, one level 2 entry (2 MB) at a time.
  const g = s.m.core.platform.geometry;
  const block = BigInt(rttLevelSize(g, 2));
  for (let a = BigInt(alignDownToRttLevel(g, Number(p.ramBase), 2)); a < p.ramBase + p.ramSize; a += block) ensureTables(s, rd, a < p.ramBase ? p.ramBase : a);
  // DECISION D-LAUNCH-ORDER: RIPAS RAM over the whole RAM range first, then the images, as
  // kvmtool does (init the IPA range, then populate); the RIM depends on this order (A7.1.1).
  initRipas(s, rd, p.ramBase, p.ramBase + p.ramSize);
  loadImage(s, rd, staging, p.kernelIpa, p.kernel, p.measure);
  if (p.initrd !== undefined) loadImage(s, rd, staging, p.initrdIpa, p.initrd, p.measure);
  const recs = Array.from({ length: p.recs }, (_, i) => createRec(s, rd, recParams, i, auxCount, p.kernelIpa));
  s.rmi('RMI_REALM_ACTIVATE', { rd });
  return {
    rd,
    ipaWidth: p.ipaWidth,
    rttLevelStart: p.geometry.levelStart,
    rttNumStart: p.geometry.numStart,
    ram: { base: p.ramBase, size: p.ramSize },
    kernel: { ipa: p.kernelIpa, size: p.kernel.length },
    initrd: p.initrd === undefined ? undefined : { ipa: p.initrdIpa, size: p.initrd.length },
    recs,
    shared: [],
  };
}

// -------------------------------------------------------------------------------------
// API
// -------------------------------------------------------------------------------------

/**
 * Launches a Realm as kvmtool does: RD and starting RTTs delegated, RMI_REALM_CREATE, RTTs down to
 * level 3 over the RAM range, the kernel (at RAM base + text_offset) and the initrd (at the top of
 * RAM) loaded with RMI_DATA_CREATE and measured, RMI_RTT_INIT_RIPAS over the rest of RAM, the RECs
 * created (REC 0 runnable at the kernel's entry), RMI_REALM_ACTIVATE. A malformed image, a size
 * that does not fit, or an unsupported setting is reported before anything runs.
 */
export function launchRealm(m: Machine, spec: unknown): HostResult<Machine, LaunchReport> {
  const decoded = decodeWith(LaunchSpecCodec, 'launchRealm', spec);
  if (E.isLeft(decoded)) return decoded;
  const plan: E.Either<HostError, LaunchPlan> = validateLaunch(m, decoded.right);
  if (E.isLeft(plan)) return plan;
  const r = runSession(m, 0, (s) => {
    const needed = plan.right.granulesNeeded;
    const free = s.freeGranules(needed);
    if (free < needed) s.fail({ kind: 'no-memory', needed, available: free });
    const realm = launch(s, plan.right);
    s.m = withHostRealm(s.m, realm);
    return { realm, steps: s.steps, divergences: s.divergences, checks: s.checks };
  });
  if (E.isLeft(r)) return r;
  const [next, out] = r.right;
  const rec: Realm | undefined = next.core.realms.get(granuleIndex(out.realm.rd));
  const rim = rec === undefined ? new Uint8Array(0) : (rec.measurements[0] as Uint8Array).slice(0, hashSize(rec.hashAlgo));
  return E.right([next, { ...out, rim }]);
}
