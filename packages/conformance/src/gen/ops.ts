/**
 * The abstract steps the harness generates (fast-check arbitraries) before they are resolved
 * against the model's state into trace steps. Every field is a small choice or a 64-bit word,
 * and 0 is always the "valid-looking" choice (the role's usual granule state, the smart IPA and
 * level, a supported parameter), so that fast-check's shrinking, which moves numbers toward 0,
 * moves a counterexample toward the plainest sequence that still fails.
 *
 * @packageDocumentation
 */
import fc from 'fast-check';
import type { Limits } from '@realmspec/trace';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A granule (or address) choice. `m` 0 is the role's usual state (an UNDELEGATED granule to
 * delegate, an RD for `rd`, a DELEGATED granule to make an RTT of, ...); 1..7 another state
 * (DELEGATED, UNDELEGATED, RD, REC, RTT, DATA, REC_AUX); 8 a raw granule of the pool; 9 a bad
 * address (misaligned, just past DRAM, outside DRAM, a granule whose GPT is not NS, 64-bit
 * garbage, a Host parameter granule). `k` picks among the candidates.
 */
export interface Pick {
  readonly m: number;
  readonly k: number;
}

/** The Host operations. */
export const HOST_OPS = [
  'delegate',
  'undelegate',
  'realmCreate',
  'realmActivate',
  'realmDestroy',
  'recAuxCount',
  'recCreate',
  'recDestroy',
  'rttCreate',
  'rttDestroy',
  'rttFold',
  'rttReadEntry',
  'mapUnprotected',
  'unmapUnprotected',
  'dataCreate',
  'dataCreateUnknown',
  'dataDestroy',
  'initRipas',
  'setRipas',
  'enter',
  'psciComplete',
  'features',
  'version',
  'hostWrite',
  'hostRead',
  'garbage',
] as const;
/** A Host operation name. */
export type HostOpName = (typeof HOST_OPS)[number];

/** The Realm operations inside an RMI_REC_ENTER. */
export const REALM_OPS = ['rsi', 'psci', 'access', 'exit'] as const;

/** The RSI calls a Realm step makes, by its first choice. */
export const RSI_CALLS = ['RSI_MEASUREMENT_READ', 'RSI_MEASUREMENT_EXTEND', 'RSI_IPA_STATE_GET', 'RSI_IPA_STATE_SET', 'RSI_HOST_CALL', 'RSI_VERSION', 'RSI_FEATURES', 'RSI_REALM_CONFIG', 'RSI_ATTESTATION_TOKEN_INIT', 'RSI_ATTESTATION_TOKEN_CONTINUE'] as const;
/** The PSCI calls a Realm step makes, by its first choice. */
export const PSCI_CALLS = ['PSCI_CPU_ON', 'PSCI_AFFINITY_INFO', 'PSCI_VERSION', 'PSCI_FEATURES', 'PSCI_CPU_SUSPEND', 'PSCI_CPU_OFF', 'PSCI_SYSTEM_OFF', 'PSCI_SYSTEM_RESET'] as const;

/** A Realm step before resolution: `n` choices, `w` words. */
export interface RealmOp {
  readonly t: (typeof REALM_OPS)[number];
  readonly n: readonly number[];
  readonly w: readonly bigint[];
}

/** A Host step before resolution: granule picks `p`, choices `n`, words `w`, and Realm steps for `enter`. */
export interface Op {
  readonly t: HostOpName;
  readonly p: readonly Pick[];
  readonly n: readonly number[];
  readonly w: readonly bigint[];
  readonly realm?: readonly RealmOp[];
}

// -------------------------------------------------------------------------------------
// arbitraries
// -------------------------------------------------------------------------------------

/** A choice: mostly 0 (the plain one), sometimes a small alternative, rarely a wide one. */
const choice = fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.nat(7) }, { weight: 1, arbitrary: fc.nat(255) });
/**
 * The alternative a step aimed at one row takes: mostly a small one (each aims its argument at a
 * failure row or a boundary of the outcome: a range across the end of an RTT, a size one beyond
 * its bound, a status the call does not permit), sometimes a wide one.
 */
const alternative = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 7 }) }, { weight: 1, arbitrary: fc.nat(255) });
/** A granule pick: mostly the role's usual state. */
const pick: fc.Arbitrary<Pick> = fc.record({ m: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.nat(9) }, { weight: 1, arbitrary: fc.constant(9) }), k: fc.nat(15) });
/** A 64-bit word: small values mostly, random 64-bit garbage sometimes. */
const word = fc.oneof({ weight: 3, arbitrary: fc.bigInt({ min: 0n, max: 0xffffn }) }, { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) });
const garbage = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

