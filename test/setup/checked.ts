// Vitest setup: the model runs in checked mode in every test file, so that every success
// condition and the frame check are evaluated after every command (and a violation fails the test).
// A relative import, so that a sandbox copy of the repository (mutation testing) sets its own copy.
import { setCheckedMode } from '../../packages/core/src/index.js';

setCheckedMode(true);
