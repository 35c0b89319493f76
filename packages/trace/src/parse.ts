/**
 * Decoding a whole trace file: every line is decoded before anything runs, and every malformed
 * line is reported with its number and the offending field (trace contract, "Result").
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { catalogue, decodePlatform, defaultPlatform, formatValidationErrors, functionId, type CatalogueCommand, type Platform, type RealmAccessAction } from '@realmspec/core';
import {
  HeaderCodec,
  ReadStepCodec,
  RealmAccessStep,
  RealmCallStep,
  RealmExitStep,
  RmiStepCodec,
  WritePayloads,
  WriteStepCodec,
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
    }
  | {
      readonly kind: 'read';
      readonly line: number;
      readonly pa: bigint;
      readonly len: number;
      readonly expect: { readonly bytes?: Uint8Array; readonly fault?: 'GPF' } | undefined;
    };

/** A decoded trace. */
export interface Trace {
  /** The platform from the header, or the default platform. */
  readonly platform: Platform;
  /** The steps in file order. */
  readonly steps: readonly Step[];
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
    return E.right({ kind: 'write', line, pa: s.pa, payload, expectFault: s.expect?.fault === 'GPF', checked: s.expect !== undefined });
  }
  if (op === 'read') {
    const r = decodeWith(ReadStepCodec, u);
    if (E.isLeft(r)) return r;
    return E.right({ kind: 'read', line, pa: r.right.pa, len: r.right.len, expect: r.right.expect });
  }
  if (typeof u === 'object' && u !== null && 'trace' in u) return E.left(['trace: the header must be the first non-comment line']);
  return E.left([`op: expected "rmi", "write" or "read", got ${JSON.stringify(op)}`]);
}

/**
 * Decodes a whole trace file. Comments (`#`) and blank lines are skipped; the first other line
 * may be the header. Every malformed line is reported, with its number and field.
 */
export function parseTrace(text: string): E.Either<LineError[], Trace> {
  const errors: LineError[] = [];
  const steps: Step[] = [];
  let platform: Platform = defaultPlatform;
  let first = true;
  text.split(/\r?\n/).forEach((raw, k) => {
    const line = k + 1;
    const body = raw.trim();
    if (body === '' || body.startsWith('#')) return;
    let u: unknown;
    try {
      u = JSON.parse(body);
    } catch (e) {
      errors.push({ line, message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` });
      first = false;
      return;
    }
    if (first && typeof u === 'object' && u !== null && 'trace' in u) {
      first = false;
      const h = decodeWith(HeaderCodec, u);
      if (E.isLeft(h)) {
        for (const m of h.left) errors.push({ line, message: m });
        return;
      }
      if (h.right.platform !== undefined) {
        const p = decodePlatform(h.right.platform);
        if (E.isLeft(p)) for (const m of formatValidationErrors(p.left)) errors.push({ line, message: `platform.${m}` });
        else platform = p.right;
      }
      return;
    }
    first = false;
    const s = decodeStep(u, line);
    if (E.isLeft(s)) for (const m of s.left) errors.push({ line, message: m });
    else steps.push(s.right);
  });
  return errors.length > 0 ? E.left(errors) : E.right({ platform, steps });
}
