/**
 * The exploration engine: configuration errors name their field; one thread, two worker threads
 * and two shards merged count the same; a violation comes back as a shortest counterexample
 * trace that `realmspec replay` runs with every expectation met.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { run } from '../../cli/src/cli.js';
import { buildSetup, decodeConfig, explore, mergeShards, readShard, search, traceOf, writeShard, type Setup, type ShardFile } from '../src/index.js';

const lifecycle = JSON.parse(readFileSync(new URL('../../../proofs/configs/lifecycle-4.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const setupOf = (u: unknown): Setup => E.getOrElseW((e: string[]): Setup => { throw new Error(e.join('\n')); })(E.chain(buildSetup)(decodeConfig(u)));

describe('configurations', () => {
  it('errors name the field', () => {
    const bad = decodeConfig({ name: 'x', pool: { base: '0x80000000', count: 0 }, commands: { RMI_NOPE: {}, RMI_GRANULE_DELEGATE: { adr: '$pool' } } });
    expect(E.isLeft(bad) && bad.left.join('\n')).toMatch(/pool\.count/);
    const bad2 = decodeConfig({ name: 'x', pool: { base: '0x80000000', count: 2 }, commands: { RMI_NOPE: {}, RMI_GRANULE_DELEGATE: { adr: '$pool' } } });
    expect(E.isLeft(bad2) && bad2.left).toEqual(['commands.RMI_NOPE: not an RMI command of the catalogue', 'commands.RMI_GRANULE_DELEGATE.adr: not an input of RMI_GRANULE_DELEGATE (inputs: addr)']);
  });

  it('with symmetry, a pool granule named by value is refused', () => {
    const c = decodeConfig({ name: 'x', pool: { base: '0x80000000', count: 2 }, commands: { RMI_GRANULE_DELEGATE: { addr: ['$pool', '0x80001000'] } } });
    const s = E.chain(buildSetup)(c);
    expect(E.isLeft(s) && s.left[0]).toMatch(/commands\.RMI_GRANULE_DELEGATE\.addr: names pool granule 0x80001000 by value/);
  });
});

describe('parallel and sharded search agree with one thread', () => {
  const setup = setupOf({ ...lifecycle, symmetry: false });
  const key = (r: { states: number; transitions: number; successes: number; depth: number; levels: readonly number[] }): unknown => [r.states, r.transitions, r.successes, r.depth, r.levels];

  it('1 thread, 2 workers, 2 shards + merge: the same counts (256 states)', async () => {
    const one = search(setup);
    const two = (await explore(setup, { workers: 2 })).result;
    expect(key(two)).toEqual(key(one));
    expect(two.hits?.reached).toEqual(one.hits?.reached);
    const dir = mkdtempSync(join(tmpdir(), 'realmspec-explore-'));
    const files = [0, 1].map((index) => join(dir, `s${index}.json`));
    for (const [index, f] of files.entries()) writeShard(f, await explore(setup, { shard: { index, count: 2 } }));
    const merged = mergeShards(files.map((f) => (readShard(f) as E.Right<ShardFile>).right));
    expect(E.isRight(merged) && key(merged.right.result)).toEqual(key(one));
    expect(E.isRight(merged) && merged.right.result.owned).toBe(256);
    // A missing shard is refused.
    expect(E.isLeft(mergeShards([(readShard(files[0] as string) as E.Right<ShardFile>).right]))).toBe(true);
  });
});

describe('counterexamples', () => {
  it('a violated property gives a shortest path, and its trace replays with every expectation met', async () => {
    const setup = setupOf(lifecycle);
    const r = search(setup, { property: (s) => (s.recs.size > 0 ? 'a REC exists' : undefined) });
    // Shortest: delegate RD, RTT, REC and aux granules, create the Realm, create the REC.
    expect(r.violation?.check).toBe('property');
    expect(r.violation?.path.length).toBe(6);
    const dir = mkdtempSync(join(tmpdir(), 'realmspec-explore-'));
    const file = join(dir, 'cex.jsonl');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, traceOf(setup, r.violation?.path ?? [], r.violation));
    const replayed = await run(['replay', file]);
    expect(replayed.code).toBe(0);
    expect(replayed.out.at(-1)).toMatch(/: 6 passed, 0 failed$/);
  });

  it('realmspec explore writes the summary and exits 0 without a violation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'realmspec-explore-'));
    const cfg = join(dir, 'c.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(cfg, JSON.stringify(lifecycle));
    const out = await run(['explore', cfg, '--json', '--coverage-out', join(dir, 'cov.json')]);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.out[0] as string)).toMatchObject({ config: 'lifecycle-4', states: 19, depth: 10, bounded: false });
    expect((await run(['explore', cfg, '--workers', 'two'])).code).toBe(2);
  });
});
