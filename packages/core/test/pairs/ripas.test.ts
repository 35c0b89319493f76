/**
 * Pairs of failure conditions of RMI_RTT_INIT_RIPAS and RMI_RTT_SET_RIPAS (DEN0137 B4.3.18,
 * B4.3.21) whose answers differ: the INPUT conditions with realm_state (REALM), the REC
 * conditions (REC) and the walk conditions (RTT(walk.level)), and those with each other. See
 * `support.ts`.
 */
import { encodeStruct, RmiRealmParams, RmiRecParams, rmiRecEnter, rmiRttInitRipas, rmiRttSetRipas, runRec, type RmmState } from '../../src/index.js';
import * as E from 'fp-ts/lib/Either.js';
import { G, OUTSIDE, R, delegate, ok, realmParamsFields, recParamsFields, write } from '../support/fixtures.js';
import { T } from '../rtt/support.js';
import { RUN, fid, withEnter } from '../realm/support.js';
import { injectRec, lazy, memo, rdInput, rdRecipes, type RdKnob } from './states.js';
import { pairSpec, pairSuites } from './support.js';
import { ACTIVE, IPA, KB4, MB2, NEW, U } from './rtt-world.js';

// ---- RMI_RTT_INIT_RIPAS ------------------------------------------------------------------

interface InitKnobs {
  realm: 'new' | 'active';
  rd: RdKnob;
  base: bigint;
  top: bigint;
}

/** base 2 MB + 4 KB: the walk stops at the UNASSIGNED level 2 entry at 2 MB, which base is not aligned to. */
const BASE_ALIGN = { base: MB2 + KB4, top: MB2 + 2n * KB4 };
/** base 2 MB, top inside that level 2 entry: walk_top, aligned down to 2 MB, is base. */
const NO_PROGRESS = { base: MB2, top: MB2 + KB4 };
/** base the DATA page: rtte_state, and walk_top is base (the range ends at the first entry that is not UNASSIGNED, erratum E-INIT-RIPAS-STOP). */
const ASSIGNED = { base: IPA.data, top: IPA.data + KB4 };

const init = pairSpec<{ rd: bigint; base: bigint; top: bigint }, InitKnobs>({
  command: rmiRttInitRipas,
  build: (k) => {
    const r = rdInput(k.realm === 'active' ? ACTIVE() : NEW(), k.rd);
    return { s: r.s, input: { rd: r.rd, base: k.base ?? IPA.free, top: k.top ?? IPA.free + KB4 } };
  },
  recipes: {
    ...rdRecipes,
    size_valid: { knobs: { top: IPA.free - KB4 } },
    // top − 4 KB = U: not Protected.
    top_bound: { knobs: { top: U + KB4 } },
    realm_state: { knobs: { realm: 'active' } },
    base_align: { knobs: BASE_ALIGN, index: { base_align: 2 } },
    rtte_state: { knobs: ASSIGNED, brings: ['no_progress'], index: { rtte_state: 3, no_progress: 3 } },
    top_gran_align: { knobs: { top: IPA.free + 0x1800n } },
    no_progress: { knobs: NO_PROGRESS, index: { no_progress: 2 } },
  },
  overrides: {
    // top below base: walk_top (at most top) is not base.
    'size_valid|base_align': { knobs: { base: MB2 + KB4, top: MB2 }, index: { base_align: 2 } },
    'size_valid|rtte_state': { knobs: { base: IPA.data, top: IPA.data - KB4 }, index: { rtte_state: 3 } },
    // top == base: walk_top is base.
    'size_valid|no_progress': { knobs: { base: MB2, top: MB2 }, index: { no_progress: 2 } },
    // The range runs to the level 2 RTT at 4 MB: walk_top is 4 MB, not base.
    'top_bound|base_align': { knobs: { base: MB2 + KB4, top: U + KB4 }, index: { base_align: 2 } },
    'top_bound|rtte_state': { knobs: { base: IPA.data, top: U + KB4 }, brings: ['no_progress'], index: { rtte_state: 3, no_progress: 3 } },
    // walk_top is base where the range stops at once: at the DATA page (E-INIT-RIPAS-STOP), where rtte_state holds too.
    'top_bound|no_progress': { knobs: { base: IPA.data, top: U + KB4 }, brings: ['rtte_state'], index: { rtte_state: 3, no_progress: 3 } },
    'base_align|top_gran_align': { knobs: { base: MB2 + KB4, top: MB2 + 0x2800n }, index: { base_align: 2 } },
    'rtte_state|top_gran_align': { knobs: { base: IPA.data, top: IPA.data + 0x1800n }, brings: ['no_progress'], index: { rtte_state: 3, no_progress: 3 } },
    'top_gran_align|no_progress': { knobs: { base: MB2, top: MB2 + 0x1800n }, index: { no_progress: 2 } },
  },
});

// ---- RMI_RTT_SET_RIPAS -------------------------------------------------------------------

interface SetKnobs {
  rd: RdKnob;
  /** rec_ptr: the REC, unaligned inside it, outside DRAM, a granule that is no REC (an RTT). */
  rec: 'ok' | 'align' | 'bound' | 'gran';
  /** The REC is the world's own, or the REC of a second Realm. */
  owner: 'own' | 'other';
  /** The REC is REC_RUNNING (entered again after the RIPAS change exit). */
  running: boolean;
  /** The base of the RIPAS change the Realm asked for (RAM), and its size. */
  req: bigint;
  span: bigint;
  /** The call's base: req + baseOff, or `base`. */
  baseOff: bigint;
  base: bigint;
  /** The call's top: base + topOff (default 4 KB), or past the request's top. */
  topOff: bigint;
  pastTop: boolean;
}

