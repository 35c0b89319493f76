/**
 * The command engine's bookkeeping of conditions that are not settled by the command's own call:
 * success conditions another command establishes (`establishedBy`) and failure conditions held
 * only when the REC exit is written (`heldAt: exit`).
 */
import { describe, expect, it } from 'vitest';
import { InternalError, RuleHits, catalogue, runRec, type PostDefinition, type Rule } from '../../src/index.js';
import { defineCommand } from '../../src/internal.js';
import { R } from '../support/fixtures.js';
import { RUN, WORLD, fid } from '../realm/support.js';

const command = (name: string) => catalogue.byName.get(name)!;
const never = (rules: readonly Rule[]) => Object.fromEntries(rules.filter((r) => r.heldAt === undefined).map((r) => [r.label, () => false]));
/**
 * A post definition that agrees with the catalogue entry of `name` (every row it establishes,
 * `when` where the catalogue has one, every locator), plus the rows in `extra`.
 */
function postFor(name: string, extra: readonly string[] = []): PostDefinition<unknown, unknown> {
  const c = command(name);
  const rows = c.success.filter((r) => r.establishedBy === undefined);
  const success = Object.fromEntries([...rows.map((r) => [r.label, r.when === undefined ? () => true : { when: () => false, holds: () => true }] as const), ...extra.map((k) => [k, () => true] as const)]);
  const locate = Object.fromEntries(c.footprint.flatMap((f) => f.locators).map((k) => [k, () => undefined] as const));
  return { success, locate };
}

const define = (name: string, extra: { failures?: Record<string, () => boolean>; post?: PostDefinition<unknown, unknown> }) => () =>
  defineCommand({
    name,
    context: () => ({}),
    failures: { ...never(command(name).failures), ...extra.failures },
    apply: () => [WORLD, {}] as const,
    post: extra.post ?? postFor(name),
  });

describe('success conditions another command establishes (catalogue establishedBy)', () => {
  it('the catalogue marks RSI_IPA_STATE_SET new_base and response as established by RMI_REC_ENTER (B5.3.6, A5.4)', () => {
    const marked = command('RSI_IPA_STATE_SET').success.filter((r) => r.establishedBy !== undefined).map((r) => [r.label, r.establishedBy]);
    expect(marked).toEqual([['new_base', 'RMI_REC_ENTER'], ['response', 'RMI_REC_ENTER']]);
  });

  it('are not counted by the listing command, and its tally leaves them out', () => {
    const hits = new RuleHits();
    // REC entry, then RSI_IPA_STATE_SET [0x3000, 0x5000) to RAM: a REC exit due to RIPAS change.
    const r = runRec(WORLD, { rec: R.rec, run_ptr: RUN }, [{ kind: 'call', regs: [fid('RSI_IPA_STATE_SET'), 0x3000n, 0x5000n, 1n, 0n] }], hits);
    expect(r.exit?.exit_reason).toBe(4); // RMI_EXIT_RIPAS_CHANGE (B4.4.17)
    const set = command('RSI_IPA_STATE_SET');
    const own = set.success.filter((x) => x.establishedBy === undefined);
    expect(set.success.map((x) => hits.reached[x.n])).toEqual(set.success.map((x) => (x.establishedBy === undefined ? 1 : 0)));
    const tally = hits.tally().find((t) => t.command === 'RSI_IPA_STATE_SET')!;
    expect([tally.success, tally.successHeld]).toEqual([own.length, own.filter((x) => hits.heldCount(x) > 0).length]);
    expect(tally.success).toBe(set.success.length - 2);
  });

  it('a command whose post definition has a predicate for one is a model bug, and so is one that leaves out a row it establishes', () => {
    expect(define('RSI_IPA_STATE_SET', { post: postFor('RSI_IPA_STATE_SET', ['new_base']) })).toThrow(InternalError);
    expect(define('RSI_IPA_STATE_SET', { post: postFor('RSI_IPA_STATE_SET') })).not.toThrow();
    const { exit: _exit, ...rest } = postFor('RSI_IPA_STATE_SET').success;
    expect(define('RSI_IPA_STATE_SET', { post: { success: rest, locate: postFor('RSI_IPA_STATE_SET').locate } })).toThrow(InternalError);
  });
});

describe('failure conditions held at REC exit (catalogue heldAt)', () => {
  it('RMI_REC_ENTER exit_pas is the only one, and the last of its table (A4.3.3, D-EXIT-GPF)', () => {
    const late = catalogue.commands.flatMap((c) => c.failures.filter((r) => r.heldAt !== undefined).map((r) => r.id));
    expect(late).toEqual(['RMI_REC_ENTER/exit_pas']);
    expect(command('RMI_REC_ENTER').failures.at(-1)!.label).toBe('exit_pas');
  });

  it('the ordered check does not evaluate it, and code that checks it before apply is a model bug', () => {
    expect(define('RMI_REC_ENTER', {})).not.toThrow();
    expect(define('RMI_REC_ENTER', { failures: { exit_pas: () => false } })).toThrow(InternalError);
  });

  it('only a condition held at exit can be reported after apply', () => {
    const enterCmd = define('RMI_REC_ENTER', {})();
    expect(() => enterCmd.failure('rec_state', {})).toThrow(InternalError);
    expect(enterCmd.failure('exit_pas', {}).rule).toBe('RMI_REC_ENTER/exit_pas');
  });
});
