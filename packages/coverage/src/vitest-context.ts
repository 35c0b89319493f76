/**
 * What the vitest global setup tells the workers: the folder for their coverage files.
 *
 * @packageDocumentation
 */

/** The key under which the global setup provides the workers' folder (vitest `provide`/`inject`). */
export const DIR_KEY = 'realmspecCoverageDir';

/** The environment variable naming the merged coverage file (default {@link DEFAULT_OUT}). */
export const OUT_ENV = 'REALMSPEC_COVERAGE_OUT';

/** Where the merged coverage file goes by default, relative to the current directory. */
export const DEFAULT_OUT = 'reports/spec-coverage.json';

declare module 'vitest' {
  /** realmspec's entry in vitest's provided context. */
  export interface ProvidedContext {
    /** The folder where each test file's coverage is written. */
    realmspecCoverageDir: string;
  }
}
