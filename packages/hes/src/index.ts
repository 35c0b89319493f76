/**
 * realmspec HES: an emulated Hardware Enforced Security root of trust for the Arm CCA platform.
 * It performs a fixed measured boot, derives the IAK and RAK (ECC P-384) from a seed, and
 * issues CCA platform tokens (DEN0137 A7.2.3.2) that bind the RAK the RMM signs Realm tokens
 * with.
 *
 * @example
 * ```ts
 * import { bootHes } from '@realmspec/hes';
 * import { buildCcaToken, verifyCcaToken } from '@realmspec/core';
 * const hes = bootHes();
 * const token = buildCcaToken(hes.attestationPort(), claims);
 * verifyCcaToken(token, { iakPublicKey: hes.iakPublicPem() }); // Right(...)
 * ```
 *
 * @packageDocumentation
 */
export { bootHes, p384PublicPem, DEFAULT_PLATFORM_CONFIG, IMPLEMENTATION_ID, PLATFORM_HASH_ALGO, type Hes } from './hes.js';
export { bootMeasurements, measureImage, FIRMWARE_IMAGES, type FirmwareImage } from './boot.js';
export { DEFAULT_SEED, KEY_DERIVATION_SALT, deriveP384Key, keyDerivationInfo, type KeyLabel, type P384KeyPair } from './keys.js';
export { decodeHesConfig, HesConfigCodec, LifecycleCodec, type HesConfigError, type HesOptions } from './config.js';
