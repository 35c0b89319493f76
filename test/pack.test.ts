/**
 * The packages as npm publishes them: every workspace packs (its `prepack` builds it) with its
 * build, its LICENSE and nothing of the build's bookkeeping (`*.tsbuildinfo`); the tarballs
 * install together into a new project, where the README's library example (taken from README.md,
 * so the test fails when the README drifts) prints what it says, and the installed `realmspec`
 * replays the example traces shipped with it from a directory that has none.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url));
const readJson = (path: string): { name: string; workspaces?: string[]; dependencies?: Record<string, string> } => JSON.parse(readFileSync(join(root, path), 'utf8'));
const npm = (args: readonly string[], cwd: string): string => execFileSync('npm', [...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** The README's library example: the TypeScript block of its "Library" section. */
function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const m = /^## Library\n[\s\S]*?^```ts\n([\s\S]*?)^```/m.exec(readme);
  if (m === null) throw new Error('README.md has no ```ts block in its "Library" section');
  return m[1] as string;
}

describe('the packed packages', () => {
  it('pack, install from their tarballs together, run the README library example and the CLI', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'realmspec-pack-'));
    const packs = join(tmp, 'packs');
    mkdirSync(packs);
    npm(['pack', '--workspaces', '--pack-destination', packs, '--silent'], root);

    const workspaces = readJson('package.json').workspaces ?? [];
    const tarballs = readdirSync(packs).filter((f) => f.endsWith('.tgz'));
    expect(tarballs).toHaveLength(workspaces.length);
    for (const ws of workspaces) {
      const name = readJson(join(ws, 'package.json')).name;
      const tgz = `${name.replace('@', '').replace('/', '-')}-0.1.0.tgz`;
      expect(tarballs).toContain(tgz);
      const files = execFileSync('tar', ['-tzf', join(packs, tgz)], { encoding: 'utf8' }).split('\n');
      expect(files, name).toContain('package/LICENSE');
      expect(files.filter((f) => f.endsWith('.tsbuildinfo')), name).toEqual([]);
      if (ws !== 'spec') expect(files, name).toEqual(expect.arrayContaining(['package/dist/index.js', 'package/dist/index.d.ts']));
    }
    const cli = execFileSync('tar', ['-tzf', join(packs, 'realmspec-cli-0.1.0.tgz')], { encoding: 'utf8' }).split('\n');
    expect(cli).toEqual(expect.arrayContaining(['package/bin/realmspec.js', 'package/dist/main.js', 'package/examples/lifecycle-sha512.jsonl', 'package/examples/realm-build.jsonl']));

    // A new project: the tarballs, and fp-ts, which the README's example imports itself.
    const project = join(tmp, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-realmspec', private: true, type: 'module' }));
    const fpTs = readJson('packages/core/package.json').dependencies?.['fp-ts'] ?? '';
    npm(['install', ...tarballs.map((t) => join(packs, t)), `fp-ts@${fpTs}`, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], project);

    const js = ts.transpileModule(readmeExample(), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    writeFileSync(join(project, 'example.mjs'), js);
    const example = spawnSync(process.execPath, ['example.mjs'], { cwd: project, encoding: 'utf8' });
    expect(example.stderr).toBe('');
    expect(example.stdout.trimEnd().split('\n')).toEqual([
      'RMI_REALM_CREATE/rd_align RMI_ERROR_INPUT 0',
      '0n 0 1',
      'RMI_GRANULE_DELEGATE: 2 calls, 0/4 failures held',
      'RMI_REALM_CREATE: 2 calls, 1/13 failures held',
    ]);

    const elsewhere = join(tmp, 'elsewhere');
    mkdirSync(elsewhere);
    const demo = spawnSync(join(project, 'node_modules', '.bin', 'realmspec'), ['demo'], { cwd: elsewhere, encoding: 'utf8' });
    expect(demo.stderr).toBe('');
    expect(demo.status).toBe(0);
    expect(demo.stdout).toMatch(/lifecycle-sha512\.jsonl: 182 passed, 0 failed\n/);
  });
});
