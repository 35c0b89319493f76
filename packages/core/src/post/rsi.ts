/**
 * Post-conditions of RSI_VERSION, RSI_FEATURES, RSI_MEASUREMENT_READ, RSI_MEASUREMENT_EXTEND,
 * RSI_IPA_STATE_GET and RSI_IPA_STATE_SET (DEN0137 B5.3.10, B5.3.3, B5.3.8, B5.3.7, B5.3.5,
 * B5.3.6, A5.4), written from the commands' success conditions and output value statements, and
 * the outputs they leave to the implementation.
 *
 * @packageDocumentation
 */
import type { PostDefinition, Transition } from '../engine/post.js';
import { hashSize } from '../model/realm.js';
import { Ripas } from '../model/rtt.js';
import { bytesEqual, Rec, pa } from './view.js';
import { isRevision, REVISION_1_0, versionAnswer } from './version-view.js';
import {
  CurrentRealm,
  CurrentRec,
  doublewordBytes,
  input,
  IpaRipas,
  output,
  RemExtend,
  type RealmCall,
  type RealmResult,
} from './realm-view.js';

type T = Transition<RealmCall, RealmResult>;
type RealmPost = PostDefinition<RealmCall, RealmResult>;

// -------------------------------------------------------------------------------------
// RSI_VERSION, RSI_FEATURES
// -------------------------------------------------------------------------------------

/**
 * DEN0137 B5.3.10 (B2): on success the RMM supports a revision compatible with `req`; lower is
 * `req`, higher the highest revision it supports (1.0 for the model, D-VERSION). Another RMM may
 * support later revisions: any higher revision, at least lower, is permitted.
 */
export const rsiVersionPost: RealmPost = {
  success: {
    lower: (t) => output(t.out, 'lower') === input(t.input, 'req'),
    higher: (t) => output(t.out, 'higher') === REVISION_1_0,
  },
  locate: {},
  choices: {
    // B5.3.10: "the higher revision value is the highest interface revision which is supported
    // by the RMM", and lower <= higher; with major in 30:16 and minor in 15:0, revision order is
    // numeric order.
    higher: (t, v) => isRevision(v) && v >= input(t.input, 'req'),
  },
  // B2: as for RMI_VERSION, any answer B2 permits for some supported set containing 1.0 (D-VERSION).
  answers: (_pre, call, a) => versionAnswer(input(call, 'req'), a.ok, a.out.lower, a.out.higher),
};

/** DEN0137 B5.3.3.3: every feature register reads as zero in RMM 1.0 (`index`: value == Zeros()). */
export const rsiFeaturesPost: RealmPost = {
  success: { index: (t) => output(t.out, 'value') === 0n },
  locate: {},
};

// -------------------------------------------------------------------------------------
// RSI_MEASUREMENT_READ, RSI_MEASUREMENT_EXTEND
// -------------------------------------------------------------------------------------

/** The calling Realm's measurement `index` before the call, as its RHA's digest size of bytes zero-padded to 64 (A7.1, B5.3.8.1.2). */
function measurement(t: T, index: number): Uint8Array | undefined {
  const r = CurrentRealm(t.pre, t.input)?.realm;
  const m = r?.measurements[index];
  if (r === undefined || m === undefined) return undefined;
  const out = new Uint8Array(64);
  out.set(m.subarray(0, hashSize(r.hashAlgo)));
  return out;
}

/** The eight little-endian doublewords of 64 bytes. */
const doublewords = (b: Uint8Array): bigint[] => Array.from({ length: 8 }, (_, i) => b.subarray(8 * i, 8 * i + 8).reduceRight((v, x) => (v << 8n) | BigInt(x), 0n));

/** DEN0137 B5.3.8.1.2: value_0..value_7 are the doublewords of measurement `index`, padded with zeros beyond the digest. */
export const rsiMeasurementReadPost: RealmPost = {
  success: {
    value: (t) => {
      const m = measurement(t, Number(input(t.input, 'index')));
      return m !== undefined && doublewords(m).every((w, i) => output(t.out, `value_${i}`) === w);
    },
  },
  locate: {},
};

/** The 64 bytes of value_0..value_7 (B5.3.7.1.1: doubleword i holds bytes 8i..8i+7). */
const valueBytes = (t: T): Uint8Array => doublewordBytes(Array.from({ length: 8 }, (_, i) => input(t.input, `value_${i}`)));

