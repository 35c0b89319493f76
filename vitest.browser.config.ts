import { defineConfig } from 'vitest/config';

// `npm run test:browser`: tests that drive a real browser (headless Chromium), kept out of `npm test`.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/test/browser/**/*.browser.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
  },
});
