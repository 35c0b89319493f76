/**
 * The spec digest (`commands.md`, written from DEN0137 before the catalogue) parsed into failure
 * tables and ordering constraints: an independent source for tests of the catalogue and of the
 * permitted failure sets. Reads the shared digest when present, else the vendored copy.
 */
import { existsSync, readFileSync } from 'node:fs';

/** The shared digest, when this checkout sits beside it. */
export const shared = new URL('../../../shared/rmm-spec/commands.md', import.meta.url);
/** The copy kept in the repository. */
export const vendored = new URL('../fixtures/digest/commands.md', import.meta.url);
/** The digest's text. */
export const text = readFileSync(existsSync(shared) ? shared : vendored, 'utf8');

/** One command of the digest: FIDs, failure rows in listed order, ordering pairs. */
export interface DigestCommand {
  readonly name: string;
  readonly fids: number[];
  readonly rows: Array<{ readonly label: string; readonly status: string; readonly index: number | string }>;
  readonly ordering: Array<readonly [string, string]>;
}

/** A digest error column ("INPUT", "REALM, index **1**", "RTT(walk.level)", "PSCI_ALREADY_ON (-4)") as status and index. */
function statusOf(cell: string, iface: string): { status: string; index: number | string } {
  const c = cell.replace(/\*/g, '').trim();
  const rtt = /^RTT\(([a-z_.]+)\)/.exec(c);
  if (rtt !== null) return { status: 'RMI_ERROR_RTT', index: rtt[1] as string };
  const idx = /index (\d+)/.exec(c);
  const word = /^[A-Z_]+/.exec(c)?.[0] ?? c;
  if (iface === 'RMI') return { status: `RMI_ERROR_${word}`, index: idx === null ? 0 : Number(idx[1]) };
  return { status: word, index: 0 };
}

/** The rows of the first failure table in `sec` (`| # | Label | Fails when | Error |`). */
function tableRows(sec: string, iface: string): DigestCommand['rows'] {
  const start = sec.indexOf('| # | Label |');
  if (start < 0) return [];
  const lines = sec.slice(start).split('\n');
  const end = lines.findIndex((l) => !l.startsWith('|'));
  return lines
    .slice(0, end < 0 ? lines.length : end)
    .map((l) => /^\| (\d+) \| ([a-z0-9_]+) \| .* \| ([^|]+) \|$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ label: m[2] as string, ...statusOf(m[3] as string, iface) }));
}

/** Every command section of the digest: `## NAME — FID[ / FID]` with its failure table and ordering line. */
function parseDigest(md: string): Map<string, DigestCommand> {
  const out = new Map<string, DigestCommand>();
  const sections = md.split(/^## /m).slice(1);
  for (const sec of sections) {
    const head = /^((?:RMI|RSI|PSCI)_[A-Z0-9_]+) — (.*)$/m.exec(sec);
    if (head === null) continue;
    const name = head[1] as string;
    const iface = name.split('_')[0] as string;
    const fids = [...(head[2] as string).matchAll(/0x[0-9A-Fa-f]+/g)].map((m) => Number(m[0]));
    const rows = tableRows(sec, iface);
    const ordering: Array<readonly [string, string]> = [];
    const line = /\*\*Ordering:\*\*([^\n]*)/.exec(sec)?.[1] ?? '';
    for (const m of line.matchAll(/\[([a-z0-9_, ]+)\] < \[([a-z0-9_, ]+)\]/g)) {
      const before = (m[1] as string).split(',').map((x) => x.trim());
      const after = (m[2] as string).split(',').map((x) => x.trim());
      for (const b of before) for (const a of after) ordering.push([b, a]);
    }
    out.set(name, { name, fids, rows, ordering });
  }
  return out;
}

/** Every command of the digest with a failure table. */
export const digest = parseDigest(text);

// PSCI functions are tabled together in the digest (Part C): their failure rows and FIDs are checked from their own tables.
const psciTables: Record<string, string> = { PSCI_CPU_ON: 'PSCI_CPU_ON failure conditions', PSCI_AFFINITY_INFO: 'PSCI_AFFINITY_INFO failure conditions' };
for (const [name, heading] of Object.entries(psciTables)) {
  const rows = tableRows(text.slice(text.indexOf(heading)).replace('| Result (Realm X0) |', '| Error |').replace('| Result |', '| Error |'), 'PSCI');
  digest.set(name, { name, fids: [], rows, ordering: [] });
}

