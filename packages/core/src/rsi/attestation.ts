/**
 * RSI_ATTESTATION_TOKEN_INIT and RSI_ATTESTATION_TOKEN_CONTINUE: the Realm obtains a CCA
 * attestation token, one chunk at a time, into granules of its own memory (DEN0137 B5.3.2,
 * B5.3.1, A7.2.2).
 *
 * @packageDocumentation
 */
import { buildCcaToken, realmHashAlgoName, type AttestationPort, type RealmClaims } from '../attestation/token.js';
import { defineCommand } from '../engine/command.js';
import { GRANULE_SIZE } from '../model/bits.js';
import { u64sToBytes } from '../model/realm-params.js';
import { AttestState, NO_TOKEN, updateRec } from '../model/rec.js';
import { addrIsProtected } from '../model/rtt-walk.js';
import { withRec } from '../model/state.js';
import { arg, realmContext, returnToRealm, type RealmCallInput, type RealmCallCtx, type RealmOutcome } from '../realm/command.js';
import { RsiStatus } from '../abi/status.js';
import { writeBytes } from '../realm/memory.js';
import { rsiAttestationTokenContinuePost, rsiAttestationTokenInitPost } from '../post/rsi-calls.js';
import { addrEmpty, addressChecked, granuleAligned, memoryContext, unmapped, type CheckedMemoryCtx, type MemoryCtx } from './realm-memory.js';

// -------------------------------------------------------------------------------------
// token
// -------------------------------------------------------------------------------------

/** Tokens already signed, per port: signing is deterministic (RFC 6979), so equal claims give equal bytes. */
const tokens = new WeakMap<AttestationPort, Map<string, Uint8Array>>();
const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** The CCA token for `claims` on the platform behind `port` (DEN0137 A7.2.3), cached. */
function tokenFor(port: AttestationPort, claims: RealmClaims): Uint8Array {
  let cache = tokens.get(port);
  if (cache === undefined) {
    cache = new Map();
    tokens.set(port, cache);
  }
  const key = [claims.hashAlgo, hex(claims.challenge), hex(claims.rpv), hex(claims.rim), ...claims.rems.map(hex)].join('/');
  let t = cache.get(key);
  if (t === undefined) {
    if (cache.size >= 256) cache.clear();
    t = buildCcaToken(port, claims);
    cache.set(key, t);
  }
  return t;
}

// -------------------------------------------------------------------------------------
// RSI_ATTESTATION_TOKEN_INIT
// -------------------------------------------------------------------------------------

/** The names of the challenge inputs, challenge_0..challenge_7. */
const CHALLENGE_INPUTS = Array.from({ length: 8 }, (_, i) => `challenge_${i}`);

/** challenge_0..challenge_7 as 64 little-endian bytes. */
function challengeBytes(c: RealmCallCtx): Uint8Array {
  return u64sToBytes(CHALLENGE_INPUTS.map((name) => arg(c, name)));
}

/**
 * DEN0137 B5.3.2 RSI_ATTESTATION_TOKEN_INIT: starts a token for a 64-byte challenge, abandoning
 * any token in progress on this REC. The claims (challenge, RPV, RIM, REMs, hash algorithm) are
 * sampled now and the token is built at once; X1 is an upper bound on its size.
 * @category RSI
 */
export const rsiAttestationTokenInit = defineCommand<RealmCallInput, RealmCallCtx, RealmOutcome>({
  name: 'RSI_ATTESTATION_TOKEN_INIT',
  context: realmContext,
  failures: {},
  apply: (c) => {
    const r = c.realm;
    const challenge = challengeBytes(c);
    const port = c.s.platform.attestation;
    // DECISION D-ATTEST: the RMM samples the Realm claims at INIT (as TF-RMM does) and builds the
    // whole token then (signing is deterministic); CONTINUE copies it out chunk by chunk. Without
    // an attestation port, no token can be made: CONTINUE then fails with RSI_ERROR_UNKNOWN.
    const token =
      port === undefined
        ? NO_TOKEN
        : tokenFor(port, { challenge, rpv: r.rpv, rim: r.measurements[0] as Uint8Array, rems: r.measurements.slice(1, 5), hashAlgo: realmHashAlgoName(r.hashAlgo) });
    // DECISION D-ATTEST-SIZE: X1 is the token size rounded up to whole granules (the buffer the
    // Realm's A7.2.2 loop fills); one granule when no token can be made (TF-RMM's default buffer).
    const granules = Math.max(1, Math.ceil(token.length / GRANULE_SIZE));
    const rec = updateRec(c.rec, { attestState: AttestState.ATTEST_IN_PROGRESS, attestChallenge: challenge, attestToken: token, attestOffset: 0 });
    return [withRec(c.s, c.recGi, rec), returnToRealm(RsiStatus.RSI_SUCCESS, { size: BigInt(granules * GRANULE_SIZE) })];
  },
  post: rsiAttestationTokenInitPost,
});

