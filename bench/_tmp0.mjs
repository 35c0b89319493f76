import { initialState, smc, rmiGranuleDelegate, isCheckedMode } from '@realmspec/core';
console.log('checked', isCheckedMode());
let s = initialState();
const t0 = performance.now();
for (let i = 0; i < 0; i++) {
  s = smc(s, [0xc4000151n, 0x80000000n]).state;
  s = smc(s, [0xc4000152n, 0x80000000n]).state;
}
console.log('pairs/s', (0 / (performance.now() - t0) * 1000).toFixed(0));
