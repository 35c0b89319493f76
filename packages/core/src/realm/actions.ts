/**
 * The io-ts codec of Realm actions (DEN0137 A4.1: what a Realm does while its REC runs), for
 * checking actions a library caller passes to `smc`/`runRec` before anything runs.
 *
 * @packageDocumentation
 */
import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { formatValidationErrors, InputError, isU64 } from '../internal/errors.js';
import type { RealmAction } from './types.js';

/** A 64-bit unsigned value as a bigint. */
const U64Value = new t.Type<bigint, bigint, unknown>('a 64-bit unsigned value (bigint)', isU64, (u, c) => (isU64(u) ? t.success(u) : t.failure(u, c)), (v) => v);
const literals = <T extends string | number>(name: string, values: readonly T[]): t.Type<T, T, unknown> =>
  new t.Type<T, T, unknown>(name, (u): u is T => (values as readonly unknown[]).includes(u), (u, c) => ((values as readonly unknown[]).includes(u) ? t.success(u as T) : t.failure(u, c)), (v) => v);

/** io-ts codec of one {@link RealmAction}. */
export const RealmActionCodec: t.Type<RealmAction, unknown, unknown> = t.union([
  t.exact(t.type({ kind: t.literal('call'), regs: t.refinement(t.array(U64Value), (a) => a.length >= 1 && a.length <= 18, 'X0..X17 (1 to 18 values)') })),
  t.exact(
    t.intersection([
      t.type({ kind: t.literal('access'), ipa: U64Value, access: literals('read, write or exec', ['read', 'write', 'exec'] as const) }),
      t.partial({ size: literals('1, 2, 4 or 8', [1, 2, 4, 8] as const), reg: t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0 && n <= 31, 'a register 0..31'), value: U64Value, isv: t.boolean }),
    ]),
  ),
  t.exact(t.intersection([t.type({ kind: t.literal('exit'), reason: literals('irq, fiq or serror', ['irq', 'fiq', 'serror'] as const) }), t.partial({ iss: U64Value })])),
  t.exact(t.intersection([t.type({ kind: t.literal('wfx'), instr: literals('wfi, wfe, wfit or wfet', ['wfi', 'wfe', 'wfit', 'wfet'] as const) }), t.partial({ timeout: U64Value })])),
]) as unknown as t.Type<RealmAction, unknown, unknown>;

/** Throws an {@link InputError} naming the first bad action and field, unless every action is a valid {@link RealmAction}. */
export function checkRealmActions(actions: unknown): void {
  if (!Array.isArray(actions)) throw new InputError('realm', 'an array of Realm actions', actions);
  actions.forEach((a, k) => {
    if (RealmActionCodec.is(a)) return;
    const r = RealmActionCodec.decode(a);
    if (E.isLeft(r)) {
      const first = formatValidationErrors(r.left)[0] ?? 'not a Realm action';
      throw new InputError(`realm[${k}]`, `a Realm action (${first})`, a);
    }
  });
}
