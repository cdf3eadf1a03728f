/**
 * The README and docs/ point only at things that exist: every relative link resolves (its
 * #fragment to a heading of the target), every repository path in backticks exists, and every
 * docs/*.md a source comment names exists. The README stays short.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';

const ROOT = path.resolve(__dirname, '../..');
const DOCS = [
  'README.md',
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');
}

function headings(file: string): Set<string> {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!.trim())));
}

test('every relative link in the README and docs/ resolves, fragments included', () => {
  const broken: string[] = [];
  let links = 0;
  for (const file of DOCS) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue;
      links++;
      const [where, fragment] = target.split('#');
      const resolved = where ? path.normalize(path.join(path.dirname(file), where)) : file;
      if (!fs.existsSync(path.join(ROOT, resolved))) broken.push(`${file}: ${target} (no such file)`);
      else if (fragment && resolved.endsWith('.md') && !headings(resolved).has(fragment))
        broken.push(`${file}: ${target} (no such heading)`);
    }
  }
  expect(links).toBeGreaterThan(10);
  expect(broken).toEqual([]);
});

test('every repository path the README and docs/ name in backticks exists', () => {
  const missing: string[] = [];
  for (const file of DOCS) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/`((?:harness|servers|reports|tests|docs|bench|scripts|examples|bin)\/[^`\s]*)`/g)) {
      const p = m[1]!.replace(/[),.:;]+$/, '');
      // Patterns and generated output are not paths to check.
      if (/[*<>{}]/.test(p) || p.startsWith('reports/out')) continue;
      if (!fs.existsSync(path.join(ROOT, p))) missing.push(`${file}: ${p}`);
    }
  }
  expect(missing).toEqual([]);
});

test('every docs/*.md a source file names exists, and nothing cites the design file the repository does not ship', () => {
  const problems: string[] = [];
  const walk = (dir: string): string[] =>
    fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) return e.name === 'out' || e.name === 'node_modules' ? [] : walk(rel);
      return /\.(ts|mjs|js)$/.test(e.name) ? [rel] : [];
    });
  for (const file of ['harness', 'servers', 'reports', 'tests', 'bench', 'scripts', 'bin'].flatMap(walk)) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/docs\/[a-z-]+\.md/g)) if (!fs.existsSync(path.join(ROOT, m[0]))) problems.push(`${file}: ${m[0]}`);
    if (/DESIGN\.md/.test(text))
      problems.push(`${file}: names the team-only design file, which the repository does not ship (describe it in docs/)`);
  }
  expect(problems).toEqual([]);
});

test('the README is at most 250 lines', () => {
  expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(250);
});
