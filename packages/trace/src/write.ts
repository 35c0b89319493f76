/**
 * Writing traces (`realmspec/1`): decoded steps back to JSON lines, expectations built from an
 * implementation's answer, the header with a platform and a driver's limits, and comments. A
 * line written here decodes ({@link decodeTrace}) to the same step; drivers, generators and
 * shrinkers write their traces with it.
 *
 * @packageDocumentation
 */
import { decodeRmiResult, gptName, psciStatusName, rsiStatusName, SMCCC_NOT_SUPPORTED, type Platform, type RecExitFields } from '@realmspec/core';
import { hex } from '@realmspec/core/internal';
import type { ExitExpect, Limits, RealmExpect, RmiExpect } from './codec.js';
import type { RealmAction, Step } from './parse.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A JSON value as a trace line holds it (64-bit values as hex strings). */
export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

/** The expectation of any step, as the decoder gives it: RMI, a write's or a read's. */
export type AnyExpect = RmiExpect | { readonly fault?: 'GPF'; readonly bytes?: Uint8Array; readonly crash?: string };

// -------------------------------------------------------------------------------------
// values
// -------------------------------------------------------------------------------------

/** A value in trace form: bigints as `0x…`, byte arrays as hex, arrays and objects element by element; `undefined` fields dropped. */
export function toJson(v: unknown): Json {
  if (typeof v === 'bigint') return hex(v);
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : toJson(x)));
  if (typeof v === 'object' && v !== null) {
    const o: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = toJson(x);
    return o;
  }
  return v as Json;
}

// -------------------------------------------------------------------------------------
// header
// -------------------------------------------------------------------------------------

/** The `"platform"` object of a header for `p` (every field written, so the header says what the model assumed). */
export function platformJson(p: Platform): { [k: string]: Json } {
  return {
    dram: p.dram.map((d) => ({ base: hex(d.base), size: hex(d.size) })),
    features0: hex(p.features0),
    recAuxCount: p.recAuxCount,
    vmid16: p.vmid16,
    hpmn0: p.hpmn0,
    ...(p.gpt.length > 0 ? { gpt: p.gpt.map((g) => ({ base: hex(g.base), size: hex(g.size), gpi: gptName[g.gpt] })) } : {}),
  };
}

/** The header line: `{"trace": "realmspec/1", "platform": {...}}`, with the driver's `limits` when given. */
export function headerLine(p: Platform, limits?: Limits): string {
  return JSON.stringify({ trace: 'realmspec/1', platform: platformJson(p), ...(limits !== undefined ? { limits: toJson(limits) } : {}) });
}

/** Comment lines for `text` (each line prefixed with `# `). */
export function commentLines(text: string): string[] {
  return text.split('\n').map((l) => (l === '' ? '#' : `# ${l}`));
}

// -------------------------------------------------------------------------------------
// steps
// -------------------------------------------------------------------------------------

/** `cmd` when the FID is the command's own, else the raw `fid` (an alias, the SVE hint, or no command). */
function callee(command: { readonly name: string; readonly fids: readonly number[] } | undefined, fid: bigint): { [k: string]: Json } {
  return command !== undefined && BigInt(command.fids[0] as number) === fid ? { cmd: command.name } : { fid: hex(fid) };
}

/** A realm step as JSON. */
export function realmActionJson(a: RealmAction): { [k: string]: Json } {
  if (a.kind === 'call') return { op: a.op, ...callee(a.command, a.fid), args: a.args.map(hex), ...(a.expect !== undefined ? { expect: toJson(a.expect) } : {}) };
  if (a.kind === 'exit') return { op: 'exit', reason: a.reason };
  return {
    op: 'access',
    ipa: hex(a.ipa),
    kind: a.access,
    ...(a.size !== undefined ? { size: a.size } : {}),
    ...(a.reg !== undefined ? { reg: a.reg } : {}),
    ...(a.value !== undefined ? { value: hex(a.value) } : {}),
    ...(a.isv !== undefined ? { isv: a.isv } : {}),
  };
}

