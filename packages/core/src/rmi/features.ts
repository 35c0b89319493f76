/**
 * RMI_VERSION and RMI_FEATURES: the interface version handshake and the feature registers
 * (DEN0137 B4.3.23, B4.3.4, B2).
 *
 * @packageDocumentation
 */
import { defineCommand } from '../engine/command.js';
import type { RmmState } from '../model/state.js';
import { featuresPost, versionPost } from '../post/features.js';

/** RMI interface revision this model implements: 1.0 (DEN0137 B4.4.9 RmiInterfaceVersion). @category SMC/ABI */
export const RMI_ABI_VERSION = 0x1_0000n;

/** What RMI_VERSION reads (DEN0137 B4.3.23). @category SMC/ABI */
export interface VersionCtx {
  readonly s: RmmState;
  readonly req: bigint;
}

/**
 * DEN0137 B4.3.23 RMI_VERSION: the Host asks for revision `req`; the RMM answers with the
 * revisions it implements. Only 1.0 is implemented, so any other `req` (a different major, a
 * higher minor, or non-zero MBZ bits) is incompatible: RMI_ERROR_INPUT with lower = higher = 1.0.
 * @category SMC/ABI
 */
export const rmiVersion = defineCommand<{ readonly req: bigint }, VersionCtx, { readonly lower: bigint; readonly higher: bigint }>({
  name: 'RMI_VERSION',
  context: (s, i) => ({ s, req: i.req }),
  failures: {
    // DECISION D-VERSION: every revision other than 1.0 is incompatible.
    // B2: a request for a revision other than 1.0 is incompatible with a 1.0-only RMM.
    incompatible: {
      holds: (c) => c.req !== RMI_ABI_VERSION,
      outputs: () => ({ lower: RMI_ABI_VERSION, higher: RMI_ABI_VERSION }),
    },
  },
  apply: (c) => [c.s, { lower: RMI_ABI_VERSION, higher: RMI_ABI_VERSION }],
  post: versionPost,
});

/** What RMI_FEATURES reads (DEN0137 B4.3.4). @category SMC/ABI */
export interface FeaturesCtx {
  readonly s: RmmState;
  readonly index: bigint;
}

/** DEN0137 B4.3.4 RMI_FEATURES: index 0 gives RmiFeatureRegister0; every other index gives 0. @category SMC/ABI */
export const rmiFeatures = defineCommand<{ readonly index: bigint }, FeaturesCtx, { readonly value: bigint }>({
  name: 'RMI_FEATURES',
  context: (s, i) => ({ s, index: i.index }),
  failures: {},
  apply: (c) => [c.s, { value: c.index === 0n ? c.s.platform.features0 : 0n }],
  post: featuresPost,
});
