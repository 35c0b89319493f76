import * as E from 'fp-ts/lib/Either.js';
import { encodeStruct, hostWrite, initialState, RmiRealmParams, rmiGranuleDelegate, rmiRealmCreate, smc, RuleHits } from '@realmspec/core';

const hits = new RuleHits(); // optional: counts the catalogue rules each call reached and established
let s = initialState(); // the default platform (see below)
// A command as a typed function: Either<SpecFailure, [state, outputs]>.
const r = rmiGranuleDelegate(s, { addr: 0x8000_0000n }, hits);
if (E.isRight(r)) s = r.right[0];
// Or through the SMC interface: X0 = function id, X1.. arguments; X0 back = status | index << 8.
s = smc(s, [0xc4000151n, 0x8000_1000n], hits).state; // RMI_GRANULE_DELEGATE of the starting RTT
// The Host writes RmiRealmParams into Non-secure memory.
const params = encodeStruct(RmiRealmParams, { s2sz: 39n, num_bps: 1n, num_wps: 1n, vmid: 1n, rtt_base: 0x8000_1000n, rtt_level_start: 1n, rtt_num_start: 1n });
s = E.getOrElseW(() => s)(hostWrite(s, 0x8000_2000n, params));
// A failure names its rule, status and index, and changes nothing.
const bad = rmiRealmCreate(s, { rd: 0x8000_0008n, params_ptr: 0x8000_2000n }, hits);
if (E.isLeft(bad)) console.log(bad.left.rule, bad.left.status, bad.left.index); // RMI_REALM_CREATE/rd_align RMI_ERROR_INPUT 0
const created = smc(s, [0xc4000158n, 0x8000_0000n, 0x8000_2000n], hits); // RMI_REALM_CREATE
console.log(created.regs[0], s.realms.size, created.state.realms.size); // 0n 0 1
for (const t of hits.tally()) console.log(`${t.command}: ${t.calls} calls, ${t.failuresHeld}/${t.failures} failures held`);
