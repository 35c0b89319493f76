/**
 * Running a Realm program: the Host enters a REC (RMI_REC_ENTER through EL3) with the program's
 * remaining actions, the Realm runs them in the RMM model until one causes a REC exit, the
 * Host's VMM handles the exit, and the loop goes on until the program is done (DEN0137 A4.1–A4.3,
 * D1.3 "Realm execution flow").
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { RmiRecEnter, catalogueCommand, encodeStruct, type RealmAction } from '@realmspec/core';
import { hex } from '@realmspec/core/internal';
import { Address, Index, RealmScriptCodec } from './codecs.js';
import { decodeWith, invalid, type HostResult } from './errors.js';
import { rmiResultName } from './names.js';
import { runSession } from './session.js';
import type { RecRun } from './smc.js';
import { hostRealm, type Machine, type SharedPage } from './state.js';
import type { Step } from './steps.js';
import { handleExit, type RunStop, type VmmEffects } from './vmm.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** io-ts codec of {@link runRealm}'s argument. */
export const RunSpecCodec = t.intersection(
  [
    t.type({ rd: Address, script: RealmScriptCodec }),
    t.partial({ rec: Index, cpu: Index, maxEntries: Index, ripas: t.keyof({ accept: null, reject: null }) }),
  ],
  'RunSpec',
);
/** What {@link runRealm} takes: the Realm (its RD), the REC index (default 0), the program, the CPU (default 0), an entry limit (default 1000), and whether the VMM accepts RIPAS changes (default accept). */
export type RunSpec = t.TypeOf<typeof RunSpecCodec>;

/** How a run ended: the program is done, the Realm stopped, the entry limit was hit, or REC entry failed. */
export type RunEnd = 'done' | 'limit' | 'enter_failed' | RunStop;

/** What running a Realm program did. */
export interface RunReport {
  /** How the run ended. */
  readonly ended: RunEnd;
  /** For a failed REC entry: the status. */
  readonly enterStatus: string | undefined;
  /** REC entries made. */
  readonly entries: number;
  /** Each RMI_REC_ENTER's run, in order. */
  readonly runs: readonly RecRun[];
  /** DATA granules the VMM created to back faulting RAM pages. */
  readonly populated: readonly SharedPage[];
  /** DATA granules the VMM destroyed and gave back to the Host (RIPAS EMPTY). */
  readonly reclaimed: readonly bigint[];
  /** Every step, in order. */
  readonly steps: readonly Step[];
  /** Disagreements between the RMM model and the platform (normally none). */
  readonly divergences: readonly string[];
  /** SMCs after which the GPT cross-check ran. */
  readonly checks: number;
}

const REC_ENTER_FID = BigInt(catalogueCommand('RMI_REC_ENTER').fids[0] as number);

// -------------------------------------------------------------------------------------
// API
// -------------------------------------------------------------------------------------

/**
 * Runs `script` on REC `rec` of the Realm whose RD is `rd`: the Host writes RmiRecEnter to the
 * REC's run granule and calls RMI_REC_ENTER on CPU `cpu` with the actions left; after each REC
 * exit the VMM answers it (see `vmm.ts`) and enters again, re-running an access whose fault it
 * fixed, until every action has run and its outcome has reached the Realm. The Realm's registers
 * and memory live in the machine; the report has every step.
 */
export function runRealm(m: Machine, spec: unknown): HostResult<Machine, RunReport> {
  const decoded = decodeWith(RunSpecCodec, 'runRealm', spec);
  if (E.isLeft(decoded)) return decoded;
  const sp = decoded.right;
  const realm = hostRealm(m, sp.rd);
  if (realm === undefined) return E.left(invalid('rd', `the Host launched no Realm with its RD at ${hex(sp.rd)}`));
  const rec = realm.recs[sp.rec ?? 0];
  if (rec === undefined) return E.left(invalid('rec', `the Realm has ${realm.recs.length} REC(s); there is no REC ${sp.rec ?? 0}`));
  const cpu = sp.cpu ?? 0;
  if (cpu >= m.el3.cpus.length) return E.left(invalid('cpu', `the machine has ${m.el3.cpus.length} CPU(s); there is no CPU ${cpu}`));
  const script: readonly RealmAction[] = sp.script;
  const maxEntries = sp.maxEntries ?? 1000;
  return runSession(m, cpu, (s) => {
    const fx: VmmEffects = { populated: [], reclaimed: [] };
    const runs: RecRun[] = [];
    let pos = 0;
    let flags = 0n;
    let gprs: readonly bigint[] | undefined;
    let ended: RunEnd = 'limit';
    let enterStatus: string | undefined;
    while (runs.length < maxEntries) {
      s.write(rec.run, encodeStruct(RmiRecEnter, { flags, gprs: gprs === undefined ? undefined : gprs.slice(0, 31) }));
      const o = s.smc([REC_ENTER_FID, rec.rec, rec.run], script, pos);
      const run = o.run as RecRun;
      runs.push(run);
      if (o.regs[0] !== 0n || run.exit === undefined) {
        ended = 'enter_failed';
        enterStatus = o.failure?.status ?? rmiResultName(o.regs[0] ?? 0n);
        break;
      }
      const last = run.actions[run.actions.length - 1];
      const d = handleExit(s, realm, rec, run.exit, last?.step.exit !== undefined, sp.ripas !== 'reject', fx);
      pos += run.actions.length - (d.retry ? 1 : 0);
      flags = d.flags;
      gprs = d.gprs;
      if (d.stop !== undefined) {
        ended = d.stop;
        break;
      }
      if (pos >= script.length && !d.needsEntry) {
        ended = 'done';
        break;
      }
    }
    return { ended, enterStatus, entries: runs.length, runs, populated: fx.populated, reclaimed: fx.reclaimed, steps: s.steps, divergences: s.divergences, checks: s.checks };
  });
}
