/**
 * Obtaining a CCA attestation token the way a Realm does (DEN0137 A7.2, B5.3.2, B5.3.1): the Realm
 * calls RSI_ATTESTATION_TOKEN_INIT with the challenge, then RSI_ATTESTATION_TOKEN_CONTINUE into
 * one of its own granules until the result is not RSI_INCOMPLETE, passing each piece to the Host
 * through a shared page (Unprotected IPA), where the Host collects them.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import { RsiStatus } from '@realmspec/core';
import { DEMO } from './demo.js';
import { invalid, type HostResult } from './errors.js';
import { hostRead, mapShared } from './host.js';
import { copy, rsi, storeReg } from './program.js';
import { runRealm, type RunReport } from './run.js';
import type { Machine } from './state.js';

/** Bytes of token moved through the shared page per RSI_ATTESTATION_TOKEN_CONTINUE call. */
export const ATTEST_CHUNK = 0x800;
/** Offset of the piece's length in the shared page; the piece follows at {@link ATTEST_DATA}. */
const ATTEST_LEN = 0x0n;
const ATTEST_DATA = 0x8n;

/** What {@link obtainAttestationToken} did. */
export interface AttestationRun {
  /** The CCA token, as the Realm received it. */
  readonly token: Uint8Array;
  /** RSI_ATTESTATION_TOKEN_CONTINUE calls made (the last one returned RSI_SUCCESS). */
  readonly continues: number;
  /** The Realm runs, one per call, in order. */
  readonly runs: readonly RunReport[];
}

/** X0 and X1 after the last call of the run (the CONTINUE), read from the REC's registers. */
function lastCall(r: RunReport): { readonly x0: bigint; readonly x1: bigint } | undefined {
  const calls = r.runs.flatMap((run) => run.actions).filter((a) => a.step.call !== undefined);
  const regs = calls[calls.length - 1]?.step.call?.regs;
  return regs === undefined ? undefined : { x0: regs[0] ?? 0n, x1: regs[1] ?? 0n };
}

/** Options of {@link obtainAttestationToken}. */
export interface AttestationOptions {
  /** Bytes per CONTINUE call, a multiple of 8 up to {@link ATTEST_CHUNK} (default {@link ATTEST_CHUNK}). */
  readonly chunk?: number;
  /** At most this many CONTINUE calls (default 64). */
  readonly maxCalls?: number;
}

/**
 * Runs REC 0 of the Realm at `rd` (launched by this machine's Host with the demo layout) through
 * the attestation protocol for `challenge` (at most 64 bytes; the Realm zero-pads it, B5.3.2), and
 * returns the token the Realm assembled.
 */
export function obtainAttestationToken(m0: Machine, rd: bigint, challenge: Uint8Array, options: AttestationOptions = {}): HostResult<Machine, AttestationRun> {
  const chunk = options.chunk ?? ATTEST_CHUNK;
  const maxCalls = options.maxCalls ?? 64;
  if (!Number.isInteger(chunk) || chunk <= 0 || chunk % 8 !== 0 || chunk > ATTEST_CHUNK) return E.left(invalid('chunk', `a multiple of 8 in 8..${ATTEST_CHUNK}; got ${chunk}`));
  if (challenge.length > 64) return E.left(invalid('challenge', `a challenge has at most 64 bytes; got ${challenge.length}`));
  const padded = new Uint8Array(64);
  padded.set(challenge);
  const shared = mapShared(m0, { rd, ipa: DEMO.shared });
  if (E.isLeft(shared)) return shared;
  let [m] = shared.right;
  const page = shared.right[1].page;
  const init = runRealm(m, { rd, script: [rsi.attestationInit(padded)] });
  if (E.isLeft(init)) return init;
  [m] = init.right;
  const runs: RunReport[] = [init.right[1]];
  const unprotected = page.ipa;
  const pieces: Uint8Array[] = [];
  for (let n = 1; n <= maxCalls; n++) {
    // The Realm: the next piece into its granule, then its length and bytes to the shared page.
    const script = [
      rsi.attestationContinue(DEMO.token, 0n, BigInt(chunk)),
      storeReg(unprotected + ATTEST_LEN, 1),
      ...copy(DEMO.token, unprotected + ATTEST_DATA, chunk),
    ];
    const run = runRealm(m, { rd, script });
    if (E.isLeft(run)) return run;
    [m] = run.right;
    runs.push(run.right[1]);
    const result = lastCall(run.right[1]);
    if (result === undefined) return E.left(invalid('attestation', 'the Realm made no RSI_ATTESTATION_TOKEN_CONTINUE call'));
    // The Host collects the piece the Realm left in the shared page.
    const read = hostRead(m, page.pa, Number(ATTEST_DATA) + chunk);
    if (E.isLeft(read)) return read;
    const bytes = read.right[1];
    const len = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(Number(ATTEST_LEN), true));
    if (result.x0 !== RsiStatus.RSI_SUCCESS && result.x0 !== RsiStatus.RSI_INCOMPLETE) {
      return E.left(invalid('attestation', `RSI_ATTESTATION_TOKEN_CONTINUE returned ${result.x0}`));
    }
    pieces.push(bytes.slice(Number(ATTEST_DATA), Number(ATTEST_DATA) + len));
    if (result.x0 === RsiStatus.RSI_SUCCESS) {
      const token = new Uint8Array(pieces.reduce((k, p) => k + p.length, 0));
      let at = 0;
      for (const p of pieces) {
        token.set(p, at);
        at += p.length;
      }
      return E.right([m, { token, continues: n, runs }]);
    }
  }
  return E.left(invalid('attestation', `the token was not complete after ${maxCalls} RSI_ATTESTATION_TOKEN_CONTINUE calls`));
}
