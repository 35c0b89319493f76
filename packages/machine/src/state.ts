/**
 * The machine: the RMM model's state, the EL3 monitor's state, the HES, and what the Normal-world
 * Host (a kvmtool-like VMM) keeps about the memory it hands out and the Realms it runs. A machine
 * is an immutable value: every Host API call returns a new one and leaves its argument as it was.
 *
 * @packageDocumentation
 */
import type { GranuleIndex, RmmState, RuleHits } from '@realmspec/core';
import type { El3State } from '@realmspec/el3';
import type { Hes } from '@realmspec/hes';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A REC as the Host's VMM knows it: its granule, its run granule (RmiRecRun), its aux granules. */
export interface HostRec {
  /** The REC's index (its MPIDR's, DEN0137 A2.3.3). */
  readonly index: number;
  /** PA of the REC granule. */
  readonly rec: bigint;
  /** PA of the Non-secure granule holding its RmiRecRun. */
  readonly run: bigint;
  /** PAs of its auxiliary granules. */
  readonly aux: readonly bigint[];
  /** Its MPIDR in the RmiRecMpidr encoding (DEN0137 B4.4.18). */
  readonly mpidr: bigint;
}

/** A Host memory range mapped into a Realm's Unprotected IPA space (DEN0137 A5.2.1; the VirtIO path). */
export interface SharedPage {
  /** The Unprotected IPA. */
  readonly ipa: bigint;
  /** The Non-secure PA behind it. */
  readonly pa: bigint;
}

/** A loaded image: where it lies in the Realm's Protected IPA space. */
export interface ImagePlacement {
  /** First IPA. */
  readonly ipa: bigint;
  /** Bytes loaded (the image file's length). */
  readonly size: number;
}

/** A Realm as the Host's VMM knows it (kvmtool's `struct realm` and vCPU list). */
export interface HostRealm {
  /** PA of the RD. */
  readonly rd: bigint;
  /** The Realm's IPA width (RmiRealmParams.s2sz). */
  readonly ipaWidth: number;
  /** RmiRealmParams.rtt_level_start. */
  readonly rttLevelStart: number;
  /** RmiRealmParams.rtt_num_start. */
  readonly rttNumStart: number;
  /** The RAM range: Protected IPAs with RIPAS RAM at activation. */
  readonly ram: { readonly base: bigint; readonly size: bigint };
  /** Where the kernel image was loaded. */
  readonly kernel: ImagePlacement;
  /** Where the initrd was loaded, if any. */
  readonly initrd: ImagePlacement | undefined;
  /** The RECs, by index. */
  readonly recs: readonly HostRec[];
  /** Shared (Unprotected) mappings the Host made. */
  readonly shared: readonly SharedPage[];
}

/** What the Host keeps: a bump allocator over its Non-secure DRAM, and its Realms. */
export interface HostState {
  /** The next granule the allocator hands out. */
  readonly next: GranuleIndex;
  /** The end (exclusive) of the Host's DRAM. */
  readonly end: GranuleIndex;
  /** The Realms the Host launched, in launch order. */
  readonly realms: readonly HostRealm[];
}

/** The whole machine. */
export interface Machine {
  /** The RMM model's state: granules, Realms, RECs, RTTs, and the bytes of memory. */
  readonly core: RmmState;
  /** The EL3 monitor's state: the GPT and the CPUs' worlds. */
  readonly el3: El3State;
  /** The platform's root of trust. */
  readonly hes: Hes;
  /** The Host's bookkeeping. */
  readonly host: HostState;
  /** The rule-hit counter the RMM model reports to: an observer, not part of the machine's value. */
  readonly hits: RuleHits | undefined;
}

// -------------------------------------------------------------------------------------
// updates
// -------------------------------------------------------------------------------------

/** `m` with `patch` applied (the only way machines are updated). @internal */
export function updateMachine(m: Machine, patch: Partial<Omit<Machine, 'hes' | 'hits'>>): Machine {
  return { core: patch.core ?? m.core, el3: patch.el3 ?? m.el3, hes: m.hes, host: patch.host ?? m.host, hits: m.hits };
}

/** `h` with `patch` applied. @internal */
export function updateHost(h: HostState, patch: Partial<HostState>): HostState {
  return { next: patch.next ?? h.next, end: patch.end ?? h.end, realms: patch.realms ?? h.realms };
}

/** The Host's record of the Realm whose RD is at `rd`, if it launched one there. */
export function hostRealm(m: Machine, rd: bigint): HostRealm | undefined {
  return m.host.realms.find((r) => r.rd === rd);
}

/** `m` with the Host's record of Realm `r.rd` replaced by `r` (or added). @internal */
export function withHostRealm(m: Machine, r: HostRealm): Machine {
  const others = m.host.realms.filter((x) => x.rd !== r.rd);
  const realms = others.length === m.host.realms.length ? [...others, r] : m.host.realms.map((x) => (x.rd === r.rd ? r : x));
  return updateMachine(m, { host: updateHost(m.host, { realms }) });
}
