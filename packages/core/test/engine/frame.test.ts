/**
 * The frame check on measurement slots (DEN0137 C1.16: a Realm's measurements are RIM then
 * REM[0..3]): a footprint naming `Realm(rd).measurements[k]` allows a change to slot k only, one
 * naming `Realm(rd).measurements` allows every slot, and one naming another field allows none.
 */
import { describe, expect, it } from 'vitest';
import type { FootprintItem } from '../../src/catalogue/index.js';
import { parseFootprint } from '../../src/catalogue/footprint.js';
import { frameViolations, showChange, stateChanges } from '../../src/engine/frame.js';
import { withMeasurement } from '../../src/model/realm.js';
import { withRealmRecord } from '../../src/model/state.js';
import { granuleIndex } from '../../src/index.js';
import { R, withRealm } from '../support/fixtures.js';

const RD = granuleIndex(R.rd);
const pre = withRealm();

function item(value: string): FootprintItem {
  const target = parseFootprint(value);
  if (typeof target === 'string') throw new Error(target);
  return { id: 'x', value, origin: 'derived', section: 'C1.16', target, locators: ['rd'] };
}

/** The state with measurement slot `k` of the Realm changed. */
function changed(k: number): typeof pre {
  const realm = pre.realms.get(RD);
  if (realm === undefined) throw new Error('no Realm');
  return withRealmRecord(pre, RD, withMeasurement(realm, k, new Uint8Array(64).fill(0xaa)));
}

const violations = (value: string, k: number): number => frameViolations([item(value)], (n) => (n === 'rd' ? RD : undefined), pre, changed(k)).length;

describe('changes as the frame check names them', () => {
  it('a measurement slot is named with its index (C1.16), another Realm field without one', () => {
    expect(stateChanges(pre, changed(3)).map(showChange)).toEqual([`Realm(${RD}).measurements[3]`]);
    expect(showChange({ kind: 'realm', gi: RD, field: 'state' })).toBe(`Realm(${RD}).state`);
  });
});

describe('frame check: measurement slots', () => {
  it('an indexed footprint allows its slot and no other', () => {
    expect(violations('Realm(rd).measurements[2]', 2)).toBe(0);
    expect(violations('Realm(rd).measurements[2]', 1)).toBe(1);
  });
  it('an unindexed footprint allows every slot', () => {
    expect(violations('Realm(rd).measurements', 0)).toBe(0);
    expect(violations('Realm(rd).measurements', 4)).toBe(0);
  });
  it('a footprint on another Realm field allows no slot', () => {
    expect(violations('Realm(rd).state', 0)).toBe(1);
  });
});
