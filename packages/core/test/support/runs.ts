/**
 * Property-test sizes. Mutation testing (`npm run mutation`, REALMSPEC_MUTATION=1) reruns the
 * suite for every mutant, so it runs each property with a hundredth of its runs (at least 3); the
 * seeds stay fixed, so each property still starts from the same cases.
 */

/** `n` runs, or a hundredth of them (at least 3) under mutation testing. */
export function runs(n: number): number {
  return process.env['REALMSPEC_MUTATION'] === '1' ? Math.max(3, Math.ceil(n / 100)) : n;
}

/**
 * A lower bound on how often a property's generator reached its interesting cases: `n`, or −1
 * (no bound) under mutation testing, whose shortened runs need not reach every case.
 */
export function atLeast(n: number): number {
  return process.env['REALMSPEC_MUTATION'] === '1' ? -1 : n;
}
