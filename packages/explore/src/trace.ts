/**
 * Counterexamples as trace-v1 files (`realmspec replay` runs them): the platform header, the
 * scratch writes that make the initial state, then the path's Host steps, each with the answer
 * the model gave as its expectation (X0, and the exit reason of a REC entry), so that a replay
 * that meets every expectation has reproduced the path step by step. Comment lines name the
 * configuration, the check that failed and its message.
 *
 * @packageDocumentation
 */
import { RecExitReason, runRec, setCheckedMode, smc, type RmmState } from '@realmspec/core';
import type { Action, Setup } from './alphabet.js';
import type { Violation } from './level.js';

const hex = (v: bigint): string => '0x' + v.toString(16);

/** The granule's bytes as hex without trailing zero bytes (a write of the rest is implied: scratch granules start zero). */
function trimmedHex(bytes: Uint8Array): string {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return Buffer.from(bytes.subarray(0, end)).toString('hex');
}

/** One trace step for action `a` from state `s`, with the model's answer as expectation; and the state after it. */
function stepLine(s: RmmState, a: Action): { line: Record<string, unknown>; state: RmmState } {
  const args = a.regs.slice(1).map(hex);
  const was = setCheckedMode(false);
  try {
    if (a.realm === undefined) {
      const r = smc(s, a.regs);
      return { line: { op: 'rmi', cmd: a.command, args, expect: { x0: hex(r.regs[0] ?? 0n) } }, state: r.state };
    }
    const r = runRec(s, { rec: a.regs[1] ?? 0n, run_ptr: a.regs[2] ?? 0n }, a.realm);
    const expect: Record<string, unknown> = { x0: hex(r.x0) };
    if (r.exit !== undefined) expect.exit = { exit_reason: Object.keys(RecExitReason)[r.exit.exit_reason] ?? r.exit.exit_reason };
    return { line: { op: 'rmi', cmd: a.command, args: args.slice(0, 2), realm: a.realmSteps ?? [], expect }, state: r.state };
  } finally {
    setCheckedMode(was);
  }
}

/** The trace-v1 text of the path `path` of `setup` (a counterexample when `violation` is given). */
export function traceOf(setup: Setup, path: readonly number[], violation?: Violation): string {
  const lines: string[] = [`# realmspec explore: configuration ${setup.config.name}, a path of ${path.length} step(s)`];
  if (violation !== undefined) lines.push(`# violation (${violation.check}): ${violation.message.replace(/\n/g, ' ')}`);
  lines.push(JSON.stringify({ trace: 'realmspec/1', platform: setup.config.platform }));
  for (const w of setup.writes) lines.push(JSON.stringify({ op: 'write', pa: hex(w.pa), bytes: trimmedHex(w.bytes) }));
  let s = setup.initial;
  path.forEach((k, i) => {
    const a = setup.actions[k] as Action;
    if (violation !== undefined && i === path.length - 1 && violation.check !== 'invariant' && violation.check !== 'teardown') lines.push(`# the step where ${violation.check} fails:`);
    const r = stepLine(s, a);
    lines.push(JSON.stringify(r.line));
    s = r.state;
  });
  if (violation?.check === 'teardown') lines.push('# from here the teardown strategy gets stuck');
  return lines.join('\n') + '\n';
}

/** The labels of a path's actions, for reports. */
export function pathLabels(setup: Setup, path: readonly number[]): string[] {
  return path.map((k) => (setup.actions[k] as Action).label);
}
