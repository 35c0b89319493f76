/**
 * The launch scenario: boot the machine, launch the demo Realm as kvmtool does, let the Realm
 * keep a secret in private memory and give one page back to share it with the Host through an
 * Unprotected IPA (the path VirtIO uses), exchange messages and the attestation token over it,
 * and show what the Host can and cannot read (DEN0137 A5.2.1, A5.4, A7.2; Arm ARM D9).
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import { hashWith, type RealmAction } from '@realmspec/core';
import { bootMachine, type BootReport, type MachineOptions } from './boot.js';
import { DEMO, demoInitrd, demoKernel } from './demo.js';
import { describeHostError, invalid, type HostError } from './errors.js';
import { hostRead, hostWrite, mapShared } from './host.js';
import { launchRealm, mpidrOfIndex, type LaunchReport } from './launch.js';
import { copy, load, psci, rsi, storeBytes, storeReg } from './program.js';
import { runRealm, type RunReport } from './run.js';
import type { Machine } from './state.js';
import type { Step } from './steps.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One phase of the scenario and its steps. */
export interface ScenarioPhase {
  /** What the phase does. */
  readonly title: string;
  /** Its steps, in order. */
  readonly steps: readonly Step[];
}

/** What the scenario showed. */
export interface ScenarioReport {
  /** The machine at the end. */
  readonly machine: Machine;
  /** The boot. */
  readonly boot: BootReport;
  /** The launch. */
  readonly launch: LaunchReport;
  /** Every phase with its steps. */
  readonly phases: readonly ScenarioPhase[];
  /** What the Host read from its shared page: the Realm's message. */
  readonly message: string;
  /** What the Realm loaded from the shared page: the Host's reply, as the doubleword the Realm saw. */
  readonly replySeen: bigint | undefined;
  /** The granule the Realm gave back (RIPAS EMPTY), and whether the Host reads only zeros from it now. */
  readonly reclaimed: { readonly pa: bigint; readonly scrubbed: boolean } | undefined;
  /** The Host's attempt to read the Realm's private page: the granule and the fault. */
  readonly protectedRead: { readonly pa: bigint; readonly fault: string | undefined };
  /** The CCA attestation token the Realm passed to the Host through the shared page. */
  readonly token: Uint8Array;
  /** The challenge the Realm asked the token for. */
  readonly challenge: Uint8Array;
  /** Disagreements between the RMM model and the platform over the whole scenario (none when all is well). */
  readonly divergences: readonly string[];
  /** SMCs after which the GPT cross-check ran. */
  readonly checks: number;
}

const TOP = 1n << BigInt(DEMO.ipaWidth - 1);
/** The Realm's message to the Host. */
export const DEMO_MESSAGE = 'Hello, Host: this came from the Realm through an Unprotected IPA (the VirtIO path)';
/** The Host's reply to the Realm (eight bytes, so the Realm loads it in one doubleword). */
export const DEMO_REPLY = 'hi realm';
/** The demo's attestation challenge: SHA-512 of a fixed text. */
export const DEMO_CHALLENGE: Uint8Array = hashWith('sha-512', new TextEncoder().encode('realmspec launch scenario challenge'));

// -------------------------------------------------------------------------------------
// scenario
// -------------------------------------------------------------------------------------

/** The Realm's first program: RSI discovery, a secret in private memory, one page given back, the second CPU started. */
function firstProgram(kernelIpa: bigint): RealmAction[] {
  return [
    rsi.version(),
    rsi.realmConfig(DEMO.config),
    ...storeBytes(DEMO.secret, new TextEncoder().encode('realm secret: never readable by the Host')),
    ...storeBytes(DEMO.shared, new TextEncoder().encode('private data written before the page was shared')),
    rsi.ipaStateSet(DEMO.shared, DEMO.shared + 0x1000n, 0n),
    psci.cpuOn(mpidrOfIndex(1), kernelIpa, 0x1234n),
  ];
}

/** The Realm's second program: a message and the attestation token through the shared page, the Host's reply read back. */
function secondProgram(): RealmAction[] {
  const shared = DEMO.shared | TOP;
  const room = Number(DEMO.replyOffset - DEMO.tokenOffset);
  return [
    ...storeBytes(shared, new TextEncoder().encode(DEMO_MESSAGE + '\0')),
    load(shared + DEMO.replyOffset, 10),
    rsi.attestationInit(DEMO_CHALLENGE),
    rsi.attestationContinue(DEMO.token, 0n, 0x1000n),
    storeReg(shared + DEMO.tokenLenOffset, 1),
    ...copy(DEMO.token, shared + DEMO.tokenOffset, room),
  ];
}

/** Reads a little-endian u64 at `off` of `b`. */
const u64 = (b: Uint8Array, off: number): bigint => new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(off, true);

