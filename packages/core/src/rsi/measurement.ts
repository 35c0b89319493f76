/**
 * RSI_MEASUREMENT_READ and RSI_MEASUREMENT_EXTEND: the Realm reads its RIM and REMs and extends
 * a REM (DEN0137 B5.3.8, B5.3.7, A7.1.2, B3.42).
 *
 * @packageDocumentation
 */
import { defineCommand } from '../engine/command.js';
import { remExtend } from '../model/measurement.js';
import { withMeasurement } from '../model/realm.js';
import { u64sToBytes } from '../model/realm-params.js';
import { withRealmRecord } from '../model/state.js';
import { arg, realmContext, returnToRealm, type RealmCallInput, type RealmCallCtx, type RealmOutcome } from '../realm/command.js';
import { RsiStatus } from '../abi/status.js';
import { rsiMeasurementExtendPost, rsiMeasurementReadPost } from '../post/rsi.js';

// -------------------------------------------------------------------------------------
// RSI_MEASUREMENT_READ
// -------------------------------------------------------------------------------------

/** The eight little-endian doublewords of a 64-byte measurement, named value_0..value_7. */
function doublewords(m: Uint8Array): Record<string, bigint> {
  const v = new DataView(m.buffer, m.byteOffset, m.byteLength);
  const out: Record<string, bigint> = {};
  for (let i = 0; i < 8; i++) out[`value_${i}`] = v.getBigUint64(8 * i, true);
  return out;
}

/**
 * DEN0137 B5.3.8 RSI_MEASUREMENT_READ: measurement `index` (0 the RIM, 1..4 the REMs) as eight
 * little-endian doublewords, zero beyond the hash size.
 * @category RSI
 */
export const rsiMeasurementRead = defineCommand<RealmCallInput, RealmCallCtx, RealmOutcome>({
  name: 'RSI_MEASUREMENT_READ',
  context: realmContext,
  failures: {
    // index > 4: there are five measurement slots.
    index_bound: (c) => arg(c, 'index') > 4n,
  },
  apply: (c) => [c.s, returnToRealm(RsiStatus.RSI_SUCCESS, doublewords(c.realm.measurements[Number(arg(c, 'index'))] as Uint8Array))],
  post: rsiMeasurementReadPost,
});

// -------------------------------------------------------------------------------------
// RSI_MEASUREMENT_EXTEND
// -------------------------------------------------------------------------------------

/** The names of the value inputs, value_0..value_7. */
const VALUE_INPUTS = Array.from({ length: 8 }, (_, i) => `value_${i}`);

/** value_0..value_7 as the 64 bytes they hold in little-endian order. */
function valueBytes(c: RealmCallCtx): Uint8Array {
  return u64sToBytes(VALUE_INPUTS.map((name) => arg(c, name)));
}

/**
 * DEN0137 B5.3.7 RSI_MEASUREMENT_EXTEND: REM `index` (1..4) becomes RemExtend(RHA, REM, the
 * first `size` bytes of value_0..value_7). The hash input is D-REM (model/measurement.ts).
 * @category RSI
 */
export const rsiMeasurementExtend = defineCommand<RealmCallInput, RealmCallCtx, RealmOutcome>({
  name: 'RSI_MEASUREMENT_EXTEND',
  context: realmContext,
  failures: {
    // index < 1 or index > 4: only the REMs can be extended.
    index_bound: (c) => arg(c, 'index') < 1n || arg(c, 'index') > 4n,
    // size > 64 bytes.
    size_bound: (c) => arg(c, 'size') > 64n,
  },
  apply: (c) => {
    const r = c.realm;
    const k = Number(arg(c, 'index'));
    // DECISION D-REM (see model/measurement.ts): `size` bytes of the value are hashed.
    const rem = remExtend(c.s.platform.digest, r.hashAlgo, r.measurements[k] as Uint8Array, valueBytes(c), Number(arg(c, 'size')));
    return [withRealmRecord(c.s, c.rec.owner, withMeasurement(r, k, rem)), returnToRealm(RsiStatus.RSI_SUCCESS)];
  },
  post: rsiMeasurementExtendPost,
});