/** The expectation `step` carries, as a JSON object, or undefined when it carries none. */
export function expectJson(step: Step): { [k: string]: Json } | undefined {
  switch (step.kind) {
    case 'rmi':
      return step.expect === undefined ? undefined : (toJson(step.expect) as { [k: string]: Json });
    case 'write':
      if (step.crash !== undefined) return { crash: step.crash };
      return step.checked ? (step.expectFault ? { fault: 'GPF' } : {}) : undefined;
    case 'read':
      return step.expect === undefined ? undefined : (toJson(step.expect) as { [k: string]: Json });
  }
}

/** A step as a JSON object: the line {@link decodeTrace} decodes back to it. `expect` replaces the step's own expectation when given (`null`: none). */
export function stepJson(step: Step, expect?: { [k: string]: Json } | null): { [k: string]: Json } {
  const e = expect === undefined ? expectJson(step) : (expect ?? undefined);
  const tail: { [k: string]: Json } = e !== undefined ? { expect: e } : {};
  switch (step.kind) {
    case 'rmi':
      return {
        op: 'rmi',
        ...callee(step.command, step.fid),
        args: step.args.map(hex),
        ...(step.realm !== undefined ? { realm: step.realm.map(realmActionJson) } : {}),
        ...tail,
      };
    case 'write': {
      const p = step.payload;
      return { op: 'write', pa: hex(step.pa), [p.kind]: p.kind === 'bytes' ? toJson(p.bytes) : toJson(p.fields), ...tail };
    }
    case 'read':
      return { op: 'read', pa: hex(step.pa), len: step.len, ...tail };
  }
}

/** A step as one trace line (see {@link stepJson}). */
export function stepLine(step: Step, expect?: { [k: string]: Json } | null): string {
  return JSON.stringify(stepJson(step, expect));
}

// -------------------------------------------------------------------------------------
// expectations from answers
// -------------------------------------------------------------------------------------

/**
 * The expectation that records an RMI answer: the status by name with its index when X0 is
 * one the spec defines (else the raw `x0`), and the output registers `out` (X1..).
 */
export function rmiExpectOf(x0: bigint, out: readonly bigint[]): RmiExpect {
  const d = decodeRmiResult(x0);
  const named = d.status === 'SMCCC_NOT_SUPPORTED' || !d.status.startsWith('unknown');
  const status = named ? { status: d.status as NonNullable<RmiExpect['status']>, ...(d.index !== 0 || d.status.startsWith('RMI_ERROR') ? { index: BigInt(d.index) } : {}) } : { x0 };
  return out.length > 0 ? { ...status, out: [...out] } : status;
}

/** The expectation that records a Realm call's answer: the status by name (RSI or PSCI) when it has one, else `x0`, and `out` (X1..). */
export function realmExpectOf(op: 'rsi' | 'psci', x0: bigint, out: readonly bigint[]): RealmExpect {
  const name = x0 === SMCCC_NOT_SUPPORTED ? 'SMCCC_NOT_SUPPORTED' : op === 'rsi' ? rsiStatusName(x0) : psciStatusName(x0);
  const status = name !== undefined ? { status: name as RealmExpect['status'] } : { x0 };
  return out.length > 0 ? { ...status, out: [...out] } : status;
}

/** The `exit` expectation that records every field of an RmiRecExit. */
export function exitExpectOf(e: RecExitFields | Readonly<Record<string, bigint | readonly bigint[]>>): ExitExpect {
  const o: Record<string, bigint | Array<bigint | null>> = {};
  for (const [k, v] of Object.entries(e)) o[k] = typeof v === 'number' ? BigInt(v) : Array.isArray(v) ? [...(v as bigint[])] : (v as bigint);
  return o as ExitExpect;
}
