/**
 * io-ts codecs of the trace format, version 1 (`../shared/contracts/trace-v1.md`, documented in
 * `spec/TRACE.md`). Structure payloads are derived from the core's structure layouts, so a trace
 * can name exactly the fields the spec defines.
 *
 * @packageDocumentation
 */
import * as t from 'io-ts';
import { PsciStatus, RecExitReason, RMI_STATUS_NAMES, RsiStatus, RmiRealmParams, RmiRecEnter, RmiRecParams, U64 as CoreU64, catalogue, hexBytes, type Layout } from '@realmspec/core';

// -------------------------------------------------------------------------------------
// values
// -------------------------------------------------------------------------------------


/**
 * An object type with required and optional fields that rejects fields it does not know, so a
 * misspelt key (`"expected"` for `"expect"`) is reported instead of silently ignored. Each field
 * is validated once, in place (no intersection of two object types to merge), with its name in
 * the error path.
 */
export function closed<R extends t.Props, O extends t.Props>(name: string, required: R, optional: O): t.Type<t.TypeOfProps<R> & Partial<t.TypeOfProps<O>>, unknown, unknown> {
  type A = t.TypeOfProps<R> & Partial<t.TypeOfProps<O>>;
  const inner = t.intersection([t.type(required), t.partial(optional)]);
  const codecs = new Map<string, t.Mixed>([...Object.entries(required), ...Object.entries(optional)]);
  const requiredKeys = Object.keys(required);
  const list = [...codecs.keys()].join(', ');
  return new t.Type<A, unknown, unknown>(
    name,
    (u): u is A => inner.is(u),
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c, `an object (${name})`);
      const o = u as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      const errors: t.ValidationError[] = [];
      const check = (k: string, codec: t.Mixed, v: unknown): void => {
        const r = codec.validate(v, t.appendContext(c, k, codec, v));
        if (r._tag === 'Right') out[k] = r.right;
        else for (const e of r.left) errors.push(e);
      };
      for (const k of Object.keys(o)) {
        const codec = codecs.get(k);
        if (codec === undefined) return t.failure(o[k], t.appendContext(c, k, t.unknown, o[k]), `one of the fields of ${name} (${list})`);
        check(k, codec, o[k]);
      }
      for (const k of requiredKeys) if (!Object.hasOwn(o, k)) check(k, codecs.get(k) as t.Mixed, undefined);
      return errors.length > 0 ? t.failures(errors) : t.success(out as A);
    },
    (a) => a,
  );
}

/** The most entries of an `out` expectation (X1..X31 at most). */
export const MAX_OUT = 31;
/** The most realm steps one RMI_REC_ENTER may carry. */
export const MAX_REALM_STEPS = 4096;
/** The longest hex payload (`bytes` of a write, `expect.bytes` of a read), in bytes: 1 MiB, as the longest read. */
export const MAX_HEX_BYTES = 1 << 20;

/**
 * A 64-bit value ({@link CoreU64}, the contract's forms). Leading zeros are dropped before the
 * value is converted, so a long digit string costs linear time and is rejected as soon as its
 * significant digits cannot fit 64 bits.
 */
export const U64 = new t.Type<bigint, string, unknown>(
  'U64',
  CoreU64.is,
  (u, c) => {
    if (typeof u !== 'string' || u.length <= 24) return CoreU64.validate(u, c);
    const hex = /^0[xX]0*([0-9a-fA-F]*)$/.exec(u);
    if (hex !== null) return (hex[1] as string).length > 16 ? t.failure(u, c, 'a value below 2^64') : CoreU64.validate(`0x${hex[1] || '0'}`, c);
    const dec = /^0*([0-9]*)$/.exec(u);
    if (dec !== null) return (dec[1] as string).length > 20 ? t.failure(u, c, 'a value below 2^64') : CoreU64.validate(dec[1] || '0', c);
    return CoreU64.validate(u, c);
  },
  CoreU64.encode,
);

/**
 * An array of at most `max` elements. The length is checked before any element, so an oversized
 * array is one error, not one per element.
 */
export function boundedArray<C extends t.Mixed>(elem: C, max: number, what: string = `an array of at most ${max} values`): t.Type<Array<t.TypeOf<C>>, unknown, unknown> {
  const inner = t.array(elem);
  return new t.Type<Array<t.TypeOf<C>>, unknown, unknown>(
    `Array<${elem.name}>(≤${max})`,
    (u): u is Array<t.TypeOf<C>> => inner.is(u) && u.length <= max,
    (u, c) => (Array.isArray(u) && u.length > max ? t.failure(u, c, `${what} (got ${u.length})`) : inner.validate(u, c)),
    (a) => a,
  );
}

/** A value that fits `bits` bits. */
function uBits(bits: number): t.Type<bigint, string, unknown> {
  if (bits >= 64) return U64;
  const max = 1n << BigInt(bits);
  return new t.Type<bigint, string, unknown>(
    `U${bits}`,
    (u): u is bigint => typeof u === 'bigint' && u >= 0n && u < max,
    (u, c) => {
      const r = U64.validate(u, c);
      if (r._tag === 'Left') return r;
      return r.right < max ? t.success(r.right) : t.failure(u, c, `a value that fits in ${bits} bits`);
    },
    (v) => '0x' + v.toString(16),
  );
}

