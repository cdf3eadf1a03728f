/**
 * Before any test: the package's build (dist/) is what the tests of the command line and the
 * package run, so it must be current. Rebuilt when any source is newer than the last build
 * (a no-op tsc run still costs ~3 s; the check costs milliseconds).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const STAMP = path.join(ROOT, 'dist', '.tsbuildinfo');

function newest(dir: string): number {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'out' && entry.name !== 'node_modules') latest = Math.max(latest, newest(file));
    } else if (entry.name.endsWith('.ts')) latest = Math.max(latest, fs.statSync(file).mtimeMs);
  }
  return latest;
}

export default function globalSetup(): void {
  const built = fs.existsSync(STAMP) ? fs.statSync(STAMP).mtimeMs : 0;
  const sources = Math.max(
    ...['harness', 'reports', 'servers'].map((d) => newest(path.join(ROOT, d))),
    fs.statSync(path.join(ROOT, 'package.json')).mtimeMs,
  );
  if (sources <= built) return;
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  // tsc leaves the stamp alone when nothing changed in what it emits: touch it so the check holds.
  fs.utimesSync(STAMP, new Date(), new Date());
}
