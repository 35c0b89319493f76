/**
 * The worker thread of a parallel search: builds the configuration's setup, then keeps its share
 * of each level (states, not paths) and expands it when the main thread asks, inserting into the
 * shared visited set; states move between workers as paths when the main thread rebalances.
 *
 * @packageDocumentation
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as E from 'fp-ts/lib/Either.js';
import { RuleHits } from '@realmspec/core';
import { buildSetup } from './alphabet.js';
import { emptyStats, Expander, Frontier } from './level.js';
import { FingerprintSet } from './visited.js';
import { ownedBy, type WorkerAdopted, type WorkerDone, type WorkerInit, type WorkerLevel, type WorkerRequest, type WorkerRows } from './messages.js';

if (parentPort !== null) {
  const port = parentPort;
  const init = workerData as WorkerInit;
  const setup = buildSetup(init.config);
  if (E.isLeft(setup)) throw new Error(setup.left.join('\n'));
  const counter = new Int32Array(init.counter);
  const visited = new FingerprintSet(init.visited);
  const hits = init.coverage ? new RuleHits() : undefined;
  const ex = new Expander(setup.right, visited, { checks: init.config.checks, hits, maxStates: init.maxStates, total: () => Atomics.load(counter, 0), onInsert: () => Atomics.add(counter, 0, 1), ...(init.shard !== undefined ? { owns: ownedBy(init.shard) } : {}) });
  port.on('message', (m: WorkerRequest) => {
    switch (m.kind) {
      case 'done': {
        const answer: WorkerDone = { kind: 'hits', hits: hits === undefined ? undefined : { reached: hits.reached, held: hits.held, decided: hits.decided, orderBoth: hits.orderBoth, orderRespected: hits.orderRespected, calls: [...hits.calls] }, fallbacks: ex.fp.fallbacks };
        port.postMessage(answer);
        return;
      }
      case 'adopt': {
        ex.receive(m.rows, m.depth, m.count);
        const answer: WorkerAdopted = { kind: 'adopted', count: ex.current.count };
        port.postMessage(answer);
        return;
      }
      case 'give': {
        const rows = ex.depth < 0 ? new Uint16Array(0) : ex.give(m.count);
        const answer: WorkerRows = { kind: 'rows', rows, count: ex.depth <= 0 ? 0 : rows.length / ex.depth };
        port.postMessage(answer, [rows.buffer as ArrayBuffer]);
        return;
      }
      case 'expand': {
        const stats = emptyStats();
        const next = new Frontier();
        // A worker with no share of this level has nothing to expand (an adopt starts its next one).
        if (ex.depth === m.depth) {
          const level = ex.current;
          ex.expand(level, m.depth, 0, level.count, next, stats);
          ex.advance(next);
        }
        const answer: WorkerLevel = { kind: 'level', count: next.count, stats };
        port.postMessage(answer);
        return;
      }
    }
  });
}
