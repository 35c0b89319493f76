/**
 * The layouts of the in-memory structures the Host and the Realm exchange with the RMM
 * (DEN0137 B4.4, B5.4). Offsets are those of data.md §1, §2, §4, §5.
 *
 * @packageDocumentation
 */
import type { Layout } from './layout.js';

/** DEN0137 B4.4.12 RmiRealmParams: the Host's request to RMI_REALM_CREATE (4096 bytes). @category Codecs */
export const RmiRealmParams: Layout = {
  name: 'RmiRealmParams',
  base: 0,
  size: 0x1000,
  fields: [
    // B4.4.11 RmiRealmFlags: lpa2 (0), sve (1), pmu (2); 63:3 SBZ.
    { name: 'flags', offset: 0x000, bytes: 8, sbz: ~0x7n & 0xffff_ffff_ffff_ffffn },
    { name: 's2sz', offset: 0x008, bytes: 1 },
    { name: 'sve_vl', offset: 0x010, bytes: 1 },
    { name: 'num_bps', offset: 0x018, bytes: 1 },
    { name: 'num_wps', offset: 0x020, bytes: 1 },
    { name: 'pmu_num_ctrs', offset: 0x028, bytes: 1 },
    { name: 'hash_algo', offset: 0x030, bytes: 1 },
    { name: 'rpv', offset: 0x400, bytes: 8, count: 8 },
    { name: 'vmid', offset: 0x800, bytes: 2 },
    { name: 'rtt_base', offset: 0x808, bytes: 8 },
    { name: 'rtt_level_start', offset: 0x810, bytes: 8, signed: true },
    { name: 'rtt_num_start', offset: 0x818, bytes: 4 },
  ],
};

/** The RmiRealmParams fields that RIM initialisation measures (DEN0137 B4.3.9.4). @category Codecs */
export const realmParamsMeasured = ['flags', 's2sz', 'sve_vl', 'num_bps', 'num_wps', 'pmu_num_ctrs', 'hash_algo'] as const;

/** DEN0137 B4.4.19 RmiRecParams: the Host's request to RMI_REC_CREATE (4096 bytes). @category Codecs */
export const RmiRecParams: Layout = {
  name: 'RmiRecParams',
  base: 0,
  size: 0x1000,
  fields: [
    // B4.4.13 RmiRecCreateFlags: runnable (0); 63:1 SBZ.
    { name: 'flags', offset: 0x000, bytes: 8, sbz: ~0x1n & 0xffff_ffff_ffff_ffffn },
    // B4.4.18 RmiRecMpidr: aff0[3:0], 7:4 SBZ, aff1 15:8, aff2 23:16, aff3 31:24, 63:32 SBZ.
    { name: 'mpidr', offset: 0x100, bytes: 8, sbz: 0xffff_ffff_0000_00f0n },
    { name: 'pc', offset: 0x200, bytes: 8 },
    { name: 'gprs', offset: 0x300, bytes: 8, count: 8 },
    { name: 'num_aux', offset: 0x800, bytes: 8 },
    { name: 'aux', offset: 0x808, bytes: 8, count: 16 },
  ],
};

/** The RmiRecParams fields that the REC measurement covers (DEN0137 B4.3.12.4). @category Codecs */
export const recParamsMeasured = ['flags', 'pc', 'gprs'] as const;

/** DEN0137 B4.4.15 RmiRecEnter: the first half of an RmiRecRun (bytes 0x000..0x7FF). @category Codecs */
export const RmiRecEnter: Layout = {
  name: 'RmiRecEnter',
  base: 0,
  size: 0x800,
  fields: [
    // B4.4.16 RmiRecEnterFlags: emul_mmio (0), inject_sea (1), trap_wfi (2), trap_wfe (3), ripas_response (4); 63:5 SBZ.
    { name: 'flags', offset: 0x000, bytes: 8, sbz: ~0x1fn & 0xffff_ffff_ffff_ffffn },
    { name: 'gprs', offset: 0x200, bytes: 8, count: 31 },
    { name: 'gicv3_hcr', offset: 0x300, bytes: 8 },
    { name: 'gicv3_lrs', offset: 0x308, bytes: 8, count: 16 },
  ],
};

/** DEN0137 B4.4.17 RmiRecExit: the second half of an RmiRecRun (bytes 0x800..0xFFF). @category Codecs */
export const RmiRecExit: Layout = {
  name: 'RmiRecExit',
  base: 0x800,
  size: 0x800,
  fields: [
    { name: 'exit_reason', offset: 0x000, bytes: 1 },
    { name: 'esr', offset: 0x100, bytes: 8 },
    { name: 'far', offset: 0x108, bytes: 8 },
    { name: 'hpfar', offset: 0x110, bytes: 8 },
    { name: 'gprs', offset: 0x200, bytes: 8, count: 31 },
    { name: 'gicv3_hcr', offset: 0x300, bytes: 8 },
    { name: 'gicv3_lrs', offset: 0x308, bytes: 8, count: 16 },
    { name: 'gicv3_misr', offset: 0x388, bytes: 8 },
    { name: 'gicv3_vmcr', offset: 0x390, bytes: 8 },
    { name: 'cntp_ctl', offset: 0x400, bytes: 8 },
    { name: 'cntp_cval', offset: 0x408, bytes: 8 },
    { name: 'cntv_ctl', offset: 0x410, bytes: 8 },
    { name: 'cntv_cval', offset: 0x418, bytes: 8 },
    { name: 'ripas_base', offset: 0x500, bytes: 8 },
    { name: 'ripas_top', offset: 0x508, bytes: 8 },
    { name: 'ripas_value', offset: 0x510, bytes: 1 },
    { name: 'imm', offset: 0x600, bytes: 2 },
    { name: 'pmu_ovf_status', offset: 0x700, bytes: 1 },
  ],
};

/** DEN0137 B5.4.5 RsiRealmConfig: written by RSI_REALM_CONFIG (4096 bytes). @category Codecs */
export const RsiRealmConfig: Layout = {
  name: 'RsiRealmConfig',
  base: 0,
  size: 0x1000,
  fields: [
    { name: 'ipa_width', offset: 0x000, bytes: 8 },
    { name: 'hash_algo', offset: 0x008, bytes: 1 },
    { name: 'rpv', offset: 0x200, bytes: 8, count: 8 },
  ],
};

/** DEN0137 B5.4.2 RsiHostCall: a Realm's host-call structure (256 bytes, 256-byte aligned). @category Codecs */
export const RsiHostCall: Layout = {
  name: 'RsiHostCall',
  base: 0,
  size: 0x100,
  fields: [
    { name: 'imm', offset: 0x000, bytes: 2 },
    { name: 'gprs', offset: 0x008, bytes: 8, count: 31 },
  ],
};
