/**
 * Footprints: the parts of the state a command may change (DEN0137 B4.3.x.4, B5.3.x.4), written
 * in the catalogue as the spec writes them (`Granule(addr).state`, `RttEntry(walk.rtt_addr,
 * entry_idx)`) and parsed here into targets. The arguments are locator names: the command's
 * post-condition definition gives each one a value (a granule index, an entry index, a list).
 *
 * @packageDocumentation
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** Attributes of a Realm by their spec names (DEN0137 C1.16 RmmRealm). @category Catalogue */
export const REALM_FIELDS = [
  'feat_lpa2',
  'ipa_width',
  'measurements',
  'hash_algo',
  'rec_index',
  'rtt_base',
  'rtt_level_start',
  'rtt_num_start',
  'state',
  'vmid',
  'rpv',
  'num_recs',
  // Implementation parameters the model keeps with the Realm (B4.4.7 RmiRealmParams).
  'params',
] as const;
/** An attribute of a Realm (DEN0137 C1.16). @category Catalogue */
export type RealmField = (typeof REALM_FIELDS)[number];

/**
 * Attributes of a REC by their spec names (DEN0137 C1.19 RmmRec), plus three groups the model
 * keeps for Realm execution: `enter` (what the current REC entry set: run granule, WFx traps,
 * GIC state; A4.2), `exit` (what the last REC exit was; A4.3) and `attest_token` (the token
 * being handed out; A7.2.2).
 * @category Catalogue
 */
export const REC_FIELDS = [
  'attest_state',
  'attest_challenge',
  'aux',
  'emulatable_abort',
  'flags',
  'gprs',
  'mpidr',
  'owner',
  'pc',
  'psci_pending',
  'state',
  'ripas_addr',
  'ripas_top',
  'ripas_value',
  'ripas_destroyed',
  'ripas_response',
  'host_call_pending',
  'enter',
  'exit',
  'attest_token',
] as const;
/** An attribute of a REC (DEN0137 C1.19). @category Catalogue */
export type RecField = (typeof REC_FIELDS)[number];

/** What one footprint entry names. Argument strings are locator names (or decimal literals). @category Catalogue */
export type FootprintTarget =
  /** Granule(at).state or Granule(at).gpt (C1.6). */
  | { readonly object: 'Granule'; readonly at: string; readonly field: 'state' | 'gpt' }
  /** Realm(at).field, or Realm(at).measurements[index] (C1.16). */
  | { readonly object: 'Realm'; readonly at: string; readonly field: RealmField; readonly index?: string }
  /** Rec(at).field (C1.19). */
  | { readonly object: 'Rec'; readonly at: string; readonly field: RecField }
  /** RttEntry(rtt, entry): one entry of one RTT (C1.29). */
  | { readonly object: 'RttEntry'; readonly rtt: string; readonly entry: string }
  /** Rtt(rtt): every entry of one RTT (C1.28). */
  | { readonly object: 'Rtt'; readonly rtt: string }
  /** RttsGranuleState(base, count): the states of `count` consecutive granules from `base` (B3.77). */
  | { readonly object: 'RttsGranuleState'; readonly base: string; readonly count: string }
  /** AuxStates(list, count): the states of the first `count` granules of `list` (B4.3.12.4). */
  | { readonly object: 'AuxStates'; readonly list: string; readonly count: string }
  /** Memory(at): the contents of one granule (the model's; the spec's footprints do not name contents). */
  | { readonly object: 'Memory'; readonly at: string };

// -------------------------------------------------------------------------------------
// parsing
// -------------------------------------------------------------------------------------

/** Splits `s` at commas outside parentheses and brackets. */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(s.slice(start).trim());
  return out;
}

/** Index of the parenthesis that closes the one at `open`, or −1. */
function closing(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

const has = <T extends string>(list: readonly T[], x: string): x is T => (list as readonly string[]).includes(x);

/**
 * Parses a footprint value (`Object(args).field`): the target it names, or a message saying
 * what is wrong. The grammar is the spec's footprint notation; see {@link FootprintTarget}.
 */
export function parseFootprint(value: string): FootprintTarget | string {
  const m = /^([A-Za-z]+)\(/.exec(value);
  if (m === null) return `'${value}' is not of the form Object(args)...`;
  const object = m[1] as string;
  const open = object.length;
  const close = closing(value, open);
  if (close < 0) return `'${value}': unbalanced parentheses`;
  const args = splitArgs(value.slice(open + 1, close));
  const rest = value.slice(close + 1);
  if (args.some((a) => a === '')) return `'${value}': empty argument`;
  const arity = (n: number): string | undefined => (args.length === n ? undefined : `'${value}': ${object} takes ${n} argument(s)`);
  const noField = (): string | undefined => (rest === '' ? undefined : `'${value}': ${object} takes no field`);
  switch (object) {
    case 'Granule': {
      const bad = arity(1);
      if (bad !== undefined) return bad;
      if (rest !== '.state' && rest !== '.gpt') return `'${value}': a Granule field is .state or .gpt`;
      return { object, at: args[0] as string, field: rest.slice(1) as 'state' | 'gpt' };
    }
    case 'Realm': {
      const bad = arity(1);
      if (bad !== undefined) return bad;
      const f = /^\.([a-z_0-9]+)(?:\[([A-Za-z_0-9.]+)\])?$/.exec(rest);
      if (f === null || !has(REALM_FIELDS, f[1] as string)) return `'${value}': unknown Realm field '${rest}'`;
      if (f[2] !== undefined && f[1] !== 'measurements') return `'${value}': only measurements takes an index`;
      return { object, at: args[0] as string, field: f[1] as RealmField, ...(f[2] !== undefined ? { index: f[2] } : {}) };
    }
    case 'Rec': {
      const bad = arity(1);
      if (bad !== undefined) return bad;
      const f = /^\.([a-z_0-9]+)$/.exec(rest);
      if (f === null || !has(REC_FIELDS, f[1] as string)) return `'${value}': unknown Rec field '${rest}'`;
      return { object, at: args[0] as string, field: f[1] as RecField };
    }
    case 'RttEntry':
      return arity(2) ?? noField() ?? { object, rtt: args[0] as string, entry: args[1] as string };
    case 'Rtt':
      return arity(1) ?? noField() ?? { object, rtt: args[0] as string };
    case 'RttsGranuleState':
      return arity(2) ?? noField() ?? { object, base: args[0] as string, count: args[1] as string };
    case 'AuxStates':
      return arity(2) ?? noField() ?? { object, list: args[0] as string, count: args[1] as string };
    case 'Memory':
      return arity(1) ?? noField() ?? { object, at: args[0] as string };
    default:
      return `'${value}': unknown object ${object}`;
  }
}

/** The locator names a target reads (its arguments and index that are not decimal literals). */
export function footprintLocators(t: FootprintTarget): string[] {
  const names: string[] = [];
  const add = (x: string | undefined): void => {
    if (x !== undefined && !/^[0-9]+$/.test(x)) names.push(x);
  };
  switch (t.object) {
    case 'Granule':
    case 'Rec':
    case 'Memory':
      add(t.at);
      break;
    case 'Realm':
      add(t.at);
      add(t.index);
      break;
    case 'RttEntry':
      add(t.rtt);
      add(t.entry);
      break;
    case 'Rtt':
      add(t.rtt);
      break;
    case 'RttsGranuleState':
      add(t.base);
      add(t.count);
      break;
    case 'AuxStates':
      add(t.list);
      add(t.count);
      break;
  }
  return names;
}