const RD2 = G(300);
const REC_OF_RD2 = G(303);

/** ACTIVE with a second active Realm (RD2) and its REC. */
const withOther = lazy((): RmmState => {
  let s = delegate(ACTIVE(), RD2, G(301));
  s = write(s, G(302), encodeStruct(RmiRealmParams, realmParamsFields({ rtt_base: G(301), vmid: 2n, s2sz: 38n })));
  s = ok(s, 'RMI_REALM_CREATE', RD2, G(302));
  const aux = Array.from({ length: 16 }, (_, k) => G(320 + k));
  s = delegate(s, REC_OF_RD2, ...aux);
  s = write(s, G(304), encodeStruct(RmiRecParams, recParamsFields(0, aux)));
  s = ok(s, 'RMI_REC_CREATE', RD2, REC_OF_RD2, G(304));
  return ok(s, 'RMI_REALM_ACTIVATE', RD2);
});

/** The REC (own or other) after it asked for RAM on [req, req + span) (RSI_IPA_STATE_SET: a REC exit due to RIPAS change), entered again when `running`. */
const requested = memo((key: string): RmmState => {
  const [owner, running, req, span] = key.split('/');
  const rec = owner === 'other' ? REC_OF_RD2 : R.rec;
  const base = BigInt(req as string);
  let s = runRec(owner === 'other' ? withOther() : ACTIVE(), { rec, run_ptr: RUN }, [{ kind: 'call', regs: [fid('RSI_IPA_STATE_SET'), base, base + BigInt(span as string), 1n, 0n] }]).state;
  if (running === 'true') {
    const r = rmiRecEnter(withEnter(s, RUN, {}), { rec, run_ptr: RUN });
    if (E.isLeft(r)) throw new Error(r.left.rule);
    s = r.right[0];
  }
  return s;
});

function setBuild(k: Partial<SetKnobs>) {
  const req = k.req ?? IPA.free;
  const span = k.span ?? 4n * MB2;
  let s = requested(`${k.owner ?? 'own'}/${k.running === true}/${req}/${span}`);
  const target = k.owner === 'other' ? REC_OF_RD2 : R.rec;
  const base = k.base ?? req + (k.baseOff ?? 0n);
  const top = k.pastTop === true ? req + span + KB4 : base + (k.topOff ?? KB4);
  let rec = k.rec === 'align' ? target + 8n : target;
  if (k.rec === 'bound' || k.rec === 'gran') {
    rec = k.rec === 'bound' ? OUTSIDE : T.l3;
    s = injectRec(s, rec, target);
  }
  const r = rdInput(s, k.rd);
  return { s: r.s, input: { rd: r.rd, rec_ptr: rec, base, top } };
}

/** rec.owner != rd compares rd with the RD's address: every rd_* recipe makes rec_owner hold too. */
const ownerToo = ['rec_owner'];

const set = pairSpec<{ rd: bigint; rec_ptr: bigint; base: bigint; top: bigint }, SetKnobs>({
  command: rmiRttSetRipas,
  build: setBuild,
  recipes: {
    rd_align: { knobs: { rd: 'align' }, brings: ownerToo },
    rd_bound: { knobs: { rd: 'bound' }, brings: ['rd_state', ...ownerToo] },
    rd_state: { knobs: { rd: 'state' }, brings: ownerToo },
    rec_align: { knobs: { rec: 'align' } },
    rec_bound: { knobs: { rec: 'bound' }, brings: ['rec_gran_state'] },
    rec_gran_state: { knobs: { rec: 'gran' } },
    rec_state: { knobs: { running: true } },
    rec_owner: { knobs: { owner: 'other' } },
    // top = base − 4 KB: walk_top (at most top) is not base.
    size_valid: { knobs: { topOff: -KB4 } },
    base_bound: { knobs: { baseOff: KB4 } },
    top_bound: { knobs: { pastTop: true } },
    top_gran_align: { knobs: { topOff: 0x1800n } },
    // The walk stops at the level 2 entry at 2 MB (RIPAS EMPTY, not the RAM asked for), which base is not aligned to.
    base_align: { knobs: { req: MB2 + KB4 }, index: { base_align: 2 } },
    // walk_top, aligned down to 2 MB, is base.
    no_progress: { knobs: { req: MB2 }, index: { no_progress: 2 } },
  },
  overrides: {
    'size_valid|no_progress': { knobs: { req: MB2, topOff: 0n }, index: { no_progress: 2 } },
    // base 2 MB is not where the request stopped (0x8000), and walk_top is base.
    'base_bound|no_progress': { knobs: { base: MB2 }, index: { no_progress: 2 } },
    // A request of 4 KB at 2 MB; top 8 KB past it.
    // walk_top is base where the range stops at once: at the DATA page (E-INIT-RIPAS-STOP), where rtte_state holds too.
    'top_bound|no_progress': { knobs: { req: MB2, span: KB4, topOff: 2n * KB4 }, index: { no_progress: 2 } },
  },
});

pairSuites('RIPAS', [init, set]);