/**
 * Runs the scenario on a machine booted with `options`: launch, the first program (a secret, a
 * page given back and reclaimed, the second REC started), the Host maps its page at the shared
 * page's Unprotected IPA and leaves a reply, the second program (message, reply read, token), the
 * second REC runs on CPU 1, and the Host reads its page, the reclaimed granule, and tries the
 * Realm's private page.
 */
export function sharedBufferScenario(options: MachineOptions = {}): E.Either<HostError, ScenarioReport> {
  const booted = bootMachine(options);
  if (E.isLeft(booted)) return booted;
  let [m, boot] = booted.right;
  const phases: ScenarioPhase[] = [{ title: 'boot: the RMM fetches its attestation material from EL3', steps: boot.steps }];
  const divergences: string[] = [];
  let checks = 0;
  const track = (title: string, r: { steps: readonly Step[]; divergences: readonly string[]; checks: number }): void => {
    phases.push({ title, steps: r.steps });
    divergences.push(...r.divergences);
    checks += r.checks;
  };

  const launched = launchRealm(m, { kernel: demoKernel(), initrd: demoInitrd(), ipaWidth: DEMO.ipaWidth, ramBase: DEMO.ramBase, ramSize: DEMO.ramSize, recs: 2 });
  if (E.isLeft(launched)) return launched;
  [m] = launched.right;
  const launch = launched.right[1];
  track('launch: the Host creates, populates and activates the Realm (kvmtool)', launch);
  const rd = launch.realm.rd;

  const first = runRealm(m, { rd, script: firstProgram(launch.realm.kernel.ipa) });
  if (E.isLeft(first)) return first;
  [m] = first.right;
  const run1: RunReport = first.right[1];
  track('run REC 0: RSI calls, a private secret, one page given back (RIPAS EMPTY), PSCI_CPU_ON', run1);

  const shared = mapShared(m, { rd, ipa: DEMO.shared });
  if (E.isLeft(shared)) return shared;
  [m] = shared.right;
  const page = shared.right[1].page;
  track('share: the Host maps one of its own pages at the Unprotected IPA', shared.right[1]);
  const wrote = hostWrite(m, page.pa + DEMO.replyOffset, new TextEncoder().encode(DEMO_REPLY));
  if (E.isLeft(wrote)) return wrote;
  [m] = wrote.right;

  const second = runRealm(m, { rd, script: secondProgram() });
  if (E.isLeft(second)) return second;
  [m] = second.right;
  const run2 = second.right[1];
  track('run REC 0: a message and the attestation token through the shared page', run2);

  const third = runRealm(m, { rd, rec: 1, cpu: 1, script: [rsi.version(), load(DEMO.secret, 2)] });
  if (E.isLeft(third)) return third;
  [m] = third.right;
  track('run REC 1 on CPU 1: started by PSCI_CPU_ON, it reads the Realm secret', third.right[1]);

  // The Host's side: its shared page, the granule the Realm gave back, the Realm's private page.
  const read = hostRead(m, page.pa, 0x1000);
  if (E.isLeft(read)) return read;
  const bytes = read.right[1];
  const end = bytes.indexOf(0);
  const message = new TextDecoder().decode(bytes.subarray(0, end < 0 ? bytes.length : end));
  const len = Number(u64(bytes, Number(DEMO.tokenLenOffset)));
  if (len === 0 || len > Number(DEMO.replyOffset - DEMO.tokenOffset)) return E.left(invalid('scenario', `the Realm passed a token of ${len} bytes; expected 1..${DEMO.replyOffset - DEMO.tokenOffset}`));
  const token = bytes.slice(Number(DEMO.tokenOffset), Number(DEMO.tokenOffset) + len);
  const gone = run1.reclaimed[0];
  const scrubbedRead = gone === undefined ? undefined : hostRead(m, gone, 0x1000);
  const reclaimed = gone === undefined || scrubbedRead === undefined ? undefined : { pa: gone, scrubbed: E.isRight(scrubbedRead) && scrubbedRead.right[1].every((b) => b === 0) };
  const secretPage = run1.populated.find((p) => p.ipa === DEMO.secret)?.pa ?? 0n;
  const attempt = hostRead(m, secretPage, 8);
  const replyStep = run2.runs.flatMap((r) => r.actions).find((a) => a.action.kind === 'access' && a.action.ipa === (DEMO.shared | TOP) + DEMO.replyOffset);
  return E.right({
    machine: m,
    boot,
    launch,
    phases,
    message,
    replySeen: replyStep?.step.access?.kind === 'completed' ? replyStep.step.access.value : undefined,
    reclaimed,
    protectedRead: { pa: secretPage, fault: E.isLeft(attempt) ? describeHostError(attempt.left) : undefined },
    token,
    challenge: DEMO_CHALLENGE,
    divergences,
    checks,
  });
}
