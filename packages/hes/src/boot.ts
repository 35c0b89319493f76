/**
 * Measured boot of the emulated platform: the software components whose measurements the CCA
 * platform token reports (DEN0137 A7.2.3.2.7).
 *
 * The images are fixed, not derived from the seed (the seed stands for the device's secret, not
 * its firmware): each measurement is SHA-256 of the UTF-8 text
 * `realmspec emulated firmware image|<type>|<version>`, and each signer id is SHA-256 of
 * `realmspec emulated signing key|<signer>`.
 *
 * @packageDocumentation
 */
import { hashWith, type SwComponent } from '@realmspec/core';

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** One component of the emulated boot chain, before measurement. */
export interface FirmwareImage {
  /** Component type as the token reports it. */
  readonly type: string;
  /** Version text. */
  readonly version: string;
  /** The signing authority, by name. */
  readonly signer: string;
  /** What the component is. */
  readonly description: string;
}

/** The emulated platform's boot chain, in boot order. */
export const FIRMWARE_IMAGES: readonly FirmwareImage[] = [
  { type: 'HES_BL1', version: '1.0.0', signer: 'hes-rom', description: 'HES immutable boot ROM' },
  { type: 'HES_BL2', version: '1.0.0', signer: 'hes-firmware', description: 'HES second-stage bootloader' },
  { type: 'HES_RT', version: '1.0.0', signer: 'hes-firmware', description: 'HES runtime: measured boot and attestation service' },
  { type: 'SCP_BL2', version: '1.0.0', signer: 'scp-firmware', description: 'System control processor firmware' },
  { type: 'AP_BL1', version: '1.0.0', signer: 'ap-firmware', description: 'Application processor trusted boot ROM' },
  { type: 'AP_BL2', version: '1.0.0', signer: 'ap-firmware', description: 'Application processor trusted boot firmware' },
  { type: 'AP_BL31', version: '1.0.0', signer: 'ap-firmware', description: 'EL3 runtime firmware (Monitor)' },
  { type: 'RMM', version: '1.0.0', signer: 'rmm', description: 'Realm Management Monitor (realmspec model, DEN0137 1.0-rel0)' },
  { type: 'HW_CONFIG', version: '1.0.0', signer: 'ap-firmware', description: 'Hardware configuration device tree' },
] as const;

// -------------------------------------------------------------------------------------
// measurement
// -------------------------------------------------------------------------------------

/** SHA-256 of the UTF-8 text `s`. */
const sha256Text = (s: string): Uint8Array => hashWith('sha-256', new TextEncoder().encode(s));

/** The measurement of one image. */
export function measureImage(image: FirmwareImage): SwComponent {
  return {
    type: image.type,
    measurementValue: sha256Text(`realmspec emulated firmware image|${image.type}|${image.version}`),
    version: image.version,
    signerId: sha256Text(`realmspec emulated signing key|${image.signer}`),
    hashAlgoId: 'sha-256',
  };
}

/** The measurements of the whole boot chain, in boot order (DEN0137 A7.2.3.2.7). */
export const bootMeasurements: readonly SwComponent[] = FIRMWARE_IMAGES.map(measureImage);
