/**
 * Whole-machine consistency between Host calls: EL3's GPT agrees with the RMM model's view of it
 * on every granule (DEN0137 A2.2.2 against Arm ARM D9), every CPU is back in the Non-secure world
 * (each RMI call ended with RMM_RMI_REQ_COMPLETE), and the RMM finished booting.
 *
 * @packageDocumentation
 */
import { World, describeDisagreement, gptDisagreements, worldName } from '@realmspec/el3';
import type { Machine } from './state.js';

/** Every inconsistency of machine `m` as text; empty when the machine is consistent. */
export function machineViolations(m: Machine): string[] {
  const out = gptDisagreements(m.el3.gpt, m.core).map((d) => `GPT cross-check: ${describeDisagreement(d)}`);
  m.el3.cpus.forEach((c, i) => {
    if (c.world !== World.NON_SECURE) out.push(`CPU ${i} is in the ${worldName[c.world]} world between Host calls`);
  });
  if (!m.el3.rmmBooted) out.push('the RMM has not completed its boot (RMM_BOOT_COMPLETE)');
  return out;
}
