/**
 * Post-conditions of the RSI commands that touch Realm memory or make a token: RSI_HOST_CALL,
 * RSI_REALM_CONFIG, RSI_ATTESTATION_TOKEN_INIT and RSI_ATTESTATION_TOKEN_CONTINUE (DEN0137
 * B5.3.4, B5.3.9, B5.3.2, B5.3.1, A4.3.9, A7.2), written from the commands' success conditions,
 * interfaces and chapter A text, and the outputs they leave to the implementation.
 *
 * Where the command's address leads is D-RSI-MEM: the rows apply when it leads to a DATA granule
 * with RIPAS RAM (an unmapped IPA gives a REC exit due to Data Abort, and the Realm calls again).
 *
 * The attestation token's contents are IMPLEMENTATION DEFINED in the parts the spec does not fix
 * (the platform token, signatures, encodings; A7.2.3). The rows check what the spec fixes: the
 * token handed out includes the challenge (A7.2.2), INIT's size bounds it, and CONTINUE copies the
 * next part of that token, at most `size` bytes, into the buffer, so that the parts follow each
 * other (A7.2.2's loop). The model keeps the token being handed out in the REC (`attest_token`).
 *
 * @packageDocumentation
 */
import type { PostDefinition, Transition } from '../engine/post.js';
import { HashAlgorithm } from '../model/realm.js';
import { AttestState } from '../model/rec.js';
import { decodeStruct } from '../model/layout.js';
import { RsiHostCall, RsiRealmConfig } from '../model/structs.js';
import { RsiStatus } from '../abi/status.js';
import { bytesEqual, GRANULE, gi } from './view.js';
import { CurrentRealm, CurrentRec, doublewordBytes, input, Memory, output, ProtectedIpa, type RealmCall, type RealmResult } from './realm-view.js';

type T = Transition<RealmCall, RealmResult>;
type RealmPost = PostDefinition<RealmCall, RealmResult>;

// -------------------------------------------------------------------------------------
// the address
// -------------------------------------------------------------------------------------

/** The PA that the call's `addr` leads to before the call, when it is a DATA granule with RIPAS RAM (A5.2.3, D-RSI-MEM). */
function page(t: T): bigint | undefined {
  const r = CurrentRealm(t.pre, t.input);
  if (r === undefined) return undefined;
  const p = ProtectedIpa(t.pre, r.rd, input(t.input, 'addr'));
  return p?.kind === 'page' ? p.pa : undefined;
}

/** The catalogue's `when` of every row: addr leads to a DATA granule with RIPAS RAM (D-RSI-MEM). */
const reached = (t: T): boolean => page(t) !== undefined;

/** The footprint's locator of Memory(addr) or Memory(cfg): the DATA granule addr leads to. */
const pageLocator = (t: T): number | undefined => {
  const p = page(t);
  return p === undefined ? undefined : gi(p);
};

/** The footprint's locator `rec`: CurrentRec(). */
const recLocator = (t: T): number => t.input.recGi;

// -------------------------------------------------------------------------------------
// RSI_HOST_CALL
// -------------------------------------------------------------------------------------

/** The RsiHostCall at addr before the call (B5.4.3): imm (UInt16) and gprs[0..30]. */
function hostCall(t: T): { readonly imm: bigint; readonly gprs: readonly bigint[] } | undefined {
  const p = page(t);
  if (p === undefined) return undefined;
  const v = decodeStruct(RsiHostCall, Memory(t.pre, p).subarray(Number(p % GRANULE)));
  return { imm: v.imm as bigint, gprs: v.gprs as readonly bigint[] };
}

/** Whether the call ended in a REC exit due to Host call (A4.3.9). */
const hostCallExit = (t: T): boolean => t.out.kind === 'exit' && t.out.cause.kind === 'host_call';

/**
 * DEN0137 B5.3.4, A4.3.9: a REC exit due to Host call, whose exit.imm and exit.gprs[0..30] are
 * the RsiHostCall's, and which leaves a Host call pending. B5.3.4.3 lists no success condition;
 * `reentry` is RMI_REC_ENTER's (A4.2.2).
 */
export const rsiHostCallPost: RealmPost = {
  success: {
    exit: {
      when: reached,
      holds: (t) => {
        const h = hostCall(t);
        if (h === undefined || t.out.kind !== 'exit' || t.out.cause.kind !== 'host_call') return false;
        const g = t.out.cause.gprs ?? [];
        return t.out.cause.imm === h.imm && g.length === h.gprs.length && g.every((v, i) => v === h.gprs[i]);
      },
    },
    // A4.3.9: the REC exit due to Host call sets rec.host_call_pending. The exit writes it (with
    // the RmiRecExit) once the call returns to RMI_REC_ENTER, so the row holds when the call ends
    // in that exit; RMI_REC_ENTER's rec_exit checks that the REC it leaves agrees with the exit.
    host_call: { when: reached, holds: hostCallExit },
  },
  locate: { rec: recLocator },
};

