/**
 * A Host session: how the Host API functions issue a sequence of SMCs and memory accesses on one
 * machine, collecting the steps. A session is a local, mutable builder; the API functions return
 * its final machine and steps as values, or the first error, in which case the machine they were
 * given is all the caller has: unchanged.
 *
 * The first failure aborts the sequence with {@link HostAbort}, which {@link runSession} turns
 * back into a `Left`; it never leaves this package.
 *
 * @internal
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import { GranuleState, granuleAddr, granuleAt, type RealmAction } from '@realmspec/core';
import { Gpi, describeDisagreement, gpiAt, gptDisagreements, gptDisagreementsSince, type GptDisagreement } from '@realmspec/el3';
import { Pas, physRead, physWrite } from '@realmspec/memory';
import type { HostError, HostResult } from './errors.js';
import { rmiLayout } from './layout.js';
import { rmiResultName } from './names.js';
import { machineSmc, type SmcOutcome } from './smc.js';
import { updateHost, updateMachine, type Machine } from './state.js';
import { callText, type Step } from './steps.js';

// DECISION D-HOST-ATOMIC: a Host API call is all or nothing: when a step fails midway (an RMI
// command refused, a fault), the call returns the error and no machine, so even the SMCs that had
// succeeded before it have no effect on the caller's machine (the VMM "rolls back" by construction).

/** A failure that ends a session (internal control flow; never escapes {@link runSession}). @internal */
export class HostAbort {
  /** @param error the Host API error to return */
  constructor(readonly error: HostError) {}
}

/** A Host session on a machine. @internal */
export class HostSession {
  /** The machine as the session has left it so far. */
  m: Machine;
  /** Every step so far. */
  readonly steps: Step[] = [];
  /**
   * Every divergence between the RMM model and the platform so far (GPT disagreements included).
   * Reports hold this array itself: {@link runSession}'s closing sweep adds to it.
   */
  readonly divergences: string[] = [];
  /** How many times the GPT cross-check ran (once after every SMC). */
  checks = 0;
  /** The GPT disagreements reported so far, as reported: each is reported once a session. */
  private readonly reported = new Set<string>();

  /** @param m the machine to start from; @param cpu the CPU the Host calls on */
  constructor(
    m: Machine,
    readonly cpu: number = 0,
  ) {
    this.m = m;
  }

  /** Ends the session with `e`. */
  fail(e: HostError): never {
    throw new HostAbort(e);
  }

  /**
   * A Host SMC with X0.. = `regs` (and for RMI_REC_ENTER the Realm's `actions` from index `from`
   * on); any outcome is returned.
   */
  smc(regs: readonly bigint[], actions: readonly RealmAction[] = [], from = 0): SmcOutcome {
    const before = this.m;
    const [m, o] = machineSmc(before, this.cpu, regs, actions, from);
    this.m = m;
    this.steps.push(...o.steps);
    this.divergences.push(...o.divergences);
    // DECISION D-HOST-GPT-CHECK: the GPT cross-check runs after every SMC over the granules that
    // SMC changed on either side (only they can have started to disagree), the full sweep when
    // those cannot be told, and once more in full when the session ends, which catches any
    // disagreement the session started with; each disagreement is reported once a session.
    this.checks++;
    for (const d of gptDisagreementsSince(before.el3.gpt, before.core, m.el3.gpt, m.core)) this.disagree(d);
    return o;
  }

  /** Records GPT disagreement `d` as a divergence, unless the session has already reported it. */
  private disagree(d: GptDisagreement): void {
    const line = `GPT cross-check: ${describeDisagreement(d)}`;
    if (this.reported.has(line)) return;
    this.reported.add(line);
    this.divergences.push(line);
  }

  /** The full GPT cross-check, over every granule either side ever changed (disagreements not yet reported are added). */
  closingCheck(): void {
    for (const d of gptDisagreements(this.m.el3.gpt, this.m.core)) this.disagree(d);
  }

  /** RMI command `name` with its inputs by name (absent ones zero); the outcome, success or not. */
  rmiTry(name: string, args: Readonly<Record<string, bigint>>): SmcOutcome {
    const c = rmiLayout(name);
    const regs: bigint[] = [BigInt(c.fid)];
    for (const [input, reg] of c.inputs) regs[reg] = args[input] ?? 0n;
    return this.smc(Array.from(regs, (v) => v ?? 0n));
  }

