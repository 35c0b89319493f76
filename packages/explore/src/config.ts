/**
 * Exploration configurations: data (JSON in `proofs/`), decoded with io-ts so that every error
 * names its field. A configuration gives the platform, the pool of interchangeable granules, the
 * bounds, and for each command in the alphabet the domain of each input (small, and with invalid
 * values); `RMI_REC_ENTER` also gives the Realm environment: what the Realm may do once entered.
 *
 * @packageDocumentation
 */
import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { catalogue, PlatformCodec, U64 } from '@realmspec/core';
import { formatValidationErrors } from '@realmspec/core/internal';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** `"$pool"`: every granule of the pool, one alternative each (the only way a domain may name a pool granule). */
export const POOL = '$pool';

/** One value of a domain: a 64-bit value (trace-contract forms) or `"$pool"`. */
export const Scalar = t.union([t.literal(POOL), U64], 'Scalar');
/** See {@link Scalar}. */
export type Scalar = t.TypeOf<typeof Scalar>;

/** A scalar domain: one value, or a list of alternatives. */
export const ScalarDomain = t.union([Scalar, t.array(Scalar)], 'ScalarDomain');
/** See {@link ScalarDomain}. */
export type ScalarDomain = t.TypeOf<typeof ScalarDomain>;

/**
 * The fields of a structure the Host writes (by their spec names in lower case, as in traces):
 * a scalar field takes a {@link ScalarDomain}; an array field (`aux`, `gprs`, `rpv`) takes an
 * array with one {@link ScalarDomain} per element. Every combination is written to its own
 * scratch granule.
 */
export const StructFields = t.record(t.string, t.union([ScalarDomain, t.array(ScalarDomain)]), 'StructFields');
/** See {@link StructFields}. */
export type StructFields = t.TypeOf<typeof StructFields>;

/** A Host-written granule as an input value: a structure, or bytes (a DATA source). */
export const Payload = t.union(
  [
    t.exact(t.type({ realmParams: StructFields }), 'realmParams'),
    t.exact(t.type({ recParams: StructFields }), 'recParams'),
    t.exact(t.type({ recEnter: StructFields }), 'recEnter'),
    t.exact(t.type({ bytes: t.string }), 'bytes'),
  ],
  'Payload',
);
/** See {@link Payload}. */
export type Payload = t.TypeOf<typeof Payload>;

/** The domain of one command input: values, `"$pool"`, or payloads written to scratch granules. */
export const InputDomain = t.union([Scalar, Payload, t.array(t.union([Scalar, Payload]))], 'InputDomain');
/** See {@link InputDomain}. */
export type InputDomain = t.TypeOf<typeof InputDomain>;

/** A Realm call of the environment: `args` are X1.. domains (as a trace's `args`, each a domain). */
export const EnvCall = t.exact(
  t.intersection([t.type({ op: t.keyof({ rsi: null, psci: null }), cmd: t.string }), t.partial({ args: t.array(ScalarDomain) })]),
  'realm call',
);
/** A Realm access of the environment (trace `access` step; `ipa` and `value` are domains). */
export const EnvAccess = t.exact(
  t.intersection([
    t.type({ op: t.literal('access'), ipa: ScalarDomain, kind: t.keyof({ read: null, write: null, exec: null }) }),
    t.partial({ value: ScalarDomain }),
  ]),
  'access',
);
/** An asynchronous exit of the environment (trace `exit` step). */
export const EnvExit = t.exact(t.type({ op: t.literal('exit'), reason: t.keyof({ irq: null, fiq: null }) }), 'exit');
/** A WFI / WFE of the environment (an extension of the trace format: `{"op": "wfx", "instr": "wfi"}`). */
export const EnvWfx = t.exact(t.type({ op: t.literal('wfx'), instr: t.keyof({ wfi: null, wfe: null }) }), 'wfx');
/** One Realm step template of the environment. */
export const EnvStep = t.union([EnvCall, EnvAccess, EnvExit, EnvWfx], 'EnvStep');
/** See {@link EnvStep}. */
export type EnvStep = t.TypeOf<typeof EnvStep>;

/** Inputs of one command by their catalogue names; `realm` (RMI_REC_ENTER only): alternative step lists. */
export const CommandDomains = t.intersection([t.record(t.string, t.unknown), t.partial({ realm: t.array(t.array(EnvStep)) })], 'CommandDomains');

const Positive = t.refinement(t.number, (n) => Number.isInteger(n) && n > 0, 'PositiveInteger');

/** Which checks run (all by default). */
export const ChecksCodec = t.exact(
  t.partial({ invariants: t.boolean, permitted: t.boolean, teardown: t.boolean, checked: t.boolean }),
  'checks',
);

/** The configuration file, as JSON. */
export const ConfigCodec = t.exact(
  t.intersection([
    t.type({
      name: t.string,
      pool: t.exact(t.type({ base: U64, count: t.refinement(t.number, (n) => Number.isInteger(n) && n >= 1 && n <= 64, 'GranuleCount(1..64)') })),
      commands: t.record(t.string, CommandDomains),
    }),
    t.partial({
      description: t.string,
      platform: PlatformCodec,
      scratch: U64,
      symmetry: t.boolean,
      maxStates: Positive,
      maxDepth: Positive,
      checks: ChecksCodec,
    }),
  ]),
  'Config',
);

