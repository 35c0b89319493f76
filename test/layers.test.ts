/**
 * Import rules that keep the model honest, checked on the source: post-conditions
 * (`packages/core/src/post/`) are written from the spec and may read the state only through the
 * spec view and the model's record types, never through the code that `apply` runs.
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
