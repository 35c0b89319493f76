/**
 * Fixtures for the RTT, DATA and RIPAS tests: the standard Realm of `support/fixtures.ts`
 * (39-bit IPA, starting level 1, one starting RTT at R.rtt, SHA-256) with tables, DATA pages and
 * Unprotected mappings built through commands. Expected values in tests are written out from
 * the spec digest; these helpers only build states.
 */
import { granuleAt, granuleIndex, GranuleState, RecState, rttWalk, type Ripas, type RmmState, type RttWalkResult } from '../../src/index.js';
import { updateRec } from '../../src/internal.js';
import { G, R, delegate, ok, write } from '../support/fixtures.js';

/** 1 GB: the size of a level 1 entry. */
export const GB = 0x4000_0000n;
/** 2 MB: the size of a level 2 entry. */
export const MB2 = 0x20_0000n;
/** 4 KB: the size of a level 3 entry. */
export const KB4 = 0x1000n;
/** First Unprotected IPA of the standard Realm: 2^(39 − 1). */
export const UNPROT = 1n << 38n;
/** The IPA space of the standard Realm ends at 2^39. */
export const IPA_TOP = 1n << 39n;

/** Table granules used by the tests. */
export const T = {
  /** Level 2 RTT at IPA 0. */
  l2: G(8),
  /** Level 3 RTT at IPA 0. */
  l3: G(9),
  /** Level 3 RTT at IPA 2 MB. */
  l3b: G(10),
  /** Level 2 RTT at UNPROT. */
  nl2: G(11),
  /** Level 3 RTT at UNPROT. */
  nl3: G(12),
  /** A spare delegated granule. */
  spare: G(13),
} as const;

/** A Non-secure source page with recognisable content, and a second one. */
export const SRC = G(40);
export const SRC2 = G(41);
/** DATA granules for single pages: G(48)..G(63). */
export const DATA = Array.from({ length: 16 }, (_, k) => G(48 + k));
/** 512 granules on a 2 MB boundary (PA 0x8020_0000): the pages of a 2 MB DATA block. */
export const BLOCK = Array.from({ length: 512 }, (_, k) => G(512 + k));

/** Bytes 0, 1, 2, ... (mod 251) with a seed byte: recognisable page contents. */
export function pattern(seed: number): Uint8Array {
  return Uint8Array.from({ length: 4096 }, (_, i) => (i * 7 + seed) % 251);
}

/** `s` with SRC and SRC2 written by the Host. */
export function withSources(s: RmmState): RmmState {
  return write(write(s, SRC, pattern(1)), SRC2, pattern(2));
}

/** `s` with the level 2 and level 3 RTTs at IPA 0 of the standard Realm. */
export function withProtectedTables(s: RmmState): RmmState {
  s = delegate(s, T.l2, T.l3);
  s = ok(s, 'RMI_RTT_CREATE', R.rd, T.l2, 0n, 2n);
  return ok(s, 'RMI_RTT_CREATE', R.rd, T.l3, 0n, 3n);
}

/** `s` with the level 2 and level 3 RTTs at UNPROT of the standard Realm. */
export function withUnprotectedTables(s: RmmState): RmmState {
  s = delegate(s, T.nl2, T.nl3);
  s = ok(s, 'RMI_RTT_CREATE', R.rd, T.nl2, UNPROT, 2n);
  return ok(s, 'RMI_RTT_CREATE', R.rd, T.nl3, UNPROT, 3n);
}

/** `s` with DATA granule `data` (delegated here unless it is already) created at `ipa` from `src`. */
export function withData(s: RmmState, ipa: bigint, data: bigint, src = SRC, flags = 0n): RmmState {
  if (granuleAt(s, granuleIndex(data)).state === GranuleState.UNDELEGATED) s = delegate(s, data);
  return ok(s, 'RMI_DATA_CREATE', R.rd, data, ipa, src, flags);
}

/**
 * `s` with a 2 MB DATA block at IPA 2 MB: a level 3 RTT at 2 MB (T.l3b) filled by DATA_CREATE
 * with the 512 BLOCK granules, then folded into the level 2 entry. Needs the protected tables.
 */
export function withDataBlock(s: RmmState): RmmState {
  s = delegate(s, T.l3b, ...BLOCK);
  s = ok(s, 'RMI_RTT_CREATE', R.rd, T.l3b, MB2, 3n);
  BLOCK.forEach((pa, k) => {
    s = ok(s, 'RMI_DATA_CREATE', R.rd, pa, MB2 + BigInt(k) * KB4, SRC, 0n);
  });
  return ok(s, 'RMI_RTT_FOLD', R.rd, MB2, 3n);
}

/** The walk of the standard Realm to `ipa` at `level`. */
export function walk(s: RmmState, ipa: bigint, level = 3, rd = R.rd): RttWalkResult {
  const w = rttWalk(s, granuleIndex(rd), Number(ipa), level);
  if (w === undefined) throw new Error(`no walk to 0x${ipa.toString(16)}`);
  return w;
}

/** A pending RIPAS change on REC `rec`, as a REC exit due to RSI_IPA_STATE_SET leaves it (DEN0137 B5.3.6). */
export function withRipasRequest(s: RmmState, rec: bigint, req: { base: bigint; top: bigint; value: Ripas; destroyed?: boolean; running?: boolean }): RmmState {
  const gi = granuleIndex(rec);
  const r = s.recs.get(gi);
  if (r === undefined) throw new Error('no REC');
  const patched = updateRec(r, {
    ripasAddr: req.base,
    ripasTop: req.top,
    ripasValue: req.value,
    ripasDestroyed: req.destroyed ?? false,
    state: req.running === true ? RecState.REC_RUNNING : RecState.REC_READY,
  });
  return { ...s, recs: s.recs.set(gi, patched) };
}
