// realmspec benchmark: SHA against symbolic measurements (DECISIONS D-SYMBOLIC-MEASURE).
// Run with `npm run bench:measure` (builds first). Each figure is the best of several slices, in
// CPU time (user + system) and wall time: on a shared machine CPU time is the steadier of the two.
import { encodeStruct, HashAlgorithm, hostWrite, initialState, makePlatform, RmiRealmParams, shaDigest, smc, symbolicDigest } from '@realmspec/core';

const G = (n) => 0x8000_0000n + BigInt(n) * 0x1000n;
const FID = { DELEGATE: 0xc4000151n, REALM_CREATE: 0xc4000158n, RTT_CREATE: 0xc400015dn, DATA_CREATE: 0xc4000153n, DATA_DESTROY: 0xc4000155n, INIT_RIPAS: 0xc4000168n };
const SLICES = 7;

function must(r, what) {
  if (r.regs[0] !== 0n) throw new Error(`${what} failed: x0=0x${r.regs[0].toString(16)} ${r.failure?.rule ?? ''}`);
  return r.state;
}

/** Runs `fn(n)` (which returns the number of operations done) in slices; the best rates. */
function rate(fn, n) {
  fn(Math.ceil(n / 10)); // warm up the JIT
  let cpu = 0;
  let wall = 0;
  for (let k = 0; k < SLICES; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const ops = fn(n);
    const t = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    cpu = Math.max(cpu, ops / ((c.user + c.system) / 1e6));
    wall = Math.max(wall, ops / t);
  }
  return { cpu, wall };
}

const show = (name, r) => console.log(`${name.padEnd(64)} ${(r.cpu / 1e3).toFixed(1).padStart(8)} k/s CPU ${(r.wall / 1e3).toFixed(1).padStart(8)} k/s wall`);

// The digest primitive alone: a 4 KB page and a 256-byte descriptor.
const page = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7 + 3) & 0xff);
const desc = page.slice(0, 256);
for (const [name, d] of [['SHA', shaDigest], ['symbolic', symbolicDigest]]) {
  show(`digest of a 4 KB page, ${name}`, rate((n) => { for (let i = 0; i < n; i++) d(HashAlgorithm.SHA_256, [page]); return n; }, 20_000));
  show(`digest of a 256-byte descriptor, ${name}`, rate((n) => { for (let i = 0; i < n; i++) d(HashAlgorithm.SHA_256, [desc]); return n; }, 50_000));
}

// RMI_DATA_CREATE measuring its page, then RMI_DATA_DESTROY, over the 512 entries of a level-3 RTT
// of a Realm in REALM_NEW: the DATA_CREATE rate (each pair's DATA_DESTROY is counted in its time).
// Also RMI_RTT_INIT_RIPAS over one level-3 entry (one RIPAS descriptor).
function realm(measurement) {
  let s = hostWrite(initialState(makePlatform({ measurement })), G(4000), encodeStruct(RmiRealmParams, { s2sz: 39n, num_bps: 1n, num_wps: 1n, hash_algo: 0n, vmid: 1n, rtt_base: G(1), rtt_level_start: 1n, rtt_num_start: 1n })).right;
  for (const g of [G(0), G(1), G(2), G(3), G(4)]) s = must(smc(s, [FID.DELEGATE, g]), 'delegate');
  s = must(smc(s, [FID.REALM_CREATE, G(0), G(4000)]), 'realm create');
  s = must(smc(s, [FID.RTT_CREATE, G(0), G(2), 0n, 2n]), 'rtt create L2');
  s = must(smc(s, [FID.RTT_CREATE, G(0), G(3), 0n, 3n]), 'rtt create L3');
  return hostWrite(s, G(4002), page).right;
}
for (const measurement of ['sha', 'symbolic']) {
  for (const flags of [1n, 0n]) {
    let s = realm(measurement);
    let k = 0;
    const r = rate((n) => {
      for (let i = 0; i < n; i++) {
        const ipa = BigInt(k++ & 511) << 12n;
        s = must(smc(s, [FID.DATA_CREATE, G(0), G(4), ipa, G(4002), flags]), 'data create');
        s = must(smc(s, [FID.DATA_DESTROY, G(0), ipa]), 'data destroy');
      }
      return n;
    }, 20_000);
    show(`RMI_DATA_CREATE ${flags === 1n ? 'measuring its page' : '(not measured)    '} + DATA_DESTROY, ${measurement}`, r);
  }
  const base = realm(measurement);
  show(`RMI_RTT_INIT_RIPAS of one level-3 entry (1 descriptor), ${measurement}`, rate((n) => {
    for (let i = 0; i < n; i++) must(smc(base, [FID.INIT_RIPAS, G(0), BigInt(i & 511) << 12n, (BigInt(i & 511) + 1n) << 12n]), 'init ripas');
    return n;
  }, 20_000));
}
