/**
 * Decoding a trace: line by line ({@link decodeTrace}, for files of any length) or a whole text
 * at once ({@link parseTrace}). Every malformed line is reported with its number and the
 * offending field (trace contract, "Result").
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { catalogue, defaultPlatform, functionId, type CatalogueCommand, type Platform, type RealmAccessAction } from '@realmspec/core';
import { formatValidationErrors } from '@realmspec/core/internal';
import { decodePlatformHeader } from './header.js';
import { MAX_LINE_BYTES, textLines, type RawLine } from './lines.js';
import {
  HeaderCodec,
  ReadStepCodec,
  RealmAccessStep,
  RealmCallStep,
  RealmExitStep,
  RmiStepCodec,
  WritePayloads,
  WriteStepCodec,
  type Limits,
  type RealmExpect,
  type RmiExpect,
} from './codec.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A problem with one line of a trace file. */
export interface LineError {
  /** 1-based line number. */
  readonly line: number;
  /** What is wrong, starting with the path of the offending field. */
  readonly message: string;
}

/** A realm call (RSI or PSCI) inside RMI_REC_ENTER. */
export interface RealmCall {
  readonly kind: 'call';
  /** `rsi` or `psci`. */
  readonly op: 'rsi' | 'psci';
  /** The catalogue command, when the step names one. */
  readonly command: CatalogueCommand | undefined;
  /** X0: the function id. */
  readonly fid: bigint;
  /** X1.. */
  readonly args: readonly bigint[];
  /** What the Realm expects back. */
  readonly expect: RealmExpect | undefined;
}

/** A step the Realm takes while a REC runs: a call, a memory access (the core's action), or an asynchronous exit. */
export type RealmAction = RealmCall | RealmAccessAction | { readonly kind: 'exit'; readonly reason: 'irq' | 'fiq' };

/** One step of a trace. */
export type Step =
  | {
      readonly kind: 'rmi';
      readonly line: number;
      /** The catalogue command, when the step names one (or its FID is one). */
      readonly command: CatalogueCommand | undefined;
      readonly fid: bigint;
      readonly args: readonly bigint[];
      readonly expect: RmiExpect | undefined;
      /** Realm steps of an RMI_REC_ENTER. */
      readonly realm: readonly RealmAction[] | undefined;
    }
  | {
      readonly kind: 'write';
      readonly line: number;
      readonly pa: bigint;
      /** The payload: a structure by name, or raw bytes. */
      readonly payload:
        | { readonly kind: 'realmParams' | 'recParams' | 'recEnter'; readonly fields: Readonly<Record<string, bigint | bigint[]>> }
        | { readonly kind: 'bytes'; readonly bytes: Uint8Array };
      readonly expectFault: boolean;
      readonly checked: boolean;
      /** `"expect": {"crash": TEXT}`: the implementation crashed on this step (driver contract). */
      readonly crash?: string;
    }
  | {
      readonly kind: 'read';
      readonly line: number;
      readonly pa: bigint;
      readonly len: number;
      readonly expect: { readonly bytes?: Uint8Array; readonly fault?: 'GPF'; readonly crash?: string } | undefined;
    };

/** A decoded trace. */
export interface Trace {
  /** The platform from the header, or the default platform. */
  readonly platform: Platform;
  /** The steps in file order. */
  readonly steps: readonly Step[];
  /** The header's `limits`, if it had them (driver contract). */
  readonly limits?: Limits;
}

// -------------------------------------------------------------------------------------
// decoding
// -------------------------------------------------------------------------------------

const byFid = new Map<number, CatalogueCommand>();
for (const c of catalogue.commands) for (const f of c.fids) byFid.set(f, c);

function commandOfFid(fid: bigint, iface: readonly string[]): CatalogueCommand | undefined {
  const c = byFid.get(functionId(fid));
  return c !== undefined && iface.includes(c.iface) ? c : undefined;
}

type Result<A> = E.Either<string[], A>;

function decodeWith<A>(codec: t.Type<A, unknown, unknown>, u: unknown, prefix = ''): Result<A> {
  const r = codec.decode(u);
  return E.isLeft(r) ? E.left(formatValidationErrors(r.left).map((m) => prefix + m)) : E.right(r.right);
}

