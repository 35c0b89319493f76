/**
 * Import rules that keep the model honest, checked on the source:
 * - the core's folders are layers, and a file imports only from its own layer or below
 *   (`CORE_LAYERS`, bottom first);
 * - no package's source has an import cycle;
 * - post-conditions (`packages/core/src/post/`) are written from the spec and may read the state
 *   only through the spec view and the model's record types, never through the code that
 *   `apply` runs.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const core = fileURLToPath(new URL('../packages/core/src/', import.meta.url));

/** The modules (relative to core/src, without extension) that `file` imports. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)) {
    const spec = m[1] as string;
    if (!spec.startsWith('.')) {
      out.push(spec);
      continue;
    }
    out.push(relative(core, normalize(join(file, '..', spec))).replace(/\.js$/, ''));
  }
  return out;
}

const files = (dir: string): string[] => readdirSync(join(core, dir)).filter((f) => f.endsWith('.ts')).map((f) => join(core, dir, f));

/**
 * The core's layers, bottom first. A folder's files may import from their own layer and those
 * below it, never from above: the layering that the folders show (README, "How the model is built").
 */
export const CORE_LAYERS: ReadonlyArray<readonly string[]> = [
  ['internal'], // persistent maps, canonical hashing, errors
  ['catalogue'], // the rule catalogue, decoded
  ['model'], // state records, bits, layouts, measurements, the RTT walk, platform
  ['attestation'], // the CCA token: CBOR, COSE, claims
  ['engine', 'invariants'], // the command engine, rule hits, frame check; state invariants
  ['abi'], // register encodings and status codes
  ['post'], // post-conditions, written from the spec (independent of apply)
  ['realm'], // what Realm calls and REC exits share: call context, exits, ESRs, Realm memory
  ['rmi', 'rsi', 'psci'], // the commands
  ['exec'], // running a REC: Realm calls routed to commands, accesses, steps, RMI_REC_ENTER's run
  ['dispatch'], // the SMC entry point: Host SMCs routed to the RMI commands
  ['relation'], // the spec as a relation: permitted outcomes, judging another RMM's answer
  ['.'], // the package's public entry
];

const layerOf = (module: string): number => {
  const folder = module.includes('/') ? (module.split('/')[0] as string) : '.';
  return CORE_LAYERS.findIndex((l) => l.includes(folder));
};

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? allFiles(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
}

describe('the core is layered by folder', () => {
  const modules = allFiles(core).map((f) => relative(core, f).replace(/\.ts$/, ''));

  it('every folder of the core has a layer', () => {
    expect(modules.filter((m) => layerOf(m) < 0)).toEqual([]);
  });

  it('no file imports from a layer above its own', () => {
    const up = modules.flatMap((m) => {
      const own = layerOf(m);
      return imports(join(core, `${m}.ts`))
        .filter((t) => !t.startsWith('node:') && !/^[@a-z]/.test(t) && layerOf(t) > own)
        .map((t) => `${m} -> ${t}`);
    });
    expect(up).toEqual([]);
  });

  it('the rule catches an upward import', () => {
    expect(layerOf('exec/run') > layerOf('rmi/rec-enter')).toBe(true);
    expect(layerOf('model/platform') < layerOf('attestation/token')).toBe(true);
  });
});

/** Import cycles among the files of `src` (each as the list of modules on it). */
function cycles(src: string): string[][] {
  const rel = (f: string): string => relative(src, f).replace(/\.ts$/, '');
  const graph = new Map<string, string[]>();
  for (const f of allFiles(src)) {
    const here = rel(f);
    const targets = [...readFileSync(f, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'/gm)].map((m) => relative(src, normalize(join(f, '..', m[1] as string))).replace(/\.js$/, ''));
    graph.set(here, targets);
  }
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (n: string): void => {
    state.set(n, 'open');
    path.push(n);
    for (const t of graph.get(n) ?? []) {
      if (state.get(t) === 'open') found.push(path.slice(path.indexOf(t)));
      else if (!state.has(t)) visit(t);
    }
    path.pop();
    state.set(n, 'done');
  };
  for (const n of graph.keys()) if (!state.has(n)) visit(n);
  return found;
}

describe('no import cycles', () => {
  const packages = fileURLToPath(new URL('../packages/', import.meta.url));
  for (const p of readdirSync(packages)) {
    const src = join(packages, p, 'src');
    try {
      readdirSync(src);
    } catch {
      continue;
    }
    it(`packages/${p}/src has none`, () => {
      expect(cycles(src).map((c) => c.join(' -> '))).toEqual([]);
    });
  }
});

/** What a post-condition file may import: the spec view, the engine's post types, record types, constants, layouts. */
const POST_ALLOWED = [
  /^post\//,
  /^engine\/post$/,
  /^catalogue\/index$/,
  /^model\/(bits|granule|platform|realm|rec|rtt|state|structs|layout)$/,
  /^abi\/status$/,
  /^node:crypto$/,
  /^fp-ts\//,
];

/** Modules whose helpers apply uses: never imported by a post-condition, not even for types. */
const POST_FORBIDDEN = /^(rmi|rsi|psci|realm|relation|attestation)\/|^model\/(rtt-walk|measurement|realm-params|memory)$/;

describe('post-conditions are independent of apply', () => {
  for (const f of files('post')) {
    it(`${relative(core, f)} imports only the spec view, record types and constants`, () => {
      const bad = imports(f).filter((m) => POST_FORBIDDEN.test(m) || !POST_ALLOWED.some((r) => r.test(m)));
      expect(bad).toEqual([]);
    });
  }

  it('the rule catches a forbidden import', () => {
    const fake = join(core, 'post', 'granule.ts');
    expect(imports(fake).some((m) => POST_FORBIDDEN.test(m))).toBe(false);
    expect(POST_FORBIDDEN.test('model/rtt-walk')).toBe(true);
    expect(POST_FORBIDDEN.test('rmi/common')).toBe(true);
  });
});
