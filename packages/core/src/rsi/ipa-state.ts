/**
 * RSI_IPA_STATE_SET and RSI_IPA_STATE_GET: the Realm asks the Host to change the RIPAS of a
 * range of Protected IPAs, and reads the RIPAS of a range (DEN0137 B5.3.6, B5.3.5, A5.4).
 *
 * @packageDocumentation
 */
import { defineCommand } from '../engine/command.js';
import { isGranuleAligned } from '../model/bits.js';
import type { Realm } from '../model/realm.js';
import { updateRec } from '../model/rec.js';
import { metaRipas, metaState, Ripas, rttEntries, rttLevelSize, rttMeta, RttEntryState } from '../model/rtt.js';
import { addrIsProtected, alignDownToRttLevel, ipaSpaceTop } from '../model/rtt-walk.js';
import { withRec } from '../model/state.js';
import { arg, realmContext, returnToRealm, type RealmCallInput, type RealmCallCtx, type RealmOutcome } from '../realm/command.js';
import { RsiStatus } from '../abi/status.js';
import { walkIpa } from '../realm/memory.js';
import { rsiIpaStateGetPost, rsiIpaStateSetPost } from '../post/rsi.js';

// -------------------------------------------------------------------------------------
// shared
// -------------------------------------------------------------------------------------

/**
 * DEN0137 B3.6 AddrRangeIsProtected(base, top, realm): base and top − 1 are Protected IPAs and
 * 0 < top − base < 2^ipa_width.
 * @category RSI
 */
export function addrRangeIsProtected(realm: Realm, base: bigint, top: bigint): boolean {
  const size = top - base;
  return addrIsProtected(realm, base) && size > 0n && size < BigInt(ipaSpaceTop(realm)) && addrIsProtected(realm, top - 1n);
}

const base = (c: RealmCallCtx): bigint => arg(c, 'base');
const top = (c: RealmCallCtx): bigint => arg(c, 'top');

// -------------------------------------------------------------------------------------
// RSI_IPA_STATE_SET
// -------------------------------------------------------------------------------------

/** RsiRipasChangeFlags.destroyed (DEN0137 B5.4.7): bit 0; bits 63:1 SBZ. */
const CHANGE_DESTROYED = 1n;

/**
 * DEN0137 B5.3.6 RSI_IPA_STATE_SET: records the RIPAS change request [base, top) → ripas in
 * the REC (ripas_addr = base, ripas_top = top, ripas_value, ripas_destroyed) and makes a REC
 * exit due to RIPAS change. new_base and response reach the Realm on the next REC entry.
 * @category RSI
 */
export const rsiIpaStateSet = defineCommand<RealmCallInput, RealmCallCtx, RealmOutcome>({
  name: 'RSI_IPA_STATE_SET',
  context: realmContext,
  failures: {
    base_align: (c) => !isGranuleAligned(base(c)),
    top_align: (c) => !isGranuleAligned(top(c)),
    size_valid: (c) => top(c) <= base(c),
    rgn_bound: (c) => !addrRangeIsProtected(c.realm, base(c), top(c)),
    // ripas[7:0] is neither RSI_EMPTY (0) nor RSI_RAM (1).
    ripas_valid: (c) => {
      const r = arg(c, 'ripas') & 0xffn;
      return r !== BigInt(Ripas.EMPTY) && r !== BigInt(Ripas.RAM);
    },
    // D-ENCODING (B5.2): flags bits 63:1 and ripas bits 63:8 are SBZ.
    flags_valid: (c) => (arg(c, 'flags') & ~CHANGE_DESTROYED) !== 0n || arg(c, 'ripas') >> 8n !== 0n,
  },
  // new_base and response are established by the next REC entry (catalogue establishedBy).
  apply: (c) => {
    const value = Number(arg(c, 'ripas'));
    const rec = updateRec(c.rec, {
      ripasAddr: base(c),
      ripasTop: top(c),
      ripasValue: value,
      ripasDestroyed: (arg(c, 'flags') & CHANGE_DESTROYED) !== 0n,
    });
    return [withRec(c.s, c.recGi, rec), { kind: 'exit', cause: { kind: 'ripas_change', base: base(c), top: top(c), value } }];
  },
  post: rsiIpaStateSetPost,
});

// -------------------------------------------------------------------------------------
// RSI_IPA_STATE_GET
// -------------------------------------------------------------------------------------

/**
 * DEN0137 B5.3.5 RSI_IPA_STATE_GET: the RIPAS at `base`, and out_top with base < out_top ≤ top
 * such that all of [base, out_top) has that RIPAS.
 * @category RSI
 */
export const rsiIpaStateGet = defineCommand<RealmCallInput, RealmCallCtx, RealmOutcome>({
  name: 'RSI_IPA_STATE_GET',
  context: realmContext,
  failures: {
    base_align: (c) => !isGranuleAligned(base(c)),
    end_align: (c) => !isGranuleAligned(top(c)),
    size_valid: (c) => top(c) <= base(c),
    rgn_bound: (c) => !addrRangeIsProtected(c.realm, base(c), top(c)),
  },
  apply: (c) => {
    // DECISION D-IPA-STATE-GET: out_top is found as TF-RMM does: scan the entries of the one RTT
    // that RttWalk(base, 3) reaches, from base's entry, until the RIPAS changes, a TABLE entry,
    // the end of that RTT, or top. The spec only bounds out_top (base < out_top ≤ top).
    const w = walkIpa(c.s, c.realm, Number(base(c)));
    const t = w.table;
    const g = c.s.platform.geometry;
    const size = rttLevelSize(g, w.level);
    const end = Number(top(c));
    const ripas = metaRipas(rttMeta(t, w.index));
    let addr = alignDownToRttLevel(g, Number(base(c)), w.level) + size;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent; `addr < end` only stops the scan early, out_top is min(addr, end).
    for (let i = w.index + 1; i < rttEntries(g, t.level) && addr < end; i++) {
      const m = rttMeta(t, i);
      if (metaState(m) === RttEntryState.TABLE || metaRipas(m) !== ripas) break;
      addr += size;
    }
    const outTop = BigInt(Math.min(addr, end));
    return [c.s, returnToRealm(RsiStatus.RSI_SUCCESS, { out_top: outTop, ripas: BigInt(ripas) })];
  },
  post: rsiIpaStateGetPost,
});
