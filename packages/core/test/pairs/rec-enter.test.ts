/**
 * Pairs of failure conditions of RMI_REC_ENTER (DEN0137 B4.3.14.2) whose answers differ: the
 * INPUT conditions on rec and run_ptr with the Realm and REC conditions, REALM(0) and REALM(1)
 * with the REC conditions. See `support.ts`.
 */
import { encodeStruct, granuleIndex, rmiRecEnter, runRec, RmiRecEnter, type RmmState } from '../../src/index.js';
import { updateState } from '../../src/internal.js';
import { G, OUTSIDE, R } from '../support/fixtures.js';
import { REC2, RUN, RUN2, WORLD, enter, fid, withEnter, world } from '../realm/support.js';
import { injectRec, lazy, memo } from './states.js';
import { pairSpec, pairSuites, type Exclusion } from './support.js';

interface EnterKnobs {
  /** rec: the REC, unaligned inside it, outside DRAM, a granule that is no REC (an RTT). */
  rec: 'ok' | 'align' | 'bound' | 'gran';
  /** run_ptr: a Non-secure granule, unaligned inside it, outside DRAM, a delegated granule. */
  run: 'ok' | 'align' | 'bound' | 'pas';
  /** The Realm of the REC. */
  realm: 'active' | 'new' | 'off';
  /** The REC: ready, running, not runnable, with a PSCI request pending. */
  recState: 'ready' | 'running' | 'notRunnable' | 'psci';
  /** enter.flags bit 5 (SBZ) set. */
  badFlags: boolean;
  /** enter.flags.emul_mmio set while the last exit was no emulatable Data Abort. */
  emulMmio: boolean;
  /** enter.gicv3_hcr.En set (the Host may not set it, A6.1). */
  badGic: boolean;
}

/** An RTT granule of the world (no REC), and a delegated granule (Realm PAS, zero contents). */
const NOT_REC = G(9);
const REALM_PAS = G(60);

const SYSTEM_OFF = 0x8400_0008n;
const run = (s: RmmState, rec: bigint, runPtr: bigint, regs: bigint[]): RmmState => runRec(s, { rec, run_ptr: runPtr }, [{ kind: 'call', regs }]).state;

const inactive = lazy(() => world({ inactive: true }));
const off = lazy(() => run(WORLD, R.rec, RUN, [SYSTEM_OFF]));
/** REC2 runnable: it can run while R.rec waits, or call PSCI_SYSTEM_OFF itself. */
const w2 = lazy(() => world({ rec2Runnable: true }));

/** States built through commands for each Realm state and REC state, and the REC the call enters. */
const bases = memo((key: string): { s: RmmState; rec: bigint } => {
  switch (key) {
    case 'active/ready': return { s: WORLD, rec: R.rec };
    case 'active/running': return { s: enter(WORLD), rec: R.rec };
    case 'active/notRunnable': return { s: WORLD, rec: REC2 };
    // R.rec asked PSCI_CPU_ON of REC2: a request is pending.
    case 'active/psci': return { s: run(WORLD, R.rec, RUN, [fid('PSCI_CPU_ON'), 1n, 0x1000n, 0n]), rec: R.rec };
    case 'new/ready': return { s: inactive(), rec: R.rec };
    case 'new/notRunnable': return { s: inactive(), rec: REC2 };
    case 'off/ready': return { s: off(), rec: R.rec };
    case 'off/notRunnable': return { s: off(), rec: REC2 };
    // REC2 entered (running on another CPU) while R.rec calls PSCI_SYSTEM_OFF.
    case 'off/running': return { s: run(enter(w2(), REC2, RUN2), R.rec, RUN, [SYSTEM_OFF]), rec: REC2 };
    // R.rec asked PSCI_CPU_ON of REC3 (pending, the Host never completed it); then REC2 calls PSCI_SYSTEM_OFF.
    case 'off/psci': return { s: run(run(w2(), R.rec, RUN, [fid('PSCI_CPU_ON'), 2n, 0x1000n, 0n]), REC2, RUN2, [SYSTEM_OFF]), rec: R.rec };
    default: throw new Error(`no base ${key}`);
  }
});