const shape: Readonly<Record<HostOpName, readonly [picks: number, choices: number, words: number, weight: number]>> = {
  delegate: [1, 0, 0, 14],
  undelegate: [1, 1, 0, 3],
  realmCreate: [2, 6, 2, 6],
  realmActivate: [1, 0, 0, 4],
  realmDestroy: [1, 0, 0, 2],
  recAuxCount: [1, 0, 0, 1],
  recCreate: [3, 5, 3, 5],
  recDestroy: [1, 0, 0, 2],
  rttCreate: [2, 3, 0, 8],
  rttDestroy: [1, 3, 0, 3],
  rttFold: [1, 3, 0, 2],
  rttReadEntry: [1, 3, 0, 3],
  mapUnprotected: [2, 4, 0, 3],
  unmapUnprotected: [1, 3, 0, 2],
  dataCreate: [3, 4, 0, 6],
  dataCreateUnknown: [2, 3, 0, 2],
  dataDestroy: [1, 3, 0, 3],
  initRipas: [1, 4, 0, 4],
  setRipas: [2, 4, 0, 3],
  enter: [1, 3, 2, 10],
  psciComplete: [2, 2, 0, 2],
  features: [0, 1, 1, 1],
  version: [0, 1, 1, 1],
  hostWrite: [1, 2, 4, 2],
  hostRead: [1, 2, 0, 2],
  garbage: [0, 1, 6, 2],
};

/** Realm steps: shape [choices, words, weight]. */
const realmShape: Readonly<Record<RealmOp['t'], readonly [number, number, number]>> = {
  rsi: [5, 8, 6],
  psci: [4, 3, 3],
  access: [5, 1, 3],
  exit: [1, 0, 1],
};

/** The calls a Realm step's first choice selects among. */
const CALLS: Readonly<Partial<Record<RealmOp['t'], number>>> = { rsi: RSI_CALLS.length, psci: PSCI_CALLS.length };
/** The PSCI calls that stop the calling REC or end the Realm (PSCI_CPU_OFF, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, DEN0137 B5.3): the last of {@link PSCI_CALLS}. */
const STOPS = 3;

/**
 * A Realm step's call: every call as likely (most are rare and each has its own rows), except
 * those that stop the REC or end the Realm, rarely (after one, entries of the run get no further).
 */
function callChoice(t: RealmOp['t']): fc.Arbitrary<number> {
  const calls = CALLS[t];
  if (calls === undefined) return choice;
  if (t !== 'psci') return fc.nat(calls - 1);
  return fc.oneof({ weight: 10, arbitrary: fc.nat(calls - 1 - STOPS) }, { weight: 1, arbitrary: fc.integer({ min: calls - STOPS, max: calls - 1 }) });
}

/** `base` with slot `i` (of `picks` picks, then the choices) given an alternative: one argument aimed at its row, the others plain. */
function aimAt<T extends { readonly p: readonly Pick[]; readonly n: readonly number[] }>(base: fc.Arbitrary<T>, slots: number, from = 0): fc.Arbitrary<T> {
  if (slots <= from) return base;
  return fc.tuple(base, fc.integer({ min: from, max: slots - 1 }), alternative, fc.integer({ min: 1, max: 9 })).map(([x, i, v, m]) =>
    i < x.p.length ? { ...x, p: x.p.map((q, j) => (j === i ? { ...q, m } : q)) } : { ...x, n: x.n.map((c, j) => (j === i - x.p.length ? v : c)) },
  );
}

/**
 * A Realm step of kind `t`; when `aimed`, one choice aimed (`aimAt`), and for a call the call
 * `only` (the first choice).
 */
function realmOp(t: RealmOp['t'], aimed = false, only?: number): fc.Arbitrary<RealmOp> {
  const [n, w] = realmShape[t];
  const first = only !== undefined ? fc.constant(only) : callChoice(t);
  const choices = fc.tuple(first, fc.array(choice, { minLength: n - 1, maxLength: n - 1 })).map(([x, rest]) => [x, ...rest]);
  const op = fc.record({ t: fc.constant(t), p: fc.constant([] as Pick[]), n: choices, w: fc.array(t === 'rsi' ? word : garbage, { minLength: w, maxLength: w }) });
  return (aimed ? aimAt(op, n, only !== undefined ? 1 : 0) : op).map(({ p: _p, ...o }) => o);
}

