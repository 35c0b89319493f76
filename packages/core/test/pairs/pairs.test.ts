/**
 * The pair suites together (issue 8 §4): every command with two failure conditions whose answers
 * differ belongs to exactly one area, whose file has a case or an exclusion for each such pair.
 */
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../src/index.js';
import { AREAS, pairsOf } from './support.js';

describe('pairs of failure conditions', () => {
  it('every command with a pair of conditions whose answers differ belongs to one area', () => {
    const withPairs = catalogue.commands.filter((c) => pairsOf(c).length > 0).map((c) => c.name).sort();
    expect(Object.values(AREAS).flat().sort()).toEqual(withPairs);
  });

  it('enumerates 352 pairs (status or RMI error index differ) in 17 commands', () => {
    const counts = Object.fromEntries(catalogue.commands.map((c) => [c.name, pairsOf(c).length]).filter(([, n]) => n !== 0));
    expect(counts).toEqual({
      RMI_DATA_CREATE: 41,
      RMI_DATA_CREATE_UNKNOWN: 18,
      RMI_DATA_DESTROY: 10,
      RMI_REALM_ACTIVATE: 3,
      RMI_REALM_DESTROY: 3,
      RMI_REC_CREATE: 30,
      RMI_REC_DESTROY: 3,
      RMI_REC_ENTER: 67,
      RMI_RTT_CREATE: 20,
      RMI_RTT_DESTROY: 20,
      RMI_RTT_FOLD: 20,
      RMI_RTT_INIT_RIPAS: 27,
      RMI_RTT_MAP_UNPROTECTED: 18,
      RMI_RTT_SET_RIPAS: 44,
      RMI_RTT_UNMAP_UNPROTECTED: 12,
      RSI_ATTESTATION_TOKEN_CONTINUE: 13,
      PSCI_CPU_ON: 3,
    });
  });
});
