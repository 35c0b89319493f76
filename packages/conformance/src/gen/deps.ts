/**
 * The model and trace names the generator uses, in one place.
 *
 * @packageDocumentation
 */
export { catalogue, DEFAULT_GEOMETRY, RmiRealmParams, RmiRecParams, RmiRecEnter, Gpt, granuleAddr, granuleAt, granuleIndex, GranuleState, RecState, RealmState, RttEntryState, rttLevelSize, rttWalk, decodeFeatures0 } from '@realmspec/core';
export { rttMeta, metaState } from '@realmspec/core/internal';
export type { Geometry, Platform, Realm, Rec, RmmState } from '@realmspec/core';
export type { Step, RealmAction, RealmCall } from '@realmspec/trace';
