/** The interface folders, in catalogue order. */
export declare const folders: readonly string[];
/** One command file of the catalogue, undecoded. */
export interface RawCommandFile {
  /** Path relative to the catalogue root, e.g. `rmi/RMI_REALM_CREATE.json`. */
  readonly path: string;
  /** The parsed JSON, or `{ __parseError }` when the file is not JSON. */
  readonly data: unknown;
}
/** Every command file of the catalogue, in folder order then file-name order. */
export declare function rawCatalogue(): RawCommandFile[];
/** The state invariants of the catalogue (`invariants.json`), undecoded. */
export declare function rawInvariants(): unknown;
