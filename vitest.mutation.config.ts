import { defineConfig } from 'vitest/config';

// The test suite as mutation testing runs it: the core package's tests and the cross-package
// ones, with property tests scaled down (REALMSPEC_MUTATION: see packages/core/test/support/runs.ts)
// and no build step (no test here spawns the built executable).
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/core/test/**/*.test.ts', 'test/digest.test.ts', 'test/layers.test.ts'],
    // exports.test.ts reads the sources' doc comments, which Stryker's instrumentation rewrites;
    // it checks the API's shape and documentation, not the model's behaviour.
    exclude: ['packages/core/test/exports.test.ts', '**/node_modules/**'],
    environment: 'node',
    // One module graph for all files: a mutant's covering tests run without re-importing the model per file.
    pool: 'threads',
    isolate: false,
    testTimeout: 60_000,
    setupFiles: ['test/setup/checked.ts'],
    env: { REALMSPEC_MUTATION: '1' },
  },
});
