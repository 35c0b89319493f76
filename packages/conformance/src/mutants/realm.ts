/**
 * Mutants of Realm execution (REC exits, RSI and PSCI results) and of failure ordering (another
 * holding failure reported, outside the permitted set or inside it).
 *
 * @packageDocumentation
 */
import { encodeRmiResult, RecExitReason, statusCode, type Rule, type StatusName } from '@realmspec/core';
import { fidOf, onEnter, onExit, onRealmCall, reorder, route, type Mutant } from './kit.js';

const PSCI_SUCCESS = 0n;
const PSCI_NOT_SUPPORTED = BigInt.asUintN(64, -1n);

/** The first holding condition the spec does not permit (one an ordering puts after another holding one). */
const outside = (held: readonly Rule[], permitted: ReadonlySet<string>): Rule | undefined => held.find((r) => !permitted.has(r.id));
/** The last member of the permitted set, when it has several: another answer the spec permits. */
const lastPermitted = (held: readonly Rule[], permitted: ReadonlySet<string>): Rule | undefined => {
  const p = held.filter((r) => permitted.has(r.id));
  return p.length > 1 ? p[p.length - 1] : undefined;
};

const enter = route('RMI_REC_ENTER');

/** RMI_REC_ENTER reporting a holding failure the orderings put after another holding one. */
const enterOutside = onEnter((s, rec, runPtr, actions, base) => {
  const input = { rec, run_ptr: runPtr };
  const held = enter.command.holding(s, input);
  const pick = held.length > 1 ? outside(held, new Set(enter.command.permitted(s, input).map((f) => f.rule))) : undefined;
  if (pick === undefined) return base.enter(s, rec, runPtr, actions);
  return { state: s, x0: encodeRmiResult(statusCode(pick.status as StatusName), typeof pick.index === 'number' ? pick.index : 0), calls: [], exit: undefined };
});

