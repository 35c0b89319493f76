/**
 * Realm programs: a Realm's behaviour as a script of RSI and PSCI calls and memory accesses (the
 * core's RealmAction values), with builders for the calls a Linux guest makes (DEN0137 B5 RSI,
 * B6 PSCI) and for moving bytes through memory with loads and stores.
 *
 * @packageDocumentation
 */
import { catalogueCommand, type RealmAccessAction, type RealmAction, type RealmCallAction } from '@realmspec/core';

// -------------------------------------------------------------------------------------
// calls
// -------------------------------------------------------------------------------------

/** A Realm SMC to the command called `name` with X1.. = `args`. */
export function call(name: string, ...args: bigint[]): RealmCallAction {
  return { kind: 'call', regs: [BigInt(catalogueCommand(name).fids[0] as number), ...args] };
}

/** The 64-byte `bytes` (zero-padded) as eight little-endian doublewords, the way RSI passes challenges and values in X registers. */
export function doublewords(bytes: Uint8Array): bigint[] {
  const b = new Uint8Array(64);
  b.set(bytes.subarray(0, 64));
  const v = new DataView(b.buffer);
  return Array.from({ length: 8 }, (_, i) => v.getBigUint64(8 * i, true));
}

/** DEN0137 B5.3 RSI calls as Realm actions. */
export const rsi = {
  /** B5.3.10 RSI_VERSION, requesting interface revision 1.0. */
  version: (): RealmCallAction => call('RSI_VERSION', 0x1_0000n),
  /** B5.3.9 RSI_REALM_CONFIG: the RMM writes RsiRealmConfig at `addr`. */
  realmConfig: (addr: bigint): RealmCallAction => call('RSI_REALM_CONFIG', addr),
  /** B5.3.8 RSI_MEASUREMENT_READ of slot `index` (0 = RIM). */
  measurementRead: (index: bigint): RealmCallAction => call('RSI_MEASUREMENT_READ', index),
  /** B5.3.7 RSI_MEASUREMENT_EXTEND of REM `index` with `value` (at most 64 bytes). */
  measurementExtend: (index: bigint, value: Uint8Array): RealmCallAction => call('RSI_MEASUREMENT_EXTEND', index, BigInt(Math.min(value.length, 64)), ...doublewords(value)),
  /** B5.3.6 RSI_IPA_STATE_SET of [base, top) to `ripas` (0 EMPTY, 1 RAM). */
  ipaStateSet: (base: bigint, top: bigint, ripas: bigint, flags = 0n): RealmCallAction => call('RSI_IPA_STATE_SET', base, top, ripas, flags),
  /** B5.3.5 RSI_IPA_STATE_GET of [base, top). */
  ipaStateGet: (base: bigint, top: bigint): RealmCallAction => call('RSI_IPA_STATE_GET', base, top),
  /** B5.3.2 RSI_ATTESTATION_TOKEN_INIT with a 64-byte challenge. */
  attestationInit: (challenge: Uint8Array): RealmCallAction => call('RSI_ATTESTATION_TOKEN_INIT', ...doublewords(challenge)),
  /** B5.3.1 RSI_ATTESTATION_TOKEN_CONTINUE into the granule at `addr`, from `offset`, at most `size` bytes. */
  attestationContinue: (addr: bigint, offset: bigint, size: bigint): RealmCallAction => call('RSI_ATTESTATION_TOKEN_CONTINUE', addr, offset, size),
  /** B5.3.4 RSI_HOST_CALL with the RsiHostCall at `addr`. */
  hostCall: (addr: bigint): RealmCallAction => call('RSI_HOST_CALL', addr),
} as const;

/** DEN0137 B6.3 PSCI calls as Realm actions. */
export const psci = {
  /** B6.3.3 PSCI_CPU_ON of the REC whose MPIDR is `target`, entering at `entry` with `context` in X0. */
  cpuOn: (target: bigint, entry: bigint, context = 0n): RealmCallAction => call('PSCI_CPU_ON', target, entry, context),
  /** B6.3.2 PSCI_CPU_OFF of the calling REC. */
  cpuOff: (): RealmCallAction => call('PSCI_CPU_OFF'),
  /** B6.3.6 PSCI_SYSTEM_OFF. */
  systemOff: (): RealmCallAction => call('PSCI_SYSTEM_OFF'),
} as const;

// -------------------------------------------------------------------------------------
// memory
// -------------------------------------------------------------------------------------

/** A store of `value` (`size` bytes, default 8) at `ipa`. */
export function store(ipa: bigint, value: bigint, size: 1 | 2 | 4 | 8 = 8): RealmAccessAction {
  return { kind: 'access', ipa, access: 'write', size, value };
}

/** A store of register `reg` (8 bytes) at `ipa`. */
export function storeReg(ipa: bigint, reg: number): RealmAccessAction {
  return { kind: 'access', ipa, access: 'write', size: 8, reg };
}

/** A load of `size` bytes (default 8) at `ipa` into register `reg` (default X0). */
export function load(ipa: bigint, reg = 0, size: 1 | 2 | 4 | 8 = 8): RealmAccessAction {
  return { kind: 'access', ipa, access: 'read', size, reg };
}

/** Stores that write `bytes` at `ipa` (8-byte aligned), eight bytes at a time (the last doubleword zero-padded). */
export function storeBytes(ipa: bigint, bytes: Uint8Array): RealmAccessAction[] {
  const out: RealmAccessAction[] = [];
  for (let off = 0; off < bytes.length; off += 8) {
    const chunk = new Uint8Array(8);
    chunk.set(bytes.subarray(off, off + 8));
    out.push(store(ipa + BigInt(off), new DataView(chunk.buffer).getBigUint64(0, true)));
  }
  return out;
}

/** Loads and stores that copy `len` bytes (rounded up to doublewords) from `from` to `to` through register `reg` (default X9). */
export function copy(from: bigint, to: bigint, len: number, reg = 9): RealmAction[] {
  const out: RealmAction[] = [];
  for (let off = 0n; off < BigInt(len); off += 8n) out.push(load(from + off, reg), storeReg(to + off, reg));
  return out;
}
