/**
 * Reporting a replay: the text and JSON Lines forms of the trace contract, the closing line,
 * the exit code, and the per-command rule tally.
 *
 * @packageDocumentation
 */
import { type CommandTally } from '@realmspec/core';
import { hex } from '@realmspec/core/internal';
import type { LineError, Step } from './parse.js';
import type { ReplayResult, StepOutcome } from './run.js';

/** Exit codes of `realmspec replay` (trace contract, "Result"). */
export const ExitCode = {
  /** Every expectation held. */
  OK: 0,
  /** Some expectation did not hold. */
  MISMATCH: 1,
  /** The file or a line is malformed, or a step could not run. */
  MALFORMED: 2,
} as const;


/** A step as a call, e.g. `RMI_REALM_CREATE(rd=0x80000000, params_ptr=0x80002000)`, ready to paste into a trace. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'rmi': {
      if (step.command === undefined) return `SMC(fid=${hex(step.fid)}${step.args.map((a, k) => `, x${k + 1}=${hex(a)}`).join('')})`;
      const names = step.command.spec.inputs.map((i) => i.name);
      const parts = step.args.map((a, k) => `${names[k] ?? `x${k + 1}`}=${hex(a)}`);
      return `${step.command.name}(${parts.join(', ')})`;
    }
    case 'write':
      return `write ${step.payload.kind} at ${hex(step.pa)}`;
    case 'read':
      return `read ${step.len} bytes at ${hex(step.pa)}`;
  }
}

/**
 * A running count of a replay's outcomes, for reports that stream: add each outcome as it comes,
 * then read the closing line and the exit code.
 */
export class ReplayTally {
  /** Steps with an expectation (or that could not run) whose expectations all held. */
  passed = 0;
  /** Steps with an expectation that did not hold. */
  failed = 0;
  /** Steps that could not run. */
  errors = 0;

  /** Counts one outcome. */
  add(o: StepOutcome): void {
    if (o.error !== undefined) this.errors++;
    if (o.ok && o.permitted.length > 0) this.permitted++;
    if (!o.checked && o.error === undefined) return;
    if (o.ok) this.passed++;
    else this.failed++;
  }

  /** The closing line: `N passed, M failed`, counting steps with an expectation. */
  closing(): string {
    return `${this.passed} passed, ${this.failed} failed`;
  }

  /** Steps whose expectation passed as a permitted alternative (DEN0137 B1.6). */
  permitted = 0;

  /** The closing of one file as a JSON Lines object: `{"file", "passed", "failed", "permitted", "closing"}`. */
  closingJson(file: string): string {
    return JSON.stringify({ file, passed: this.passed, failed: this.failed, permitted: this.permitted, errors: this.errors, closing: this.closing() });
  }

  /** The exit code: {@link ExitCode}.MALFORMED when a step could not run, MISMATCH when one failed. */
  exitCode(): number {
    if (this.errors > 0) return ExitCode.MALFORMED;
    return this.failed > 0 ? ExitCode.MISMATCH : ExitCode.OK;
  }
}

function tallyOf(r: ReplayResult): ReplayTally {
  const t = new ReplayTally();
  for (const o of r.outcomes) t.add(o);
  return t;
}

/** The closing line: `N passed, M failed`, counting steps with an expectation. */
export function closingLine(r: ReplayResult): string {
  return tallyOf(r).closing();
}

/** The exit code of a replay. */
export function exitCodeOf(r: ReplayResult): number {
  return tallyOf(r).exitCode();
}

/**
 * The text-report line of one outcome: the step that failed an expectation or could not run, a
 * passing step whose expectation the spec permits though the model chose otherwise
 * (`permitted: ...; the model chose ...`), or nothing.
 */
export function textLine(file: string, o: StepOutcome): string | undefined {
  if (o.error !== undefined) return `${file}:${o.step.line}: ${describeStep(o.step)}: could not run: ${o.error}`;
  if (o.ok) return o.permitted.length === 0 ? undefined : `${file}:${o.step.line}: ${describeStep(o.step)}: permitted: ${o.permitted.join('; ')}`;
  const rule = typeof o.got.rule === 'string' ? ` [${o.got.rule}]` : '';
  return `${file}:${o.step.line}: ${describeStep(o.step)}: ${o.mismatches.join('; ')}${rule}`;
}

/** The verdict on a step: `mismatch` (an expectation the spec does not permit, or the step could not run), `permitted` (another permitted answer) or `agrees`. */
export function verdictOf(o: StepOutcome): 'agrees' | 'permitted' | 'mismatch' {
  if (!o.ok) return 'mismatch';
  return o.permitted.length > 0 ? 'permitted' : 'agrees';
}

/** The text report: one line per step that failed an expectation or could not run. */
export function textReport(file: string, r: ReplayResult): string[] {
  const lines: string[] = [];
  for (const o of r.outcomes) {
    const l = textLine(file, o);
    if (l !== undefined) lines.push(l);
  }
  return lines;
}

/** The JSON Lines report line of one outcome; `file` names the trace it came from. */
export function jsonLine(o: StepOutcome, file?: string): string {
  // Built key by key, not by spreading optional parts: replay --json writes one per step.
  const j: Record<string, unknown> = {};
  if (file !== undefined) j.file = file;
  j.line = o.step.line;
  j.ok = o.ok;
  j.verdict = verdictOf(o);
  j.got = o.got;
  j.expected = o.expected;
  if (o.mismatches.length > 0) j.mismatches = o.mismatches;
  if (o.permitted.length > 0) j.permitted = o.permitted;
  if (o.rules.length > 0) j.rules = o.rules;
  if (o.error !== undefined) j.error = o.error;
  return JSON.stringify(j);
}

/** The JSON Lines report: one object per step. */
export function jsonReport(r: ReplayResult): string[] {
  return r.outcomes.map((o) => jsonLine(o));
}

/** Malformed-file report: one line per problem, `file:line: field: message`. */
export function malformedReport(file: string, errors: readonly LineError[]): string[] {
  return errors.map((e) => `${file}:${e.line}: ${e.message}`);
}

/** The per-command rule tally, as aligned text. */
export function tallyReport(tally: readonly CommandTally[]): string[] {
  const width = Math.max(7, ...tally.map((t) => t.command.length));
  const lines = [`${'command'.padEnd(width)}  calls  failures held  success held`];
  for (const t of tally) {
    lines.push(
      `${t.command.padEnd(width)}  ${String(t.calls).padStart(5)}  ${`${t.failuresHeld}/${t.failures}`.padStart(13)}  ${`${t.successHeld}/${t.success}`.padStart(12)}`,
    );
  }
  const sum = (f: (t: CommandTally) => number): number => tally.reduce((a, t) => a + f(t), 0);
  const failures = `${sum((t) => t.failuresHeld)}/${sum((t) => t.failures)}`;
  const success = `${sum((t) => t.successHeld)}/${sum((t) => t.success)}`;
  lines.push(`${'total'.padEnd(width)}  ${String(sum((t) => t.calls)).padStart(5)}  ${failures.padStart(13)}  ${success.padStart(12)}`);
  return lines;
}
