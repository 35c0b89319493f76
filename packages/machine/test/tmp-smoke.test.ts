import { it, expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { bootMachine } from '../src/boot.js';
import { launchRealm } from '../src/launch.js';
import { makeArm64Image } from '../src/kernel.js';
import { describeStep } from '../src/steps.js';
import { describeHostError } from '../src/errors.js';

it('smoke', () => {
  const b = bootMachine();
  if (E.isLeft(b)) throw new Error(describeHostError(b.left));
  const [m, boot] = b.right;
  boot.steps.forEach((s) => console.log(describeStep(s)));
  const kernel = makeArm64Image(new Uint8Array(10000).fill(7));
  const t0 = performance.now();
  const r = launchRealm(m, { kernel, initrd: new Uint8Array(5000).fill(9), recs: 2 });
  console.log('ms', performance.now() - t0);
  if (E.isLeft(r)) throw new Error(describeHostError(r.left));
  const [, rep] = r.right;
  rep.steps.forEach((s) => console.log(describeStep(s)));
  console.log(rep.divergences, rep.checks, Buffer.from(rep.rim).toString('hex'));
  expect(rep.divergences).toEqual([]);
});