/** A decoded configuration. */
export interface Config {
  /** Short name (reports, shard files). */
  readonly name: string;
  /** What it explores, in words. */
  readonly description: string;
  /** The platform as the trace header gives it (kept raw for counterexample traces). */
  readonly platform: Readonly<Record<string, unknown>>;
  /** Granule indexes of the pool: interchangeable granules the alphabet names only as `$pool`. */
  readonly pool: readonly number[];
  /** First granule of the scratch area where the Host's parameter structures are written. */
  readonly scratch: bigint;
  /** Whether states are identified modulo renaming of pool granules. */
  readonly symmetry: boolean;
  /** Stop after this many distinct states (the result then says `bounded`). */
  readonly maxStates: number;
  /** Do not expand states at this depth (undefined: no bound). */
  readonly maxDepth: number | undefined;
  /** Checks to run at each transition. */
  readonly checks: { readonly invariants: boolean; readonly permitted: boolean; readonly teardown: boolean; readonly checked: boolean };
  /** The commands of the alphabet, in file order, with their input domains. */
  readonly commands: ReadonlyArray<{ readonly name: string; readonly inputs: Readonly<Record<string, InputDomain>>; readonly realm: ReadonlyArray<readonly EnvStep[]> | undefined }>;
}

// -------------------------------------------------------------------------------------
// decoding
// -------------------------------------------------------------------------------------

const DEFAULT_MAX_STATES = 1_000_000;

/** Decodes a configuration (parsed JSON); errors name the offending field. */
export function decodeConfig(u: unknown): E.Either<string[], Config> {
  const r = ConfigCodec.decode(u);
  if (E.isLeft(r)) return E.left(formatValidationErrors(r.left));
  const c = r.right;
  const problems: string[] = [];
  const commands: Array<Config['commands'][number]> = [];
  for (const [name, raw] of Object.entries(c.commands)) {
    const entry = catalogue.byName.get(name);
    if (entry === undefined || entry.iface !== 'RMI') {
      problems.push(`commands.${name}: not an RMI command of the catalogue`);
      continue;
    }
    const known = new Set(entry.spec.inputs.map((i) => i.name));
    const inputs: Record<string, InputDomain> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (k === 'realm') continue;
      if (!known.has(k)) {
        problems.push(`commands.${name}.${k}: not an input of ${name} (inputs: ${[...known].join(', ') || 'none'})`);
        continue;
      }
      const d = InputDomain.decode(v);
      if (E.isLeft(d)) problems.push(...formatValidationErrors(d.left).map((m) => `commands.${name}.${k}: ${m}`));
      else inputs[k] = d.right;
    }
    const realm = (raw as { realm?: EnvStep[][] }).realm;
    if (realm !== undefined && name !== 'RMI_REC_ENTER') problems.push(`commands.${name}.realm: only RMI_REC_ENTER takes a Realm environment`);
    realm?.forEach((alt, i) =>
      alt.forEach((st, j) => {
        if (st.op !== 'rsi' && st.op !== 'psci') return;
        const e = catalogue.byName.get(st.cmd);
        if (e === undefined || e.iface !== (st.op === 'rsi' ? 'RSI' : 'PSCI')) problems.push(`commands.${name}.realm.${i}.${j}.cmd: ${st.cmd} is not ${st.op === 'rsi' ? 'an RSI' : 'a PSCI'} command`);
      }),
    );
    commands.push({ name, inputs, realm });
  }
  if (problems.length > 0) return E.left(problems);
  const base = Number(c.pool.base >> 12n);
  if ((c.pool.base & 0xfffn) !== 0n) return E.left([`pool.base: must be granule aligned, got 0x${c.pool.base.toString(16)}`]);
  return E.right({
    name: c.name,
    description: c.description ?? '',
    platform: (u as { platform?: Record<string, unknown> }).platform ?? {},
    pool: Array.from({ length: c.pool.count }, (_, k) => base + k),
    scratch: c.scratch ?? 0x8800_0000n,
    symmetry: c.symmetry ?? true,
    maxStates: c.maxStates ?? DEFAULT_MAX_STATES,
    maxDepth: c.maxDepth,
    checks: { invariants: c.checks?.invariants ?? true, permitted: c.checks?.permitted ?? true, teardown: c.checks?.teardown ?? true, checked: c.checks?.checked ?? true },
    commands,
  });
}

/** Parses and decodes a configuration file's text; `name` prefixes the errors. */
export function parseConfig(text: string, name: string): E.Either<string[], Config> {
  let u: unknown;
  try {
    u = JSON.parse(text);
  } catch (e) {
    return E.left([`${name}: not JSON: ${e instanceof Error ? e.message : String(e)}`]);
  }
  return E.mapLeft((ms: string[]) => ms.map((m) => `${name}: ${m}`))(decodeConfig(u));
}
