/**
 * What RSI commands and PSCI functions share: the calling REC and its Realm as context, the
 * register inputs by catalogue name, and the outcome of a call, which either returns to the
 * Realm with values for its registers or makes a REC exit (DEN0137 B5.1, B6.1, A4.3.4).
 *
 * @packageDocumentation
 */
import type { Command } from '../engine/command.js';
import { InternalError } from '../internal/errors.js';
import type { GranuleIndex } from '../model/bits.js';
import type { Realm } from '../model/realm.js';
import type { Rec } from '../model/rec.js';
import type { RmmState } from '../model/state.js';
import type { ExitCause } from './types.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A Realm call as a command receives it: the calling REC, the FID, and the input registers by catalogue name (DEN0137 B5.1). @category REC execution */
export interface RealmCallInput {
  /** Granule index of the calling REC (REC_RUNNING). */
  readonly recGi: GranuleIndex;
  /** The function id (W0, SVE hint cleared). */
  readonly fid: number;
  /** Inputs by catalogue name, from the registers the catalogue gives them. */
  readonly regs: Readonly<Record<string, bigint>>;
}

/** The context every Realm call reads: CurrentRec() and CurrentRealm() (DEN0137 B5.3, B6.3). @category REC execution */
export interface RealmCallCtx {
  readonly s: RmmState;
  readonly recGi: GranuleIndex;
  /** CurrentRec(). */
  readonly rec: Rec;
  /** CurrentRealm(). */
  readonly realm: Realm;
  readonly fid: number;
  /** Inputs by name. */
  readonly in: Readonly<Record<string, bigint>>;
}

/** What a Realm call does when no failure condition holds: return to the Realm or a REC exit (DEN0137 A4.3.4). @category REC execution */
export type RealmOutcome =
  /** Return to the Realm: X0 = `x0`, the outputs in their catalogue registers. */
  | { readonly kind: 'return'; readonly x0: bigint; readonly outputs: Readonly<Record<string, bigint>> }
  /** A REC exit. */
  | { readonly kind: 'exit'; readonly cause: ExitCause };

/** A Realm call: an RSI command or a PSCI function, whatever context it builds (DEN0137 B5.3, B6.3). @category REC execution */
export type RealmCommand = Command<RealmCallInput, unknown, RealmOutcome>;

/** Views a Realm command with its own context type as a {@link RealmCommand}. @internal */
export function asRealmCommand<C extends RealmCallCtx>(c: Command<RealmCallInput, C, RealmOutcome>): RealmCommand {
  return c as unknown as RealmCommand;
}

const NONE: Readonly<Record<string, bigint>> = Object.freeze({});

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** The context of a call by REC `i.recGi`; a call from a REC that does not exist is a model bug. @internal */
export function realmContext(s: RmmState, i: RealmCallInput): RealmCallCtx {
  const rec = s.recs.get(i.recGi);
  const realm = rec === undefined ? undefined : s.realms.get(rec.owner);
  if (rec === undefined || realm === undefined) throw new InternalError(`Realm call from granule ${i.recGi}, which is not a REC of a Realm`);
  return { s, recGi: i.recGi, rec, realm, fid: i.fid, in: i.regs };
}

/** Return to the Realm with X0 = `x0` and `outputs`. @internal */
export function returnToRealm(x0: bigint, outputs: Readonly<Record<string, bigint>> = NONE): RealmOutcome {
  return { kind: 'return', x0, outputs };
}

/** Input `name` of the call (zero when the catalogue gives no such input). @internal */
export function arg(c: RealmCallCtx, name: string): bigint {
  return c.in[name] ?? 0n;
}