/** A pick of the role's usual state. */
const usualPick: fc.Arbitrary<Pick> = fc.record({ m: fc.constant(0), k: fc.nat(15) });

/**
 * A Host step `t`: picks and choices `random`, or with one of them `aimed` (`aimAt`), or
 * all `plain` (the usual granules, the plain choices: an entry that runs the Realm calls aimed
 * at); an entry runs `minRealm` or more Realm steps, from `realm` when given.
 */
function hostOp(t: HostOpName, limits: Limits, minRealm = 0, how: 'random' | 'aimed' | 'plain' = 'random', realm?: fc.Arbitrary<RealmOp>): fc.Arbitrary<Op> {
  const [p, n, w] = shape[t];
  const base = {
    t: fc.constant(t),
    p: fc.array(how === 'plain' ? usualPick : pick, { minLength: p, maxLength: p }),
    n: how === 'plain' ? fc.constant(Array.from({ length: n }, () => 0)) : fc.array(choice, { minLength: n, maxLength: n }),
    w: fc.array(t === 'garbage' ? garbage : word, { minLength: w, maxLength: w }),
  };
  const plain = how === 'aimed' ? aimAt(fc.record(base), p + n) : fc.record(base);
  if (t !== 'enter') return plain;
  const exits = limits.realmExits ?? ['irq', 'fiq'];
  const kinds = REALM_OPS.filter((k) => k !== 'exit' || exits.length > 0);
  const one = realm ?? fc.oneof(...kinds.map((k) => ({ weight: realmShape[k][2], arbitrary: realmOp(k) })));
  const most = Math.min(6, limits.realmStepsPerEnter ?? 6);
  return fc.tuple(plain, fc.array(one, { minLength: Math.min(minRealm, most), maxLength: most })).map(([o, r]) => ({ ...o, realm: r }));
}

/** A step a focused run aims at, and whether it is a Realm call (made in an entry, so after activation). */
interface Focus {
  readonly op: fc.Arbitrary<Op>;
  readonly call: boolean;
}

/**
 * The steps a focused run aims at: every Host operation (but garbage), every RSI and PSCI call,
 * and the Realm's memory accesses (an entry whose Realm steps make that call or access), each
 * with one argument aimed at a row (`aimAt`).
 */
function focusOps(limits: Limits): Focus[] {
  const host = HOST_OPS.filter((t) => t !== 'garbage').map((t) => ({ op: hostOp(t, limits, 1, 'aimed'), call: false }));
  const entry = (r: fc.Arbitrary<RealmOp>): Focus => ({ op: hostOp('enter', limits, 1, 'plain', r), call: true });
  const calls = (['rsi', 'psci'] as const).flatMap((k) => Array.from({ length: CALLS[k] ?? 0 }, (_x, i) => entry(realmOp(k, true, i))));
  return [...host, ...calls, entry(realmOp('access', true))];
}

/** The arbitrary of one Host step, every operation weighted by how much state it builds. */
export function opArbitrary(limits: Limits = {}): fc.Arbitrary<Op> {
  return fc.oneof(...HOST_OPS.map((t) => ({ weight: shape[t][3], arbitrary: hostOp(t, limits) })));
}

/** A number in 0..max, 0 (and so the whole script, random steps at its end) more often than not. */
const biasedZero = (max: number): fc.Arbitrary<number> => fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.nat(max) });

/** A Host step with every choice 0 (the plain one) except those given. */
export function plainOp(t: HostOpName, over: Partial<Pick> & { readonly n?: readonly number[]; readonly p?: readonly Pick[] } = {}): Op {
  const [p, n, w] = shape[t];
  return {
    t,
    p: over.p ?? Array.from({ length: p }, () => ({ m: 0, k: 0 })),
    n: over.n ?? Array.from({ length: n }, () => 0),
    w: Array.from({ length: w }, () => 0n),
    ...(t === 'enter' ? { realm: [] } : {}),
  };
}

/**
 * A Realm built the way a VMM builds one, as plain steps: RD and starting RTT, RTTs down to
 * level 3 (Protected and Unprotected), RIPAS, content, a DATA page, an Unprotected mapping, a
 * runnable REC with `aux` auxiliary granules, activation and a first entry. Runs often start
 * with a prefix of it, so that generated steps meet live Realms, mapped IPAs and runnable RECs.
 */
