/**
 * External configuration of the emulated HES (for example from a CLI flag or a trace header),
 * decoded with io-ts: bad input gives a Left listing each offending field, never an exception.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { PlatformLifecycle, formatValidationErrors, isPlatformLifecycle } from '@realmspec/core';

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

/** Bytes written as hex (optional `0x`, even number of digits), `min`..`max` bytes long. */
export function hexBytes(min: number, max: number): t.Type<Uint8Array, string, unknown> {
  const what = `hex text of ${min}..${max} bytes`;
  return new t.Type<Uint8Array, string, unknown>(
    'HexBytes',
    (u): u is Uint8Array => u instanceof Uint8Array && u.length >= min && u.length <= max,
    (u, c) => {
      if (typeof u !== 'string') return t.failure(u, c, what);
      const digits = u.startsWith('0x') || u.startsWith('0X') ? u.slice(2) : u;
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) return t.failure(u, c, `${what} (an even number of hex digits)`);
      const n = digits.length / 2;
      return n < min || n > max ? t.failure(u, c, what) : t.success(new Uint8Array(Buffer.from(digits, 'hex')));
    },
    (b) => Buffer.from(b).toString('hex'),
  );
}

type LifecycleName = keyof typeof PlatformLifecycle;
const lifecycleNames = Object.keys(PlatformLifecycle) as LifecycleName[];

/** A lifecycle claim value, as a number or a {@link PlatformLifecycle} name such as `"SECURED"`. */
export const LifecycleCodec = new t.Type<number, number, unknown>(
  'Lifecycle',
  (u): u is number => typeof u === 'number' && isPlatformLifecycle(u),
  (u, c) => {
    if (typeof u === 'number') return isPlatformLifecycle(u) ? t.success(u) : t.failure(u, c, 'a lifecycle value 0x0000..0x60ff with bits 11:8 zero');
    if (typeof u === 'string' && (lifecycleNames as string[]).includes(u)) return t.success(PlatformLifecycle[u as LifecycleName]);
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

const allowed = new Set(['seed', 'lifecycle', 'platformConfig', 'verificationService']);

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
