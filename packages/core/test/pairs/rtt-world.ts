/**
 * The world of the RTT, DATA and RIPAS pair cases, built through commands: a Realm with a 38-bit
 * IPA space (starting level 1, one starting RTT, which covers 2^39: IPAs in [2^38, 2^39) fail
 * ipa_bound while the walk still reaches them), level 2 and 3 RTTs at 0 and at the first
 * Unprotected IPA, a DATA page, RAM entries, Unprotected mappings and a REC. Expected values in
 * the tests are written from the digest; this only builds states.
 */
import { granuleIndex, type RmmState } from '../../src/index.js';
import { updateRealm, updateState } from '../../src/internal.js';
import { G, R, delegate, ok, withRealm, withRec } from '../support/fixtures.js';
import { DATA, GB, KB4, MB2, SRC, T, withData, withSources } from '../rtt/support.js';
import { lazy } from './states.js';

export { GB, KB4, MB2 };

/** First Unprotected IPA (2^37) and the end of the IPA space (2^38). */
export const U = 1n << 37n;
export const TOP = 1n << 38n;

/** A level 3 RTT at 4 MB whose entries are all UNASSIGNED, RIPAS EMPTY: homogeneous. */
export const FOLDABLE = G(14);
/** The DATA granule mapped at IPA.data, and a DELEGATED granule for DATA_CREATE. */
export const MAPPED = DATA[0] as bigint;
export const FREE_DATA = DATA[1] as bigint;

/** IPAs of the world, by what the walk to level 3 finds there. */
export const IPA = {
  /** ASSIGNED page (MAPPED), RIPAS RAM. */
  data: 0x2000n,
  /** UNASSIGNED, RIPAS EMPTY, at level 3. */
  free: 0x8000n,
  /** UNASSIGNED, RIPAS RAM at level 3: [ram, ram + 16 KB). */
  ram: 0x4000n,
  /** No level 3 RTT: the walk stops at an UNASSIGNED level 2 entry. */
  noL3: MB2,
  /** No level 2 RTT: the walk stops at an UNASSIGNED level 1 entry. */
  noL2: GB,
  /** The homogeneous level 3 RTT FOLDABLE. */
  foldable: 2n * MB2,
  /** UNASSIGNED_NS at level 3. */
  ns: U + 0x3000n,
  /** ASSIGNED_NS page at level 3. */
  nsPage: U + KB4,
  /** ASSIGNED_NS block at level 2. */
  nsBlock: U + MB2,
  /** No level 3 RTT: UNASSIGNED_NS at level 2. */
  nsNoL3: U + 2n * MB2,
  /** No level 2 RTT: UNASSIGNED_NS at level 1. */
  nsNoL2: U + GB,
  /** Beyond the IPA space, inside the starting RTT: UNASSIGNED_NS at level 1. */
  beyond: TOP,
} as const;

/** A Host descriptor for RMI_RTT_MAP_UNPROTECTED: output address `oa`, MemAttr 0b101, S2AP read/write. */
export const nsDesc = (oa: bigint): bigint => oa | (5n << 2n) | (3n << 6n);

/** The world with its Realm in REALM_NEW. */
export const NEW = lazy((): RmmState => {
  let s = withSources(withRealm({ s2sz: 38n }));
  s = delegate(s, T.l2, T.l3, T.nl2, T.nl3, FOLDABLE, T.spare);
  s = ok(s, 'RMI_RTT_CREATE', R.rd, T.l2, 0n, 2n);
  s = ok(s, 'RMI_RTT_CREATE', R.rd, T.l3, 0n, 3n);
  s = ok(s, 'RMI_RTT_CREATE', R.rd, FOLDABLE, IPA.foldable, 3n);
  s = ok(s, 'RMI_RTT_CREATE', R.rd, T.nl2, U, 2n);
  s = ok(s, 'RMI_RTT_CREATE', R.rd, T.nl3, U, 3n);
  s = withData(s, IPA.data, MAPPED, SRC);
  s = ok(s, 'RMI_RTT_INIT_RIPAS', R.rd, IPA.ram, IPA.ram + 4n * KB4);
  s = ok(s, 'RMI_RTT_MAP_UNPROTECTED', R.rd, IPA.nsPage, 3n, nsDesc(0x8800_0000n));
  s = ok(s, 'RMI_RTT_MAP_UNPROTECTED', R.rd, IPA.nsBlock, 2n, nsDesc(0x9000_0000n));
  return delegate(withRec(s, R.rec, 0, R.aux), FREE_DATA);
});

/** The world, activated. */
export const ACTIVE = lazy((): RmmState => ok(NEW(), 'RMI_REALM_ACTIVATE', R.rd));

/**
 * `s` with the Realm's IPA width narrowed to 37 bits, so that the Unprotected RTTs at U (TABLE
 * entries) lie beyond the IPA space: ipa_bound then holds together with a condition on a TABLE
 * entry, for the well-formedness ordering `[ipa_bound] < [rtt_walk, rtte_state]` (D-WELLFORMED;
 * no command creates an RTT beyond the IPA space).
 */
export function narrowed(s: RmmState): RmmState {
  const gi = granuleIndex(R.rd);
  return updateState(s, { realms: s.realms.set(gi, updateRealm(s.realms.get(gi)!, { ipaWidth: 37 })) });
}
