/**
 * Step records: what each actor of the machine did, one record per step, in the order it
 * happened: Host SMCs and memory accesses, EL3's RMM-EL3 services, the Realm's calls and
 * accesses, and how the Host's VMM handled each REC exit. Records are data; {@link describeStep}
 * renders one as a line in the trace contract's call notation.
 *
 * @packageDocumentation
 */
import { hex } from '@realmspec/core/internal';
import { gpiName, type Gpi } from '@realmspec/el3';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** A Host SMC, routed by EL3 (DEN0137 B4.1; for RMI, the command the RMM ran). */
export interface HostSmcStep {
  readonly actor: 'host';
  readonly kind: 'smc';
  /** The CPU the Host called on. */
  readonly cpu: number;
  /** The function id (W0 without the SVE hint). */
  readonly fid: number;
  /** The command's name, when the id names one (an RMI command or an EL3 service). */
  readonly command: string | undefined;
  /** The arguments by name (X1.. for an id without a command). */
  readonly args: ReadonlyArray<readonly [string, bigint]>;
  /** X0 of the result. */
  readonly x0: bigint;
  /** The status name (RMI_SUCCESS, RMI_ERROR_*, SMCCC_NOT_SUPPORTED, ...). */
  readonly status: string;
  /** The failure condition that held, for a failed RMI command. */
  readonly rule: string | undefined;
  /** The named outputs of a successful command. */
  readonly outputs: ReadonlyArray<readonly [string, bigint]>;
}

/** An SMC the RMM made to EL3 on the Host's behalf (TF-A RMM-EL3 interface). */
export interface El3Step {
  readonly actor: 'el3';
  readonly kind: 'rmm-el3';
  readonly cpu: number;
  /** The call, e.g. RMM_GTSI_DELEGATE. */
  readonly call: string;
  /** Its address argument, if any. */
  readonly pa: bigint | undefined;
  /** The return code's name. */
  readonly status: string;
  /** The GPI change it made, if any. */
  readonly gpi: readonly [Gpi, Gpi] | undefined;
}

/** A Host access to physical memory through the Non-secure PAS (Arm ARM D9). */
export interface HostMemoryStep {
  readonly actor: 'host';
  readonly kind: 'read' | 'write';
  readonly pa: bigint;
  readonly len: number;
  /** The fault, described, when the access was refused. */
  readonly fault: string | undefined;
}

/** One Realm action on a REC and what it did (DEN0137 A4.3). */
export interface RealmStep {
  readonly actor: 'realm';
  readonly kind: 'call' | 'access' | 'wfx' | 'async';
  /** The REC's PA. */
  readonly rec: bigint;
  /** The action, as a call (`RSI_VERSION(req=0x10000)`, `write 8 bytes at IPA 0x…`). */
  readonly action: string;
  /** What happened: the call's X0, the access's outcome, or the REC exit. */
  readonly result: string;
}

/** How the Host's VMM answered a REC exit (kvmtool / KVM run loop). */
export interface VmmStep {
  readonly actor: 'vmm';
  readonly kind: 'exit';
  readonly rec: bigint;
  /** The exit reason and its details. */
  readonly exit: string;
  /** What the VMM did about it. */
  readonly response: string;
}

/** A note: a boot event, or a check the machine made. */
export interface NoteStep {
  readonly actor: 'machine';
  readonly kind: 'note';
  readonly text: string;
}

/** One step of the machine. */
export type Step = HostSmcStep | El3Step | HostMemoryStep | RealmStep | VmmStep | NoteStep;

// -------------------------------------------------------------------------------------
// rendering
// -------------------------------------------------------------------------------------

/** `NAME(a=0x1, b=0x2)`: a call in the trace contract's notation. */
export function callText(name: string, args: ReadonlyArray<readonly [string, bigint]>): string {
  return `${name}(${args.map(([k, v]) => `${k}=${hex(v)}`).join(', ')})`;
}

/** One line for step `s`, prefixed with its actor. */
export function describeStep(s: Step): string {
  switch (s.actor) {
    case 'host':
      if (s.kind === 'smc') {
        const outs = s.outputs.length === 0 ? '' : ` [${s.outputs.map(([k, v]) => `${k}=${hex(v)}`).join(', ')}]`;
        const why = s.rule === undefined ? '' : ` (${s.rule})`;
        return `host  cpu${s.cpu}: ${callText(s.command ?? `SMC ${hex(s.fid)}`, s.args)} -> ${s.status}${why}${outs}`;
      }
      return `host  ${s.kind} ${s.len} bytes at ${hex(s.pa)} (Non-secure PAS) -> ${s.fault ?? 'ok'}`;
    case 'el3': {
      const change = s.gpi === undefined ? '' : ` [${gpiName[s.gpi[0]]} -> ${gpiName[s.gpi[1]]}]`;
      return `el3   cpu${s.cpu}: ${s.call}${s.pa === undefined ? '' : `(${hex(s.pa)})`} -> ${s.status}${change}`;
    }
    case 'realm':
      return `realm rec ${hex(s.rec)}: ${s.action} -> ${s.result}`;
    case 'vmm':
      return `vmm   rec ${hex(s.rec)}: ${s.exit} -> ${s.response}`;
    case 'machine':
      return `note  ${s.text}`;
  }
}
