/**
 * Demo images and the demo Realm's memory layout: a small arm64 kernel Image and an initrd with
 * recognisable, deterministic contents, for the launch scenario and the tests.
 *
 * @packageDocumentation
 */
import { makeArm64Image } from './kernel.js';

// -------------------------------------------------------------------------------------
// images
// -------------------------------------------------------------------------------------

/** `text` repeated to `size` bytes (UTF-8). */
function filled(text: string, size: number): Uint8Array {
  const unit = new TextEncoder().encode(text);
  return Uint8Array.from({ length: size }, (_, i) => unit[i % unit.length] as number);
}

/** The demo kernel: an arm64 Image (text_offset 0) with 12 KB of body text, 4 granules in all. */
export function demoKernel(): Uint8Array {
  return makeArm64Image(filled('realmspec demo kernel: an arm64 Image for the CCA launch scenario\n', 12 * 1024));
}

/** The demo initrd: 6 KB of text, 2 granules. */
export function demoInitrd(): Uint8Array {
  return filled('realmspec demo initrd\n', 6 * 1024);
}

// -------------------------------------------------------------------------------------
// layout
// -------------------------------------------------------------------------------------

/** The demo Realm's Protected IPAs: 2 MB of RAM at 2 GB (kvmtool's layout) with pages the programs use. */
export const DEMO = {
  /** IPA width (kvmtool's default). */
  ipaWidth: 40,
  /** RAM base. */
  ramBase: 0x8000_0000n,
  /** RAM size. */
  ramSize: 0x20_0000n,
  /** A page for RsiRealmConfig. */
  config: 0x8010_0000n,
  /** A private page holding the Realm's secret. */
  secret: 0x8010_1000n,
  /** The page the Realm shares with the Host (its Protected IPA; the Unprotected alias has bit 39 set). */
  shared: 0x8010_2000n,
  /** A private page the attestation token is written to. */
  token: 0x8010_3000n,
  /** In the shared page: the token's length. */
  tokenLenOffset: 0x100n,
  /** In the shared page: the token's bytes (up to 3704 of them, to the reply). */
  tokenOffset: 0x108n,
  /** In the shared page: where the Host leaves its reply. */
  replyOffset: 0xf80n,
} as const;
