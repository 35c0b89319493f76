/**
 * Errors of the Host API: bad input (an io-ts decode error with the field's path, or a value the
 * specification or the architecture does not allow, such as an image that does not fit), an RMI
 * command the RMM refused, a granule protection fault on a Host access, or the Host running out
 * of memory. A Host API call that fails returns one of these and no machine, so the caller's
 * machine is unchanged. Model bugs are not HostErrors: they throw.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { formatValidationErrors, hex } from '@realmspec/core/internal';
import { describeGpf, type MemoryFault } from '@realmspec/memory';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** An argument did not decode: one message per problem, each naming the field's path. */
export interface DecodeError {
  readonly kind: 'decode';
  /** Which argument. */
  readonly what: string;
  /** `path: expected …, got …` lines. */
  readonly errors: readonly string[];
}

/** An argument decoded but breaks a rule of the specification or the architecture. */
export interface InvalidError {
  readonly kind: 'invalid';
  /** Which argument. */
  readonly what: string;
  /** What is wrong, with the numbers involved. */
  readonly message: string;
}

/** The RMM refused an RMI command the Host API issued (DEN0137 B4.4.25 RmiCommandReturnCode). */
export interface RmiError {
  readonly kind: 'rmi';
  /** The command, with its arguments, as a call. */
  readonly call: string;
  /** X0 of the result. */
  readonly x0: bigint;
  /** The status name, e.g. `RMI_ERROR_INPUT`. */
  readonly status: string;
  /** The failure condition that held (catalogue rule id). */
  readonly rule: string | undefined;
}

/** A Host access to memory was refused (Arm ARM D9 granule protection fault). */
export interface HostMemoryError {
  readonly kind: 'memory';
  /** The fault. */
  readonly fault: MemoryFault;
}

/** The Host has no free Non-secure granules left for what it was asked to do. */
export interface OutOfMemoryError {
  readonly kind: 'no-memory';
  /** Granules needed. */
  readonly needed: number;
  /** Granules left. */
  readonly available: number;
}

/** Why a Host API call failed. */
export type HostError = DecodeError | InvalidError | RmiError | HostMemoryError | OutOfMemoryError;

/** The result of a Host API call: an error, or the new machine and the call's result. */
export type HostResult<M, R> = E.Either<HostError, readonly [M, R]>;

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/** A decode error for argument `what` from io-ts errors. */
export function decodeError(what: string, errors: t.Errors): HostError {
  return { kind: 'decode', what, errors: formatValidationErrors(errors) };
}

/** An invalid-argument error. */
export function invalid(what: string, message: string): HostError {
  return { kind: 'invalid', what, message };
}

/** Decodes `u` with `codec`, naming the argument `what` in the error. */
export function decodeWith<A>(codec: t.Decoder<unknown, A>, what: string, u: unknown): E.Either<HostError, A> {
  const r = codec.decode(u);
  return E.isLeft(r) ? E.left(decodeError(what, r.left)) : E.right(r.right);
}

// -------------------------------------------------------------------------------------
// rendering
// -------------------------------------------------------------------------------------

/** One or more lines describing `e` for a person. */
export function describeHostError(e: HostError): string {
  switch (e.kind) {
    case 'decode':
      return `${e.what}: ${e.errors.join('; ')}`;
    case 'invalid':
      return `${e.what}: ${e.message}`;
    case 'rmi':
      return `${e.call} failed: ${e.status}${e.rule === undefined ? '' : ` (${e.rule})`}, X0 = ${hex(e.x0)}`;
    case 'memory':
      return e.fault.kind === 'gpf' ? describeGpf(e.fault) : `access to the RMM's own ${e.fault.state} granule at ${hex(e.fault.pa)}`;
    case 'no-memory':
      return `the Host needs ${e.needed} free granules and has ${e.available}`;
  }
}
