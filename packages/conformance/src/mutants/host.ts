/**
 * Mutants of the Host commands: granules, Realms, RECs, RTTs, DATA, RIPAS and features.
 *
 * @packageDocumentation
 */
import {
  decodeFeatures0,
  decodeStruct,
  granuleBytes,
  granuleIndex,
  HashAlgorithm,
  Ripas,
  rimInit,
  RmiRealmParams,
  RmiRecParams,
  rttLevelSize,
  rttWalk,
  type RmmState,
} from '@realmspec/core';
import { rttMeta, rttWithRipas, metaRipas, updateRec, withGranuleBytes, withMeasurement, withRealmRecord, withRec } from '@realmspec/core/internal';
import { afterSuccess, applyAnyway, failureX0, inputOf, misreport, onRmi, rdOf, skipCheck, withRtts, type Mutant } from './kit.js';

/** `s` with the RIPAS of the level 3 entry of Realm `rd` at `ipa` set to `ripas` (nothing when the walk does not reach one). */
function withEntryRipas(s: RmmState, rd: number, ipa: bigint, ripas: Ripas): RmmState {
  const w = rttWalk(s, rd, Number(ipa), 3);
  if (w === undefined || w.level !== 3) return s;
  return withRtts(s, s.rtts.set(w.rtt, rttWithRipas(w.table, w.index, w.index + 1, ripas)));
}

/** The RIPAS of the level 3 entry of Realm `rd` at `ipa`, if the walk reaches one. */
function entryRipas(s: RmmState, rd: number, ipa: bigint): Ripas | undefined {
  const w = rttWalk(s, rd, Number(ipa), 3);
  return w === undefined || w.level !== 3 ? undefined : metaRipas(rttMeta(w.table, w.index));
}

/** `s` with the RIM of Realm `rd` taken from `from` (the measurement not extended). */
function rimFrom(s: RmmState, from: RmmState, rd: number): RmmState {
  const before = from.realms.get(rd);
  const after = s.realms.get(rd);
  return before === undefined || after === undefined ? s : withRealmRecord(s, rd, withMeasurement(after, 0, before.measurements[0] as Uint8Array));
}

/** The answer with output register `reg` replaced. */
function withOut(a: { readonly state: RmmState; readonly regs: readonly bigint[] }, reg: number, v: bigint): { state: RmmState; regs: bigint[] } {
  const regs = [...a.regs];
  regs[reg] = v;
  return { state: a.state, regs };
}

const params = (s: RmmState, ptr: bigint | undefined) => decodeStruct(RmiRealmParams, granuleBytes(s, granuleIndex(ptr ?? 0n)));
const recParams = (s: RmmState, ptr: bigint | undefined) => decodeStruct(RmiRecParams, granuleBytes(s, granuleIndex(ptr ?? 0n)));

