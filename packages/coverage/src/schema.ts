/**
 * The coverage data file, format `realmspec-coverage/1`: what one or more runs of the model
 * exercised, counted per catalogue rule id. Files are keyed by rule id (never by the dense rule
 * number), so they survive changes of the catalogue; a rule or ordering that a file does not list
 * was counted 0 times. The schema is an io-ts codec; every codec here encodes as the identity, so
 * a decoded file written with `JSON.stringify` decodes to the same value (a round trip).
 *
 * ```json
 * {
 *   "format": "realmspec-coverage/1",
 *   "catalogue": "3f1c…",
 *   "sources": [{ "kind": "replay", "name": "examples/realm-build.jsonl", "at": "2026-12-06T20:00:00.000Z" }],
 *   "calls": { "RMI_REALM_CREATE": 2 },
 *   "rules": {
 *     "RMI_REALM_CREATE/rd_align": { "reached": 2, "held": 1, "decided": 1 },
 *     "RMI_REALM_CREATE/success/rim": { "reached": 1, "held": 1 },
 *     "invariant/num_recs": { "reached": 5, "held": 5 }
 *   },
 *   "orderings": { "RMI_DATA_CREATE/order/rd_bound<realm_state": { "both": 1, "respected": 1 } },
 *   "summary": { "rules": { "covered": 3, "total": 549 }, "failures": { "covered": 1, "total": 222 } }
 * }
 * ```
 *
 * @packageDocumentation
 */
import * as t from 'io-ts';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** The value of the `format` field of every coverage file of this version. */
export const FORMAT = 'realmspec-coverage/1';

/** The brand of {@link Count}. */
export interface CountBrand {
  /** Marks a number checked to be a count. */
  readonly Count: unique symbol;
}

/** A counter: a non-negative integer. */
export const Count = t.brand(t.number, (n): n is t.Branded<number, CountBrand> => Number.isSafeInteger(n) && n >= 0, 'Count');
/** A counter: a non-negative integer. */
export type Count = t.TypeOf<typeof Count>;

/** Narrows a non-negative integer to a {@link Count} (the caller has made sure it is one). */
export const count = (n: number): Count => n as Count;

/**
 * What produced the counts: a trace replay, a vitest run, the conformance harness, a campaign
 * (random or directed command sequences), an exhaustive exploration, or something else.
 */
export const SourceKind = t.keyof({ replay: null, vitest: null, conformance: null, campaign: null, explore: null, other: null }, 'SourceKind');
/** See {@link SourceKind}. */
export type SourceKind = t.TypeOf<typeof SourceKind>;

/**
 * One producer of counts: its kind, a name (the trace file, the test project, the campaign), and,
 * when the producer passed them, a time (ISO 8601) and a detail in words.
 */
export const Source = t.intersection([t.type({ kind: SourceKind, name: t.string }), t.partial({ at: t.string, detail: t.string })], 'Source');
/** See {@link Source}. */
export type Source = t.TypeOf<typeof Source>;

/**
 * The counters of one rule, as `RuleHits` counts them (core `engine/hits.ts`):
 * - a failure condition: `reached`, its antecedent was evaluated because every earlier condition
 *   passed; `held`, it held (also when an earlier one was reported); `decided`, it was the
 *   failure reported;
 * - a success condition: `reached`, its post-condition was evaluated; `held`, it held;
 * - an invariant: `reached`, checked; `held`, it held.
 *
 * `decided` is written only for failure conditions, and only when it is not 0.
 */
export const RuleCounters = t.intersection([t.type({ reached: Count, held: Count }), t.partial({ decided: Count })], 'RuleCounters');
/** See {@link RuleCounters}. */
export type RuleCounters = t.TypeOf<typeof RuleCounters>;

/**
 * The counters of one ordering constraint (DEN0137 B1.6.2): `both`, calls in which both of its
 * conditions held; `respected`, of those, calls whose outcome respected it.
 */
export const OrderingCounters = t.type({ both: Count, respected: Count }, 'OrderingCounters');
/** See {@link OrderingCounters}. */
export type OrderingCounters = t.TypeOf<typeof OrderingCounters>;

/** `covered` of `total` coverage points of one kind. */
export const Tally = t.type({ covered: Count, total: Count }, 'Tally');
/** See {@link Tally}. */
export type Tally = t.TypeOf<typeof Tally>;

/**
 * Totals against the catalogue, written by `realmspec coverage --format json` and ignored when a
 * file is read back (a report recomputes them). `rules` is the sum of failures, success
 * conditions, orderings and invariants; decisions and errata are derived from those.
 */
export const Summary = t.type(
  { rules: Tally, failures: Tally, success: Tally, orderings: Tally, invariants: Tally, decisions: Tally, errata: Tally },
  'Summary',
);
/** See {@link Summary}. */
export type Summary = t.TypeOf<typeof Summary>;

/** A coverage data file (see the module documentation for an example). */
export const CoverageFile = t.intersection(
  [
    t.type({
      /** Always {@link FORMAT}. */
      format: t.literal(FORMAT),
      /** Digest of the catalogue the counts were taken against (`catalogueDigest`). */
      catalogue: t.string,
      /** What produced the counts; merging takes the union. */
      sources: t.array(Source),
      /** Calls per command name. */
      calls: t.record(t.string, Count),
      /** Counters per rule id (`<CMD>/<label>`, `<CMD>/success/<label>`, `invariant/<id>`). */
      rules: t.record(t.string, RuleCounters),
      /** Counters per ordering id (`<CMD>/order/<before><<after>`). */
      orderings: t.record(t.string, OrderingCounters),
    }),
    t.partial({ summary: Summary }),
  ],
  'CoverageFile',
);
/** See {@link CoverageFile}. */
export type CoverageFile = t.TypeOf<typeof CoverageFile>;
