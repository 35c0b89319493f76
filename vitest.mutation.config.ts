import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

// The test suite as mutation testing runs it: the core package's tests and the cross-package
// ones, with property tests scaled down (REALMSPEC_MUTATION: see test/setup/runs.ts).
export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ['packages/core/test/**/*.test.ts', 'test/**/*.test.ts'],
      exclude: ['test/cli.test.ts', 'test/pack.test.ts', 'test/readme.test.ts'],
      env: { REALMSPEC_MUTATION: '1' },
    },
  }),
);