export function buildScript(aux: number): Op[] {
  const u = { m: 0, k: 3 };
  void aux; // the granules a step needs are delegated as it resolves (View.ensureDelegated)
  return [
    plainOp('realmCreate'),
    plainOp('rttCreate'),
    plainOp('rttCreate'),
    plainOp('initRipas', { n: [0, 1, 0, 0] }),
    plainOp('hostWrite'),
    plainOp('dataCreate'),
    plainOp('rttReadEntry'),
    plainOp('dataCreate', { n: [0, 0, 1, 0] }),
    plainOp('recCreate'),
    plainOp('recCreate', { n: [3, 0, 0, 0, 0] }),
    plainOp('rttCreate', { p: [{ m: 0, k: 0 }, u] }),
    plainOp('rttCreate', { p: [{ m: 0, k: 0 }, u] }),
    plainOp('mapUnprotected'),
    plainOp('realmActivate'),
    plainOp('enter'),
  ];
}

/** How many steps a focused run aims at. */
const FOCI = 3;

/**
 * The arbitrary of a run: up to `maxOps` Host steps. Two runs in eight start with a prefix of
 * {@link buildScript} (with random steps inserted at a random point), one in eight is random from
 * the start, and five in eight aim at `FOCI` operations or Realm calls (`focusOps`), each as
 * often as any other: the script's prefix, then random steps of which about half are those
 * operations with one argument aimed at a failure row or a boundary, so that a rare command meets
 * the states it needs. A run aims at Host operations or at Realm calls: the steps aimed at Host
 * operations go anywhere in the script (before activation as often as after), those aimed at
 * Realm calls after the whole script, whose first entry makes them too.
 */
export function runArbitrary(limits: Limits = {}, maxOps = 40, aux = 1): fc.Arbitrary<Op[]> {
  const script = buildScript(aux);
  const random = fc.array(opArbitrary(limits), { minLength: 1, maxLength: maxOps, size: 'max' });
  // The script's last step, the first entry, runs generated Realm steps.
  const after = (rest: fc.Arbitrary<Op[]>): fc.Arbitrary<Op[]> =>
    fc.tuple(biasedZero(script.length), biasedZero(script.length), rest, hostOp('enter', limits, 1)).map(([n, at, tail, first]) => {
      const prefix = [...script.slice(0, script.length - 1), first].slice(0, script.length - n);
      const cut = Math.max(0, prefix.length - at);
      return [...prefix.slice(0, cut), ...tail, ...prefix.slice(cut)];
    });
  const tailMax = Math.max(1, maxOps - script.length);
  const scripted = after(fc.array(opArbitrary(limits), { maxLength: tailMax, size: 'max' }));
  const foci = focusOps(limits);
  // A run aims at Host operations or at Realm calls, never both: an operation that ends a Realm or a REC would spoil the calls.
  const aimAtOnes = (group: readonly Focus[], call: boolean): fc.Arbitrary<Op[]> =>
    fc.array(fc.nat(group.length - 1), { minLength: FOCI, maxLength: FOCI }).chain((ix) => {
      const f = ix.map((i) => (group[i] as Focus).op);
      const tail = fc.array(fc.oneof(opArbitrary(limits), ...f), { maxLength: tailMax, size: 'max' });
      // Calls: the whole script (its Realm and RECs), its first entry one of the aimed ones, the steps after it;
      // Host operations: anywhere in the script, before activation as often as after.
      if (call) return fc.tuple(tail, fc.oneof(hostOp('enter', limits, 1), ...f)).map(([t, enter]) => [...script.slice(0, script.length - 1), enter, ...t]);
      return fc.tuple(biasedZero(script.length), fc.nat(script.length), tail, hostOp('enter', limits, 1)).map(([n, at, t, enter]) => {
        const prefix = [...script.slice(0, script.length - 1), enter].slice(0, script.length - n);
        const cut = Math.max(0, prefix.length - at);
        return [...prefix.slice(0, cut), ...t, ...prefix.slice(cut)];
      });
    });
  const focused = fc.oneof(aimAtOnes(foci.filter((x) => !x.call), false), aimAtOnes(foci.filter((x) => x.call), true));
  return fc.oneof({ weight: 1, arbitrary: random }, { weight: 2, arbitrary: scripted }, { weight: 5, arbitrary: focused });
}