function build(k: Partial<EnterKnobs>) {
  let { s, rec } = bases(`${k.realm ?? 'active'}/${k.recState ?? 'ready'}`);
  const fields = { flags: (k.badFlags === true ? 1n << 5n : 0n) | (k.emulMmio === true ? 1n : 0n), gicv3_hcr: k.badGic === true ? 1n : 0n };
  const runPtr = { ok: RUN, align: RUN + 8n, bound: OUTSIDE, pas: REALM_PAS }[k.run ?? 'ok'];
  if (k.run === 'bound' || k.run === 'pas') {
    // The RmiRecEnter is read from the granule run_ptr names whatever it is (D-WELLFORMED): an
    // arbitrary state may hold any bytes there; the Host cannot write them. Otherwise it is zero.
    if (fields.flags !== 0n || fields.gicv3_hcr !== 0n) s = updateState(s, { memory: s.memory.set(granuleIndex(runPtr), encodeStruct(RmiRecEnter, fields)) });
  } else {
    s = withEnter(s, RUN, fields);
  }
  if (k.rec === 'bound' || k.rec === 'gran') {
    const at = k.rec === 'bound' ? OUTSIDE : NOT_REC;
    return { s: injectRec(s, at, rec), input: { rec: at, run_ptr: runPtr } };
  }
  return { s, input: { rec: k.rec === 'align' ? rec + 8n : rec, run_ptr: runPtr } };
}

const atExit: Exclusion = { exclusive: 'exit_pas holds only as the REC exit is written (A4.3.3), once the entry found no other condition true' };
/** Before REALM_ACTIVATE no REC has run: none is running, and none has made a PSCI call. */
const neverRan: Exclusion = { unreachable: 'a REC runs only in an active Realm, and a Realm never goes back to REALM_NEW' };

const recEnter = pairSpec<{ rec: bigint; run_ptr: bigint }, EnterKnobs>({
  command: rmiRecEnter,
  build,
  recipes: {
    run_align: { knobs: { run: 'align' } },
    // OUTSIDE is in no GPT range: its GPT entry is GPT_NS, so run_pas does not hold.
    run_bound: { knobs: { run: 'bound' } },
    run_pas: { knobs: { run: 'pas' } },
    rec_align: { knobs: { rec: 'align' } },
    // OUTSIDE is not delegable, and its granule is no REC.
    rec_bound: { knobs: { rec: 'bound' }, brings: ['rec_gran_state'] },
    rec_gran_state: { knobs: { rec: 'gran' } },
    enter_valid: { knobs: { badFlags: true } },
    realm_new: { knobs: { realm: 'new' } },
    system_off: { knobs: { realm: 'off' } },
    rec_state: { knobs: { recState: 'running' } },
    rec_runnable: { knobs: { recState: 'notRunnable' } },
    rec_mmio: { knobs: { emulMmio: true } },
    rec_gicv3: { knobs: { badGic: true } },
    rec_psci: { knobs: { recState: 'psci' } },
  },
  overrides: {
    'realm_new|system_off': { exclusive: 'two values of Realm(owner).state' },
    'realm_new|rec_state': neverRan,
    'realm_new|rec_psci': neverRan,
    'realm_new|exit_pas': atExit,
    'system_off|exit_pas': atExit,
    'rec_state|exit_pas': atExit,
    'rec_runnable|exit_pas': atExit,
    'rec_mmio|exit_pas': atExit,
    'rec_gicv3|exit_pas': atExit,
    'rec_psci|exit_pas': atExit,
  },
  derived: {
    enter_valid: { status: 'RMI_ERROR_INPUT', reason: 'D-ENCODING: RmiRecEnter.flags bits 63:5 are SBZ (B4.2), a row the spec table lacks; no ordering names it' },
  },
});

pairSuites('RMI_REC_ENTER', [recEnter]);
