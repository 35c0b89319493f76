/**
 * RSI_VERSION and RSI_FEATURES: the RSI version handshake and feature registers
 * (DEN0137 B5.3.10, B5.3.3, B2).
 *
 * @packageDocumentation
 */
import { defineCommand } from '../engine/command.js';
import { arg, realmContext, returnToRealm, type RealmCallInput, type RealmCallCtx, type RealmOutcome } from '../realm/command.js';
import { RsiStatus } from '../abi/status.js';
import { rsiFeaturesPost, rsiVersionPost } from '../post/rsi.js';

// -------------------------------------------------------------------------------------
// RSI_VERSION
// -------------------------------------------------------------------------------------

/** RSI interface revision this model implements: 1.0 (DEN0137 B5.4.3 RsiInterfaceVersion). @category RSI */
export const RSI_ABI_VERSION = 0x1_0000n;

/**
 * DEN0137 B5.3.10 RSI_VERSION: the Realm asks for revision `req`; the RMM answers with the
 * revisions it implements (lower = higher = 1.0). Any `req` other than 1.0 is incompatible.
 * @category RSI
 */
export const rsiVersion = defineCommand<RealmCallInput, RealmCallCtx, RealmOutcome>({
  name: 'RSI_VERSION',
  context: realmContext,
  failures: {
    // D-VERSION (B2): only revision 1.0 is implemented; lower = higher = 1.0 on failure too.
    incompatible: {
      holds: (c) => arg(c, 'req') !== RSI_ABI_VERSION,
      outputs: () => ({ lower: RSI_ABI_VERSION, higher: RSI_ABI_VERSION }),
    },
  },
  apply: (c) => [c.s, returnToRealm(RsiStatus.RSI_SUCCESS, { lower: RSI_ABI_VERSION, higher: RSI_ABI_VERSION })],
  post: rsiVersionPost,
});

// -------------------------------------------------------------------------------------
// RSI_FEATURES
// -------------------------------------------------------------------------------------

/** DEN0137 B5.3.3 RSI_FEATURES: every RSI feature register reads as zero in RMM 1.0. @category RSI */
export const rsiFeatures = defineCommand<RealmCallInput, RealmCallCtx, RealmOutcome>({
  name: 'RSI_FEATURES',
  context: realmContext,
  failures: {},
  apply: (c) => [c.s, returnToRealm(RsiStatus.RSI_SUCCESS, { value: 0n })],
  post: rsiFeaturesPost,
});
