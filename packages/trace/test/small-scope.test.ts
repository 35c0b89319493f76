/**
 * A trace on a small-scope platform (header `levelBits` and `measurement`; DECISIONS
 * D-SMALL-SCOPE, D-SYMBOLIC-MEASURE): a Realm with 2 entries per RTT is built, its 2-entry
 * level-3 table filled and folded into an 8K block, and every expectation (written by hand from
 * the geometry: 32K, 16K, 8K and 4K entries at levels 0 to 3) holds.
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { closingLine, parseTrace, runTrace, textReport } from '../src/index.js';

const rmi = (cmd: string, args: string[], expect?: object): object => ({ op: 'rmi', cmd, args, ...(expect !== undefined ? { expect } : {}) });
const ok = (out?: Array<string | null>): object => ({ status: 'RMI_SUCCESS', ...(out !== undefined ? { out } : {}) });

const TRACE = [
  { trace: 'realmspec/1', platform: { levelBits: 1, measurement: 'symbolic' } },
  rmi('RMI_FEATURES', ['0x0'], ok(['0x283fc104114'])),
  ...['0x80000000', '0x80001000', '0x80008000', '0x80009000', '0x8000a000', '0x80010000', '0x80011000'].map((pa) => rmi('RMI_GRANULE_DELEGATE', [pa], ok())),
  { op: 'write', pa: '0x80002000', realmParams: { s2sz: 16, num_bps: 1, num_wps: 1, hash_algo: 'sha256', vmid: 1, rtt_base: '0x80001000', rtt_level_start: '0x0', rtt_num_start: 1 } },
  { op: 'write', pa: '0x80040000', bytes: 'a5'.repeat(4096) },
  rmi('RMI_REALM_CREATE', ['0x80000000', '0x80002000'], ok()),
  rmi('RMI_RTT_CREATE', ['0x80000000', '0x80008000', '0x0', '0x1'], ok()),
  rmi('RMI_RTT_CREATE', ['0x80000000', '0x80009000', '0x0', '0x2'], ok()),
  rmi('RMI_RTT_CREATE', ['0x80000000', '0x8000a000', '0x0', '0x3'], ok()),
  rmi('RMI_DATA_CREATE', ['0x80000000', '0x80010000', '0x0', '0x80040000', '0x1'], ok()),
  rmi('RMI_DATA_CREATE', ['0x80000000', '0x80011000', '0x1000', '0x80040000', '0x1'], ok()),
  rmi('RMI_RTT_FOLD', ['0x80000000', '0x0', '0x3'], ok(['0x8000a000'])),
  // walk_level 2, ASSIGNED, the 8K block at 0x80010000, RIPAS RAM.
  rmi('RMI_RTT_READ_ENTRY', ['0x80000000', '0x1000', '0x3'], ok(['0x2', '0x1', '0x80010000', '0x1'])),
  // 0x2000 is the level-2 entry after the block: UNASSIGNED, EMPTY.
  rmi('RMI_RTT_READ_ENTRY', ['0x80000000', '0x2000', '0x3'], ok(['0x2', '0x0', '0x0', '0x0'])),
  // 0x10000 is beyond the 16-bit IPA space.
  rmi('RMI_RTT_READ_ENTRY', ['0x80000000', '0x10000', '0x3'], { status: 'RMI_ERROR_INPUT' }),
];

describe('a trace with levelBits 1 and symbolic measurements', () => {
  it('replays with every expectation met', () => {
    const t = parseTrace(TRACE.map((l) => JSON.stringify(l)).join('\n'));
    if (E.isLeft(t)) throw new Error(JSON.stringify(t.left));
    expect([t.right.platform.levelBits, t.right.platform.measurement]).toEqual([1, 'symbolic']);
    const r = runTrace(t.right);
    expect(textReport('small', r)).toEqual([]);
    expect(closingLine(r)).toBe('18 passed, 0 failed');
  });
});
