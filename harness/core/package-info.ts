/**
 * This package's own name and version, read from its package.json: found by walking up from this
 * file, so it is the same from the sources (harness/core) and from the build (dist/harness/core).
 */
import fs from 'node:fs';
import path from 'node:path';

let cached: { name: string; version: string } | undefined;

export function packageInfo(): { name: string; version: string } {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (json.name === 'cors-conform') return (cached = { name: json.name, version: json.version ?? '0.0.0' });
    }
    if (path.dirname(dir) === dir) return (cached = { name: 'cors-conform', version: 'unknown' });
  }
}
