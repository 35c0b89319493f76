/**
 * Validating a launch before it starts: every setting is checked against the platform
 * (RmiFeatureRegister0, DEN0137 B4.4.6), the Realm's IPA space (DEN0137 A5.2.1) and the images
 * (the arm64 Image header), and the layout of RAM is worked out. A plan that passes cannot fail
 * for a reason the Host could have seen in advance.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { GRANULE_SIZE, minIpaWidth } from '@realmspec/core';
import { hex } from '@realmspec/core/internal';
import { Address, Bytes, Index, Size } from './codecs.js';
import { invalid, type HostError } from './errors.js';
import { parseArm64Image } from './kernel.js';
import { rttGeometry, tablesFor, type RttGeometry } from './rtt.js';
import type { Machine } from './state.js';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** io-ts codec of `launchRealm`'s argument. */
export const LaunchSpecCodec = t.intersection(
  [
    t.type({ kernel: Bytes }),
    t.partial({
      initrd: Bytes,
      ipaWidth: Index,
      ramBase: Address,
      ramSize: Size,
      recs: Index,
      hashAlgo: t.keyof({ 'sha-256': null, 'sha-512': null }),
      vmid: Index,
      rpv: Bytes,
      measure: t.boolean,
      dataBudget: Index,
    }),
  ],
  'LaunchSpec',
);
/** What `launchRealm` takes: the images and the Realm's shape (see the codec's fields for defaults). */
export type LaunchSpec = t.TypeOf<typeof LaunchSpecCodec>;

/** A validated launch: the Realm's settings and where everything goes. */
export interface LaunchPlan {
  /** RmiRealmParams.s2sz. */
  readonly ipaWidth: number;
  /** The RTT starting level and number of starting tables. */
  readonly geometry: RttGeometry;
  /** The Realm hash algorithm. */
  readonly hashAlgo: 'sha-256' | 'sha-512';
  /** Number of RECs. */
  readonly recs: number;
  /** RmiRealmParams.vmid. */
  readonly vmid: number;
  /** The Realm Personalization Value (at most 64 bytes, zero-padded). */
  readonly rpv: Uint8Array;
  /** Whether the images' contents are measured (RmiDataFlags.measure). */
  readonly measure: boolean;
  /** First IPA of RAM. */
  readonly ramBase: bigint;
  /** Bytes of RAM. */
  readonly ramSize: bigint;
  /** The kernel image. */
  readonly kernel: Uint8Array;
  /** Where the kernel goes: RAM base + text_offset. */
  readonly kernelIpa: bigint;
  /** The initrd, if any. */
  readonly initrd: Uint8Array | undefined;
  /** Where the initrd goes: the top of RAM, granule aligned. */
  readonly initrdIpa: bigint;
  /** Host granules the launch uses (an upper bound). */
  readonly granulesNeeded: number;
}

const G = BigInt(GRANULE_SIZE);
const pages = (n: number | bigint): number => Math.ceil(Number(n) / GRANULE_SIZE);
// DECISION D-LAUNCH-DEFAULTS: a 40-bit IPA space, 2 MB of RAM at IPA 0x8000_0000 (kvmtool's
// arm64 RAM base), one REC, SHA-256, measured images, the first free VMID from 1, a zero RPV, and
// a DATA budget of one granule per RAM page; RmiRealmParams.num_bps and num_wps are the platform's
// NUM_BPS and NUM_WPS (at least 1, the encoding's minimum, D-PARAMS).

/** Defaults: a 40-bit IPA space (kvmtool's), 2 MB of RAM at IPA 2 GB (kvmtool's ARM_MEMORY_AREA). */
const DEFAULT_IPA_WIDTH = 40;
const DEFAULT_RAM_BASE = 0x8000_0000n;
const DEFAULT_RAM_SIZE = 0x20_0000n;

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

/** The smallest VMID no live Realm uses (DEN0137 B3 VmidIsFree), from 1. */
function freeVmid(m: Machine): number {
  let v = 1;
  while (m.core.vmids.has(v)) v++;
  return v;
}

/**
 * Checks `spec` on machine `m` and lays out RAM: the IPA width against the platform's S2SZ and
 * a valid RTT geometry; the hash algorithm against the platform's; the REC count against
 * MAX_RECS_ORDER; RAM inside the Protected IPA space and granule aligned; the kernel header, and
 * the kernel (at RAM base + text_offset, image_size bytes) and the initrd (at the top of RAM)
 * inside RAM without overlapping; the DATA granules the images need within the budget.
 */