function decodeRealmAction(u: unknown, k: number): Result<RealmAction> {
  const prefix = `realm.${k}.`;
  const op = typeof u === 'object' && u !== null ? (u as { op?: unknown }).op : undefined;
  if (op === 'access') {
    return E.map((a: t.TypeOf<typeof RealmAccessStep>) => ({
      kind: 'access' as const,
      ipa: a.ipa,
      access: a.kind,
      ...(a.size !== undefined ? { size: a.size } : {}),
      ...(a.reg !== undefined ? { reg: a.reg } : {}),
      ...(a.value !== undefined ? { value: a.value } : {}),
      ...(a.isv !== undefined ? { isv: a.isv } : {}),
    }))(decodeWith(RealmAccessStep, u, prefix));
  }
  if (op === 'exit') return E.map((a: t.TypeOf<typeof RealmExitStep>) => ({ kind: 'exit' as const, reason: a.reason }))(decodeWith(RealmExitStep, u, prefix));
  if (op !== 'rsi' && op !== 'psci') return E.left([`${prefix}op: expected "rsi", "psci", "access" or "exit", got ${JSON.stringify(op)}`]);
  const r = decodeWith(RealmCallStep, u, prefix);
  if (E.isLeft(r)) return r;
  const s = r.right;
  const iface = op === 'rsi' ? 'RSI' : 'PSCI';
  if ((s.cmd === undefined) === (s.fid === undefined)) return E.left([`${prefix}cmd: give exactly one of "cmd" and "fid"`]);
  let command: CatalogueCommand | undefined;
  if (s.cmd !== undefined) {
    command = catalogue.byName.get(s.cmd);
    if (command?.iface !== iface) return E.left([`${prefix}cmd: ${s.cmd} is not ${iface === 'RSI' ? 'an RSI' : 'a PSCI'} command`]);
  } else command = commandOfFid(s.fid as bigint, [iface]);
  const fid = s.fid ?? BigInt((command as CatalogueCommand).fids[0] as number);
  if (s.expect?.status !== undefined && s.expect.x0 !== undefined) return E.left([`${prefix}expect: give "status" or "x0", not both`]);
  return E.right({ kind: 'call', op, command, fid, args: s.args ?? [], expect: s.expect });
}

