/**
 * Post-conditions of RMI_VERSION and RMI_FEATURES (DEN0137 B4.3.23, B2, B4.3.4.3), and the
 * outputs RMI_VERSION leaves to the implementation.
 *
 * @packageDocumentation
 */
import type { PostDefinition } from '../engine/post.js';
import { isRevision, REVISION_1_0, versionAnswer } from './version-view.js';

type VersionInput = { readonly req: bigint };
type VersionOutputs = { readonly lower: bigint; readonly higher: bigint };

/**
 * DEN0137 B4.3.23, B2 (the success table is empty; the rows restate the description): on success
 * lower is the requested revision and higher the highest revision the RMM implements, which
 * for the model is 1.0 (D-VERSION). Another RMM may implement later revisions too (B2 scenarios
 * 2 and 3), so `higher` is open: any revision not below the requested one.
 */
export const versionPost: PostDefinition<VersionInput, VersionOutputs> = {
  success: {
    // B4.3.23 a): "the lower revision is equal to the requested revision".
    lower: (t) => t.out.lower === t.input.req,
    // D-VERSION: the model implements 1.0 only.
    higher: (t) => t.out.higher === REVISION_1_0,
  },
  locate: {},
  choices: {
    // B2: higher is the highest revision the RMM supports, and it supports req (the call
    // succeeded), so higher >= req = lower; any major version may follow (scenario 3).
    higher: (t, v) => isRevision(v) && v >= t.input.req,
  },
  // B2: the supported revisions are the implementation's; any answer B2 permits for some set
  // containing 1.0 is permitted (D-VERSION).
  answers: (_pre, input, a) => versionAnswer(input.req, a.ok, a.out.lower, a.out.higher),
};

type FeaturesInput = { readonly index: bigint };

/**
 * DEN0137 B4.3.4.3: a register index other than 0 reads as zero; index 0 is RmiFeatureRegister0
 * (B4.3.4, B4.4.6), which describes the platform the RMM runs on: exactly the platform's, so no
 * choice (a judged RMM on another platform is described by the trace's platform header).
 */
export const featuresPost: PostDefinition<FeaturesInput, { readonly value: bigint }> = {
  success: {
    index: { when: (t) => t.input.index !== 0n, holds: (t) => t.out.value === 0n },
    value: { when: (t) => t.input.index === 0n, holds: (t) => t.out.value === t.pre.platform.features0 },
  },
  locate: {},
};
