/**
 * Realm execution in traces (trace contract "Realm execution"; spec/TRACE.md): the worked
 * example replays with every expectation met, realm-call and exit expectations are checked,
 * realm steps left after an exit are an error, and the access step's realmspec fields decode.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { closingLine, exitCodeOf, parseTrace, runTrace, textReport, type ReplayResult } from '../src/index.js';

const EXAMPLE = new URL('../../../examples/lifecycle-sha512.jsonl', import.meta.url);
const example = readFileSync(EXAMPLE, 'utf8');

/** The example up to and including RMI_REALM_ACTIVATE: an active Realm with RECs 0x80011000 (runnable, run 0x80023000), 0x80024000 (not runnable) and 0x80037000. */
const prefix = example.slice(0, example.indexOf('# --- RSI calls'));

function replay(lines: readonly object[], options?: Parameters<typeof runTrace>[2]): ReplayResult {
  const t = parseTrace(prefix + lines.map((l) => JSON.stringify(l)).join('\n'));
  if (E.isLeft(t)) throw new Error(JSON.stringify(t.left));
  return runTrace(t.right, undefined, options);
}

/** The outcome of the last step. */
const last = (r: ReplayResult) => r.outcomes[r.outcomes.length - 1]!;

const enter = (realm: object[], expect?: object) => ({ op: 'rmi', cmd: 'RMI_REC_ENTER', args: ['0x80011000', '0x80023000'], realm, ...(expect !== undefined ? { expect } : {}) });

describe('replaying the worked example (trace-v1 examples/lifecycle-sha512.jsonl)', () => {
  it('meets every expectation, including the Realm steps and REC exits', () => {
    const t = parseTrace(example);
    expect(E.isRight(t)).toBe(true);
    if (E.isLeft(t)) return;
    const r = runTrace(t.right);
    expect(textReport('example', r)).toEqual([]);
    expect(closingLine(r)).toMatch(/^\d+ passed, 0 failed$/);
    expect(exitCodeOf(r)).toBe(0);
    // Every RMI_REC_ENTER line of the example carries an expectation, and they all ran.
    const enters = r.outcomes.filter((o) => o.step.kind === 'rmi' && o.step.command?.name === 'RMI_REC_ENTER');
    expect(enters.length).toBe(24);
    expect(enters.every((o) => o.ok && o.checked)).toBe(true);
  });
});