function decodeStep(u: unknown, line: number): Result<Step> {
  const op = typeof u === 'object' && u !== null && !Array.isArray(u) ? (u as { op?: unknown }).op : undefined;
  if (op === 'rmi') {
    const r = decodeWith(RmiStepCodec, u);
    if (E.isLeft(r)) return r;
    const s = r.right;
    if ((s.cmd === undefined) === (s.fid === undefined)) return E.left(['cmd: give exactly one of "cmd" and "fid"']);
    const command = s.cmd !== undefined ? catalogue.byName.get(s.cmd) : commandOfFid(s.fid as bigint, ['RMI']);
    const fid = s.fid ?? BigInt((command as CatalogueCommand).fids[0] as number);
    const problems: string[] = [];
    if (s.expect?.status !== undefined && s.expect.x0 !== undefined) problems.push('expect: give "status" or "x0", not both');
    if (s.expect?.index !== undefined && s.expect.status === undefined) problems.push('expect.index: an index needs a "status"');
    if (s.expect?.crash !== undefined && Object.keys(s.expect).length > 1) problems.push('expect.crash: a crash stands alone (the implementation gave no other answer)');
    const isEnter = command?.name === 'RMI_REC_ENTER';
    if (s.expect?.exit !== undefined && !isEnter) problems.push('expect.exit: only RMI_REC_ENTER has an exit');
    if (s.realm !== undefined && !isEnter) problems.push('realm: only RMI_REC_ENTER runs realm steps');
    const realm: RealmAction[] = [];
    (s.realm ?? []).forEach((x, k) => {
      const a = decodeRealmAction(x, k);
      if (E.isLeft(a)) problems.push(...a.left);
      else realm.push(a.right);
    });
    if (problems.length > 0) return E.left(problems);
    return E.right({ kind: 'rmi', line, command, fid, args: s.args ?? [], expect: s.expect, realm: s.realm === undefined ? undefined : realm });
  }
  if (op === 'write') {
    const r = decodeWith(WriteStepCodec, u);
    if (E.isLeft(r)) return r;
    const s = r.right;
    const given = (Object.keys(WritePayloads) as Array<keyof typeof WritePayloads>).filter((k) => s[k] !== undefined);
    if (given.length !== 1) return E.left([`write: give exactly one payload of ${Object.keys(WritePayloads).join(', ')} (got ${given.length})`]);
    const kind = given[0] as keyof typeof WritePayloads;
    if (kind !== 'bytes' && (s.pa & 0xfffn) !== 0n) return E.left([`pa: a ${kind} payload needs a granule-aligned pa, got 0x${s.pa.toString(16)}`]);
    const payload = kind === 'bytes' ? { kind, bytes: s.bytes as Uint8Array } : { kind, fields: s[kind] as Record<string, bigint | bigint[]> };
    if (s.expect?.crash !== undefined && s.expect.fault !== undefined) return E.left(['expect.crash: a crash stands alone (the implementation gave no other answer)']);
    return E.right({ kind: 'write', line, pa: s.pa, payload, expectFault: s.expect?.fault === 'GPF', checked: s.expect !== undefined, ...(s.expect?.crash !== undefined ? { crash: s.expect.crash } : {}) });
  }
  if (op === 'read') {
    const r = decodeWith(ReadStepCodec, u);
    if (E.isLeft(r)) return r;
    if (r.right.expect?.crash !== undefined && Object.keys(r.right.expect).length > 1) return E.left(['expect.crash: a crash stands alone (the implementation gave no other answer)']);
    return E.right({ kind: 'read', line, pa: r.right.pa, len: r.right.len, expect: r.right.expect });
  }
  if (typeof u === 'object' && u !== null && 'trace' in u) return E.left(['trace: the header must be the first non-comment line']);
  return E.left([`op: expected "rmi", "write" or "read", got ${JSON.stringify(op)}`]);
}

// -------------------------------------------------------------------------------------
// lines
// -------------------------------------------------------------------------------------

/** The deepest nesting of arrays and objects a line may have (a step needs 5). */
export const MAX_DEPTH = 32;
/** The most problems reported for one line; the rest are counted. */
export const MAX_LINE_ERRORS = 16;

/**
 * The path of a value nested deeper than `max` arrays and objects in `u`, if there is one.
 * Iterative, so that no nesting depth can exhaust the stack.
 */
function tooDeep(u: unknown, max: number): string | undefined {
  const stack: Array<readonly [unknown, number, string]> = [[u, 0, '']];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [v, depth, path] = top;
    if (depth >= max) return path === '' ? '(root)' : path;
    const at = (k: string | number): string => (path === '' ? String(k) : `${path}.${k}`);
    if (Array.isArray(v)) {
      for (let k = 0; k < v.length; k++) if (typeof v[k] === 'object' && v[k] !== null) stack.push([v[k], depth + 1, at(k)]);
    } else {
      for (const k in v as object) {
        const x = (v as Record<string, unknown>)[k];
        if (typeof x === 'object' && x !== null) stack.push([x, depth + 1, at(k)]);
      }
    }
  }
  return undefined;
}

/** Whether `u` nests deeper than `max` arrays and objects (iterative, no paths: the fast check of every line). */
function deeperThan(u: unknown, max: number): boolean {
  const values: unknown[] = [u];
  const depths: number[] = [0];
  for (let v = values.pop(); v !== undefined; v = values.pop()) {
    const depth = depths.pop() as number;
    if (depth >= max) return true;
    if (Array.isArray(v)) {
      for (let k = 0; k < v.length; k++) {
        const x: unknown = v[k];
        if (typeof x === 'object' && x !== null) {
          values.push(x);
          depths.push(depth + 1);
        }
      }
    } else if (typeof v === 'object' && v !== null) {
      for (const k in v) {
        const x = (v as Record<string, unknown>)[k];
        if (typeof x === 'object' && x !== null) {
          values.push(x);
          depths.push(depth + 1);
        }
      }
    }
  }
  return false;
}

