#!/usr/bin/env node
// Copies the repository's example traces (examples/*.jsonl) into this package (examples/), so the
// installed CLI's `demo` and `start` find them next to the module. Run by the build and prepack;
// outside the repository (no ../../examples) it keeps what is there. A file whose copy is already
// up to date is not rewritten, so a CLI reading the copies meanwhile never sees a partial file.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';

const from = new URL('../../../examples/', import.meta.url);
const to = new URL('../examples/', import.meta.url);
if (existsSync(from)) {
  mkdirSync(to, { recursive: true });
  const traces = readdirSync(from).filter((f) => f.endsWith('.jsonl'));
  for (const f of traces) {
    const src = new URL(f, from);
    const dst = new URL(f, to);
    if (!existsSync(dst) || !readFileSync(src).equals(readFileSync(dst))) copyFileSync(src, dst);
  }
  for (const f of readdirSync(to)) if (!traces.includes(f)) rmSync(new URL(f, to), { force: true });
}