// -------------------------------------------------------------------------------------
// RSI_ATTESTATION_TOKEN_CONTINUE
// -------------------------------------------------------------------------------------

const GRANULE = BigInt(GRANULE_SIZE);
const offsetOf = (c: MemoryCtx): bigint => arg(c, 'offset');
const sizeOf = (c: MemoryCtx): bigint => arg(c, 'size');
/** How many bytes this call copies: at most `size`, at most what is left of the token. */
const chunkOf = (c: MemoryCtx): number => Math.min(Number(sizeOf(c) < GRANULE ? sizeOf(c) : GRANULE), c.rec.attestToken.length - c.rec.attestOffset);

/**
 * DEN0137 B5.3.1 RSI_ATTESTATION_TOKEN_CONTINUE: copies the next chunk of the token (at most
 * `size` bytes) to addr + offset in Realm memory and returns its length; RSI_INCOMPLETE until
 * the last chunk, then RSI_SUCCESS with no token in progress any more.
 * @category RSI
 */
export const rsiAttestationTokenContinue = defineCommand<RealmCallInput, MemoryCtx, RealmOutcome, CheckedMemoryCtx>({
  name: 'RSI_ATTESTATION_TOKEN_CONTINUE',
  context: memoryContext('addr', GRANULE),
  failures: {
    addr_align: (c) => !granuleAligned(c),
    // addr is not a Protected IPA.
    addr_bound: (c) => !addrIsProtected(c.realm, c.addr),
    offset_bound: (c) => offsetOf(c) >= GRANULE,
    // offset + size < offset: the sum wraps around 2^64.
    size_overflow: (c) => offsetOf(c) + sizeOf(c) >= 1n << 64n,
    size_bound: (c) => offsetOf(c) + sizeOf(c) > GRANULE,
    state: (c) => c.rec.attestState !== AttestState.ATTEST_IN_PROGRESS,
    // Token generation failed: a generation is in progress but no token could be made at INIT
    // (no attestation port, D-ATTEST). With none in progress nothing failed: only `state` holds.
    unknown: (c) => c.rec.attestState === AttestState.ATTEST_IN_PROGRESS && c.rec.attestToken.length === 0,
    // Derived (D-RSI-MEM): the RIPAS of addr is EMPTY; the next part cannot be written. Checked
    // last: the RMM touches the buffer only when it writes the part (as TF-RMM does).
    addr_empty: addrEmpty,
  },
  checked: addressChecked,
  apply: (c) => {
    const t = c.target;
    // Not mapped: a REC exit due to Data Abort; the Realm calls again after re-entry (D-RSI-MEM).
    if (t.kind === 'unmapped') return [c.s, unmapped(c, t)];
    const n = chunkOf(c);
    const from = c.rec.attestOffset;
    const s1 = writeBytes(c.s, t.gi, t.offset + Number(offsetOf(c)), c.rec.attestToken.subarray(from, from + n));
    const done = from + n === c.rec.attestToken.length;
    // The last chunk ends the token generation: rec.attest_state is NO_ATTEST_IN_PROGRESS.
    const rec = done
      ? updateRec(c.rec, { attestState: AttestState.NO_ATTEST_IN_PROGRESS, attestToken: NO_TOKEN, attestOffset: 0 })
      : updateRec(c.rec, { attestOffset: from + n });
    return [withRec(s1, c.recGi, rec), returnToRealm(done ? RsiStatus.RSI_SUCCESS : RsiStatus.RSI_INCOMPLETE, { len: BigInt(n) })];
  },
  post: rsiAttestationTokenContinuePost,
});
