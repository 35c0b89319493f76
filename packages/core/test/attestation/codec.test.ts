/**
 * The claim codecs' building blocks (DEN0137 A7.2.3: claim arrays with bounds, such as the one to
 * any number of software components): bounds enforced on decode, values given back on encode.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { arrayOf } from '../../src/attestation/codec.js';

describe('arrayOf', () => {
  const two = arrayOf(t.number, 1, 2);
  it('decodes arrays within the bounds and rejects the others', () => {
    expect(E.isRight(two.decode([1]))).toBe(true);
    expect(E.isRight(two.decode([1, 2]))).toBe(true);
    expect(E.isLeft(two.decode([]))).toBe(true);
    expect(E.isLeft(two.decode([1, 2, 3]))).toBe(true);
    expect(E.isLeft(two.decode('x'))).toBe(true);
  });
  it('encodes an array as its items encode', () => {
    const dates = arrayOf(new t.Type<Date, string, unknown>('date', (u): u is Date => u instanceof Date, (u, c) => (typeof u === 'string' ? t.success(new Date(u)) : t.failure(u, c)), (d) => d.toISOString()), 0, 3);
    expect(dates.encode([new Date(0)])).toEqual(['1970-01-01T00:00:00.000Z']);
    expect(two.encode([3, 4])).toEqual([3, 4]);
  });
});
