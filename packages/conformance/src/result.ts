/**
 * What a campaign reports: its counters while it runs, the groups of divergences it found with
 * their shrunk traces, and its totals.
 *
 * @packageDocumentation
 */
import type { RuleHits } from '@realmspec/core';
import type { FindingKind, Observation } from './observe.js';

/** Counters while a campaign runs. */
export interface Progress {
  /** Runs judged (including shrink runs). */
  readonly runs: number;
  /** Steps sent to the driver. */
  readonly steps: number;
  /** Steps judged. */
  readonly judged: number;
  /** Groups found. */
  readonly findings: number;
  /** Of which waived. */
  readonly waived: number;
  /** ms since the start. */
  readonly elapsedMs: number;
}

/** One group of divergences, with its shrunk trace. */
export interface Finding {
  /** 1, 2, ...: in the order found. */
  readonly id: number;
  /** `command|rule|kind`. */
  readonly group: string;
  /** The command. */
  readonly command: string;
  /** The rule. */
  readonly rule: string;
  /** The kind. */
  readonly kind: FindingKind;
  /** Why the group is waived, if it is. */
  readonly waived: string | undefined;
  /** Runs that showed it (the shrink's own runs not counted). */
  count: number;
  /** ms from the start of the campaign to the first run that showed it. */
  readonly foundAtMs: number;
  /** ms the shrink took. */
  readonly shrinkMs: number;
  /** Driver runs the shrink took. */
  readonly shrinkRuns: number;
  /** Steps of the run that first showed it, and of the shrunk trace. */
  readonly steps: { readonly original: number; readonly shrunk: number };
  /** The shrunk observation. */
  readonly observation: Observation;
  /** The shrunk trace, ready to write to a file: `realmspec replay` reproduces it. */
  readonly trace: string;
}

/** What a campaign did. */
export interface CampaignResult extends Progress {
  /** Every group found, in order. */
  readonly groups: readonly Finding[];
  /** Runs the driver could not express (exit 2): not findings. */
  readonly discarded: number;
  /** Divergences after which judging followed the implementation's state, and runs cut at one. */
  readonly followed: number;
  /** Runs cut at a divergence. */
  readonly cut: number;
  /** Answers another than the model's that the spec permits. */
  readonly permitted: number;
  /** The catalogue rules the generated runs reached (coverage). */
  readonly hits: RuleHits;
  /** Stopped by the signal before its limits. */
  readonly interrupted: boolean;
}

