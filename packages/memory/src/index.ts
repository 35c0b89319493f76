/**
 * realmspec memory: the hardware memory model of an Arm CCA machine. Physical memory is read and
 * written by granule, each access tagged with the physical address space of the world that makes
 * it and checked against EL3's GPT (a refused access is a granule protection fault); Realm
 * accesses go through stage 2 translation with the RMM model's RTT walk; granules are scrubbed
 * where the RMM specification wipes them. The bytes themselves are the RMM model's state: this
 * package adds the PAS and the checks around that one holder of memory.
 *
 * @example
 * ```ts
 * import { physRead, Pas } from '@realmspec/memory';
 * import { bootEl3, gtsiDelegate } from '@realmspec/el3';
 * import { initialState } from '@realmspec/core';
 * const s = initialState();
 * const el3 = gtsiDelegate(bootEl3({ platform: s.platform }), 0x8000_0000n).el3;
 * physRead(s, el3.gpt, Pas.NON_SECURE, 0x8000_0000n, 8); // Left: a granule protection fault
 * ```
 *
 * @packageDocumentation
 */
export { Pas, pasName } from './pas.js';
export { gpiPermits, gpcCheck, gpcCheckRange, describeGpf, type GranuleProtectionFault, type GpfCause } from './gpc.js';
export { physRead, physWrite, type MemoryFault, type RmmPrivateAccess } from './physical.js';
export { SCRUB_BYTE, isScrubbed, scrubGranule, type ScrubResult } from './scrub.js';
export { stage2Translate, type AccessKind, type Stage2Abort, type Stage2Result } from './stage2.js';
export { realmAccessResult, accessSizeOf, accessDivergence, describeAccessResult, type AccessResult } from './realm-access.js';
