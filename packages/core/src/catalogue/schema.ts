/**
 * The io-ts schema of the rule catalogue (`spec/`): one JSON document per command.
 *
 * @packageDocumentation
 */
import * as t from 'io-ts';
import { parseFootprint } from './footprint.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A hexadecimal 64-bit value written as a string, e.g. `"0xC4000150"`. */
const HexString = t.refinement(t.string, (s) => /^0x[0-9a-fA-F]{1,16}$/.test(s), 'HexString');

/** A register name `X0`..`X30`. */
const Register = t.refinement(t.string, (s) => /^X([0-9]|[12][0-9]|30)$/.test(s), 'Register');

/** A failure or success label: lower case, digits and underscores, as the spec writes them. */
const Label = t.refinement(t.string, (s) => /^[a-z][a-z0-9_]*$/.test(s), 'Label');

/** Status names a failure condition may give (DEN0137 B4.4.25, B5.4.1, B6.4). @category Catalogue */
export const StatusName = t.keyof(
  {
    RMI_ERROR_INPUT: null,
    RMI_ERROR_REALM: null,
    RMI_ERROR_REC: null,
    RMI_ERROR_RTT: null,
    RSI_ERROR_INPUT: null,
    RSI_ERROR_STATE: null,
    RSI_ERROR_UNKNOWN: null,
    PSCI_NOT_SUPPORTED: null,
    PSCI_INVALID_PARAMETERS: null,
    PSCI_DENIED: null,
    PSCI_ALREADY_ON: null,
    PSCI_INVALID_ADDRESS: null,
  },
  'StatusName',
);
/** A status name of the catalogue. @category Catalogue */
export type StatusName = t.TypeOf<typeof StatusName>;

/** One register of a command's interface (DEN0137 B4.3.x.1 "Input values" / "Output values"). @category Catalogue */
export const RegisterField = t.intersection(
  [
    t.type({ name: Label, reg: Register, type: t.string, description: t.string }),
    t.partial({ bits: t.string }),
  ],
  'RegisterField',
);
/** One register of a command's interface. @category Catalogue */
export type RegisterField = t.TypeOf<typeof RegisterField>;

/**
 * Where a failure condition comes from: `spec` for a row of the spec's failure table, `derived`
 * for a condition the model adds (an invalid-encoding rule of B4.2, or a documented decision).
 */
export const Origin = t.keyof({ spec: null, derived: null }, 'Origin');

/** One failure condition (DEN0137 B1.6): label, condition in words, status and index rule. @category Catalogue */
export const FailureCondition = t.intersection(
  [
    t.type({
      label: Label,
      when: t.string,
      status: StatusName,
      origin: Origin,
      section: t.string,
    }),
    t.partial({
      /** The error index: a number, or the name of a value the command computes (`walk.level`). */
      index: t.union([t.number, t.string]),
      /** Output registers that the command defines on this failure, by name, with their value in words. */
      outputs: t.record(t.string, t.string),
      /** For `derived` conditions: why the model adds it (a DECISIONS.md id or a spec section). */
      reason: t.string,
      /**
       * `exit` for a condition that can only hold when the REC exit is written, after the REC ran
       * (RMI_REC_ENTER `exit_pas`, A4.3.3): the ordered check before apply does not evaluate it.
       */
      heldAt: t.literal('exit'),
    }),
  ],
  'FailureCondition',
);
/** One failure condition. @category Catalogue */
export type FailureCondition = t.TypeOf<typeof FailureCondition>;

/** A failure-condition ordering `[before...] < [after...]` (DEN0137 B1.6.2). @category Catalogue */
export const Ordering = t.intersection(
  [t.type({ before: t.array(Label), after: t.array(Label) }), t.partial({ note: t.string })],
  'Ordering',
);
/** A failure-condition ordering. @category Catalogue */
export type Ordering = t.TypeOf<typeof Ordering>;