// -------------------------------------------------------------------------------------
// RSI_REALM_CONFIG
// -------------------------------------------------------------------------------------

/** DEN0137 B3.17 Equal(RmmHashAlgorithm, RsiHashAlgorithm): the RsiHashAlgorithm encoding (B5.4.2) of a Realm's RHA. */
function RsiHashAlgorithmOf(a: HashAlgorithm): bigint {
  return a === HashAlgorithm.SHA_512 ? 1n : 0n;
}

/** The byte ranges of the RsiRealmConfig members (B5.4.5): ipa_width, hash_algo, rpv; the rest is unused (MBZ). */
const CONFIG_MEMBERS: readonly (readonly [number, number])[] = [
  [0x000, 8],
  [0x008, 1],
  [0x200, 64],
];

/** cfg = RealmConfig(addr) after the call (B5.3.9.1.2, Before: false): the granule's bytes, and the Realm. */
function config(t: T): { readonly bytes: Uint8Array; readonly realm: NonNullable<ReturnType<typeof CurrentRealm>>['realm'] } | undefined {
  const p = page(t);
  const r = CurrentRealm(t.post, t.input);
  return p === undefined || r === undefined ? undefined : { bytes: Memory(t.post, p), realm: r.realm };
}

/** Applies `p` to the decoded RsiRealmConfig and the Realm, false when addr leads to no page. */
const onConfig =
  (p: (cfg: ReturnType<typeof decodeStruct>, c: NonNullable<ReturnType<typeof config>>) => boolean) =>
  (t: T): boolean => {
    const c = config(t);
    return c !== undefined && p(decodeStruct(RsiRealmConfig, c.bytes), c);
  };

/** DEN0137 B5.3.9.3 (and A2.1.3, B5.4.5 for rpv and the unused bytes): the granule at addr holds the Realm's RsiRealmConfig. */
export const rsiRealmConfigPost: RealmPost = {
  success: {
    ipa_width: { when: reached, holds: onConfig((cfg, c) => cfg.ipa_width === BigInt(c.realm.ipaWidth)) },
    hash_algo: { when: reached, holds: onConfig((cfg, c) => cfg.hash_algo === RsiHashAlgorithmOf(c.realm.hashAlgo)) },
    rpv: {
      when: reached,
      holds: onConfig((cfg, c) => {
        if (!bytesEqual(doublewordBytes(cfg.rpv as readonly bigint[]), c.realm.rpv)) return false;
        const member = (i: number): boolean => CONFIG_MEMBERS.some(([at, n]) => i >= at && i < at + n);
        return c.bytes.every((b, i) => b === 0 || member(i));
      }),
    },
  },
  locate: { cfg: pageLocator },
};

// -------------------------------------------------------------------------------------
// RSI_ATTESTATION_TOKEN_INIT
// -------------------------------------------------------------------------------------

/** challenge_0..challenge_7 as 64 bytes, doubleword 0 first, little-endian (B5.3.2.1.1). */
const challenge = (t: T): Uint8Array => doublewordBytes(Array.from({ length: 8 }, (_, i) => input(t.input, `challenge_${i}`)));

/** Whether `needle` occurs in `hay`. */
function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(Buffer.from(needle.buffer, needle.byteOffset, needle.byteLength)) >= 0;
}

/**
 * The fewest bytes a CCA token can have: its Realm claims include the 64-byte challenge (A7.2.3.1.1),
 * the 64-byte RPV (A7.2.3.1.3), the RIM (A7.2.3.1.4) and four REMs (A7.2.3.1.5), each of at least
 * 32 bytes; encodings, keys, signatures and the platform token come on top.
 */
export const MIN_TOKEN_BYTES = 64n + 64n + 5n * 32n;

/**
 * DEN0137 B5.3.2.3, A7.2.2: a token generation is in progress on the REC for the challenge, and
 * any earlier one is abandoned: the token now handed out, from its start, is a new one that
 * includes the challenge (A7.2.3.1.1); `size` bounds its length. Open: `size` (any bound on a
 * token, B5.3.2.1.3: the spec does not fix the token's length).
 */
