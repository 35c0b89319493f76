/**
 * RSI_REALM_CONFIG: the RMM writes the Realm's configuration into a granule of Realm memory
 * (DEN0137 B5.3.9, B5.4 RsiRealmConfig).
 *
 * @packageDocumentation
 */
import { defineCommand } from '../engine/command.js';
import { GRANULE_SIZE } from '../model/bits.js';
import { encodeStruct } from '../model/layout.js';
import type { Realm } from '../model/realm.js';
import { addrIsProtected } from '../model/rtt-walk.js';
import { RsiRealmConfig } from '../model/structs.js';
import { returnToRealm, type RealmCallInput, type RealmOutcome } from '../realm/command.js';
import { RsiStatus } from '../abi/status.js';
import { replaceGranule } from '../realm/memory.js';
import { rsiRealmConfigPost } from '../post/rsi-calls.js';
import { addrEmpty, addressChecked, granuleAligned, memoryContext, unmapped, type CheckedMemoryCtx, type MemoryCtx } from './realm-memory.js';

/** DEN0137 B5.4.5 RsiRealmConfig of `realm`: ipa_width, hash_algo (RsiHashAlgorithm: 0 SHA-256, 1 SHA-512), rpv; every other byte zero. @category RSI */
export function realmConfigBytes(realm: Realm): Uint8Array {
  const rpv = new DataView(realm.rpv.buffer, realm.rpv.byteOffset, realm.rpv.byteLength);
  return encodeStruct(RsiRealmConfig, {
    ipa_width: BigInt(realm.ipaWidth),
    hash_algo: BigInt(realm.hashAlgo),
    rpv: Array.from({ length: 8 }, (_, i) => rpv.getBigUint64(8 * i, true)),
  });
}

/**
 * DEN0137 B5.3.9 RSI_REALM_CONFIG: the granule at IPA `addr` receives the Realm's RsiRealmConfig
 * (the whole 4 KB structure: its reserved bytes are zero).
 * @category RSI
 */
export const rsiRealmConfig = defineCommand<RealmCallInput, MemoryCtx, RealmOutcome, CheckedMemoryCtx>({
  name: 'RSI_REALM_CONFIG',
  context: memoryContext('addr', BigInt(GRANULE_SIZE)),
  failures: {
    addr_align: (c) => !granuleAligned(c),
    // addr is not a Protected IPA.
    addr_bound: (c) => !addrIsProtected(c.realm, c.addr),
    // Derived (D-RSI-MEM): the RIPAS of addr is EMPTY; the structure cannot be written.
    addr_empty: addrEmpty,
  },
  checked: addressChecked,
  apply: (c) => {
    const t = c.target;
    // Not mapped: a REC exit due to Data Abort; the Realm calls again after re-entry (D-RSI-MEM).
    if (t.kind === 'unmapped') return [c.s, unmapped(c, t)];
    return [replaceGranule(c.s, t.gi, realmConfigBytes(c.realm)), returnToRealm(RsiStatus.RSI_SUCCESS)];
  },
  post: rsiRealmConfigPost,
});