  /** RMI command `name`, which must succeed: its named outputs. A refusal ends the session with an RMI error. */
  rmi(name: string, args: Readonly<Record<string, bigint>>): Readonly<Record<string, bigint>> {
    const o = this.rmiTry(name, args);
    if (o.regs[0] !== 0n) {
      const x0 = o.regs[0] ?? 0n;
      this.fail({ kind: 'rmi', call: callText(name, Object.entries(args)), x0, status: o.failure?.status ?? rmiResultName(x0), rule: o.failure?.rule });
    }
    const out: Record<string, bigint> = {};
    for (const [output, reg] of rmiLayout(name).outputs) out[output] = o.regs[reg] ?? 0n;
    return out;
  }

  /** The Host writes `bytes` at `pa` through the Non-secure PAS; a refused access ends the session. */
  write(pa: bigint, bytes: Uint8Array): void {
    const r = physWrite(this.m.core, this.m.el3.gpt, Pas.NON_SECURE, pa, bytes);
    this.steps.push({ actor: 'host', kind: 'write', pa, len: bytes.length, fault: E.isLeft(r) ? r.left.kind : undefined });
    if (E.isLeft(r)) this.fail({ kind: 'memory', fault: r.left });
    this.m = updateMachine(this.m, { core: r.right });
  }

  /** The Host reads `len` bytes at `pa` through the Non-secure PAS; a refused access ends the session. */
  read(pa: bigint, len: number): Uint8Array {
    const r = physRead(this.m.core, this.m.el3.gpt, Pas.NON_SECURE, pa, len);
    this.steps.push({ actor: 'host', kind: 'read', pa, len, fault: E.isLeft(r) ? r.left.kind : undefined });
    if (E.isLeft(r)) this.fail({ kind: 'memory', fault: r.left });
    return r.right;
  }

  /** A note in the steps. */
  note(text: string): void {
    this.steps.push({ actor: 'machine', kind: 'note', text });
  }

  /**
   * `n` free Host granules (UNDELEGATED, GPI_NS), the first aligned to `align` granules and all
   * consecutive when `contiguous`; ends the session when the Host's DRAM runs out.
   */
  alloc(n: number, align = 1, contiguous = false): bigint[] {
    const out: bigint[] = [];
    let gi = this.m.host.next;
    const end = this.m.host.end;
    const free = (g: number): boolean => granuleAt(this.m.core, g).state === GranuleState.UNDELEGATED && gpiAt(this.m.el3.gpt, g) === Gpi.NS;
    while (out.length < n) {
      if (gi >= end) this.fail({ kind: 'no-memory', needed: n, available: out.length });
      if (out.length === 0 && gi % align !== 0) {
        gi += align - (gi % align);
        continue;
      }
      if (free(gi)) out.push(granuleAddr(gi));
      else if (contiguous) out.length = 0;
      gi++;
    }
    this.m = updateMachine(this.m, { host: updateHost(this.m.host, { next: gi }) });
    return out;
  }

  /** How many granules the Host's allocator could still hand out (at most `upTo`; scanning stops there). */
  freeGranules(upTo: number): number {
    let count = 0;
    for (let gi = this.m.host.next; gi < this.m.host.end && count < upTo; gi++) {
      if (granuleAt(this.m.core, gi).state === GranuleState.UNDELEGATED && gpiAt(this.m.el3.gpt, gi) === Gpi.NS) count++;
    }
    return count;
  }
}

/**
 * Runs `body` in a session on `m` (CPU `cpu`): its result with the final machine, or the error
 * that ended it. A session that ends well closes with the full GPT cross-check. @internal
 */
export function runSession<R>(m: Machine, cpu: number, body: (s: HostSession) => R): HostResult<Machine, R> {
  const s = new HostSession(m, cpu);
  try {
    const r = body(s);
    s.closingCheck();
    return E.right([s.m, r] as const);
  } catch (e) {
    if (e instanceof HostAbort) return E.left(e.error);
    throw e;
  }
}