export const rsiAttestationTokenInitPost: RealmPost = {
  success: {
    state: (t) => CurrentRec(t.post, t.input)?.attestState === AttestState.ATTEST_IN_PROGRESS,
    challenge: (t) => {
      const r = CurrentRec(t.post, t.input);
      return r !== undefined && bytesEqual(r.attestChallenge, challenge(t));
    },
    // B5.3.2.1.3: an upper bound on the size of the token in bytes.
    size: (t) => {
      const r = CurrentRec(t.post, t.input);
      const size = output(t.out, 'size');
      return r !== undefined && size !== undefined && size >= BigInt(r.attestToken.length);
    },
    // A7.2.2: INIT ends any generation in progress; the next CONTINUE starts the new token. Without
    // an attestation port no token can be made, and CONTINUE fails `unknown` (D-ATTEST).
    restart: (t) => {
      const r = CurrentRec(t.post, t.input);
      if (r === undefined || r.attestOffset !== 0) return false;
      return t.pre.platform.attestation === undefined ? r.attestToken.length === 0 : contains(r.attestToken, challenge(t));
    },
  },
  locate: { rec: recLocator },
  choices: {
    // B5.3.2.1.3: an upper bound on the size of the token the RMM makes, which the spec does not
    // fix (A7.2.1: it may exceed 4 KB); no token is shorter than its fixed-size Realm claims.
    size: (_t, v) => v >= MIN_TOKEN_BYTES,
  },
};

// -------------------------------------------------------------------------------------
// RSI_ATTESTATION_TOKEN_CONTINUE
// -------------------------------------------------------------------------------------

/** The token being handed out before the call, and how much of it the Realm already has. */
function handedOut(t: T): { readonly token: Uint8Array; readonly from: number } | undefined {
  const r = CurrentRec(t.pre, t.input);
  return r === undefined ? undefined : { token: r.attestToken, from: r.attestOffset };
}

/** The `len` output as a number, when the call returned one no larger than a granule. */
function lenOf(t: T): number | undefined {
  const len = output(t.out, 'len');
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent; post-conditions run on successes, which always give len, and lenHolds bounds it by the granule again.
  return len === undefined || len > GRANULE ? undefined : Number(len);
}

/** Token generation is complete with this call: the part handed out ends the token (B5.3.1.3). */
function completes(t: T): boolean {
  const h = handedOut(t);
  const len = lenOf(t);
  return h !== undefined && len !== undefined && h.from + len === h.token.length;
}

/**
 * B5.3.1.1.3, A7.2.2: len bytes, at most `size`, were written to the buffer at addr + offset, and
 * they are the next part of the token: its bytes from where the last call stopped. Nothing else
 * of the granule changes, and unless the token is complete the next call goes on after them.
 */
function lenHolds(t: T): boolean {
  const p = page(t);
  const h = handedOut(t);
  const len = lenOf(t);
  if (p === undefined || h === undefined || len === undefined) return false;
  const offset = input(t.input, 'offset');
  if (BigInt(len) > input(t.input, 'size') || offset + BigInt(len) > GRANULE || h.from + len > h.token.length) return false;
  const at = Number(offset);
  const before = Memory(t.pre, p);
  const after = Memory(t.post, p);
  const part = h.token.subarray(h.from, h.from + len);
  if (!after.every((b, i) => (i >= at && i < at + len ? b === part[i - at] : b === before[i]))) return false;
  if (h.from + len === h.token.length) return true;
  const r = CurrentRec(t.post, t.input);
  return r !== undefined && r.attestOffset === h.from + len && bytesEqual(r.attestToken, h.token);
}

/** X0 of a call that returned to the Realm. */
const x0 = (t: T): bigint | undefined => (t.out.kind === 'return' ? t.out.x0 : undefined);

/**
 * DEN0137 B5.3.1.3, A7.2.2: each call hands out the next part of the token; RSI_INCOMPLETE until
 * the part that ends it, after which no generation is in progress. Open: how much one call copies
 * (`len`, at most `size`: A7.2.2's loop takes whatever arrives) and so which call completes the
 * token (`result`: the token's length is the implementation's).
 */
export const rsiAttestationTokenContinuePost: RealmPost = {
  success: {
    incomplete: {
      when: (t) => reached(t) && !completes(t),
      holds: (t) => x0(t) === RsiStatus.RSI_INCOMPLETE && CurrentRec(t.post, t.input)?.attestState === AttestState.ATTEST_IN_PROGRESS,
    },
    complete: {
      when: (t) => reached(t) && completes(t),
      holds: (t) => x0(t) === RsiStatus.RSI_SUCCESS && CurrentRec(t.post, t.input)?.attestState === AttestState.NO_ATTEST_IN_PROGRESS,
    },
    len: { when: reached, holds: lenHolds },
  },
  locate: { rec: recLocator, addr: pageLocator },
  choices: {
    len: (t, v) => v <= input(t.input, 'size'),
    result: (_t, v) => v === RsiStatus.RSI_SUCCESS || v === RsiStatus.RSI_INCOMPLETE,
  },
};