/** Mutants of REC exits, Realm calls and failure ordering. */
export const realmMutants: readonly Mutant[] = [
  // REC exits
  { id: 'irq-exit-as-fiq', area: 'rec-exit', kind: 'wrong-exit', description: 'a REC exit due to IRQ is reported with exit_reason RMI_EXIT_FIQ', rule: 'RMI_REC_ENTER/success/rec_exit', wrap: onExit(RecExitReason.RMI_EXIT_IRQ, (e) => (e.exit_reason = BigInt(RecExitReason.RMI_EXIT_FIQ))) },
  {
    id: 'data-abort-hpfar-unshifted',
    area: 'rec-exit',
    kind: 'wrong-exit',
    description: 'a Data Abort exit reports the faulting IPA in hpfar as it is, not shifted into HPFAR_EL2.FIPA',
    rule: 'RMI_REC_ENTER/success/rec_exit',
    wrap: onExit(RecExitReason.RMI_EXIT_SYNC, (e) => {
      const h = e.hpfar as bigint;
      if (h !== 0n) e.hpfar = (h >> 4n) << 12n;
    }),
  },
  { id: 'host-call-imm-8bit', area: 'rec-exit', kind: 'wrong-exit', description: 'a Host call exit reports only the low 8 bits of imm', rule: 'RSI_HOST_CALL/success/exit', wrap: onExit(RecExitReason.RMI_EXIT_HOST_CALL, (e) => (e.imm = (e.imm as bigint) & 0xffn)) },
  { id: 'host-call-gprs-zero', area: 'rec-exit', kind: 'wrong-exit', description: 'a Host call exit does not copy the RsiHostCall gprs into exit.gprs', rule: 'RSI_HOST_CALL/success/exit', wrap: onExit(RecExitReason.RMI_EXIT_HOST_CALL, (e) => (e.gprs = (e.gprs as readonly bigint[]).map(() => 0n))) },
  { id: 'ripas-change-value-flipped', area: 'rec-exit', kind: 'wrong-exit', description: 'a RIPAS change exit reports EMPTY for RAM and RAM for EMPTY', rule: 'RSI_IPA_STATE_SET/success/exit', wrap: onExit(RecExitReason.RMI_EXIT_RIPAS_CHANGE, (e) => (e.ripas_value = (e.ripas_value as bigint) ^ 1n)) },
  {
    id: 'psci-exit-args-unsanitised',
    area: 'rec-exit',
    kind: 'wrong-exit',
    description: 'a PSCI exit of an SMC32 call copies X1..X3 whole instead of their low 32 bits',
    rule: 'PSCI_CPU_ON/success/exit',
    wrap: onExit(RecExitReason.RMI_EXIT_PSCI, (e, actions, a) => {
      const act = actions[a.calls.length - 1];
      if (act?.kind !== 'call' || ((act.regs[0] ?? 0n) & 0x4000_0000n) !== 0n) return;
      const gprs = [...(e.gprs as readonly bigint[])];
      for (let k = 1; k <= 3; k++) gprs[k] = act.regs[k] ?? 0n;
      e.gprs = gprs;
    }),
  },
  // RSI
  {
    id: 'measurement-read-index-5',
    area: 'rsi',
    kind: 'off-by-one',
    description: 'RSI_MEASUREMENT_READ accepts index 5 (one past the last REM) and returns zeros',
    rule: 'RSI_MEASUREMENT_READ/index_bound',
    wrap: onRealmCall('RSI_MEASUREMENT_READ', (call, r) => {
      if (call[1] === 5n) for (let k = 0; k <= 8; k++) r[k] = 0n;
    }),
  },
  {
    id: 'measurement-extend-size-65',
    area: 'rsi',
    kind: 'off-by-one',
    description: 'RSI_MEASUREMENT_EXTEND accepts a size of 65 bytes',
    rule: 'RSI_MEASUREMENT_EXTEND/size_bound',
    wrap: onRealmCall('RSI_MEASUREMENT_EXTEND', (call, r) => {
      const i = call[1] ?? 0n;
      if (call[2] === 65n && i >= 1n && i <= 4n) r[0] = 0n;
    }),
  },
  { id: 'ipa-state-get-destroyed-empty', area: 'rsi', kind: 'wrong-output', description: 'RSI_IPA_STATE_GET reports RIPAS DESTROYED as EMPTY', rule: 'RSI_IPA_STATE_GET/success/ripas', wrap: onRealmCall('RSI_IPA_STATE_GET', (_c, r) => void (r[0] === 0n && r[2] === 2n && (r[2] = 0n))) },
  { id: 'rsi-features-nonzero', area: 'rsi', kind: 'wrong-output', description: 'RSI_FEATURES answers 1 for index 0 (a feature 1.0 does not define)', rule: 'RSI_FEATURES/success/index', wrap: onRealmCall('RSI_FEATURES', (c, r) => void (r[0] === 0n && c[1] === 0n && (r[1] = 1n))) },
  { id: 'rsi-version-lower-1-1', area: 'rsi', kind: 'wrong-output', description: 'RSI_VERSION answers lower = 1.1 instead of the revision requested', rule: 'RSI_VERSION/success/lower', wrap: onRealmCall('RSI_VERSION', (_c, r) => void (r[0] === 0n && (r[1] = 0x1_0001n))) },
  // PSCI
  {
    id: 'psci-features-cpu-on-unsupported',
    area: 'psci',
    kind: 'wrong-output',
    description: 'PSCI_FEATURES answers PSCI_NOT_SUPPORTED for PSCI_CPU_ON',
    rule: 'PSCI_FEATURES/success/func_ok',
    wrap: onRealmCall('PSCI_FEATURES', (c, r) => {
      const f = (c[1] ?? 0n) & 0xffff_ffffn;
      if (r[0] === PSCI_SUCCESS && (f === fidOf('PSCI_CPU_ON') || f === 0x8400_0003n)) r[0] = PSCI_NOT_SUPPORTED;
    }),
  },
  // failure order
  { id: 'enter-order-outside', area: 'rec-exit', kind: 'order-outside', description: 'RMI_REC_ENTER checks the REC before the run granule: a REC or Realm failure is reported although a run_ptr failure holds', rule: 'RMI_REC_ENTER/order/run_pas<rec_runnable', wrap: enterOutside },
  { id: 'data-create-order-outside', area: 'data', kind: 'order-outside', description: 'RMI_DATA_CREATE walks the RTT before checking the RD and the IPA: RMI_ERROR_RTT although rd or ipa is bad', rule: 'RMI_DATA_CREATE/order/ipa_bound<rtt_walk', wrap: reorder('RMI_DATA_CREATE', outside) },
  { id: 'rtt-create-order-outside', area: 'rtt', kind: 'order-outside', description: 'RMI_RTT_CREATE walks the RTT before checking the level and the IPA', rule: 'RMI_RTT_CREATE/order/level_bound<rtt_walk', wrap: reorder('RMI_RTT_CREATE', outside) },
  { id: 'rtt-create-order-permitted', area: 'rtt', kind: 'order-permitted', description: 'RMI_RTT_CREATE reports the last of several holding failures (the spec permits any that no ordering puts after another: rtt_walk with rtt_state)', rule: 'RMI_RTT_CREATE', permitted: true, wrap: reorder('RMI_RTT_CREATE', lastPermitted) },
  { id: 'rec-create-order-permitted', area: 'rec', kind: 'order-permitted', description: 'RMI_REC_CREATE reports the last of several holding failures that no ordering relates', rule: 'RMI_REC_CREATE', permitted: true, wrap: reorder('RMI_REC_CREATE', lastPermitted) },
];