const hashAlgoName = new t.Type<bigint, string, unknown>(
  'HashAlgo',
  (u): u is bigint => typeof u === 'bigint',
  (u, c) => {
    if (u === 'sha256') return t.success(0n);
    if (u === 'sha512') return t.success(1n);
    const r = uBits(8).validate(u, c);
    return r._tag === 'Left' ? t.failure(u, c, '"sha256", "sha512" or an 8-bit value') : r;
  },
  (v) => '0x' + v.toString(16),
);

/** The io-ts codec of a structure payload: one optional field per layout field, unknown fields rejected. */
export function structCodec(layout: Layout, overrides: Readonly<Record<string, t.Type<bigint, string, unknown>>> = {}): t.Type<Record<string, bigint | bigint[]>, unknown, unknown> {
  const props: Record<string, t.Mixed> = {};
  for (const f of layout.fields) {
    const elem = overrides[f.name] ?? uBits(f.bytes * 8);
    props[f.name] =
      f.count === undefined
        ? elem
        : boundedArray(elem, f.count);
  }
  return closed(layout.name, {}, props) as unknown as t.Type<Record<string, bigint | bigint[]>, unknown, unknown>;
}

// -------------------------------------------------------------------------------------
// steps
// -------------------------------------------------------------------------------------

const rmiNames = catalogue.commands.filter((c) => c.iface === 'RMI').map((c) => c.name);
const realmNames = catalogue.commands.filter((c) => c.iface !== 'RMI').map((c) => c.name);

function nameOf(names: readonly string[], what: string): t.Type<string, string, unknown> {
  const set = new Set(names);
  return new t.Type<string, string, unknown>(
    what,
    (u): u is string => typeof u === 'string' && set.has(u),
    (u, c) => (typeof u === 'string' && set.has(u) ? t.success(u) : t.failure(u, c, `the name of ${what}`)),
    (s) => s,
  );
}

/** An RMI command name of the catalogue. */
export const RmiName = nameOf(rmiNames, 'an RMI command');
/** An RSI or PSCI command name of the catalogue. */
export const RealmCallName = nameOf(realmNames, 'an RSI or PSCI command');

const Args = boundedArray(U64, 16, 'at most 16 argument registers (X1..X16)');
/** Expected registers: values, `null` for unchecked. */
const Checked = t.union([U64, t.null]);
const Out = boundedArray(Checked, MAX_OUT);

const names = (keys: readonly string[]): Record<string, null> => Object.fromEntries(keys.map((k) => [k, null]));

/** RMI status names an expectation may use (DEN0137 B4.4.25), plus SMCCC_NOT_SUPPORTED. */
export const RmiStatusName = t.keyof(names([...RMI_STATUS_NAMES, 'SMCCC_NOT_SUPPORTED']), 'an RMI status name');
/** RSI status names (DEN0137 B5.4.1) and PSCI return codes (B6.4.2) a realm-step expectation may use, plus SMCCC_NOT_SUPPORTED. */
export const RealmStatusName = t.keyof(names([...Object.keys(RsiStatus), ...Object.keys(PsciStatus), 'SMCCC_NOT_SUPPORTED']), 'an RSI or PSCI status name');

const ExitReasonName = t.keyof(names(Object.keys(RecExitReason)), 'an exit reason name');

/**
 * The RmiRecExit fields an `exit` expectation may check (DEN0137 B4.4.17). Expectations are
 * observations (trace contract; driver contract "Values are observations"): every field takes
 * any 64-bit value, and one that a narrower field cannot hold is a mismatch at replay.
 */
export const ExitExpect = closed(
  'RmiRecExit expectation',
  {},
  {
    exit_reason: t.union([ExitReasonName, U64]),
    esr: U64,
    far: U64,
    hpfar: U64,
    gprs: boundedArray(Checked, 31),
    gicv3_hcr: U64,
    gicv3_lrs: boundedArray(Checked, 16),
    gicv3_misr: U64,
    gicv3_vmcr: U64,
    cntp_ctl: U64,
    cntp_cval: U64,
    cntv_ctl: U64,
    cntv_cval: U64,
    ripas_base: U64,
    ripas_top: U64,
    ripas_value: U64,
    imm: U64,
    pmu_ovf_status: U64,
  },
);
/** A decoded `exit` expectation. */
export type ExitExpect = t.TypeOf<typeof ExitExpect>;

/** The longest `crash` text a driver may write (driver contract, "Outcomes"): 4 KiB. */
export const MAX_CRASH_TEXT = 4096;

/**
 * The text of `"expect": {"crash": TEXT}`: the implementation crashed or hung on this step
 * (driver contract, "Outcomes"). An outcome, never a malformed line; replay reports it as a
 * mismatch. At most {@link MAX_CRASH_TEXT} characters.
 */