/** DEN0137 B5.3.7.3: realm.measurements[index] == RemExtend(realm.hash_algo, meas_old, value, size) (D-REM). */
export const rsiMeasurementExtendPost: RealmPost = {
  success: {
    realm_meas: (t) => {
      const k = Number(input(t.input, 'index'));
      const old = CurrentRealm(t.pre, t.input);
      const now = CurrentRealm(t.post, t.input)?.realm.measurements[k];
      const meas = old?.realm.measurements[k];
      if (old === undefined || now === undefined || meas === undefined) return false;
      return bytesEqual(now, RemExtend(t.pre.platform.digest, old.realm.hashAlgo, meas, valueBytes(t), Number(input(t.input, 'size'))));
    },
  },
  locate: {
    realm: (t) => CurrentRec(t.pre, t.input)?.owner,
    index: (t) => Number(input(t.input, 'index')),
  },
};

// -------------------------------------------------------------------------------------
// RSI_IPA_STATE_GET, RSI_IPA_STATE_SET
// -------------------------------------------------------------------------------------

/** Whether every address of [base, top) of the calling Realm has RIPAS `ripas` (A5.2.2), one RTT entry at a time. */
function rangeHasRipas(t: T, base: bigint, top: bigint, ripas: bigint): boolean {
  const realm = CurrentRealm(t.pre, t.input);
  if (realm === undefined) return false;
  for (let a = base; a < top; ) {
    const e = IpaRipas(t.pre, realm.rd, a);
    if (e === undefined || BigInt(e.ripas) !== ripas) return false;
    a = e.top;
  }
  return true;
}

/** base < v <= top (B5.3.5.1.3). */
const outTopInRange = (t: T, v: bigint | undefined): boolean => v !== undefined && v > input(t.input, 'base') && v <= input(t.input, 'top');

/** A RIPAS the Realm can see: RSI_EMPTY, RSI_RAM or RSI_DESTROYED (B5.4.7; X2[63:8] MBZ). */
const isRsiRipas = (v: bigint | undefined): v is bigint => v === BigInt(Ripas.EMPTY) || v === BigInt(Ripas.RAM) || v === BigInt(Ripas.DESTROYED);

/**
 * DEN0137 B5.3.5.1.3: base < out_top <= top, and every address of [base, out_top) has RIPAS
 * `ripas`. Where out_top stops is the implementation's (D-IPA-STATE-GET): any out_top in the
 * bounds whose range has the one RIPAS is permitted.
 */
export const rsiIpaStateGetPost: RealmPost = {
  success: {
    out_top: (t) => outTopInRange(t, output(t.out, 'out_top')),
    ripas: (t) => {
      const r = output(t.out, 'ripas');
      const top = output(t.out, 'out_top');
      return isRsiRipas(r) && top !== undefined && rangeHasRipas(t, input(t.input, 'base'), top, r);
    },
  },
  locate: {},
  choices: {
    out_top: (t, v) => {
      const r = output(t.out, 'ripas');
      return outTopInRange(t, v) && isRsiRipas(r) && rangeHasRipas(t, input(t.input, 'base'), v, r);
    },
  },
};

/** The calling REC after the call. */
const recAfter = (t: T) => Rec(t.post, pa(t.input.recGi));

/**
 * DEN0137 A5.4, A4.3.8, B5.3.6: the request is recorded in the REC and ends in a REC exit due to
 * RIPAS change; new_base and response reach the Realm at the next REC entry (RMI_REC_ENTER's
 * ripas_response).
 */
export const rsiIpaStateSetPost: RealmPost = {
  success: {
    request: (t) => {
      const r = recAfter(t);
      return (
        r !== undefined &&
        r.ripasAddr === input(t.input, 'base') &&
        r.ripasTop === input(t.input, 'top') &&
        BigInt(r.ripasValue) === input(t.input, 'ripas') &&
        r.ripasDestroyed === ((input(t.input, 'flags') & 1n) === 1n)
      );
    },
    exit: (t) =>
      t.out.kind === 'exit' &&
      t.out.cause.kind === 'ripas_change' &&
      t.out.cause.base === input(t.input, 'base') &&
      t.out.cause.top === input(t.input, 'top') &&
      BigInt(t.out.cause.value ?? -1) === input(t.input, 'ripas'),
  },
  locate: { rec: (t) => t.input.recGi },
};
