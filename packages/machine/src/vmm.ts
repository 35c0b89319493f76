/**
 * The Host's VMM run loop, exit by exit: what kvmtool with Linux KVM's CCA support does when
 * RMI_REC_ENTER returns (DEN0137 A4.3 REC exits, A5.4 RIPAS change, A4.3.7 PSCI, A4.3.9 Host
 * call): emulate MMIO, inject an SEA, back a faulting RAM page with a fresh DATA granule, apply or
 * reject a RIPAS change (and reclaim the pages a Realm gives up), complete PSCI calls, echo Host
 * calls.
 *
 * @packageDocumentation
 */
import {
  ExceptionClass,
  RecEnterFlag,
  RecExitReason,
  Ripas,
  alignDownToRttLevel,
  decodeRmiResult,
  ecOf,
  functionId,
  ipaOfHpfar,
  isvOf,
  rttLevelSize,
  type RecExitFields,
} from '@realmspec/core';
import { describeExit, realmCallName } from './names.js';
import { ensureTables } from './rtt.js';
import type { HostSession } from './session.js';
import type { HostRealm, HostRec, SharedPage } from './state.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Why a run stopped before its program ended. */
export type RunStop = 'system_off' | 'cpu_off' | 'destroyed' | 'unhandled';

/** What the VMM decided about one REC exit. */
export interface ExitDecision {
  /** RmiRecEnter.flags for the next entry. */
  readonly flags: bigint;
  /** RmiRecEnter.gprs for the next entry (zero when absent). */
  readonly gprs: readonly bigint[] | undefined;
  /** The action that caused the exit must run again (the fault was fixed). */
  readonly retry: boolean;
  /** The Realm needs one more entry to see the exit's outcome (a call's result, an emulated access). */
  readonly needsEntry: boolean;
  /** The run must stop. */
  readonly stop: RunStop | undefined;
}

/** What the VMM did to memory while handling exits. */
export interface VmmEffects {
  /** DATA granules created (RMI_DATA_CREATE_UNKNOWN) to back faulting RAM pages. */
  readonly populated: SharedPage[];
  /** DATA granules destroyed and undelegated after the Realm set their RIPAS to EMPTY. */
  readonly reclaimed: bigint[];
}

const decision = (d: Partial<ExitDecision>): ExitDecision => ({ flags: d.flags ?? 0n, gprs: d.gprs, retry: d.retry ?? false, needsEntry: d.needsEntry ?? false, stop: d.stop });
/** RmiRttEntryState as RMI_RTT_READ_ENTRY reports it (DEN0137 B4.4.21): UNASSIGNED 0, ASSIGNED 1, TABLE 2. */
const RMI_ASSIGNED = 1n;
/** RmiRipas (DEN0137 B4.4.20) as RMI_RTT_READ_ENTRY reports it: the RIPAS encoding (EMPTY 0, RAM 1, DESTROYED 2). */
const RMI_EMPTY = BigInt(Ripas.EMPTY);
const RMI_RAM = BigInt(Ripas.RAM);
const RMI_DESTROYED = BigInt(Ripas.DESTROYED);

// -------------------------------------------------------------------------------------
// handlers
// -------------------------------------------------------------------------------------

// DECISION D-VMM: the Host's VMM answers exits as Linux KVM does: an abort at a Protected IPA with
// RIPAS RAM and no DATA is backed by a fresh granule (RMI_DATA_CREATE_UNKNOWN) and the access
// retried; RIPAS DESTROYED stops the run; an emulatable MMIO access is emulated (reads return 0,
// writes are dropped); a non-emulatable Unprotected abort gets an SEA; RIPAS changes are accepted
// unless the caller says reject, and pages set to EMPTY are reclaimed (DATA_DESTROY, UNDELEGATE);
// CPU_ON and AFFINITY_INFO are completed with PSCI_SUCCESS; Host calls are echoed.

/** A Data or Instruction Abort at a Protected IPA: back an unassigned RAM page with a zeroed DATA granule (KVM `realm_map_protected`). */
function protectedFault(s: HostSession, realm: HostRealm, ipa: bigint, fx: VmmEffects, byAction: boolean): ExitDecision {
  const e = s.rmi('RMI_RTT_READ_ENTRY', { rd: realm.rd, ipa, level: 3n });
  if (e['ripas'] !== RMI_RAM || e['state'] === RMI_ASSIGNED) return decision({ stop: e['ripas'] === RMI_DESTROYED ? 'destroyed' : 'unhandled' });
  ensureTables(s, realm.rd, ipa);
  const [data] = s.alloc(1) as [bigint];
  s.rmi('RMI_GRANULE_DELEGATE', { addr: data });
  s.rmi('RMI_DATA_CREATE_UNKNOWN', { rd: realm.rd, data, ipa });
  fx.populated.push({ ipa, pa: data });
  return decision({ retry: byAction, needsEntry: true });
}

/** RMI_RTT_SET_RIPAS over the request, creating level 3 tables where a block is only partly covered; returns where it got to. */
function setRipas(s: HostSession, realm: HostRealm, rec: HostRec, base: bigint, top: bigint): bigint {
  let addr = base;
  for (let guard = 0; addr < top && guard < 4096; guard++) {
    const o = s.rmiTry('RMI_RTT_SET_RIPAS', { rd: realm.rd, rec_ptr: rec.rec, base: addr, top });
    if (o.regs[0] === 0n) {
      const next = o.regs[1] ?? top;
      if (next <= addr) break;
      addr = next;
      continue;
    }
    // RMI_ERROR_RTT(level) above level 3: the range starts inside a block; split it and retry.
    const e = decodeRmiResult(o.regs[0] ?? 0n);
    if (e.status !== 'RMI_ERROR_RTT' || e.index >= 3) break;
    if (ensureTables(s, realm.rd, addr) === 0) break;
  }
  return addr;
}

