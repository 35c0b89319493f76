/**
 * Waivers: deviations a team has accepted. A waiver names a catalogue rule (every finding about
 * it) or a finding group (`COMMAND|RULE|KIND`, as the summary prints it), with the reason. Waived
 * findings are still counted and reported, but do not fail the campaign.
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { formatValidationErrors } from '@realmspec/core/internal';

/** One waiver: a rule or a group, and why it is accepted. */
const Waiver = t.intersection([t.type({ reason: t.string }), t.partial({ rule: t.string, group: t.string })], 'waiver');

/** The waivers file: `{"waivers": [{"rule": "...", "reason": "..."}, {"group": "...", "reason": "..."}]}`. */
export const WaiversFile = t.exact(t.type({ waivers: t.array(t.exact(Waiver)) }), 'waivers file');

/** Accepted deviations. */
export interface Waivers {
  /** The reason a finding of `rule` in group `group` is waived, if it is. */
  readonly reasonFor: (group: string, rule: string) => string | undefined;
  /** How many waivers the file lists. */
  readonly size: number;
}

/** No waivers. */
export const noWaivers: Waivers = { reasonFor: () => undefined, size: 0 };

/** Decodes a waivers document; every problem names its field. */
export function decodeWaivers(u: unknown): E.Either<string[], Waivers> {
  const r = WaiversFile.decode(u);
  if (E.isLeft(r)) return E.left(formatValidationErrors(r.left));
  const problems = r.right.waivers.flatMap((w, k) => ((w.rule === undefined) === (w.group === undefined) ? [`waivers.${k}: give exactly one of "rule" and "group"`] : []));
  if (problems.length > 0) return E.left(problems);
  const byRule = new Map<string, string>();
  const byGroup = new Map<string, string>();
  for (const w of r.right.waivers) {
    if (w.rule !== undefined) byRule.set(w.rule, w.reason);
    if (w.group !== undefined) byGroup.set(w.group, w.reason);
  }
  return E.right({ reasonFor: (group, rule) => byGroup.get(group) ?? byRule.get(rule), size: r.right.waivers.length });
}

/** Reads and decodes a waivers file. */
export function readWaivers(path: string): E.Either<string[], Waivers> {
  let u: unknown;
  try {
    u = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    return E.left([`${path}: ${e instanceof Error ? e.message.replace(/^.*?: /, '') : String(e)}`]);
  }
  return E.mapLeft((ps: string[]) => ps.map((p) => `${path}: ${p}`))(decodeWaivers(u));
}
