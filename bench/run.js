// realmspec benchmark: commands per second through the SMC interface, and peak memory.
// Run with `npm run bench` (builds first). Figures go in the closing notes of issues.
import { encodeStruct, hostWrite, initialState, RmiRealmParams, RmiRecEnter, RmiRecParams, runRec, smc, stateHash } from '@realmspec/core';
import { bootMachine, demoKernel, launchRealm, makeArm64Image } from '@realmspec/machine';

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

// Failing commands cost only their checks: a mix of two delegate failure conditions.
const bad = [G(0) + 8n, 0x1_0000_0000n];
time('(c) failing delegates (gran_align, gran_bound)', (iters) => {
  for (let i = 0; i < iters; i++) smc(s, [FID.DELEGATE, bad[i & 1]]);
  return iters;
});

// (d) RTT and DATA throughput: in a Realm with a level-2 RTT at IPA 0, each iteration creates a
// level-3 RTT, maps one DATA page (unmeasured), destroys it and destroys the RTT: 4 commands.
const RTT_CREATE = 0xc400015dn, RTT_DESTROY = 0xc400015en, DATA_CREATE = 0xc4000153n, DATA_DESTROY = 0xc4000155n;
let r = hostWrite(initialState(), PARAMS, encodeStruct(RmiRealmParams, { s2sz: 39n, num_bps: 1n, num_wps: 1n, hash_algo: 0n, vmid: 1n, rtt_base: G(1), rtt_level_start: 1n, rtt_num_start: 1n })).right;
for (const g of [G(0), G(1), G(2), G(3), G(4)]) r = must(smc(r, [FID.DELEGATE, g]), 'delegate');
r = must(smc(r, [FID.REALM_CREATE, G(0), PARAMS]), 'realm create');
r = must(smc(r, [RTT_CREATE, G(0), G(2), 0n, 2n]), 'rtt create L2');
const SRC = G(4002);
r = hostWrite(r, SRC, new Uint8Array(4096).fill(0x5a)).right;
let slot = 0;
const rttDataCycle = (flags) => (iters) => {
  const n = Math.ceil(iters / 4);
  for (let i = 0; i < n; i++) {
    const ipa = BigInt(slot++ & 511) << 21n;
    r = must(smc(r, [RTT_CREATE, G(0), G(3), ipa, 3n]), 'rtt create L3');
    r = must(smc(r, [DATA_CREATE, G(0), G(4), ipa, SRC, flags]), 'data create');
    r = must(smc(r, [DATA_DESTROY, G(0), ipa]), 'data destroy');
    r = must(smc(r, [RTT_DESTROY, G(0), ipa, 3n]), 'rtt destroy L3');
  }
  return n * 4;
};
time('(d) RTT_CREATE, DATA_CREATE, DATA_DESTROY, RTT_DESTROY', rttDataCycle(0n));
time("(d') the same with DATA_CREATE measuring the page (SHA-256 of 4 KB)", rttDataCycle(1n));

// (e) A Realm of 10,000 DATA pages (measured), built and torn down as a VMM would.
{
  const PAGES = 10_000;
  const tables = Math.ceil(PAGES / 512);
  // V8 frees some of a long synchronous run's garbage only once the job ends: yield first.
  const settle = async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (let k = 0; k < 4; k++) globalThis.gc?.();
    return process.memoryUsage().heapUsed;
  };
  const heapBefore = await settle();
  const t0 = performance.now();
  let calls = 0;
  let v = initialState();
  const step = (regs, what) => {
    calls++;
    v = must(smc(v, regs), what);
  };
  const L2 = G(5), rd = G(0), rtt0 = G(1);
  const l3 = (k) => G(10 + k);
  const data = (k) => G(100 + k);
  for (const g of [rd, rtt0, L2]) step([FID.DELEGATE, g], 'delegate');
  for (let k = 0; k < tables; k++) step([FID.DELEGATE, l3(k)], 'delegate');
  for (let k = 0; k < PAGES; k++) step([FID.DELEGATE, data(k)], 'delegate');
  const PARAMS_E = G(20_000), SRC_E = G(20_001);
  v = hostWrite(v, PARAMS_E, encodeStruct(RmiRealmParams, { s2sz: 39n, num_bps: 1n, num_wps: 1n, hash_algo: 0n, vmid: 1n, rtt_base: rtt0, rtt_level_start: 1n, rtt_num_start: 1n })).right;
  v = hostWrite(v, SRC_E, new Uint8Array(4096).fill(0xa5)).right;
  step([FID.REALM_CREATE, rd, PARAMS_E], 'realm create');
  step([RTT_CREATE, rd, L2, 0n, 2n], 'rtt create L2');
  for (let k = 0; k < tables; k++) step([RTT_CREATE, rd, l3(k), BigInt(k) << 21n, 3n], 'rtt create L3');
  for (let k = 0; k < PAGES; k++) step([DATA_CREATE, rd, data(k), BigInt(k) << 12n, SRC_E, 1n], 'data create');
  const tBuild = performance.now() - t0;
  const heapBuilt = await settle();
  const t1 = performance.now();
  for (let k = 0; k < PAGES; k++) step([DATA_DESTROY, rd, BigInt(k) << 12n], 'data destroy');
  for (let k = 0; k < tables; k++) step([RTT_DESTROY, rd, BigInt(k) << 21n, 3n], 'rtt destroy L3');
  step([RTT_DESTROY, rd, 0n, 2n], 'rtt destroy L2');
  step([FID.REALM_DESTROY, rd], 'realm destroy');
  for (const g of [rd, rtt0, L2]) step([FID.UNDELEGATE, g], 'undelegate');
  for (let k = 0; k < tables; k++) step([FID.UNDELEGATE, l3(k)], 'undelegate');
  for (let k = 0; k < PAGES; k++) step([FID.UNDELEGATE, data(k)], 'undelegate');
  const s = (tBuild + performance.now() - t1) / 1000;
  console.log(
    `(e) Realm of ${PAGES} measured DATA pages built and torn down: ${calls} commands in ${s.toFixed(2)} s ` +
      `(${(calls / s / 1e6).toFixed(2)} M/s; build ${(tBuild / 1000).toFixed(2)} s); ` +
      (globalThis.gc ? `live heap of the built Realm ${((heapBuilt - heapBefore) / 2 ** 20).toFixed(1)} MB` : 'run with --expose-gc for the live heap'),
  );
}

