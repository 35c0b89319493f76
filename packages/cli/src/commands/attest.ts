/**
 * `realmspec attest --challenge HEX [--out FILE] [--iak-out FILE]`: launch a Realm on the default
 * platform, obtain a CCA attestation token through the RSI protocol (DEN0137 A7.2), verify it
 * against the HES's IAK, write the token (CBOR) and the IAK public key (PEM, the trust anchor), and
 * print the claims.
 *
 * @packageDocumentation
 */
import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { hexBytes, verifyCcaToken, type CcaTokenClaims } from '@realmspec/core';
import { formatValidationErrors } from '@realmspec/core/internal';
import { bootMachine, DEMO, demoInitrd, demoKernel, describeHostError, launchRealm, obtainAttestationToken } from '@realmspec/machine';
import { badInput, fsReason, type Outcome } from '../output.js';

/** Options of `attest`. */
export interface AttestOptions {
  /** The challenge as hex (1 to 64 bytes; the Realm zero-pads it to 64). */
  readonly challenge: string;
  /** Where the token goes (CBOR). */
  readonly out: string;
  /** Where the IAK public key goes (SPKI PEM). */
  readonly iakOut: string;
}


const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The claims as text lines. */
export function claimLines(c: CcaTokenClaims): string[] {
  const p = c.platform;
  const r = c.realm;
  return [
    'CCA platform token (signed by the IAK):',
    `  profile                ${p.profile}`,
    `  challenge              ${hex(p.challenge)} (${r.publicKeyHashAlgoId} of the Realm public key)`,
    `  implementation id      ${hex(p.implementationId)}`,
    `  instance id            ${hex(p.instanceId)}`,
    `  platform config        ${hex(p.config)}`,
    `  lifecycle              0x${p.lifecycle.toString(16)}`,
    `  hash algorithm         ${p.hashAlgoId}`,
    `  software components    ${p.swComponents.length}`,
    ...p.swComponents.map((s) => `    ${(s.type ?? '?').padEnd(10)} ${hex(s.measurementValue)}  signer ${hex(s.signerId).slice(0, 16)}…${s.version !== undefined ? `  version ${s.version}` : ''}`),
    ...(p.verificationService !== undefined ? [`  verification service   ${p.verificationService}`] : []),
    'Realm token (signed by the RAK):',
    `  profile                ${r.profile ?? '(none)'}`,
    `  challenge              ${hex(r.challenge)}`,
    `  personalization value  ${hex(r.personalizationValue)}`,
    `  hash algorithm         ${r.hashAlgoId}`,
    `  initial measurement    ${hex(r.initialMeasurement)}`,
    ...r.extensibleMeasurements.map((m, k) => `  REM[${k}]                 ${hex(m)}`),
    `  public key (RAK)       ${hex(c.rakPublicKey)}`,
  ];
}

const Challenge = hexBytes(1, 64);

/** Parses the `--challenge` value: 1 to 64 bytes of hex, with or without `0x`. */
export function parseChallenge(text: string): Uint8Array | string {
  const r = Challenge.decode(text);
  return E.isRight(r) ? r.right : `--challenge: ${formatValidationErrors(r.left).join('; ').replace(/^\(root\): /, '')}`;
}

/** Whether two paths name the same file: the same path, or (when both exist) the same inode. */
function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/**
 * Writes every file or none: each goes to a temporary file beside its target, and only when all
 * are written are they renamed into place. On failure nothing new is left behind. Returns the
 * problem, if any.
 */
function writeAll(files: ReadonlyArray<readonly [string, string | Uint8Array]>): string | undefined {
  const temps: string[] = [];
  const placed: string[] = [];
  let target = '';
  try {
    for (const [path, data] of files) {
      target = path;
      const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
      writeFileSync(tmp, data, { flag: 'wx' });
      temps.push(tmp);
    }
    files.forEach(([path], k) => {
      target = path;
      renameSync(temps[k] as string, path);
      placed.push(path);
    });
    return undefined;
  } catch (e) {
    for (const t of temps) rmSync(t, { force: true });
    for (const p of placed) rmSync(p, { force: true });
    const reason = e instanceof Error ? fsReason(e) : String(e);
    return `cannot write ${target}: ${reason}`;
  }
}

/**
 * Runs `attest`: exit 0 when the token verifies and carries the challenge, 1 when it does not, 2
 * on bad input (a bad challenge, `--out` and `--iak-out` naming the same file, a file that cannot
 * be written; then neither file is written).
 */
export function attest(opts: AttestOptions): Outcome {
  const challenge = parseChallenge(opts.challenge);
  if (typeof challenge === 'string') return badInput(`realmspec attest: ${challenge}`);
  if (sameFile(opts.out, opts.iakOut)) return badInput(`realmspec attest: --out and --iak-out name the same file (${opts.out}); give two files`);
  const booted = bootMachine({});
  if (E.isLeft(booted)) return { out: [], err: [`realmspec attest: boot failed: ${describeHostError(booted.left)}`], code: 1 };
  let [m] = booted.right;
  const launched = launchRealm(m, { kernel: demoKernel(), initrd: demoInitrd(), ipaWidth: DEMO.ipaWidth, ramBase: DEMO.ramBase, ramSize: DEMO.ramSize, recs: 1 });
  if (E.isLeft(launched)) return { out: [], err: [`realmspec attest: launch failed: ${describeHostError(launched.left)}`], code: 1 };
  [m] = launched.right;
  const obtained = obtainAttestationToken(m, launched.right[1].realm.rd, challenge);
  if (E.isLeft(obtained)) return { out: [], err: [`realmspec attest: ${describeHostError(obtained.left)}`], code: 1 };
  const { token, continues } = obtained.right[1];
  const pem = m.hes.iakPublicPem();
  const unwritten = writeAll([
    [opts.out, token],
    [opts.iakOut, pem],
  ]);
  if (unwritten !== undefined) return badInput(`realmspec attest: ${unwritten}`);
  const verified = verifyCcaToken(token, { iakPublicKey: pem });
  const header = [
    `Realm launched on the default platform; token obtained with RSI_ATTESTATION_TOKEN_INIT and ${continues} RSI_ATTESTATION_TOKEN_CONTINUE call(s)`,
    `token: ${token.length} bytes written to ${opts.out}; IAK public key (trust anchor) written to ${opts.iakOut}`,
  ];
  if (E.isLeft(verified)) return { out: header, err: [`realmspec attest: the token does not verify: ${verified.left.kind}: ${verified.left.detail}`], code: 1 };
  const padded = new Uint8Array(64);
  padded.set(challenge);
  const carries = Buffer.compare(Buffer.from(verified.right.realm.challenge), Buffer.from(padded)) === 0;
  const out = [...header, `verification against the IAK: ok; the Realm token carries the challenge: ${carries ? 'yes' : 'NO'}`, '', ...claimLines(verified.right)];
  return { out, err: [], code: carries ? 0 : 1 };
}
