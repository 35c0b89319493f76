/**
 * Post-conditions of RMI_REALM_CREATE, RMI_REALM_ACTIVATE and RMI_REALM_DESTROY (DEN0137
 * B4.3.9.3, B4.3.8.3, B4.3.10.3), written from the spec's success tables; the RIM from
 * `post/measure.ts` (B4.3.9.4).
 *
 * @packageDocumentation
 */
import type { PostDefinition, Transition } from '../engine/post.js';
import { GranuleState } from '../model/granule.js';
import { HashAlgorithm, RealmState, type Realm as RealmRecord } from '../model/realm.js';
import { Ripas, RttEntryState } from '../model/rtt.js';
import { Contents, field, RealmParams, RttsAllProtectedEntriesRipas, RttsAllProtectedEntriesState, RttsAllUnprotectedEntriesState, RttsStateEqual, VmidIsFree } from './lifecycle-view.js';
import { isZeroMeasurement, RimInit } from './measure.js';
import { bytesEqual, gi, Granule, pa, Realm } from './view.js';

type RealmCreateInput = { readonly rd: bigint; readonly params_ptr: bigint };
type RdInput = { readonly rd: bigint };
type NoOutputs = Record<string, never>;
type Create = Transition<RealmCreateInput, NoOutputs>;

/** B4.4.7 RmiHashAlgorithm encodings as the RmmHashAlgorithm they select. */
const HASH_OF_RMI: Readonly<Record<string, HashAlgorithm>> = { '0': HashAlgorithm.SHA_256, '1': HashAlgorithm.SHA_512 };

/** Realm(rd) after the command, and params = RealmParams(params_ptr) (B4.3.9.1.2). */
function created(t: Create): { readonly realm: RealmRecord | undefined; readonly params: ReturnType<typeof RealmParams> } {
  return { realm: Realm(t.post, t.input.rd), params: RealmParams(t.pre, t.input.params_ptr) };
}

/** A check on Realm(rd) after the command and the params: false when there is no Realm. */
function onCreated(p: (realm: RealmRecord, params: ReturnType<typeof RealmParams>, t: Create) => boolean): (t: Create) => boolean {
  return (t) => {
    const { realm, params } = created(t);
    return realm !== undefined && p(realm, params, t);
  };
}

/** B4.4.12: rpv is the Bits512 at offset 0x400 of RmiRealmParams. */
const RPV: readonly [number, number] = [0x400, 0x440];

/** DEN0137 B4.3.9.3: the RD, the Realm's attributes from params, its starting-level RTTs, its RIM and VMID. */
export const realmCreatePost: PostDefinition<RealmCreateInput, NoOutputs> = {
  success: {
    rd_state: (t) => Granule(t.post, t.input.rd).state === GranuleState.RD,
    realm_state: onCreated((r) => r.state === RealmState.REALM_NEW),
    rec_index: onCreated((r) => r.recIndex === 0),
    rtt_base: onCreated((r, p) => pa(r.rttBase) === field(p, 'rtt_base')),
    rtt_state: onCreated((r, _p, t) => RttsStateEqual(t.post, pa(r.rttBase), r.rttNumStart, GranuleState.RTT)),
    rtte_p_states: onCreated((r, _p, t) => RttsAllProtectedEntriesState(t.post, r, RttEntryState.UNASSIGNED)),
    rtte_up_states: onCreated((r, _p, t) => RttsAllUnprotectedEntriesState(t.post, r, RttEntryState.UNASSIGNED_NS)),
    rtte_ripas: onCreated((r, _p, t) => RttsAllProtectedEntriesRipas(t.post, r, Ripas.EMPTY)),
    // B4.4.11: RmiRealmFlags.lpa2 is bit 0.
    lpa2: onCreated((r, p) => r.featLpa2 === ((field(p, 'flags') & 1n) === 1n)),
    ipa_width: onCreated((r, p) => BigInt(r.ipaWidth) === field(p, 's2sz')),
    hash_algo: onCreated((r, p) => HASH_OF_RMI[field(p, 'hash_algo').toString()] === r.hashAlgo),
    // B4.3.9.4: RimInit over the Host's params granule, with the Realm's RHA.
    rim: onCreated((r, _p, t) => {
      const rim = r.measurements[0];
      return rim !== undefined && bytesEqual(rim, RimInit(t.pre.platform.digest, r.hashAlgo, Contents(t.pre, t.input.params_ptr)));
    }),
    rem: onCreated((r) => [1, 2, 3, 4].every((k) => isZeroMeasurement(r.measurements[k]))),
    // B4.4.12: rtt_level_start is an Int64.
    rtt_level: onCreated((r, p) => BigInt(r.rttLevelStart) === BigInt.asIntN(64, field(p, 'rtt_level_start'))),
    rtt_num: onCreated((r, p) => BigInt(r.rttNumStart) === field(p, 'rtt_num_start')),
    vmid: onCreated((r, p) => BigInt(r.vmid) === field(p, 'vmid')),
    rpv: onCreated((r, _p, t) => bytesEqual(r.rpv, Contents(t.pre, t.input.params_ptr).subarray(...RPV))),
    num_recs: onCreated((r) => r.numRecs === 0),
    // Derived (B4.3.9.2 vmid_valid, B4.3.10.3 vmid): the VMID is now in use, by this Realm.
    vmid_used: (t) => {
      const vmid = Number(field(RealmParams(t.pre, t.input.params_ptr), 'vmid'));
      return !VmidIsFree(t.post, vmid) && t.post.vmids.get(vmid) === gi(t.input.rd);
    },
  },
  locate: {
    rd: (t) => gi(t.input.rd),
    // The Realm exists only after the command.
    'Realm(rd).rtt_base': (t) => Realm(t.post, t.input.rd)?.rttBase,
    'Realm(rd).rtt_num_start': (t) => Realm(t.post, t.input.rd)?.rttNumStart,
  },
};

/** DEN0137 B4.3.8.3: the Realm is REALM_ACTIVE. */
export const realmActivatePost: PostDefinition<RdInput, NoOutputs> = {
  success: {
    realm_state: (t) => Realm(t.post, t.input.rd)?.state === RealmState.REALM_ACTIVE,
  },
  locate: { rd: (t) => gi(t.input.rd) },
};

/** DEN0137 B4.3.10.3: with realm the Realm before the command, its RTT granules and RD are DELEGATED and its VMID free. */
export const realmDestroyPost: PostDefinition<RdInput, NoOutputs> = {
  success: {
    rtt_state: (t) => {
      const realm = Realm(t.pre, t.input.rd);
      return realm !== undefined && RttsStateEqual(t.post, pa(realm.rttBase), realm.rttNumStart, GranuleState.DELEGATED);
    },
    rd_state: (t) => Granule(t.post, t.input.rd).state === GranuleState.DELEGATED,
    vmid: (t) => {
      const realm = Realm(t.pre, t.input.rd);
      return realm !== undefined && VmidIsFree(t.post, realm.vmid);
    },
  },
  locate: {
    rd: (t) => gi(t.input.rd),
    // realm is Realm(rd) before the command (B4.3.10.1.2, Before: true).
    'realm.rtt_base': (t) => Realm(t.pre, t.input.rd)?.rttBase,
    'realm.rtt_num_start': (t) => Realm(t.pre, t.input.rd)?.rttNumStart,
  },
};