// (f) Realm execution: RMI_REC_ENTER with three RSI calls (RSI_VERSION, RSI_MEASUREMENT_EXTEND,
// RSI_MEASUREMENT_READ) and the exit (IRQ): counted as 1 RMI command + 3 Realm calls.
{
  let x = hostWrite(initialState(), PARAMS, encodeStruct(RmiRealmParams, { s2sz: 39n, num_bps: 1n, num_wps: 1n, hash_algo: 0n, vmid: 1n, rtt_base: G(1), rtt_level_start: 1n, rtt_num_start: 1n })).right;
  const auxes = Array.from({ length: 16 }, (_, k) => G(3 + k));
  x = hostWrite(x, REC_PARAMS, encodeStruct(RmiRecParams, { flags: 1n, mpidr: 0n, pc: 0x1000n, num_aux: 16n, aux: auxes })).right;
  for (const g of [G(0), G(1), G(2), ...auxes]) x = must(smc(x, [FID.DELEGATE, g]), 'delegate');
  x = must(smc(x, [FID.REALM_CREATE, G(0), PARAMS]), 'realm create');
  x = must(smc(x, [FID.REC_CREATE, G(0), G(2), REC_PARAMS]), 'rec create');
  x = must(smc(x, [FID.REALM_ACTIVATE, G(0)]), 'activate');
  const RUN = G(4003);
  x = hostWrite(x, RUN, encodeStruct(RmiRecEnter, {})).right;
  const program = [
    { kind: 'call', regs: [0xc4000190n, 0x10000n] },
    { kind: 'call', regs: [0xc4000193n, 1n, 8n, 0x1234n] },
    { kind: 'call', regs: [0xc4000192n, 1n] },
  ];
  time('(f) RMI_REC_ENTER running 3 RSI calls, then an IRQ exit', (iters) => {
    const n = Math.ceil(iters / 4);
    for (let i = 0; i < n; i++) {
      const r = runRec(x, { rec: G(2), run_ptr: RUN }, program);
      if (r.x0 !== 0n) throw new Error('rec enter failed');
      x = r.state;
    }
    return n * 4;
  });
}

// (g) The whole machine: the Host launches a Realm with a 4 MB kernel as kvmtool does (delegate,
// RMI_REALM_CREATE, RTTs, one RMI_DATA_CREATE per page, RECs, activate), EL3 and the memory model
// carrying out every command's effects and the GPT cross-check running after every SMC.
{
  const unwrap = (r, what) => {
    if (r._tag === 'Left') throw new Error(`${what} failed: ${JSON.stringify(r.left, (_k, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))}`);
    return r.right;
  };
  const launch = (kernel, ramSize) => {
    const [m0] = unwrap(bootMachine(), 'boot');
    const t0 = performance.now();
    const [, report] = unwrap(launchRealm(m0, { kernel, ramSize }), 'launch');
    return { smcs: report.checks, ms: performance.now() - t0 };
  };
  launch(demoKernel(), 0x20_0000n); // warm up the JIT
  const MB = 4;
  const kernel = makeArm64Image(Uint8Array.from({ length: MB * 2 ** 20 - 64 }, (_, i) => (i * 7 + 1) & 0xff));
  const r = launch(kernel, BigInt(2 * MB) << 20n);
  console.log(`(g) machine launch of a Realm with a ${MB} MB kernel: ${r.smcs} SMCs in ${r.ms.toFixed(0)} ms (${((r.smcs / r.ms) * 1000).toFixed(0)} SMCs/s)`);
}

console.log(`final state hash ${stateHash(m).toString(16)}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
