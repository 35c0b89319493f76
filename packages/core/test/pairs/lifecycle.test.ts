/**
 * Pairs of failure conditions of the lifecycle commands (RMI_REALM_ACTIVATE, RMI_REALM_DESTROY,
 * RMI_REC_CREATE, RMI_REC_DESTROY; DEN0137 B4.3.8, B4.3.10, B4.3.12, B4.3.13) whose answers
 * differ: for each, a case where both hold and the permitted failures are those the digest's
 * ordering allows (see `support.ts`).
 */
import { encodeStruct, granuleIndex, makePlatform, initialState, RecState, rmiRealmActivate, rmiRealmDestroy, rmiRecCreate, rmiRecDestroy, RmiRecParams, DEFAULT_FEATURES0, type RmmState } from '../../src/index.js';
import { G, OUTSIDE, R, delegate, ok, recParamsFields, withRealm, withRec, write } from '../support/fixtures.js';
import { WORLD, enter } from '../realm/support.js';
import { injectRec, lazy, memo, rdInput, rdRecipes, type RdKnob } from './states.js';
import { pairSpec, pairSuites } from './support.js';

// ---- RMI_REALM_ACTIVATE, RMI_REALM_DESTROY -----------------------------------------------

interface RealmKnobs {
  rd: RdKnob;
  /** The Realm: in REALM_NEW, activated, or live (it owns a REC). */
  realm: 'new' | 'active' | 'live';
}

const realmBase = memo((k: string): RmmState => {
  const s = withRealm();
  if (k === 'active') return ok(s, 'RMI_REALM_ACTIVATE', R.rd);
  if (k === 'live') return withRec(s, R.rec, 0, R.aux);
  return s;
});

const realmBuild = (k: Partial<RealmKnobs>) => {
  const { s, rd } = rdInput(realmBase(k.realm ?? 'new'), k.rd);
  return { s, input: { rd } };
};

const activate = pairSpec<{ rd: bigint }, RealmKnobs>({
  command: rmiRealmActivate,
  build: realmBuild,
  recipes: { ...rdRecipes, realm_state: { knobs: { realm: 'active' } } },
});

const destroy = pairSpec<{ rd: bigint }, RealmKnobs>({
  command: rmiRealmDestroy,
  build: realmBuild,
  recipes: { ...rdRecipes, realm_live: { knobs: { realm: 'live' } } },
});

// ---- RMI_REC_CREATE ----------------------------------------------------------------------

interface RecCreateKnobs {
  /** params_ptr: the params granule, unaligned, outside DRAM, a delegated granule, or params with a reserved bit set. */
  params: 'ok' | 'align' | 'bound' | 'pas' | 'invalid';
  /** rec: a delegated granule, unaligned, outside DRAM, an undelegated granule. */
  rec: 'ok' | 'align' | 'bound' | 'state';
  rd: RdKnob;
  /** The Realm: REALM_NEW, REALM_ACTIVE, or REALM_NEW with as many RECs as MAX_RECS_ORDER allows. */
  realm: 'new' | 'active' | 'full';
  /** params.mpidr names the next REC index, or another. */
  mpidr: 'ok' | 'other';
  /** params.num_aux is RecAuxCount (16), or 15. */
  numAux: 'ok' | 'short';
  /** The aux granules: delegated, aux[0] unaligned, aux[1] = aux[0], aux[0] undelegated. */
  aux: 'ok' | 'align' | 'alias' | 'state';
}

/** The REC the call creates, its aux granules, and a delegated granule (not Non-secure). */
const NEW_REC = G(200);
const NEW_AUX = Array.from({ length: 16 }, (_, k) => G(208 + k));
const DELEGATED = G(6);

/** A platform whose Realms have at most 2^1 − 1 = 1 REC (RmiFeatureRegister0.MAX_RECS_ORDER = 1, B4.4.6). */
const ONE_REC = makePlatform({ features0: (DEFAULT_FEATURES0 & ~(0xfn << 38n)) | (1n << 38n) });

const recCreateBase = memo((k: string): RmmState => {
  let s = k === 'full' ? withRec(withRealm({}, initialState(ONE_REC)), R.rec, 0, R.aux) : withRealm();
  s = delegate(s, NEW_REC, ...NEW_AUX, DELEGATED);
  return k === 'active' ? ok(s, 'RMI_REALM_ACTIVATE', R.rd) : s;
});

