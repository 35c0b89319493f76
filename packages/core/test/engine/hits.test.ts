/**
 * What RuleHits counts for failure conditions and orderings (the coverage points): a reported
 * failure is reached, held and decided; a condition that holds behind it is held only; an
 * ordering pair whose two conditions hold together is counted, and respected by the outcome.
 */
import { describe, expect, it } from 'vitest';
import { catalogue, encodeStruct, initialState, RmiRecEnter, RuleHits, rmiGranuleDelegate, rmiRealmActivate, rmiRecEnter } from '../../src/index.js';
import { setRecording, takeCallerHits } from '../../src/internal.js';
import { G, OUTSIDE, write } from '../support/fixtures.js';

const rule = (id: string) => catalogue.byId.get(id)!;
const counts = (h: RuleHits, id: string) => [h.reached[rule(id).n], h.held[rule(id).n], h.decided[rule(id).n]];

describe('RuleHits for failure conditions', () => {
  it('a reported failure is reached, held and decided; the ones before it are reached only', () => {
    const h = new RuleHits();
    // An unaligned address inside DRAM: gran_align holds (B4.3.5.2), nothing after it is reached.
    rmiGranuleDelegate(initialState(), { addr: G(1) + 8n }, h);
    expect(counts(h, 'RMI_GRANULE_DELEGATE/gran_align')).toEqual([1, 1, 1]);
    expect(counts(h, 'RMI_GRANULE_DELEGATE/gran_bound')).toEqual([0, 0, 0]);
  });

  it('a condition that holds behind the reported one is counted as held, not reached or decided', () => {
    const h = new RuleHits();
    // Outside DRAM and unaligned: gran_align is reported; gran_bound also holds.
    rmiGranuleDelegate(initialState(), { addr: OUTSIDE + 8n }, h);
    expect(counts(h, 'RMI_GRANULE_DELEGATE/gran_align')).toEqual([1, 1, 1]);
    expect(counts(h, 'RMI_GRANULE_DELEGATE/gran_bound')).toEqual([0, 1, 0]);
  });

  it('an ordering pair is counted only when both of its conditions hold (B4.3.8.2.1: [rd_bound, rd_state] < [realm_state])', () => {
    const h = new RuleHits();
    // rd is a delegable granule that is not an RD: rd_state holds; Realm(rd) does not exist, so realm_state does not.
    rmiRealmActivate(initialState(), { rd: G(5) }, h);
    const pair = catalogue.orderings.find((o) => o.id === 'RMI_REALM_ACTIVATE/order/rd_state<realm_state')!;
    expect([h.orderBoth[pair.n], h.orderRespected[pair.n]]).toEqual([0, 0]);
    expect(counts(h, 'RMI_REALM_ACTIVATE/rd_state')).toEqual([1, 1, 1]);
  });

  it('an ordering pair whose conditions hold together is counted, and respected (B4.3.14.2.1: [rec_gran_state] < [rec_gicv3])', () => {
    const h = new RuleHits();
    // rec is an undelegated granule (rec_gran_state); the run granule asks for every ICH_HCR_EL2 bit (rec_gicv3, A6.1).
    const s = write(initialState(), G(6), encodeStruct(RmiRecEnter, { gicv3_hcr: 0xffff_ffffn }));
    rmiRecEnter(s, { rec: G(5), run_ptr: G(6) }, h);
    const pair = catalogue.orderings.find((o) => o.id === 'RMI_REC_ENTER/order/rec_gran_state<rec_gicv3')!;
    expect(counts(h, 'RMI_REC_ENTER/rec_gicv3')).toEqual([0, 1, 0]);
    expect([h.orderBoth[pair.n], h.orderRespected[pair.n]]).toEqual([1, 1]);
  });
});

describe('recording (setRecording)', () => {
  it('counts calls made without hits into the recorder, and stops when cleared', () => {
    const rec = new RuleHits();
    const was = setRecording(rec);
    try {
      rmiGranuleDelegate(initialState(), { addr: G(1) + 8n });
    } finally {
      setRecording(was);
    }
    rmiGranuleDelegate(initialState(), { addr: G(1) + 8n });
    expect(counts(rec, 'RMI_GRANULE_DELEGATE/gran_align')).toEqual([1, 1, 1]);
    expect(rec.calls.get('RMI_GRANULE_DELEGATE')).toBe(1);
  });

  it('remembers the hits callers pass themselves while it records (takeCallerHits), once each', () => {
    const rec = new RuleHits();
    const mine = new RuleHits();
    const was = setRecording(rec);
    // Hits of an enclosing recorder (a coverage run of this suite) are handed to it, not lost.
    const earlier = takeCallerHits();
    try {
      rmiGranuleDelegate(initialState(), { addr: G(1) + 8n }, mine);
      rmiGranuleDelegate(initialState(), { addr: G(2) + 8n }, mine);
      rmiGranuleDelegate(initialState(), { addr: G(3) + 8n }, rec);
      expect(takeCallerHits()).toEqual([mine]);
      expect(takeCallerHits()).toEqual([]);
      expect(counts(mine, 'RMI_GRANULE_DELEGATE/gran_align')).toEqual([2, 2, 2]);
      expect(counts(rec, 'RMI_GRANULE_DELEGATE/gran_align')).toEqual([1, 1, 1]);
    } finally {
      setRecording(was);
      for (const h of earlier) was?.merge(h);
    }
    rmiGranuleDelegate(initialState(), { addr: G(1) + 8n }, mine);
    if (was === undefined) expect(takeCallerHits()).toEqual([]);
  });
});
