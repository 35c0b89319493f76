// Vitest setup: the model runs in checked mode in every test file, so that every success
// condition and the frame check are evaluated after every command (and a violation fails the test).
import { setCheckedMode } from '@realmspec/core';

setCheckedMode(true);