/** One decoded line of a trace: the header's platform, a step, or the problems of a malformed line. */
export type TraceItem =
  | { readonly kind: 'header'; readonly line: number; readonly platform: Platform; readonly limits?: Limits }
  | { readonly kind: 'step'; readonly step: Step }
  | { readonly kind: 'malformed'; readonly line: number; readonly errors: readonly LineError[] };

function malformed(line: number, messages: readonly string[]): TraceItem {
  const shown = messages.length > MAX_LINE_ERRORS ? [...messages.slice(0, MAX_LINE_ERRORS - 1), `(line): ${messages.length - MAX_LINE_ERRORS + 1} more problem(s) on this line not shown`] : messages;
  return { kind: 'malformed', line, errors: shown.map((message) => ({ line, message })) };
}

/** Decodes one line that is not a comment; `first` when no other line came before it. */
function decodeLine(raw: RawLine, body: string, first: boolean): TraceItem {
  const line = raw.line;
  let u: unknown;
  // A syntax error's stack trace is never shown; not capturing it makes malformed lines cheap.
  const traceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    u = JSON.parse(body);
  } catch (e) {
    return malformed(line, [`not valid JSON: ${e instanceof Error ? e.message : String(e)}`]);
  } finally {
    Error.stackTraceLimit = traceLimit;
  }
  const deep = deeperThan(u, MAX_DEPTH) ? tooDeep(u, MAX_DEPTH) : undefined;
  if (deep !== undefined) return malformed(line, [`${deep}: nested deeper than ${MAX_DEPTH} arrays and objects`]);
  if (first && typeof u === 'object' && u !== null && !Array.isArray(u) && 'trace' in u) {
    const h = decodeWith(HeaderCodec, u);
    if (E.isLeft(h)) return malformed(line, h.left);
    const limits = h.right.limits !== undefined ? { limits: h.right.limits } : {};
    if (h.right.platform === undefined) return { kind: 'header', line, platform: defaultPlatform, ...limits };
    const p = decodePlatformHeader(h.right.platform);
    return E.isLeft(p) ? malformed(line, p.left) : { kind: 'header', line, platform: p.right, ...limits };
  }
  const s = decodeStep(u, line);
  return E.isLeft(s) ? malformed(line, s.left) : { kind: 'step', step: s.right };
}

/**
 * Decodes a trace line by line, in file order: comments (`#`) and blank lines yield nothing; the
 * first other line may be the header. Memory does not grow with the number of lines, so a
 * caller can check a file of any length (every malformed line is yielded with its problems) and
 * then decode it again to run it.
 */
export function* decodeTrace(lines: Iterable<RawLine>): Generator<TraceItem, void, undefined> {
  let first = true;
  for (const raw of lines) {
    if (raw.text === undefined) {
      first = false;
      yield malformed(raw.line, [`(line): ${raw.bytes} bytes, longer than the ${MAX_LINE_BYTES} bytes a trace line may hold`]);
      continue;
    }
    const body = raw.text.trim();
    if (body === '' || body.startsWith('#')) continue;
    const item = decodeLine(raw, body, first);
    first = false;
    yield item;
  }
}

/**
 * Decodes a whole trace held in memory. Comments (`#`) and blank lines are skipped; the first
 * other line may be the header. Every malformed line is reported, with its number and field.
 */
export function parseTrace(text: string): E.Either<LineError[], Trace> {
  const errors: LineError[] = [];
  const steps: Step[] = [];
  let platform: Platform = defaultPlatform;
  let limits: Limits | undefined;
  for (const item of decodeTrace(textLines(text))) {
    if (item.kind === 'header') {
      platform = item.platform;
      limits = item.limits;
    } else if (item.kind === 'step') steps.push(item.step);
    else for (const e of item.errors) errors.push(e);
  }
  return errors.length > 0 ? E.left(errors) : E.right({ platform, steps, ...(limits !== undefined ? { limits } : {}) });
}