/** The pages of [base, top) that hold DATA, found with RMI_RTT_READ_ENTRY (skipping whole blocks with no table). */
function reclaim(s: HostSession, realm: HostRealm, base: bigint, top: bigint, fx: VmmEffects): void {
  let ipa = base;
  while (ipa < top) {
    const e = s.rmi('RMI_RTT_READ_ENTRY', { rd: realm.rd, ipa, level: 3n });
    const level = Number(e['walk_level'] ?? 3n);
    if (level === 3 && e['state'] === RMI_ASSIGNED) {
      const out = s.rmi('RMI_DATA_DESTROY', { rd: realm.rd, ipa });
      const data = out['data'] ?? 0n;
      // The granule goes back to the Host: scrubbed by the RMM first (A2.2.4).
      s.rmi('RMI_GRANULE_UNDELEGATE', { addr: data });
      fx.reclaimed.push(data);
    }
    const g = s.m.core.platform.geometry;
    ipa = BigInt(alignDownToRttLevel(g, Number(ipa), level) + rttLevelSize(g, level));
  }
}

/** A RIPAS change request (DEN0137 A5.4): accepted (and, for EMPTY, the pages reclaimed) or rejected. */
function ripasChange(s: HostSession, realm: HostRealm, rec: HostRec, x: RecExitFields, accept: boolean, fx: VmmEffects): ExitDecision {
  if (!accept) return decision({ flags: RecEnterFlag.RIPAS_RESPONSE, needsEntry: true });
  const done = setRipas(s, realm, rec, x.ripas_base, x.ripas_top);
  if (BigInt(x.ripas_value) === RMI_EMPTY) reclaim(s, realm, x.ripas_base, done, fx);
  return decision({ needsEntry: true });
}

/** A PSCI exit (DEN0137 A4.3.7): CPU_ON and AFFINITY_INFO name another REC and are completed with PSCI_SUCCESS. */
function psciExit(s: HostSession, realm: HostRealm, rec: HostRec, x: RecExitFields): ExitDecision {
  const name = realmCallName(functionId(x.gprs[0] ?? 0n));
  if (name === 'PSCI_SYSTEM_OFF' || name === 'PSCI_SYSTEM_RESET') return decision({ stop: 'system_off' });
  if (name === 'PSCI_CPU_OFF') return decision({ stop: 'cpu_off' });
  if (name === 'PSCI_CPU_ON' || name === 'PSCI_AFFINITY_INFO') {
    // The Host keeps the map from MPIDRs to RECs (the RMM has none, DEN0137 A4.3.7): the REC whose
    // RmiRecMpidr is the value the Realm passed, as RMI_PSCI_COMPLETE checks it (B4.3.7 target).
    const target = realm.recs.find((r) => r.mpidr === (x.gprs[1] ?? 0n));
    // A call the RMM already answered (an MPIDR of no REC) has nothing pending: the Host skips it.
    if (target !== undefined && target.rec !== rec.rec) s.rmiTry('RMI_PSCI_COMPLETE', { calling_rec: rec.rec, target_rec: target.rec, status: 0n });
  }
  return decision({ needsEntry: true });
}

/**
 * The VMM's answer to REC exit `x` of REC `rec` (`byAction`: an action of the program caused it,
 * rather than the entry or an interrupt after the program ran out).
 */
export function handleExit(s: HostSession, realm: HostRealm, rec: HostRec, x: RecExitFields, byAction: boolean, acceptRipas: boolean, fx: VmmEffects): ExitDecision {
  const d = answer(s, realm, rec, x, byAction, acceptRipas, fx);
  const what = d.stop !== undefined ? `stop (${d.stop})` : d.retry ? 'fixed; the access runs again' : d.needsEntry ? 'handled; enter again' : 'resume';
  s.steps.push({ actor: 'vmm', kind: 'exit', rec: rec.rec, exit: describeExit(x), response: what });
  return d;
}

function answer(s: HostSession, realm: HostRealm, rec: HostRec, x: RecExitFields, byAction: boolean, acceptRipas: boolean, fx: VmmEffects): ExitDecision {
  switch (x.exit_reason) {
    case RecExitReason.RMI_EXIT_SYNC: {
      const ec = ecOf(x.esr);
      if (ec !== ExceptionClass.DATA_ABORT && ec !== ExceptionClass.INSTRUCTION_ABORT) return decision({});
      // HPFAR_EL2 names the faulting granule: the IPA is granule aligned.
      const ipa = ipaOfHpfar(x.hpfar);
      if (ipa < 1n << BigInt(realm.ipaWidth - 1)) return protectedFault(s, realm, ipa, fx, byAction);
      // Unprotected: an emulatable access is emulated as MMIO (reads return 0); otherwise an SEA is injected.
      if (isvOf(x.esr)) return decision({ flags: RecEnterFlag.EMUL_MMIO, needsEntry: true });
      return decision({ flags: RecEnterFlag.INJECT_SEA, needsEntry: true });
    }
    case RecExitReason.RMI_EXIT_PSCI:
      return psciExit(s, realm, rec, x);
    case RecExitReason.RMI_EXIT_RIPAS_CHANGE:
      return ripasChange(s, realm, rec, x, acceptRipas, fx);
    case RecExitReason.RMI_EXIT_HOST_CALL:
      // A Host call: the Host answers with the Realm's own registers (nothing to add).
      return decision({ gprs: x.gprs, needsEntry: true });
    default:
      return decision({});
  }
}