export const CrashText = t.refinement(t.string, (s) => s.length <= MAX_CRASH_TEXT, `a text of at most ${MAX_CRASH_TEXT} characters`);

/** The `expect` object of an `rmi` step. `crash` stands alone: the implementation gave no answer. */
export const RmiExpect = closed('RMI expectation', {}, { status: RmiStatusName, index: U64, x0: U64, out: Out, exit: ExitExpect, crash: CrashText });
/** A decoded RMI expectation. */
export type RmiExpect = t.TypeOf<typeof RmiExpect>;

/** The `expect` object of a realm call step. */
export const RealmExpect = closed('realm call expectation', {}, { status: RealmStatusName, x0: U64, out: Out });
/** A decoded realm-call expectation. */
export type RealmExpect = t.TypeOf<typeof RealmExpect>;

/** A realm step inside RMI_REC_ENTER. */
export const RealmCallStep = closed('realm call', { op: t.keyof({ rsi: null, psci: null }) }, { cmd: RealmCallName, fid: U64, args: Args, expect: RealmExpect });
/** An access size in bytes: 1, 2, 4 or 8. */
const AccessSize = new t.Type<1 | 2 | 4 | 8, number, unknown>(
  'AccessSize',
  (u): u is 1 | 2 | 4 | 8 => u === 1 || u === 2 || u === 4 || u === 8,
  (u, c) => (u === 1 || u === 2 || u === 4 || u === 8 ? t.success(u) : t.failure(u, c, 'an access size: 1, 2, 4 or 8 bytes')),
  (n) => n,
);
/** A general-purpose register number, 0..31 (31 is XZR). */
const RegNumber = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0 && n <= 31, 'a register number 0..31');

/**
 * A memory access by the Realm. realmspec adds optional `size` (bytes, default 8), `reg` (the
 * transfer register, default 0), `value` (for a write: the value stored, put in the register
 * first) and `isv` (whether the syndrome describes the access, default true).
 */
export const RealmAccessStep = closed(
  'realm access',
  { op: t.literal('access'), ipa: U64, kind: t.keyof({ read: null, write: null, exec: null }) },
  { size: AccessSize, reg: RegNumber, value: U64, isv: t.boolean },
);
/** An asynchronous exit. */
export const RealmExitStep = closed('asynchronous exit', { op: t.literal('exit'), reason: t.keyof({ irq: null, fiq: null }) }, {});
/** A decoded realm step. */
export type RealmStep = t.TypeOf<typeof RealmCallStep> | t.TypeOf<typeof RealmAccessStep> | t.TypeOf<typeof RealmExitStep>;

/** `{"op": "rmi", ...}`: a Host SMC. */
export const RmiStepCodec = closed('rmi step', { op: t.literal('rmi') }, { cmd: RmiName, fid: U64, args: Args, expect: RmiExpect, realm: boundedArray(t.unknown, MAX_REALM_STEPS, `at most ${MAX_REALM_STEPS} realm steps`) });

const HexPayload = hexBytes(0, MAX_HEX_BYTES);

/** Write payloads: exactly one of these. */
export const WritePayloads = {
  realmParams: structCodec(RmiRealmParams, { hash_algo: hashAlgoName }),
  recParams: structCodec(RmiRecParams),
  recEnter: structCodec(RmiRecEnter),
  bytes: HexPayload,
} as const;

/** `{"op": "write", ...}`: the Host writes memory. */
export const WriteStepCodec = closed('write step', { op: t.literal('write'), pa: U64 }, { ...WritePayloads, expect: closed('write expectation', {}, { fault: t.literal('GPF'), crash: CrashText }) });

/** `{"op": "read", ...}`: the Host reads memory. */
export const ReadStepCodec = closed(
  'read step',
  { op: t.literal('read'), pa: U64, len: t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0 && n <= 1 << 20, 'a length of at most 1 MB') },
  { expect: closed('read expectation', {}, { bytes: HexPayload, fault: t.literal('GPF'), crash: CrashText }) },
);

const Count = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0 && n <= 1 << 30, 'a count 0..2^30');

/**
 * `"limits"` of a header (driver contract, "Invocation"): what a driver can express. Every field
 * is optional; an absent one sets no limit.
 */
export const LimitsCodec = closed(
  'limits',
  {},
  {
    /** The most Realm steps one RMI_REC_ENTER may hold. */
    realmStepsPerEnter: Count,
    /** The `exit` actions the driver can inject. */
    realmExits: boundedArray(t.keyof({ irq: null, fiq: null }), 2),
    /** The most argument registers a Realm call may set. */
    realmArgs: Count,
    /** The longest host read, in bytes. */
    readMax: Count,
  },
);
/** What a driver can express (driver contract): absent fields set no limit. */
export type Limits = t.TypeOf<typeof LimitsCodec>;

/** The header line. */
export const HeaderCodec = closed('header', { trace: t.literal('realmspec/1') }, { platform: t.unknown, limits: LimitsCodec });