describe('realm steps in RMI_REC_ENTER', () => {
  it('checks realm-call status, x0 and out, and reports each mismatch', () => {
    const ok = replay([enter([{ op: 'rsi', cmd: 'RSI_VERSION', args: ['0x10000'], expect: { status: 'RSI_SUCCESS', out: ['0x10000', '0x10000'] } }])]);
    expect(last(ok).ok).toBe(true);
    // A request for 1.0 must succeed (B2: every RMM supports 1.0), so a failure is a mismatch.
    const bad = replay([enter([{ op: 'rsi', cmd: 'RSI_VERSION', args: ['0x10000'], expect: { status: 'RSI_ERROR_INPUT' } }])]);
    expect(last(bad).ok).toBe(false);
    expect(last(bad).mismatches).toEqual(['realm.0.RSI_ERROR_INPUT: a request for 1.0 succeeds: 1.0 is supported']);
    expect(exitCodeOf(bad)).toBe(1);
    // On success, lower must be the requested revision (B5.3.10): 1.1 is a mismatch.
    const out = replay([enter([{ op: 'rsi', cmd: 'RSI_VERSION', args: ['0x10000'], expect: { status: 'RSI_SUCCESS', out: ['0x10001', null] } }])]);
    expect(last(out).mismatches).toEqual(['realm.0.RSI_SUCCESS: on success lower is the requested revision (B2 a)']);
    // An RMM may support 2.0 (B2): a success for it is permitted, and reported as such.
    const v2 = replay([enter([{ op: 'rsi', cmd: 'RSI_VERSION', args: ['0x20000'], expect: { status: 'RSI_SUCCESS', out: ['0x20000', null] } }])]);
    expect([last(v2).ok, last(v2).permitted]).toEqual([true, ["realm.0.X0: RSI_SUCCESS is permitted; the model chose RSI_ERROR_INPUT (B2: the supported revisions are the implementation's)", "realm.0.out[0] (X1): 0x20000 is permitted; the model chose 0x10000 (B2: the supported revisions are the implementation's)"]]);
    // higher may be any revision at least the requested one (B2): 1.1 is permitted, reported as such.
    const higher = replay([enter([{ op: 'rsi', cmd: 'RSI_VERSION', args: ['0x10000'], expect: { status: 'RSI_SUCCESS', out: [null, '0x10001'] } }])]);
    expect([last(higher).ok, last(higher).permitted]).toEqual([true, ["realm.0.out[1] (X2): 0x10001 is permitted; the model chose 0x10000 (B2: the supported revisions are the implementation's)"]]);
    // Status and outputs of a command without such a choice: RSI_FEATURES reads zero (B5.3.3).
    const features = replay([enter([{ op: 'rsi', cmd: 'RSI_FEATURES', args: ['0x0'], expect: { status: 'RSI_ERROR_INPUT' } }, { op: 'rsi', cmd: 'RSI_FEATURES', args: ['0x0'], expect: { status: 'RSI_SUCCESS', out: ['0x1'] } }])]);
    expect(last(features).mismatches).toEqual(['realm.0.status: expected RSI_ERROR_INPUT, got RSI_SUCCESS', 'realm.1.out[0] (X1): expected 0x1, got 0x0']);
    const strict = replay([enter([{ op: 'rsi', cmd: 'RSI_VERSION', args: ['0x10000'], expect: { status: 'RSI_SUCCESS', out: [null, '0x10001'] } }])], { strict: true });
    expect(last(strict).ok).toBe(false);
  });

  it('compares PSCI statuses by their sign-extended value', () => {
    const r = replay([enter([{ op: 'psci', cmd: 'PSCI_CPU_ON', args: ['0x0', '0x1000'], expect: { status: 'PSCI_ALREADY_ON' } }, { op: 'psci', fid: '0x84000005', expect: { x0: '0xffffffffffffffff' } }])]);
    expect(last(r).mismatches).toEqual([]);
  });

  it('checks the exit the last step caused, read back from the run granule', () => {
    // 2^38 is Unprotected and unmapped; the walk stops at the level 1 starting RTT: DFSC 0x05.
    const r = replay([enter([{ op: 'access', ipa: '0x4000000000', kind: 'read', size: 4, reg: 3 }], { exit: { exit_reason: 'RMI_EXIT_SYNC', esr: '0x91800005', hpfar: '0x40000000', far: '0x0' } })]);
    expect(last(r).mismatches).toEqual([]);
    const wrong = replay([enter([{ op: 'exit', reason: 'fiq' }], { exit: { exit_reason: 'RMI_EXIT_IRQ' } })]);
    expect(last(wrong).mismatches).toEqual(['exit.exit_reason: expected RMI_EXIT_IRQ, got RMI_EXIT_FIQ']);
  });

  it('ends a list without an exit with an IRQ exit', () => {
    const r = replay([enter([], { exit: { exit_reason: 'RMI_EXIT_IRQ', esr: '0x0' } })]);
    expect(last(r).ok).toBe(true);
    expect(last(r).got.implicitIrq).toBe(true);
  });

  it('reports realm steps left after the exit as an error of the trace (exit code 2)', () => {
    const r = replay([enter([{ op: 'exit', reason: 'irq' }, { op: 'rsi', cmd: 'RSI_VERSION', args: ['0x10000'] }])]);
    expect(last(r).error).toBe('1 realm step(s) left after the REC exit (from realm.1)');
    expect(exitCodeOf(r)).toBe(2);
  });

  it('reports realm steps of an RMI_REC_ENTER that fails as an error', () => {
    const r = replay([{ op: 'rmi', cmd: 'RMI_REC_ENTER', args: ['0x80024000', '0x80036000'], realm: [{ op: 'exit', reason: 'irq' }], expect: { status: 'RMI_ERROR_REC' } }]);
    expect(last(r).mismatches).toEqual([]);
    expect(last(r).error).toMatch(/RMI_REC_ENTER failed \(RMI_ERROR_REC\), so its 1 realm step\(s\) did not run/);
  });

  it('an expectation on a call that exits is a mismatch: its results come on the next entry', () => {
    const r = replay([enter([{ op: 'rsi', cmd: 'RSI_IPA_STATE_SET', args: ['0x10000', '0x11000', '0x1'], expect: { status: 'RSI_SUCCESS' } }])]);
    expect(last(r).mismatches[0]).toMatch(/^realm\.0: the call caused a REC exit \(RMI_EXIT_RIPAS_CHANGE\)/);
  });

  it('gives the Realm the emulated HES as attestation port by default, and none with attestation: null', () => {
    const steps = [
      enter([
        { op: 'rsi', cmd: 'RSI_ATTESTATION_TOKEN_INIT', args: ['0x1'], expect: { status: 'RSI_SUCCESS' } },
        { op: 'rsi', cmd: 'RSI_ATTESTATION_TOKEN_CONTINUE', args: ['0x4000', '0x0', '0x1000'], expect: { status: 'RSI_SUCCESS' } },
      ]),
    ];
    expect(last(replay(steps)).mismatches).toEqual([]);
    expect(last(replay(steps, { attestation: null })).mismatches).toEqual(['realm.1.status: expected RSI_SUCCESS, got RSI_ERROR_UNKNOWN']);
  });
});

