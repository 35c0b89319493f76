// Mutation testing of the core model (`npm run mutation`; opt-in, not in CI). Incremental: a
// rerun only tests mutants whose code or covering tests changed (reports/stryker-incremental.json).
// Equivalent mutants are marked where they occur, each with its argument, by
// `// Stryker disable next-line <Mutator>: equivalent; <why>` (Stryker reports them as ignored);
// `grep -rn "Stryker disable" packages/core/src` lists them. They are:
// - engine/command.ts permittedFailures `?? []`: precedes has one set per failure row;
// - post/data.ts entry_idx `?.`: evaluated on successes only, where the walk exists;
// - relation/judge.ts `index !== undefined`: without an index every failure matches the index;
// - abi/smc.ts the "did not produce output" guard: a model-bug check that no command reaches;
// - engine/command.ts exitRow `holds`: rows held at exit are never in the ordered check;
// - post/rec.ts gpr `i === 31`: only index 31 is ever beyond the 31 registers the model keeps;
// - fast paths whose slow path gives the same answer: model/bits.ts isGranuleAligned below 2^53,
//   model/platform.ts initialGpt without ranges, rsi/ipa-state.ts's early end of the scan;
// - post/rec-enter.ts the field-name regex's `$`, model/rtt-walk.ts one step past a chunk, and
//   post/rsi-calls.ts lenOf's guards (see the comments there).
// The test runs share one module graph (vitest.mutation.config.ts), so a mutant in code that runs
// once and is cached survives falsely: `node bench/mutation-recheck.mjs REPORT` re-runs survivors
// with module isolation (npm run mutation:sample does so itself).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: ['packages/core/src/**/*.ts', '!packages/core/src/index.ts'],
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  ignoreStatic: true,
  // String literals in the core are messages and doc texts. The strings that carry behaviour
  // (command names, catalogue labels, footprint locators) are looked up in the catalogue when the
  // module loads, so a mutant of one fails every test at once; mutating the rest only tests the
  // wording of error messages.
  mutator: { excludedMutations: ['StringLiteral'] },
  concurrency: 2,
  timeoutMS: 60000,
  dryRunTimeoutMinutes: 45,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
