/**
 * External configuration of the emulated HES (for example from a CLI flag or a trace header),
 * decoded with io-ts: bad input gives a Left listing each offending field, never an exception.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { LifecycleCodec as CoreLifecycleCodec, PlatformLifecycle, hexBytes, isPlatformLifecycle } from '@realmspec/core';
import { formatValidationErrors } from '@realmspec/core/internal';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Typed settings of `bootHes`; every field is optional. */
export interface HesOptions {
  /** Key-derivation seed (default `DEFAULT_SEED`). */
  readonly seed?: Uint8Array;
  /** Lifecycle claim (default {@link PlatformLifecycle}.SECURED, 0x3000). */
  readonly lifecycle?: number;
  /** Platform config claim (default four zero bytes). */
  readonly platformConfig?: Uint8Array;
  /** Verification service claim (default: absent). */
  readonly verificationService?: string;
}

/** Bad external HES configuration: one line per offending field. */
export interface HesConfigError {
  readonly kind: 'hes-config';
  readonly errors: readonly string[];
}

// -------------------------------------------------------------------------------------
// codecs
// -------------------------------------------------------------------------------------

type LifecycleName = keyof typeof PlatformLifecycle;
const lifecycleNames = Object.keys(PlatformLifecycle) as LifecycleName[];

/** A lifecycle claim value, as a number or a {@link PlatformLifecycle} name such as `"SECURED"`. */
export const LifecycleCodec = new t.Type<number, number, unknown>(
  'Lifecycle',
  (u): u is number => typeof u === 'number' && isPlatformLifecycle(u),
  (u, c) => {
    // A name stands for its value; a number goes through the platform token's own lifecycle check.
    if (typeof u === 'string' && (lifecycleNames as string[]).includes(u)) return t.success(PlatformLifecycle[u as LifecycleName]);
    if (typeof u === 'number') return CoreLifecycleCodec.validate(u, c);
    return t.failure(u, c, `a lifecycle value or one of ${lifecycleNames.join(', ')}`);
  },
  t.identity,
);

/** io-ts codec of the HES configuration object (JSON). Unknown fields are rejected. */
export const HesConfigCodec = t.exact(
  t.partial({
    seed: hexBytes(1, 1024),
    lifecycle: LifecycleCodec,
    platformConfig: hexBytes(0, 1024),
    verificationService: t.string,
  }),
  'HesConfig',
);

/** The fields {@link HesConfigCodec} knows (`t.exact` strips the others; they are rejected first). */
const allowed: ReadonlySet<string> = new Set(Object.keys(HesConfigCodec.type.props));

/** Decodes external HES configuration, e.g. `{ "seed": "00ff…", "lifecycle": "SECURED" }`. */
export function decodeHesConfig(u: unknown): E.Either<HesConfigError, HesOptions> {
  if (typeof u === 'object' && u !== null && !Array.isArray(u)) {
    const extra = Object.keys(u).filter((k) => !allowed.has(k));
    if (extra.length > 0) return E.left({ kind: 'hes-config', errors: extra.map((k) => `${k}: unknown field`) });
  }
  const r = HesConfigCodec.decode(u);
  if (E.isLeft(r)) return E.left({ kind: 'hes-config', errors: formatValidationErrors(r.left) });
  const c = r.right;
  return E.right({
    ...(c.seed !== undefined ? { seed: c.seed } : {}),
    ...(c.lifecycle !== undefined ? { lifecycle: c.lifecycle } : {}),
    ...(c.platformConfig !== undefined ? { platformConfig: c.platformConfig } : {}),
    ...(c.verificationService !== undefined ? { verificationService: c.verificationService } : {}),
  });
}