/**
 * One success condition: a post-condition that holds when the command succeeds. `origin` is
 * `spec` for a row of the spec's success table (B4.3.x.3, B5.3.x.3, B6.3.x.3) and `derived` for
 * one the model adds (a post-condition stated elsewhere in the spec, or implied by it), with its
 * `reason`.
 * @category Catalogue
 */
export const SuccessCondition = t.intersection(
  [
    t.type({ label: Label, then: t.string, section: t.string, origin: Origin }),
    t.partial({
      /** For `derived` rows: where the spec states or implies it, and why the model adds it. */
      reason: t.string,
      /** For a row that applies only in some cases: the case, in words. */
      when: t.string,
      /** The command whose later call establishes this condition (e.g. RMI_REC_ENTER completing a Realm call); this command's calls do not count it. */
      establishedBy: t.refinement(t.string, (s) => /^(RMI|RSI|PSCI)_[A-Z0-9_]+$/.test(s), 'CommandName'),
      /** `exit` for an RMI_REC_ENTER condition that holds once the REC exit is written, after the Realm ran (A4.3). */
      at: t.literal('exit'),
    }),
  ],
  'SuccessCondition',
);
/** One success condition. @category Catalogue */
export type SuccessCondition = t.TypeOf<typeof SuccessCondition>;

/** A footprint value in the spec's notation, e.g. `Granule(addr).state` (see `footprint.ts`). */
const FootprintValue = t.refinement(t.string, (s) => typeof parseFootprint(s) !== 'string', 'FootprintValue');

/**
 * One entry of a command's footprint: what it may change (DEN0137 B4.3.x.4). `origin` is `spec`
 * for a row of the spec's footprint table and `derived` for state the model keeps that the
 * spec's table does not name (granule contents, Realm execution state), with its `reason`.
 * @category Catalogue
 */
export const FootprintEntry = t.intersection(
  [
    t.type({ id: Label, value: FootprintValue, origin: Origin, section: t.string }),
    t.partial({ reason: t.string }),
  ],
  'FootprintEntry',
);
/** One entry of a command's footprint. @category Catalogue */
export type FootprintEntry = t.TypeOf<typeof FootprintEntry>;

/** Which interface a command belongs to. @category Catalogue */
export const Interface = t.keyof({ RMI: null, RSI: null, PSCI: null }, 'Interface');
/** Which interface a command belongs to. @category Catalogue */
export type Interface = t.TypeOf<typeof Interface>;

/** One command of the catalogue. @category Catalogue */
export const CommandSpec = t.intersection(
  [
    t.type({
      name: t.refinement(t.string, (s) => /^(RMI|RSI|PSCI)_[A-Z0-9_]+$/.test(s), 'CommandName'),
      interface: Interface,
      fid: HexString,
      section: t.string,
      summary: t.string,
      inputs: t.array(RegisterField),
      outputs: t.array(RegisterField),
      failures: t.array(FailureCondition),
      ordering: t.array(Ordering),
      success: t.array(SuccessCondition),
    }),
    t.partial({
      /** Other FIDs that reach the same command (PSCI SMC32/SMC64 pairs). */
      fidAliases: t.array(HexString),
      footprint: t.array(FootprintEntry),
      notes: t.array(t.string),
    }),
  ],
  'CommandSpec',
);
/** One command of the catalogue, as decoded. @category Catalogue */
export type CommandSpec = t.TypeOf<typeof CommandSpec>;

/** One state invariant (`spec/invariants.json`): a property every reachable state has, with its spec section. @category Catalogue */
export const InvariantSpec = t.intersection(
  [
    t.type({ id: Label, section: t.string, text: t.string }),
    t.partial({
      /** A property of every transition (pre-state, post-state) rather than of one state. */
      transition: t.boolean,
    }),
  ],
  'InvariantSpec',
);
/** One state invariant. @category Catalogue */
export type InvariantSpec = t.TypeOf<typeof InvariantSpec>;

/** The invariants file. */
export const InvariantsFile = t.exact(t.type({ invariants: t.array(InvariantSpec) }), 'InvariantsFile');
