/**
 * Realm measurements: RIM initialisation and extension, REM extension (DEN0137 A7.1, B3.42,
 * B4.3.1.4, B4.3.9.4, B4.3.12.4, B4.3.18.4). Byte layouts are those of data.md §6.
 *
 * @packageDocumentation
 */
import { MEASUREMENT_BYTES, hashSize, type HashAlgorithm } from './realm.js';
import type { MeasurementDigest } from './platform.js';
import { encodeStruct, type Layout } from './layout.js';
import { RmiRealmParams, RmiRecParams, realmParamsMeasured, recParamsMeasured } from './structs.js';
import type { StructValue } from './layout.js';

/** Measurement descriptor types (DEN0137 C1.11–C1.13 RmmMeasurementDescriptor*). @category Measurement & attestation */
export const MeasurementDescriptorType = {
  /** RmmMeasurementDescriptorData. */
  DATA: 0,
  /** RmmMeasurementDescriptorRec. */
  REC: 1,
  /** RmmMeasurementDescriptorRipas. */
  RIPAS: 2,
} as const;

/** Size of every measurement descriptor in bytes. @category Measurement & attestation */
export const DESCRIPTOR_SIZE = 0x100;

/**
 * The RHA of `algo` over `data`, zero-filled to a 64-byte measurement (DEN0137 A7.1), computed
 * with the platform's digest primitive `digest` (SHA, or symbolic: D-SYMBOLIC-MEASURE).
 * @category Measurement & attestation
 */
export function measure(digest: MeasurementDigest, algo: HashAlgorithm, ...data: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(MEASUREMENT_BYTES);
  out.set(digest(algo, data));
  return out;
}

/** A measurement of all zeros (the initial value of every REM). @category Measurement & attestation */
export const ZERO_MEASUREMENT: Uint8Array = new Uint8Array(MEASUREMENT_BYTES);

function measuredImage(layout: Layout, params: StructValue, fields: readonly string[]): Uint8Array {
  const picked: Record<string, bigint | readonly bigint[]> = {};
  for (const f of fields) {
    const v = params[f];
    if (v !== undefined) picked[f] = v;
  }
  return encodeStruct(layout, picked);
}

/** DEN0137 B4.3.9.4 RimInit: hash (with `digest`) of a zeroed RmiRealmParams holding only the measured fields. @category Measurement & attestation */
export function rimInit(digest: MeasurementDigest, algo: HashAlgorithm, params: StructValue): Uint8Array {
  return measure(digest, algo, measuredImage(RmiRealmParams, params, realmParamsMeasured));
}

function descriptor(type: number, rim: Uint8Array): Uint8Array {
  const d = new Uint8Array(DESCRIPTOR_SIZE);
  const v = new DataView(d.buffer);
  d[0] = type;
  v.setBigUint64(0x08, BigInt(DESCRIPTOR_SIZE), true);
  d.set(rim, 0x10);
  return d;
}

/** DEN0137 B4.3.12.4 RimExtendRec: extends `rim` (hashing with `digest`) with the measured fields of a runnable REC's params. @category Measurement & attestation */
export function rimExtendRec(digest: MeasurementDigest, algo: HashAlgorithm, rim: Uint8Array, params: StructValue): Uint8Array {
  const d = descriptor(MeasurementDescriptorType.REC, rim);
  d.set(measure(digest, algo, measuredImage(RmiRecParams, params, recParamsMeasured)), 0x50);
  return measure(digest, algo, d);
}

/**
 * DEN0137 B4.3.1.4 RimExtendData: extends `rim` (hashing with `digest`) with a DATA descriptor
 * for `ipa`; `content` is the granule's bytes when `flags` asks for content measurement.
 * @category Measurement & attestation
 */
export function rimExtendData(digest: MeasurementDigest, algo: HashAlgorithm, rim: Uint8Array, ipa: bigint, flags: bigint, content: Uint8Array | undefined): Uint8Array {
  const d = descriptor(MeasurementDescriptorType.DATA, rim);
  const v = new DataView(d.buffer);
  v.setBigUint64(0x50, ipa, true);
  v.setBigUint64(0x58, flags, true);
  if (content !== undefined) d.set(measure(digest, algo, content), 0x60);
  return measure(digest, algo, d);
}

/** DEN0137 B4.3.18.4 RimExtendRipasForEntry: extends `rim` (hashing with `digest`) with a RIPAS descriptor for `[base, top)`. @category Measurement & attestation */
export function rimExtendRipas(digest: MeasurementDigest, algo: HashAlgorithm, rim: Uint8Array, base: bigint, top: bigint): Uint8Array {
  const d = descriptor(MeasurementDescriptorType.RIPAS, rim);
  const v = new DataView(d.buffer);
  v.setBigUint64(0x50, base, true);
  v.setBigUint64(0x58, top, true);
  return measure(digest, algo, d);
}

/**
 * DEN0137 B3.42 RemExtend: hash (with `digest`) of the old REM (hash-size bytes) followed by `size` bytes of
 * `value`. UNSURE in the digest (data.md §6.5): the spec wording allows hashing a zero-padded
 * 64-byte value; TF-RMM and ISLET hash exactly `size` bytes, and so does the model (DECISIONS D-REM).
 * @category Measurement & attestation
 */
export function remExtend(digest: MeasurementDigest, algo: HashAlgorithm, rem: Uint8Array, value: Uint8Array, size: number): Uint8Array {
  // DECISION D-REM: exactly `size` bytes of the value are hashed.
  return measure(digest, algo, rem.subarray(0, hashSize(algo)), value.subarray(0, size));
}
