/**
 * The layout's two promises, checked: the lint refuses an import that goes up a layer
 * (eslint.layers.mjs), and no exported name is declared by two modules (one name, one meaning).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { test, expect } from '@playwright/test';

const ROOT = path.resolve(__dirname, '../../..');

async function lint(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

test('the lint refuses an import up the layers and between siblings, and allows one down', async () => {
  const up = await lint('harness/oracle/wrong-way.ts', "import { discover } from '../browser/engines';\nexport const x = discover;\n");
  expect(up.join('\n')).toMatch(/import-x\/no-restricted-paths: .*harness\/oracle may import only nothing of the project/);
  const sibling = await lint('harness/verify/wrong-way.ts', "import { judge } from '../protocol/judge';\nexport const x = judge;\n");
  expect(sibling.join('\n')).toMatch(
    /import-x\/no-restricted-paths: .*harness\/verify may import only harness\/oracle, harness\/core, harness\/browser, servers/,
  );
  const servers = await lint(
    'servers/reference/wrong-way.ts',
    "import { ProbeSession } from '../../harness/browser/runner';\nexport const x = ProbeSession;\n",
  );
  expect(servers.join('\n')).toMatch(/no-restricted-paths: .*servers may import only harness\/core/);
  const down = await lint('harness/verify/right-way.ts', "import { newToken } from '../core/probe-url';\nexport const x = newToken;\n");
  expect(down).toEqual([]);
});

/** Every `export <declaration> Name` in the shipped folders. */
function exportedDeclarations(): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'out') walk(rel);
      } else if (entry.name.endsWith('.ts')) {
        const text = fs.readFileSync(path.join(ROOT, rel), 'utf8');
        for (const m of text.matchAll(
          /^export (?:declare )?(?:async )?(?:abstract )?(?:function\*?|const|let|class|interface|type|enum) ([A-Za-z_$][\w$]*)/gm,
        )) {
          byName.set(m[1]!, [...(byName.get(m[1]!) ?? []), rel]);
        }
      }
    }
  };
  for (const dir of ['harness', 'servers', 'reports']) walk(dir);
  return byName;
}

test('no exported name is declared in two modules', () => {
  const all = exportedDeclarations();
  expect(all.size).toBeGreaterThan(300);
  const twice = [...all].filter(([, files]) => files.length > 1).map(([name, files]) => `${name}: ${files.join(', ')}`);
  expect(twice).toEqual([]);
});