describe('the access step (realmspec fields size, reg, value, isv)', () => {
  it('writes a value and reads it back into a register through a DATA page', () => {
    const r = replay([
      enter([
        { op: 'access', ipa: '0x4008', kind: 'write', size: 2, reg: 4, value: '0xbeef' },
        { op: 'access', ipa: '0x4008', kind: 'read', size: 8, reg: 1 },
        { op: 'rsi', cmd: 'RSI_VERSION', args: ['0x10000'], expect: { out: ['0x10000'] } },
      ]),
    ]);
    expect(last(r).mismatches).toEqual([]);
    expect((last(r).got.realm as Array<{ value?: string }>)[1]?.value).toBe('0xbeef');
  });

  it('decodes isv: false as a non-emulatable abort (IL shown, no ISV)', () => {
    const r = replay([enter([{ op: 'access', ipa: '0x4000000000', kind: 'write', isv: false }], { exit: { esr: '0x92000005' } })]);
    expect(last(r).mismatches).toEqual([]);
  });

  it('rejects a size other than 1, 2, 4, 8 and a register above 31, naming line and field', () => {
    const t = parseTrace(
      [
        JSON.stringify(enter([{ op: 'access', ipa: '0x0', kind: 'read', size: 3 }])),
        JSON.stringify(enter([{ op: 'access', ipa: '0x0', kind: 'read', reg: 32 }])),
        JSON.stringify(enter([{ op: 'access', ipa: '0x0', kind: 'read', value: -1 }])),
      ].join('\n'),
    );
    expect(E.isLeft(t)).toBe(true);
    if (E.isRight(t)) return;
    // (The path also shows the position inside the closed-object codec: realm.0.1.size.)
    expect(t.left.map((e) => [e.line, e.message.split(':')[0]?.replace('.1.', '.')])).toEqual([
      [1, 'realm.0.size'],
      [2, 'realm.0.reg'],
      [3, 'realm.0.value'],
    ]);
  });
});

describe('expectations judged against the spec as a relation (DEN0137 B1.6)', () => {
  // After activation, RMI_DATA_CREATE at IPA 1 GB: realm_state holds (REALM) and so does rtt_walk
  // (no RTT below the level 1 starting RTT there: RTT with index 1); neither is ordered before the other.
  const delegate = { op: 'rmi', cmd: 'RMI_GRANULE_DELEGATE', args: ['0x80300000'], expect: { status: 'RMI_SUCCESS' } };
  const create = (expect: object) => ({ op: 'rmi', cmd: 'RMI_DATA_CREATE', args: ['0x80000000', '0x80300000', '0x40000000', '0x80006000', '0x0'], expect });

  it("accepts the model's answer and the other permitted failure; the latter is reported as permitted", () => {
    expect(last(replay([delegate, create({ status: 'RMI_ERROR_REALM' })])).permitted).toEqual([]);
    const r = replay([delegate, create({ status: 'RMI_ERROR_RTT', index: 1 })]);
    expect([last(r).ok, last(r).rules]).toEqual([true, ['RMI_DATA_CREATE/rtt_walk']]);
    expect(textReport('t', r)).toEqual([expect.stringMatching(/^t:\d+: RMI_DATA_CREATE\(.*\): permitted: RMI_ERROR_RTT \(index 1\) is permitted \(RMI_DATA_CREATE\/rtt_walk holds\); the model chose RMI_ERROR_REALM \[RMI_DATA_CREATE\/realm_state\]$/)]);
    expect(exitCodeOf(r)).toBe(0);
  });

  it('rejects an unpermitted index, and a permitted alternative under strict', () => {
    expect(last(replay([delegate, create({ status: 'RMI_ERROR_RTT', index: 2 })])).mismatches).toEqual(['index: expected 2, got 1']);
    const strict = replay([delegate, create({ status: 'RMI_ERROR_RTT', index: 1 })], { strict: true });
    expect([last(strict).ok, exitCodeOf(strict)]).toEqual([false, 1]);
  });
});
