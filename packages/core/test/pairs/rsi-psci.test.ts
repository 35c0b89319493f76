/**
 * Pairs of failure conditions of the Realm calls whose answers differ (DEN0137 B5.3.1, B6.3.3):
 * RSI_ATTESTATION_TOKEN_CONTINUE (RSI_ERROR_INPUT, RSI_ERROR_STATE, RSI_ERROR_UNKNOWN) and
 * PSCI_CPU_ON (PSCI_INVALID_ADDRESS, PSCI_INVALID_PARAMETERS, PSCI_ALREADY_ON). Neither has an
 * ordering: every holding condition is permitted. See `support.ts`.
 */
import { describe, expect, it } from 'vitest';
import { bootHes } from '@realmspec/hes';
import { psciCpuOn, rsiAttestationTokenContinue, type RealmCallInput, type RmmState } from '../../src/index.js';
import { P, REC_GI, U, WORLD, enter, fid, neg, smcIn, world } from '../realm/support.js';
import { lazy } from './states.js';
import { entryOf, pairSpec, pairSuites } from './support.js';

/** A call of `name` by the REC R.rec with inputs `regs`. */
const callOf = (name: string, regs: Record<string, bigint>): RealmCallInput => ({ recGi: REC_GI, fid: entryOf(name).fids[0] as number, regs });

// ---- RSI_ATTESTATION_TOKEN_CONTINUE ------------------------------------------------------

interface ContinueKnobs {
  /** addr: a RAM DATA page, unaligned, Unprotected, RIPAS EMPTY. */
  addr: 'ok' | 'align' | 'bound' | 'empty';
  /** offset and size: 0 and 4 KB, offset 4 KB, a sum that wraps, a sum past 4 KB. */
  range: 'ok' | 'offset' | 'overflow' | 'size';
  /** The token: in progress (an attestation port made one), in progress but none could be made (no port), none in progress. */
  attest: 'ported' | 'noPort' | 'none';
}

const RUNNING = lazy(() => enter(WORLD));
const init = (s: RmmState): RmmState => smcIn(s, [fid('RSI_ATTESTATION_TOKEN_INIT'), 1n, 2n]).state;
const attested = {
  ported: lazy(() => init(enter(world({ attestation: bootHes().attestationPort() })))),
  noPort: lazy(() => init(RUNNING())),
  none: RUNNING,
};

// `unknown` holds only for a generation in progress that failed (B5.3.1.2): with none in
// progress, `state` alone holds (this suite found the model's `unknown` holding then too).

const tokenContinue = pairSpec<RealmCallInput, ContinueKnobs>({
  command: rsiAttestationTokenContinue,
  build: (k) => {
    const addr = { ok: P.hostCall, align: P.hostCall + 0x10n, bound: U.rw, empty: P.empty }[k.addr ?? 'ok'];
    const [offset, size] = { ok: [0n, 0x1000n], offset: [0x1000n, 0n], overflow: [0x10n, neg(-8n)], size: [0x800n, 0x801n] }[k.range ?? 'ok'];
    return { s: attested[k.attest ?? 'ported'](), input: callOf('RSI_ATTESTATION_TOKEN_CONTINUE', { addr, offset: offset as bigint, size: size as bigint }) };
  },
  recipes: {
    addr_align: { knobs: { addr: 'align' } },
    addr_bound: { knobs: { addr: 'bound' } },
    offset_bound: { knobs: { range: 'offset' } },
    // offset + size is 2^64 + 8: it wraps, and (as an integer) is past 4 KB.
    size_overflow: { knobs: { range: 'overflow' }, brings: ['size_bound'] },
    size_bound: { knobs: { range: 'size' } },
    // No token generation in progress: none has failed either, so unknown does not hold (B5.3.1.2).
    state: { knobs: { attest: 'none' } },
    unknown: { knobs: { attest: 'noPort' } },
    addr_empty: { knobs: { addr: 'empty' } },
  },
  overrides: {
    'state|unknown': { exclusive: 'state: no token generation in progress; unknown: the one in progress failed' },
  },
  derived: {
    addr_empty: {
      status: 'RSI_ERROR_INPUT',
      reason: 'D-RSI-MEM: the RIPAS of addr is EMPTY, a row the spec table lacks; the call has no ordering at all',
    },
  },
});

// ---- PSCI_CPU_ON -------------------------------------------------------------------------

interface CpuOnKnobs {
  /** entry_point_address: Protected, or Unprotected. */
  entry: 'ok' | 'bad';
  /** target_cpu: REC2's MPIDR, an MPIDR no REC has, the caller's own. */
  target: 'other' | 'unused' | 'self';
}

const cpuOn = pairSpec<RealmCallInput, CpuOnKnobs>({
  command: psciCpuOn,
  build: (k) => ({
    s: RUNNING(),
    input: callOf('PSCI_CPU_ON', { target_cpu: { other: 1n, unused: 3n, self: 0n }[k.target ?? 'other'], entry_point_address: k.entry === 'bad' ? U.rw : 0x1000n, context_id: 0n }),
  }),
  recipes: {
    entry: { knobs: { entry: 'bad' } },
    mpidr: { knobs: { target: 'unused' } },
    // At call time only the caller itself is known to be RUNNABLE (E-PSCI-TARGET).
    runnable: { knobs: { target: 'self' } },
  },
  overrides: {
    'mpidr|runnable': { exclusive: 'runnable reads the target REC, which exists only when its MPIDR is used' },
  },
});

pairSuites('Realm calls', [tokenContinue, cpuOn]);

describe('RSI_ATTESTATION_TOKEN_CONTINUE: state and unknown', () => {
  it('do not hold together: with no token generation in progress none has failed (B5.3.1.2)', () => {
    const held = rsiAttestationTokenContinue.holding(RUNNING(), callOf('RSI_ATTESTATION_TOKEN_CONTINUE', { addr: P.hostCall, offset: 0n, size: 0x1000n }));
    expect(held.map((r) => r.label)).toEqual(['state']);
  });
});
