/**
 * One step of a running REC: the Realm makes a call, accesses memory, executes WFx, or an
 * interrupt or SError arrives. The step either stays inside the Realm or ends in a REC exit
 * (DEN0137 A4.1, A4.3).
 *
 * @packageDocumentation
 */
import type { RuleHits } from '../engine/hits.js';
import { InternalError } from '../internal/errors.js';
import type { GranuleIndex } from '../model/bits.js';
import { RecState } from '../model/rec.js';
import type { RmmState } from '../model/state.js';
import { realmAccess } from './access.js';
import { realmCall } from './call.js';
import { FaultStatus, serrorEsr, wfxEsr } from '../realm/esr.js';
import { recExit } from '../realm/exit.js';
import type { RealmAction, RealmStepResult } from '../realm/types.js';

// -------------------------------------------------------------------------------------
// step
// -------------------------------------------------------------------------------------

/** WFx instructions by ISS.TI encoding (Arm ARM D24.2.43). */
const WFX_TI = { wfi: 0, wfe: 1, wfit: 2, wfet: 3 } as const;

/** ISS of the default SError: AET UEO (restartable), DFSC asynchronous SError. */
const DEFAULT_SERROR_ISS = (0b010n << 10n) | BigInt(FaultStatus.ASYNC_SERROR);

// DECISION D-PC: Realm actions are abstract (no instruction stream), so they do not move the
// REC's pc; pc changes only where the spec says: +4 when the Host emulated an MMIO access
// (A4.2.3) and the entry point of a REC started by PSCI_CPU_ON (B4.3.7.3).
// DECISION D-SYSREG-TRAPS: TF-RMM's REC exits for trapped ICC_SGI0R/SGI1R/DIR accesses (EC 0x18)
// are not part of RMM 1.0 (A4.3.4 says trapped system register accesses are emulated by the RMM
// and return to the Realm); the model has no such action and no such exit.

/**
 * DEN0137 A4.3: runs Realm action `action` on REC `recGi`, which must be REC_RUNNING (entered by
 * RMI_REC_ENTER and not exited yet). When the action causes a REC exit, the RmiRecExit has been
 * written to the run granule and the REC is REC_READY again.
 * @category REC execution
 */
export function realmStep(s: RmmState, recGi: GranuleIndex, action: RealmAction, hits?: RuleHits): RealmStepResult {
  const rec = s.recs.get(recGi);
  if (rec === undefined || rec.state !== RecState.REC_RUNNING) throw new InternalError(`Realm step on granule ${recGi}, which is not a running REC`);
  switch (action.kind) {
    case 'call': {
      const r = realmCall(s, recGi, action.regs, hits);
      return { state: r.state, action, exit: r.exit, exitGpf: r.exitGpf, call: r.call, access: undefined };
    }
    case 'access': {
      const r = realmAccess(s, recGi, action);
      return { state: r.state, action, exit: r.exit, exitGpf: r.exitGpf, call: undefined, access: r.access };
    }
    case 'wfx': {
      const wfi = action.instr === 'wfi' || action.instr === 'wfit';
      // A4.3.4.1: WFI / WFIT exit when enter.trap_wfi is RMI_TRAP, WFE / WFET when trap_wfe is.
      if (!(wfi ? rec.trapWfi : rec.trapWfe)) return { state: s, action, exit: undefined, exitGpf: false, call: undefined, access: undefined };
      const timed = action.instr === 'wfit' || action.instr === 'wfet';
      const x = recExit(s, recGi, { kind: 'wfx', esr: wfxEsr(WFX_TI[action.instr]), timeout: timed ? (action.timeout ?? 0n) : undefined });
      return { state: x.state, action, exit: x.fields, exitGpf: x.gpf, call: undefined, access: undefined };
    }
    case 'exit': {
      const cause =
        action.reason === 'serror' ? { kind: 'serror' as const, esr: serrorEsr(action.iss ?? DEFAULT_SERROR_ISS) } : { kind: action.reason };
      const x = recExit(s, recGi, cause);
      return { state: x.state, action, exit: x.fields, exitGpf: x.gpf, call: undefined, access: undefined };
    }
  }
}