function recCreateBuild(k: Partial<RecCreateKnobs>) {
  let s = recCreateBase(k.realm ?? 'new');
  const index = s.realms.get(granuleIndex(R.rd))?.recIndex ?? 0;
  let aux = k.numAux === 'short' ? NEW_AUX.slice(0, 15) : NEW_AUX;
  if (k.aux === 'align') aux = [(aux[0] as bigint) + 8n, ...aux.slice(1)];
  if (k.aux === 'alias') aux = [aux[0] as bigint, ...aux.slice(0, -1)];
  if (k.aux === 'state') aux = [G(7), ...aux.slice(1)];
  const fields = recParamsFields(k.mpidr === 'other' ? index + 5 : index, aux, k.params === 'invalid' ? { flags: 3n } : {});
  s = write(s, R.recParams, encodeStruct(RmiRecParams, fields));
  const params_ptr = { ok: R.recParams, invalid: R.recParams, align: R.recParams + 8n, bound: OUTSIDE, pas: DELEGATED }[k.params ?? 'ok'];
  const rec = { ok: NEW_REC, align: NEW_REC + 8n, bound: OUTSIDE, state: G(7) }[k.rec ?? 'ok'];
  const r = rdInput(s, k.rd);
  return { s: r.s, input: { rd: r.rd, rec, params_ptr } };
}

const recCreate = pairSpec<{ rd: bigint; rec: bigint; params_ptr: bigint }, RecCreateKnobs>({
  command: rmiRecCreate,
  build: recCreateBuild,
  recipes: {
    // The params cannot be read (unaligned, not delegable, not NS): the conditions on them do not hold.
    params_align: { knobs: { params: 'align' } },
    params_bound: { knobs: { params: 'bound' } },
    params_pas: { knobs: { params: 'pas' } },
    params_valid: { knobs: { params: 'invalid' } },
    rec_align: { knobs: { rec: 'align' } },
    // OUTSIDE is not delegable, and not DELEGATED either.
    rec_bound: { knobs: { rec: 'bound' }, brings: ['rec_state'] },
    rec_state: { knobs: { rec: 'state' } },
    ...rdRecipes,
    realm_state: { knobs: { realm: 'active' } },
    num_recs: { knobs: { realm: 'full' } },
    mpidr_index: { knobs: { mpidr: 'other' } },
    num_aux: { knobs: { numAux: 'short' } },
    aux_align: { knobs: { aux: 'align' } },
    aux_alias: { knobs: { aux: 'alias' } },
    aux_state: { knobs: { aux: 'state' } },
  },
  derived: {
    params_valid: {
      status: 'RMI_ERROR_INPUT',
      reason: 'D-ENCODING: a reserved bit of RmiRecParams set is an invalid encoding (B4.2), a row the spec table lacks; no ordering names it',
    },
  },
});

// ---- RMI_REC_DESTROY ---------------------------------------------------------------------

interface RecDestroyKnobs {
  /** rec_ptr: the REC, unaligned inside it, outside DRAM, a granule that is no REC (an RTT). */
  rec: 'ok' | 'align' | 'bound' | 'gran';
  /** The REC is REC_RUNNING (entered). */
  running: boolean;
}

/** An RTT granule of the fixture world: no REC. */
const NOT_REC = G(9);
const RUNNING = lazy(() => enter(WORLD));

const recDestroy = pairSpec<{ rec_ptr: bigint }, RecDestroyKnobs>({
  command: rmiRecDestroy,
  build: (k) => {
    const s = k.running === true ? RUNNING() : WORLD;
    const state = k.running === true ? RecState.REC_RUNNING : RecState.REC_READY;
    if (k.rec === 'bound') return { s: injectRec(s, OUTSIDE, R.rec, { state }), input: { rec_ptr: OUTSIDE } };
    if (k.rec === 'gran') return { s: injectRec(s, NOT_REC, R.rec, { state }), input: { rec_ptr: NOT_REC } };
    return { s, input: { rec_ptr: k.rec === 'align' ? R.rec + 8n : R.rec } };
  },
  recipes: {
    rec_align: { knobs: { rec: 'align' } },
    rec_bound: { knobs: { rec: 'bound' }, brings: ['rec_gran_state'] },
    rec_gran_state: { knobs: { rec: 'gran' } },
    rec_state: { knobs: { running: true } },
  },
});

pairSuites('lifecycle', [activate, destroy, recCreate, recDestroy]);
