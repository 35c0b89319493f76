// realmspec benchmark: commands per second through the SMC interface, and peak memory.
// Run with `npm run bench` (builds first). Figures go in the closing notes of issues.
import { encodeStruct, hostWrite, initialState, RmiRealmParams, RmiRecParams, smc, stateHash } from '@realmspec/core';

const FID = {
  DELEGATE: 0xc4000151n,
  UNDELEGATE: 0xc4000152n,
  REALM_ACTIVATE: 0xc4000157n,
  REALM_CREATE: 0xc4000158n,
  REALM_DESTROY: 0xc4000159n,
  REC_CREATE: 0xc400015an,
  REC_DESTROY: 0xc400015bn,
};
const G = (n) => 0x8000_0000n + BigInt(n) * 0x1000n;

function must(r, what) {
  if (r.regs[0] !== 0n) throw new Error(`${what} failed: x0=0x${r.regs[0].toString(16)} ${r.failure?.rule ?? ''}`);
  return r.state;
}

function time(name, fn, minMs = 1500) {
  fn(1000); // warm up the JIT
  let n = 0;
  let calls = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minMs) {
    calls += fn(10_000);
    n++;
  }
  const s = (performance.now() - t0) / 1000;
  const rate = calls / s;
  console.log(`${name.padEnd(58)} ${(rate / 1e6).toFixed(2).padStart(6)} M commands/s  (${calls} commands in ${s.toFixed(2)} s)`);
  return rate;
}

// (a) RMI_GRANULE_DELEGATE / RMI_GRANULE_UNDELEGATE pairs over a rotating set of granules.
let s = initialState();
time('(a) delegate/undelegate pairs', (iters) => {
  for (let i = 0; i < iters; i++) {
    const pa = G(i & 1023);
    s = must(smc(s, [FID.DELEGATE, pa]), 'delegate');
    s = must(smc(s, [FID.UNDELEGATE, pa]), 'undelegate');
  }
  return iters * 2;
});

// (b) lifecycle mix: delegate RD, RTT, REC and 16 aux granules; create a Realm and a runnable REC;
// activate; destroy the REC and the Realm; undelegate everything. 43 commands per cycle.
const PARAMS = G(4000);
const REC_PARAMS = G(4001);
const aux = Array.from({ length: 16 }, (_, k) => G(3 + k));
let m = initialState();
m = hostWrite(m, PARAMS, encodeStruct(RmiRealmParams, { s2sz: 39n, num_bps: 1n, num_wps: 1n, hash_algo: 0n, vmid: 1n, rtt_base: G(1), rtt_level_start: 1n, rtt_num_start: 1n })).right;
m = hostWrite(m, REC_PARAMS, encodeStruct(RmiRecParams, { flags: 1n, mpidr: 0n, pc: 0x1000n, num_aux: 16n, aux })).right;
const granules = [G(0), G(1), G(2), ...aux];
time('(b) lifecycle mix (43 commands per Realm lifecycle)', (iters) => {
  const cycles = Math.ceil(iters / 43);
  for (let c = 0; c < cycles; c++) {
    for (const g of granules) m = must(smc(m, [FID.DELEGATE, g]), 'delegate');
    m = must(smc(m, [FID.REALM_CREATE, G(0), PARAMS]), 'realm create');
    m = must(smc(m, [FID.REC_CREATE, G(0), G(2), REC_PARAMS]), 'rec create');
    m = must(smc(m, [FID.REALM_ACTIVATE, G(0)]), 'activate');
    m = must(smc(m, [FID.REC_DESTROY, G(2)]), 'rec destroy');
    m = must(smc(m, [FID.REALM_DESTROY, G(0)]), 'realm destroy');
    for (const g of granules) m = must(smc(m, [FID.UNDELEGATE, g]), 'undelegate');
  }
  return cycles * 43;
});

// Failing commands cost only their checks: a mix of the four delegate failure conditions.
const bad = [G(0) + 8n, 0x1_0000_0000n];
time('(c) failing delegates (gran_align, gran_bound)', (iters) => {
  for (let i = 0; i < iters; i++) smc(s, [FID.DELEGATE, bad[i & 1]]);
  return iters;
});

console.log(`final state hash ${stateHash(m).toString(16)}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
