import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources (the "source" export condition), never stale builds;
// tests that spawn the built `realmspec` executable or pack the packages get a fresh build from
// the global setup. REALMSPEC_SPEC_COVERAGE=1 (npm run coverage:spec) also records spec coverage:
// reports/spec-coverage.json.
const specCoverage = process.env.REALMSPEC_SPEC_COVERAGE === '1';
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'proofs/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 180_000,
    // Every test runs the model in checked mode: post-conditions and the frame check after every command.
    setupFiles: ['test/setup/checked.ts', ...(specCoverage ? ['packages/coverage/src/vitest-setup.ts'] : [])],
    globalSetup: ['test/setup/build.ts', ...(specCoverage ? ['packages/coverage/src/vitest-global.ts'] : [])],
  },
});