export function validateLaunch(m: Machine, spec: LaunchSpec): E.Either<HostError, LaunchPlan> {
  const f = m.core.platform.features;
  const g = m.core.platform.geometry;
  const ipaWidth = spec.ipaWidth ?? DEFAULT_IPA_WIDTH;
  const minWidth = minIpaWidth(g);
  if (ipaWidth < minWidth || ipaWidth > f.s2sz) return E.left(invalid('ipaWidth', `${ipaWidth} bits is outside ${minWidth}..${f.s2sz}, the widths the platform supports (RmiFeatureRegister0.S2SZ = ${f.s2sz})`));
  const geometry = rttGeometry(g, ipaWidth, f.s2sz);
  if (geometry === undefined) return E.left(invalid('ipaWidth', `no RTT starting level gives a ${ipaWidth}-bit IPA space on this platform`));
  const hashAlgo = spec.hashAlgo ?? 'sha-256';
  if (hashAlgo === 'sha-256' ? !f.hashSha256 : !f.hashSha512) return E.left(invalid('hashAlgo', `${hashAlgo} is not supported by the platform (RmiFeatureRegister0.HASH_SHA_*)`));
  const recs = spec.recs ?? 1;
  const maxRecs = 2 ** f.maxRecsOrder - 1;
  if (recs < 1 || recs > maxRecs) return E.left(invalid('recs', `${recs} RECs: a Realm has 1 to ${maxRecs} (MAX_RECS_ORDER ${f.maxRecsOrder})`));
  const rpv = spec.rpv ?? new Uint8Array(64);
  if (rpv.length > 64) return E.left(invalid('rpv', `the Realm Personalization Value is at most 64 bytes; got ${rpv.length}`));
  const vmid = spec.vmid ?? freeVmid(m);
  if (vmid >= (m.core.platform.vmid16 ? 0x1_0000 : 0x100) || m.core.vmids.has(vmid)) return E.left(invalid('vmid', `VMID ${vmid} is out of range or used by another Realm`));

  const ramBase = spec.ramBase ?? DEFAULT_RAM_BASE;
  const ramSize = spec.ramSize ?? DEFAULT_RAM_SIZE;
  if (ramBase % G !== 0n || ramSize % G !== 0n) return E.left(invalid('ramBase', `RAM [${hex(ramBase)}, +${hex(ramSize)}) is not 4 KB aligned`));
  const ramEnd = ramBase + ramSize;
  const protectedTop = 1n << BigInt(ipaWidth - 1);
  if (ramEnd > protectedTop) return E.left(invalid('ramSize', `RAM [${hex(ramBase)}, ${hex(ramEnd)}) does not fit the Protected IPA space of a ${ipaWidth}-bit Realm, which ends at ${hex(protectedTop)}`));

  const header = parseArm64Image(spec.kernel);
  if (E.isLeft(header)) return E.left(invalid('kernel', header.left));
  const kernelIpa = ramBase + header.right.textOffset;
  const kernelEnd = kernelIpa + header.right.imageSize;
  if (kernelEnd > ramEnd) {
    return E.left(invalid('kernel', `the kernel (${spec.kernel.length} bytes, image_size ${hex(header.right.imageSize)}) at IPA ${hex(kernelIpa)} ends at ${hex(kernelEnd)}, beyond RAM [${hex(ramBase)}, ${hex(ramEnd)})`));
  }
  const initrd = spec.initrd !== undefined && spec.initrd.length > 0 ? spec.initrd : undefined;
  const initrdIpa = initrd === undefined ? ramEnd : ramEnd - BigInt(pages(initrd.length)) * G;
  const kernelTop = ((kernelEnd + G - 1n) / G) * G;
  if (initrd !== undefined && initrdIpa < kernelTop) {
    return E.left(invalid('initrd', `the initrd (${initrd.length} bytes) at the top of RAM would start at ${hex(initrdIpa)}, inside the kernel's range ending at ${hex(kernelTop)}`));
  }
  const dataPages = pages(spec.kernel.length) + (initrd === undefined ? 0 : pages(initrd.length));
  const budget = spec.dataBudget ?? Number(ramSize / G);
  if (dataPages > budget) return E.left(invalid('kernel', `the images need ${dataPages} DATA granules; the DATA budget is ${budget}`));

  const auxPerRec = m.core.platform.recAuxCount;
  // RD, starting RTTs (plus alignment slack), tables, DATA, RECs with aux and run granules, three parameter pages.
  const granulesNeeded = 1 + 2 * geometry.numStart + tablesFor(g, ramBase, ramSize, geometry.levelStart) + dataPages + recs * (2 + auxPerRec) + 3;
  return E.right({ ipaWidth, geometry, hashAlgo, recs, vmid, rpv, measure: spec.measure ?? true, ramBase, ramSize, kernel: spec.kernel, kernelIpa, initrd, initrdIpa, granulesNeeded });
}
