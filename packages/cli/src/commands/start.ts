/**
 * `realmspec start [DIR] [--all]`: replay the example traces (as `demo` does), then run the
 * launch scenario on the default platform (`@realmspec/machine`): print each step, the Realm's
 * RIM, a summary of the attestation token verified against the HES IAK, the machine's checks,
 * and the rule tally. Repeating runs of alike steps are shortened unless `--all` is given.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import { RuleHits, verifyCcaToken, type CcaTokenClaims } from '@realmspec/core';
import { DEMO_CHALLENGE, DEMO_MESSAGE, DEMO_REPLY, describeHostError, describeStep, machineViolations, sharedBufferScenario, type ScenarioReport, type Step } from '@realmspec/machine';
import { tallyReport } from '@realmspec/trace';
import type { Outcome } from '../output.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Options of `start`. */
export interface StartOptions {
  /** Every step, without shortening repeated runs. */
  readonly all: boolean;
}

const hex = (b: Uint8Array, max = b.length): string => Buffer.from(b.subarray(0, max)).toString('hex') + (b.length > max ? '…' : '');
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

// -------------------------------------------------------------------------------------
// steps
// -------------------------------------------------------------------------------------

/**
 * The steps as lines; a run of at least four repetitions of the same one- or two-step pattern
 * (the same calls and outcomes, addresses aside) is shown as its first and last repetition
 * around a count, unless `all`.
 */
export function stepLines(steps: readonly Step[], all: boolean): string[] {
  const lines = steps.map(describeStep);
  if (all) return lines.map((l) => '  ' + l);
  const shape = lines.map((l) => l.replace(/0x[0-9a-f]+/g, '#'));
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    let done = false;
    for (const p of [1, 2]) {
      let k = 1;
      while (i + (k + 1) * p <= lines.length && shape.slice(i + k * p, i + (k + 1) * p).every((s, j) => s === shape[i + j])) k++;
      if (k >= 4) {
        out.push(...lines.slice(i, i + p).map((l) => '  ' + l));
        out.push(`  … ${k - 2} more like ${p === 1 ? 'this' : 'these'} …`);
        out.push(...lines.slice(i + (k - 1) * p, i + k * p).map((l) => '  ' + l));
        i += k * p;
        done = true;
        break;
      }
    }
    if (!done) out.push('  ' + (lines[i] as string));
    if (!done) i++;
  }
  return out;
}

// -------------------------------------------------------------------------------------
// token
// -------------------------------------------------------------------------------------

/** A short account of a verified token's claims, and whether they are the ones the scenario expects. */
function tokenLines(c: CcaTokenClaims, r: ScenarioReport): { lines: string[]; ok: boolean } {
  const p = c.platform;
  const rm = c.realm;
  const challengeOk = sameBytes(rm.challenge, DEMO_CHALLENGE);
  const rimOk = sameBytes(rm.initialMeasurement, r.launch.rim);
  const remsZero = rm.extensibleMeasurements.every((m) => m.every((b) => b === 0));
  const lines = [
    `  platform token: profile ${p.profile}`,
    `    implementation id ${hex(p.implementationId, 8)}, instance id ${hex(p.instanceId, 9)}, lifecycle 0x${p.lifecycle.toString(16)}, hash ${p.hashAlgoId}`,
    `    ${p.swComponents.length} software components: ${p.swComponents.map((s) => s.type ?? '?').join(', ')}`,
    `    challenge ${hex(p.challenge, 8)} = ${rm.publicKeyHashAlgoId}(Realm public key): the platform vouches for this RAK`,
    `  realm token: profile ${rm.profile ?? '(none)'}, hash ${rm.hashAlgoId}`,
    `    challenge ${challengeOk ? 'is the one the Realm asked for' : 'DIFFERS from the one the Realm asked for'}`,
    `    RIM ${hex(rm.initialMeasurement)} ${rimOk ? '(the launch RIM)' : '(DIFFERS from the launch RIM)'}`,
    `    REMs ${remsZero ? 'all zero (never extended)' : 'extended'}, RPV ${hex(rm.personalizationValue, 8)}`,
  ];
  return { lines, ok: challengeOk && rimOk };
}

// -------------------------------------------------------------------------------------
// command
// -------------------------------------------------------------------------------------

/** Runs the launch scenario and reports it; exit code 0 when every check held, 1 otherwise. */
export function startScenario(opts: StartOptions): Outcome {
  const hits = new RuleHits();
  const run = sharedBufferScenario({ hits });
  if (E.isLeft(run)) return { out: [], err: [`realmspec start: the launch scenario failed: ${describeHostError(run.left)}`], code: 1 };
  const r = run.right;
  const out: string[] = ['', 'Launch scenario: a Host launches a Realm as kvmtool does, on the default platform (EL3, RMM model, HES, 2 CPUs)'];
  for (const ph of r.phases) out.push('', `== ${ph.title}`, ...stepLines(ph.steps, opts.all));
  const problems: string[] = [];
  out.push('', `RIM (${r.launch.realm.ipaWidth}-bit Realm, RD 0x${r.launch.realm.rd.toString(16)}): ${hex(r.launch.rim)}`);
  out.push(`Host reads its shared page: "${r.message}"`);
  if (r.message !== DEMO_MESSAGE) problems.push('the Host did not read the Realm message');
  const reply = r.replySeen === undefined ? undefined : Buffer.from(new BigUint64Array([r.replySeen]).buffer).toString('latin1');
  out.push(`Realm loads the Host's reply from the shared page: "${reply ?? '(nothing)'}"`);
  if (reply !== DEMO_REPLY) problems.push('the Realm did not read the Host reply');
  if (r.reclaimed === undefined || !r.reclaimed.scrubbed) problems.push('the granule the Realm gave back was not scrubbed');
  else out.push(`Granule 0x${r.reclaimed.pa.toString(16)}, given back by the Realm (RIPAS EMPTY) and undelegated: the Host reads only zeros`);
  if (r.protectedRead.fault === undefined) problems.push('the Host read the Realm private page');
  else out.push(`Host reads the Realm's private page 0x${r.protectedRead.pa.toString(16)}: refused, ${r.protectedRead.fault}`);

  const verified = verifyCcaToken(r.token, { iakPublicKey: r.machine.hes.iakPublicKey });
  if (E.isLeft(verified)) {
    problems.push(`the token does not verify: ${verified.left.kind}: ${verified.left.detail}`);
  } else {
    const t = tokenLines(verified.right, r);
    out.push(`Attestation token: ${r.token.length} bytes from the Realm through the shared page, verified against the HES IAK`, ...t.lines);
    if (!t.ok) problems.push('the token claims are not the expected ones');
  }

  const violations = machineViolations(r.machine);
  const switches = r.machine.el3.cpus.map((c, i) => `cpu${i} ${c.switches}`).join(', ');
  out.push(`Checks: GPT cross-check after each of ${r.checks} SMCs: ${r.divergences.length} disagreement(s) or divergence(s); final machine: ${violations.length} violation(s); world switches: ${switches}`);
  problems.push(...r.divergences, ...violations);
  out.push('', ...tallyReport(hits.tally()));
  if (problems.length > 0) return { out, err: problems.map((p) => `realmspec start: ${p}`), code: 1 };
  out.push('', 'launch scenario: ok');
  return { out, err: [], code: 0 };
}
