/**
 * Reporting a replay: the text and JSON Lines forms of the trace contract, the closing line,
 * the exit code, and the per-command rule tally.
 *
 * @packageDocumentation
 */
import { hex, type CommandTally } from '@realmspec/core';
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

/** The closing line: `N passed, M failed`, counting steps with an expectation. */
export function closingLine(r: ReplayResult): string {
  const checked = r.outcomes.filter((o) => o.checked || o.error !== undefined);
  const failed = checked.filter((o) => !o.ok).length;
  return `${checked.length - failed} passed, ${failed} failed`;
}

/** The exit code of a replay. */
export function exitCodeOf(r: ReplayResult): number {
  if (r.outcomes.some((o) => o.error !== undefined)) return ExitCode.MALFORMED;
  return r.outcomes.some((o) => !o.ok) ? ExitCode.MISMATCH : ExitCode.OK;
}

/** The text report: one line per step that failed an expectation or could not run. */
export function textReport(file: string, r: ReplayResult): string[] {
  const lines: string[] = [];
  for (const o of r.outcomes) {
    if (o.error !== undefined) lines.push(`${file}:${o.step.line}: ${describeStep(o.step)}: could not run: ${o.error}`);
    else if (!o.ok) {
      const rule = typeof o.got.rule === 'string' ? ` [${o.got.rule}]` : '';
      lines.push(`${file}:${o.step.line}: ${describeStep(o.step)}: ${o.mismatches.join('; ')}${rule}`);
    }
  }
  return lines;
}

/** The JSON Lines report: one object per step. */
export function jsonReport(r: ReplayResult): string[] {
  return r.outcomes.map((o: StepOutcome) =>
    JSON.stringify({
      line: o.step.line,
      ok: o.ok,
      got: o.got,
      expected: o.expected,
      ...(o.mismatches.length > 0 ? { mismatches: o.mismatches } : {}),
      ...(o.error !== undefined ? { error: o.error } : {}),
    }),
  );
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
