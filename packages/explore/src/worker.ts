/**
 * The worker thread of a parallel search: builds the configuration's setup, then expands the
 * level slices the main thread sends, inserting into the shared visited set.
 *
 * @packageDocumentation
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as E from 'fp-ts/lib/Either.js';
import { RuleHits } from '@realmspec/core';
import { buildSetup } from './alphabet.js';
import { emptyStats, Expander, Rows } from './level.js';
import { FingerprintSet } from './visited.js';
import { ownedBy, type WorkerInit, type WorkerRequest } from './messages.js';

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
    if (m.kind === 'done') {
      port.postMessage({ kind: 'hits', hits: hits === undefined ? undefined : { reached: hits.reached, held: hits.held, decided: hits.decided, orderBoth: hits.orderBoth, orderRespected: hits.orderRespected, calls: [...hits.calls] }, fallbacks: ex.fp.fallbacks });
      return;
    }
    const stats = emptyStats();
    const next = new Rows(m.depth + 1, 1024);
    ex.expand(m.rows, m.depth, next, stats);
    const rows = next.view().slice();
    port.postMessage({ kind: 'level', rows, stats }, [rows.buffer]);
  });
}
