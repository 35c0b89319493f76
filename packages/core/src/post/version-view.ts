/**
 * Interface version negotiation as a relation (DEN0137 B2, B4.3.23, B5.3.10): which answers to a
 * request for a revision an RMM may give, for any set of supported revisions that contains 1.0.
 * Written from B2's rules, independently of the model's own choice (D-VERSION).
 *
 * @packageDocumentation
 */

/** Interface revision 1.0 (B4.4.9 RmiInterfaceVersion, B5.4.4 RsiInterfaceVersion: major 30:16, minor 15:0). */
export const REVISION_1_0 = 0x1_0000n;

/** Whether `v` is an interface revision: bits 63:31 are MBZ. B2's order is then numeric order. */
export function isRevision(v: bigint): boolean {
  return v >= 0n && v >> 31n === 0n;
}

/**
 * Why an answer (`ok`: the status is success, else ERROR_INPUT; `lower`, `higher` as returned) to
 * a request for revision `req` is not one B2 permits to an RMM whose supported set S contains 1.0
 * (the revision this model checks), or undefined when it is. B2: higher is max S and lower <= higher;
 * a) S has a revision compatible with req: success, lower = req (so req is in S, req <= higher);
 * b) otherwise, some revision of S is below req: failure, lower is the highest such (>= 1.0 when
 *    req > 1.0, since 1.0 is in S); c) otherwise (every revision of S is above req, so req < 1.0):
 *    failure, lower = higher.
 */
export function versionAnswer(req: bigint, ok: boolean, lower: bigint | undefined, higher: bigint | undefined): string | undefined {
  if (lower !== undefined && !isRevision(lower)) return `lower 0x${lower.toString(16)} is not an interface revision (bits 63:31 MBZ)`;
  if (higher !== undefined && !isRevision(higher)) return `higher 0x${higher.toString(16)} is not an interface revision (bits 63:31 MBZ)`;
  if (higher !== undefined && higher < REVISION_1_0) return 'higher is the highest revision the RMM supports, at least 1.0';
  if (lower !== undefined && higher !== undefined && lower > higher) return 'lower is at most higher';
  if (ok) {
    if (!isRevision(req)) return 'success for a request that is no interface revision';
    if (lower !== undefined && lower !== req) return 'on success lower is the requested revision (B2 a)';
    if (higher !== undefined && higher < req) return 'on success the requested revision is supported, so higher is at least it';
    return undefined;
  }
  if (req === REVISION_1_0) return 'a request for 1.0 succeeds: 1.0 is supported';
  if (lower === undefined) return undefined;
  if (req > REVISION_1_0) return lower >= REVISION_1_0 && lower < req ? undefined : 'lower is the highest supported revision below the request, so 1.0 <= lower < req (B2 b)';
  // req < 1.0: case b (some supported revision below req) or case c (lower = higher).
  return lower < req || (higher !== undefined && lower === higher) ? undefined : 'lower is below the request (B2 b) or equal to higher (B2 c)';
}