/** Mutants of granule, Realm, REC, RTT, DATA and RIPAS commands. */
export const hostMutants: readonly Mutant[] = [
  // granules
  { id: 'delegate-gpt-unchecked', area: 'granule', kind: 'missing-check', description: 'RMI_GRANULE_DELEGATE delegates a granule whose GPT entry is not GPT_NS (Secure, Root)', rule: 'RMI_GRANULE_DELEGATE/gran_gpt', wrap: skipCheck('RMI_GRANULE_DELEGATE', 'gran_gpt') },
  {
    id: 'delegate-dram-end',
    area: 'granule',
    kind: 'off-by-one',
    description: 'RMI_GRANULE_DELEGATE accepts the granule just past the end of a DRAM range (base + size compared with <=)',
    rule: 'RMI_GRANULE_DELEGATE/gran_bound',
    wrap: skipCheck('RMI_GRANULE_DELEGATE', 'gran_bound', (s, i) => s.platform.dram.some((d) => d.base + d.size === i.addr)),
  },
  { id: 'undelegate-status-realm', area: 'granule', kind: 'wrong-status', description: 'RMI_GRANULE_UNDELEGATE of a granule that is not DELEGATED answers RMI_ERROR_REALM instead of RMI_ERROR_INPUT', rule: 'RMI_GRANULE_UNDELEGATE/gran_state', wrap: misreport('RMI_GRANULE_UNDELEGATE', 'gran_state', () => failureX0('RMI_ERROR_REALM')) },
  {
    id: 'undelegate-stale-content',
    area: 'granule',
    kind: 'wrong-state',
    description: 'RMI_GRANULE_UNDELEGATE returns the granule to the Host without scrubbing it',
    rule: 'RMI_GRANULE_UNDELEGATE/success/gran_content',
    wrap: afterSuccess('RMI_GRANULE_UNDELEGATE', (_pre, a, i) => ({ state: withGranuleBytes(a.state, granuleIndex(i.addr ?? 0n), new Uint8Array(4096).fill(0xa5)), regs: a.regs })),
  },
  // Realms
  { id: 'realm-create-vmid-unchecked', area: 'realm', kind: 'missing-check', description: 'RMI_REALM_CREATE accepts a VMID that is in use or too wide', rule: 'RMI_REALM_CREATE/vmid_valid', wrap: skipCheck('RMI_REALM_CREATE', 'vmid_valid') },
  {
    id: 'realm-create-vmid-max',
    area: 'realm',
    kind: 'off-by-one',
    description: 'RMI_REALM_CREATE refuses the largest VMID (0xFFFF, or 0xFF without FEAT_VMID16): the bound is compared with <',
    rule: 'RMI_REALM_CREATE/vmid_valid',
    wrap: onRmi('RMI_REALM_CREATE', (s, regs, base) => {
      const a = base.rmi(s, regs);
      const max = s.platform.vmid16 ? 0xffffn : 0xffn;
      return a.regs[0] === 0n && params(s, regs[2]).vmid === max ? { state: s, regs: [failureX0('RMI_ERROR_INPUT')] } : a;
    }),
  },
  {
    id: 'realm-create-s2sz-off-by-one',
    area: 'realm',
    kind: 'off-by-one',
    description: 'RMI_REALM_CREATE accepts an s2sz one more than RmiFeatureRegister0.S2SZ (the bound compared with <=)',
    rule: 'RMI_REALM_CREATE/params_supp',
    wrap: onRmi('RMI_REALM_CREATE', (s, regs, base, r) => {
      const held = r.command.holding(s, inputOf(r, regs));
      const bound = held.length === 1 && (held[0]?.label === 'params_supp' || held[0]?.label === 'params_valid');
      return bound && params(s, regs[2]).s2sz === BigInt(decodeFeatures0(s.platform.features0).s2sz + 1) ? applyAnyway(s, regs, r) : base.rmi(s, regs);
    }),
  },
  {
    id: 'realm-activate-twice',
    area: 'realm',
    kind: 'missing-check',
    description: 'RMI_REALM_ACTIVATE of a Realm that is not REALM_NEW succeeds (and changes nothing)',
    rule: 'RMI_REALM_ACTIVATE/realm_state',
    wrap: onRmi('RMI_REALM_ACTIVATE', (s, regs, base, r) => {
      const held = r.command.holding(s, inputOf(r, regs));
      return held.length === 1 && held[0]?.label === 'realm_state' ? { state: s, regs: [0n] } : base.rmi(s, regs);
    }),
  },
  { id: 'realm-destroy-live', area: 'realm', kind: 'missing-check', description: 'RMI_REALM_DESTROY destroys a Realm that still has RECs or live RTTs', rule: 'RMI_REALM_DESTROY/realm_live', wrap: skipCheck('RMI_REALM_DESTROY', 'realm_live') },
  {
    id: 'realm-create-rim-sha256',
    area: 'realm',
    kind: 'wrong-measurement',
    description: 'RMI_REALM_CREATE initialises the RIM with SHA-256 whatever hash_algo says',
    rule: 'RMI_REALM_CREATE/success/rim',
    wrap: afterSuccess('RMI_REALM_CREATE', (pre, a, i) => {
      const rd = rdOf(i);
      const realm = a.state.realms.get(rd);
      if (realm === undefined || realm.hashAlgo === HashAlgorithm.SHA_256) return a;
      return { state: withRealmRecord(a.state, rd, withMeasurement(realm, 0, rimInit(pre.platform.digest, HashAlgorithm.SHA_256, params(pre, i.params_ptr)))), regs: a.regs };
    }),
  },
  // RECs
  { id: 'rec-create-mpidr-unchecked', area: 'rec', kind: 'missing-check', description: 'RMI_REC_CREATE accepts an MPIDR that is not the next REC index', rule: 'RMI_REC_CREATE/mpidr_index', wrap: skipCheck('RMI_REC_CREATE', 'mpidr_index') },
  {
    id: 'rec-create-num-aux-off-by-one',
    area: 'rec',
    kind: 'off-by-one',
    description: 'RMI_REC_CREATE accepts num_aux one more than RMI_REC_AUX_COUNT (checks num_aux > count + 1)',
    rule: 'RMI_REC_CREATE/num_aux',
    wrap: skipCheck('RMI_REC_CREATE', 'num_aux', (s, i) => recParams(s, i.params_ptr).num_aux === BigInt(s.platform.recAuxCount + 1)),
  },
  { id: 'rec-destroy-status-rec', area: 'rec', kind: 'wrong-status', description: 'RMI_REC_DESTROY of a granule that is not a REC answers RMI_ERROR_REC instead of RMI_ERROR_INPUT', rule: 'RMI_REC_DESTROY/rec_gran_state', wrap: misreport('RMI_REC_DESTROY', 'rec_gran_state', () => failureX0('RMI_ERROR_REC')) },
  { id: 'rec-aux-count-plus-one', area: 'rec', kind: 'wrong-output', description: 'RMI_REC_AUX_COUNT answers one more than the aux granules a REC takes', rule: 'RMI_REC_AUX_COUNT/success/aux_count', wrap: afterSuccess('RMI_REC_AUX_COUNT', (_p, a) => withOut(a, 1, (a.regs[1] ?? 0n) + 1n)) },
  {
    id: 'rec-create-not-runnable',
    area: 'rec',
    kind: 'wrong-state',
    description: 'RMI_REC_CREATE ignores flags.runnable: every REC is created not runnable',
    rule: 'RMI_REC_CREATE/success/runnable',
    wrap: afterSuccess('RMI_REC_CREATE', (_p, a, i) => {
      const gi = granuleIndex(i.rec ?? 0n);
      const rec = a.state.recs.get(gi);
      return rec === undefined ? a : { state: withRec(a.state, gi, updateRec(rec, { runnable: false })), regs: a.regs };
    }),
  },
  {
    id: 'rec-create-gprs-dropped',
    area: 'rec',
    kind: 'wrong-state',
    description: 'RMI_REC_CREATE does not copy params.gprs into the REC (they start zero)',
    rule: 'RMI_REC_CREATE/success/rec_gprs',
    wrap: afterSuccess('RMI_REC_CREATE', (_p, a, i) => {
      const gi = granuleIndex(i.rec ?? 0n);
      const rec = a.state.recs.get(gi);
      return rec === undefined ? a : { state: withRec(a.state, gi, updateRec(rec, { gprs: rec.gprs.map(() => 0n) })), regs: a.regs };
    }),
  },
  { id: 'rec-create-rim-unchanged', area: 'rec', kind: 'wrong-measurement', description: 'RMI_REC_CREATE does not extend the RIM with the REC', rule: 'RMI_REC_CREATE/success/rim', wrap: afterSuccess('RMI_REC_CREATE', (pre, a, i) => ({ state: rimFrom(a.state, pre, rdOf(i)), regs: a.regs })) },
  { id: 'rec-create-realm-state-index', area: 'rec', kind: 'wrong-index', description: 'RMI_REC_CREATE on an active Realm answers RMI_ERROR_REALM with index 1', rule: 'RMI_REC_CREATE/realm_state', wrap: misreport('RMI_REC_CREATE', 'realm_state', () => failureX0('RMI_ERROR_REALM', 1)) },
  // RTTs
  { id: 'rtt-create-walk-index', area: 'rtt', kind: 'wrong-index', description: 'RMI_RTT_CREATE reports the level it asked the walk for (level - 1), not the level the walk reached', rule: 'RMI_RTT_CREATE/rtt_walk', wrap: misreport('RMI_RTT_CREATE', 'rtt_walk', (_k, _s, i) => failureX0('RMI_ERROR_RTT', Number((i.level ?? 1n) - 1n) & 0xff)) },
  {
    id: 'rtt-destroy-top-next-entry',
    area: 'rtt',
    kind: 'wrong-output',
    description: 'RMI_RTT_DESTROY returns top as the next entry of the parent RTT, not the next live one',
    rule: 'RMI_RTT_DESTROY/success/top',
    wrap: afterSuccess('RMI_RTT_DESTROY', (_p, a, i) => withOut(a, 2, (i.ipa ?? 0n) + BigInt(rttLevelSize(_p.platform.geometry, Number(i.level ?? 1n) - 1)))),
  },
  { id: 'rtt-destroy-live-unchecked', area: 'rtt', kind: 'missing-check', description: 'RMI_RTT_DESTROY destroys an RTT that still has live entries', rule: 'RMI_RTT_DESTROY/rtt_live', wrap: skipCheck('RMI_RTT_DESTROY', 'rtt_live') },
  { id: 'rtt-read-entry-walk-level', area: 'rtt', kind: 'wrong-output', description: 'RMI_RTT_READ_ENTRY returns the level asked for as walk_level, even when the walk stopped above it', rule: 'RMI_RTT_READ_ENTRY/success/walk_level', wrap: afterSuccess('RMI_RTT_READ_ENTRY', (_p, a, i) => withOut(a, 1, i.level ?? 0n)) },
  { id: 'rtt-read-entry-destroyed-empty', area: 'rtt', kind: 'wrong-output', description: 'RMI_RTT_READ_ENTRY reports RIPAS DESTROYED as EMPTY', rule: 'RMI_RTT_READ_ENTRY/success/ripas_prot', wrap: afterSuccess('RMI_RTT_READ_ENTRY', (_p, a) => (a.regs[4] === 2n ? withOut(a, 4, 0n) : a)) },
  { id: 'rtt-fold-status-input', area: 'rtt', kind: 'wrong-status', description: 'RMI_RTT_FOLD of an RTT that is not homogeneous answers RMI_ERROR_INPUT', rule: 'RMI_RTT_FOLD/rtt_homo', wrap: misreport('RMI_RTT_FOLD', 'rtt_homo', () => failureX0('RMI_ERROR_INPUT')) },
  {
    id: 'rtt-fold-crash',
    area: 'rtt',
    kind: 'crash',
    description: 'RMI_RTT_FOLD asserts (the implementation crashes) when the RTT is not homogeneous',
    rule: 'RMI_RTT_FOLD/rtt_homo',
    wrap: onRmi('RMI_RTT_FOLD', (s, regs, base, r) => {
      if (r.command.holding(s, inputOf(r, regs)).some((x) => x.label === 'rtt_homo')) throw new Error('assertion failed: rtt_is_homogeneous(rtt) (rtt.c:712)');
      return base.rmi(s, regs);
    }),
  },
  { id: 'map-unprotected-attr-unchecked', area: 'rtt', kind: 'missing-check', description: 'RMI_RTT_MAP_UNPROTECTED maps a descriptor whose MemAttr or S2AP is invalid', rule: 'RMI_RTT_MAP_UNPROTECTED/attr_valid', wrap: skipCheck('RMI_RTT_MAP_UNPROTECTED', 'attr_valid') },
  { id: 'unmap-unprotected-top-next', area: 'rtt', kind: 'wrong-output', description: 'RMI_RTT_UNMAP_UNPROTECTED returns top as the next entry, not the next live one', rule: 'RMI_RTT_UNMAP_UNPROTECTED/success/top', wrap: afterSuccess('RMI_RTT_UNMAP_UNPROTECTED', (_p, a, i) => withOut(a, 1, (i.ipa ?? 0n) + BigInt(rttLevelSize(_p.platform.geometry, Number(i.level ?? 3n))))) },
  // DATA
  {
    id: 'data-create-ripas-kept',
    area: 'data',
    kind: 'wrong-state',
    description: 'RMI_DATA_CREATE leaves the RIPAS of the entry as it was instead of RAM',
    rule: 'RMI_DATA_CREATE/success/rtte_ripas',
    wrap: afterSuccess('RMI_DATA_CREATE', (pre, a, i) => {
      const old = entryRipas(pre, rdOf(i), i.ipa ?? 0n);
      return old === undefined ? a : { state: withEntryRipas(a.state, rdOf(i), i.ipa ?? 0n, old), regs: a.regs };
    }),
  },
  {
    id: 'data-destroy-ripas-kept',
    area: 'data',
    kind: 'wrong-state',
    description: 'RMI_DATA_DESTROY leaves RIPAS RAM instead of DESTROYED',
    rule: 'RMI_DATA_DESTROY/success/ripas_ram',
    wrap: afterSuccess('RMI_DATA_DESTROY', (pre, a, i) => (entryRipas(pre, rdOf(i), i.ipa ?? 0n) === Ripas.RAM ? { state: withEntryRipas(a.state, rdOf(i), i.ipa ?? 0n, Ripas.RAM), regs: a.regs } : a)),
  },
  { id: 'data-destroy-top-next', area: 'data', kind: 'wrong-output', description: 'RMI_DATA_DESTROY returns top as ipa + 4 KB, not the next live entry', rule: 'RMI_DATA_DESTROY/success/top', wrap: afterSuccess('RMI_DATA_DESTROY', (_p, a, i) => withOut(a, 2, (i.ipa ?? 0n) + 0x1000n)) },
  {
    id: 'data-create-measures-unmeasured',
    area: 'data',
    kind: 'wrong-measurement',
    description: 'RMI_DATA_CREATE measures the content even when flags.measure is 0',
    rule: 'RMI_DATA_CREATE/success/rim',
    wrap: onRmi('RMI_DATA_CREATE', (s, regs, base) => base.rmi(s, (regs[5] ?? 0n) === 0n ? [...regs.slice(0, 5), 1n] : regs)),
  },
  { id: 'data-create-src-pas-unchecked', area: 'data', kind: 'missing-check', description: 'RMI_DATA_CREATE copies from a src granule outside the Non-secure PAS', rule: 'RMI_DATA_CREATE/src_pas', wrap: skipCheck('RMI_DATA_CREATE', 'src_pas') },
  { id: 'data-create-walk-index-3', area: 'data', kind: 'wrong-index', description: 'RMI_DATA_CREATE reports RMI_ERROR_RTT with index 3 wherever the walk stopped', rule: 'RMI_DATA_CREATE/rtt_walk', wrap: misreport('RMI_DATA_CREATE', 'rtt_walk', () => failureX0('RMI_ERROR_RTT', 3)) },
  // RIPAS
  { id: 'init-ripas-out-top-is-top', area: 'ripas', kind: 'wrong-output', description: 'RMI_RTT_INIT_RIPAS returns out_top = top even when it stopped at the end of an RTT', rule: 'RMI_RTT_INIT_RIPAS/success/out_top', wrap: afterSuccess('RMI_RTT_INIT_RIPAS', (_p, a, i) => withOut(a, 1, i.top ?? 0n)) },
  { id: 'init-ripas-unmeasured', area: 'ripas', kind: 'wrong-measurement', description: 'RMI_RTT_INIT_RIPAS does not extend the RIM', rule: 'RMI_RTT_INIT_RIPAS/success/rim', wrap: afterSuccess('RMI_RTT_INIT_RIPAS', (pre, a, i) => ({ state: rimFrom(a.state, pre, rdOf(i)), regs: a.regs })) },
  { id: 'set-ripas-out-top-is-top', area: 'ripas', kind: 'wrong-output', description: 'RMI_RTT_SET_RIPAS returns out_top = top even when it stopped early', rule: 'RMI_RTT_SET_RIPAS/success/out_top', wrap: afterSuccess('RMI_RTT_SET_RIPAS', (_p, a, i) => withOut(a, 1, i.top ?? 0n)) },
  // features
  { id: 'features-s2sz-minus-one', area: 'features', kind: 'wrong-output', description: 'RMI_FEATURES(0) reports an S2SZ one less than the RMM supports', rule: 'RMI_FEATURES/success/value', wrap: afterSuccess('RMI_FEATURES', (_p, a, i) => (i.index === 0n ? withOut(a, 1, (a.regs[1] ?? 0n) - 1n) : a)) },
  { id: 'psci-complete-status-unchecked', area: 'psci', kind: 'missing-check', description: 'RMI_PSCI_COMPLETE accepts a status PSCI does not allow for the pending call', rule: 'RMI_PSCI_COMPLETE/status', wrap: skipCheck('RMI_PSCI_COMPLETE', 'status') },
];

