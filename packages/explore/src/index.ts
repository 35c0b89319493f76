/**
 * realmspec explore: exhaustive exploration of the model at small scope. A configuration (JSON
 * data) gives the platform, a pool of interchangeable granules, bounds and an action alphabet of
 * RMI commands with small argument domains, including a Realm environment for REC entry. The
 * search visits every reachable state once (modulo renaming of pool granules: 64-bit fingerprints
 * of a canonical form), checks every transition (post-conditions and frame in checked mode,
 * permitted outcomes, a failure changes nothing, invariants) and, from every state, that the Host
 * can tear everything down. It runs in one thread, in worker threads, or as independent shards.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js';
 * import { buildSetup, decodeConfig, search } from '@realmspec/explore';
 * const config = decodeConfig({ name: 'two', pool: { base: '0x80000000', count: 2 }, commands: { RMI_GRANULE_DELEGATE: { addr: '$pool' } } });
 * if (E.isRight(config)) {
 *   const setup = buildSetup(config.right);
 *   if (E.isRight(setup)) search(setup.right).states; // 3: none, one or both delegated (modulo renaming)
 * }
 * ```
 *
 * @packageDocumentation
 */
export { POOL, Scalar, ScalarDomain, StructFields, Payload, InputDomain, EnvCall, EnvAccess, EnvExit, EnvWfx, EnvStep, CommandDomains, ChecksCodec, ConfigCodec, decodeConfig, parseConfig, type Config } from './config.js';
export { buildSetup, product, type Action, type Setup, type SetupWrite } from './alphabet.js';
export { Lanes, fmix32, addValue, bytesHash, valueHash, recordHash } from './hash64.js';
export { Fingerprinter } from './fingerprint.js';
export { FingerprintSet } from './visited.js';
export { checkedStep, prepare, replayAction, type PreparedAction, type StepChecks, type StepResult } from './step.js';
export { teardown, tornDown, type Teardown } from './teardown.js';
export { Expander, Frontier, emptyStats, type ExpandOptions, type LevelStats, type Violation } from './level.js';
export { search, addStats, type Progress, type SearchOptions, type SearchResult } from './engine.js';
export { traceOf, pathLabels } from './trace.js';
export { explore, type ExploreOptions, type Explored } from './parallel.js';
export { ownedBy, type Shard, type WorkerAdopted, type WorkerDone, type WorkerInit, type WorkerLevel, type WorkerRequest, type WorkerRows } from './messages.js';
export { SHARD_FORMAT, ShardFile, writeShard, readShard, mergeShards, type MergedShards } from './shard.js';
