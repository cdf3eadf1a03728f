/**
 * The package as a user gets it: `npm pack`, then the tarball installed into a fresh project
 * outside this repository with its own @playwright/test (examples/user-project, copied), and
 * there: the command line, require and import of every entry, a user spec written with
 * cors-conform/playwright against an Express API started by webServer – passing on a correct
 * server, failing with a readable message on one that echoes any origin with credentials – and the
 * reporter loaded by name. Then the same spec under another Playwright minor version, in Chromium.
 *
 * npm installs from its cache first (`--prefer-offline`); the registry is reached only for what
 * the cache lacks. Every server is on 127.0.0.1 with a port the OS chose.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test, expect } from '@playwright/test';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLE = path.join(ROOT, 'examples', 'user-project');
const run = promisify(execFile);

/** The Playwright version this repository pins (Firefox ESR 153 needs it) and another minor, tested in Chromium. */
const PINNED = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> })
  .devDependencies['@playwright/test']!;
const OTHER_MINOR = '1.60.0';

let tarball = '';

test.describe.configure({ mode: 'serial', timeout: 300_000 });

test.beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-pack-'));
  // prepack builds dist/ (tsc), so the tarball is what `npm publish` would send.
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  const packed = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{
    filename: string;
    files: Array<{ path: string }>;
    size: number;
    unpackedSize: number;
  }>;
  tarball = path.join(dir, packed[0]!.filename);
  const files = packed[0]!.files.map((f) => f.path);
  test.info().annotations.push({
    type: 'package size',
    description: `${packed[0]!.size} bytes packed, ${packed[0]!.unpackedSize} unpacked, ${files.length} files`,
  });
  // Only what runs: no tests, benchmarks, sources or reference servers of frameworks.
  expect(files.filter((f) => /^(tests|bench|scripts|examples|docs)\/|\.ts$(?<!\.d\.ts)|express|fastify/.test(f))).toEqual([]);
  expect(files).toContain('dist/harness/cli/main.js');
  expect(files).toContain('bin/cors-conform.js');
});

/** A fresh user project with the tarball and @playwright/test at `playwright`; npm's output kept. */
async function userProject(playwright: string): Promise<{ dir: string; npmOutput: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-user-'));
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  pkg.devDependencies['cors-conform'] = `file:${tarball}`;
  pkg.devDependencies['@playwright/test'] = playwright;
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  const npm = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
  return { dir, npmOutput: `${npm.stdout}${npm.stderr}` };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** `npx playwright test` in the user's project; resolves with its exit code and output. */
function playwrightTest(dir: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(dir, 'node_modules', '@playwright', 'test', 'cli.js'), 'test'], {
      cwd: dir,
      env: { ...process.env, CI: '', FORCE_COLOR: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

let project: { dir: string; npmOutput: string };
interface DepTree {
  dependencies?: Record<string, DepTree>;
}

test('installs into a project with its own Playwright, without warnings, and without frameworks', async () => {
  project = await userProject(PINNED);
  expect(project.npmOutput).not.toMatch(/npm warn/i);
  const installed = JSON.parse(fs.readFileSync(path.join(project.dir, 'node_modules', 'cors-conform', 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  // What runs, nothing else: the engine, certificates, validation, OpenAPI, .ts config files and cookies.
  expect(Object.keys(installed.dependencies).sort()).toEqual([
    '@readme/openapi-parser',
    'jiti',
    'playwright-core',
    'selfsigned',
    'tough-cookie',
    'zod',
  ]);
  // Nor anywhere below them (the example project has its own express, for its API, which does not count).
  const tree = JSON.parse((await run('npm', ['ls', '--all', '--json'], { cwd: project.dir })).stdout) as DepTree;
  const below = new Set<string>();
  const walk = (t: DepTree): void =>
    Object.entries(t.dependencies ?? {}).forEach(([name, sub]) => {
      below.add(name);
      walk(sub);
    });
  walk(tree.dependencies!['cors-conform']!);
  expect([...below].filter((name) => ['express', 'fastify', 'cors', '@fastify/cors', 'tsx'].includes(name))).toEqual([]);
  expect(below.has('playwright-core')).toBe(true);
  // One @playwright/test: the user's own.
  expect(fs.existsSync(path.join(project.dir, 'node_modules', 'cors-conform', 'node_modules', '@playwright', 'test'))).toBe(false);
});

test('the command line: --version, --help, explain and verify against a local server', async () => {
  const bin = path.join(project.dir, 'node_modules', '.bin', 'cors-conform');
  const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  expect(version).toBe((JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  expect(execFileSync(bin, ['--help'], { encoding: 'utf8' })).toContain('cors-conform explain');
  // `explain` from the installed binary: its JSON on stdout.
  const explain = (...args: string[]) =>
    JSON.parse(execFileSync(bin, ['explain', '--origin', 'https://a.example', ...args], { encoding: 'utf8' })) as {
      outcome: string;
      reason: string;
    };
  const explained = explain('--url', 'https://b.example/x', '--credentials', 'include', '--response', 'Access-Control-Allow-Origin: *');
  expect(explained.reason).toBe('allow-origin-wildcard-with-credentials');
  // Another requester: a font is always fetched in CORS mode, so without ACAO it is blocked.
  expect(explain('--url', 'https://b.example/f.woff2', '--as', 'font', '--response', 'Content-Type: font/woff2')).toMatchObject({
    outcome: 'blocked',
    reason: 'allow-origin-missing',
  });

  const port = await freePort();
  const server = spawn(process.execPath, ['server.js'], {
    cwd: project.dir,
    env: { ...process.env, PORT: String(port), CORS_MODE: 'bad' },
    stdio: 'ignore',
  });
  try {
    await expect
      .poll(
        async () =>
          fetch(`http://127.0.0.1:${port}/health`).then(
            (r) => r.status,
            () => 0,
          ),
        { timeout: 15_000 },
      )
      .toBe(200);
    const verified = await run(
      bin,
      ['verify', `http://127.0.0.1:${port}/api/items`, '--origin', 'https://app.example.com', '--credentials', '--format', 'json'],
      {
        cwd: project.dir,
        maxBuffer: 16 * 1024 * 1024,
      },
    ).catch((e: { code: number; stdout: string; stderr: string }) => e);
    const report = JSON.parse(verified.stdout) as { verdict: string; findings: Array<{ id: string }> };
    expect(report.verdict).toBe('fail');
    expect(report.findings.map((f) => f.id)).toContain('reflects-any-origin-with-credentials');
    expect('code' in verified ? verified.code : 0).toBe(1);

    // A config in TypeScript, typed with the package's defineConfig, loaded from the user's project.
    fs.writeFileSync(
      path.join(project.dir, 'cors-conform.config.ts'),
      [
        "import { defineConfig } from 'cors-conform';",
        'export default defineConfig({',
        "  origins: ['https://app.example.com'],",
        '  credentials: true,',
        `  targets: ['http://127.0.0.1:${port}/api/items', { url: 'http://127.0.0.1:${port}/health', methods: ['PUT'], headers: ['X-Api-Key'] }],`,
        "  suppress: [{ finding: 'reflects-any-origin-with-credentials', target: '*/health', reason: 'no user data' }],",
        '});',
      ].join('\n'),
    );
    const configured = await run(bin, ['verify', '--config', 'cors-conform.config.ts', '--format', 'json'], {
      cwd: project.dir,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    const runs = JSON.parse(configured.stdout) as {
      targets: Array<{
        target: string;
        verdict: string;
        browsers: Array<{ findings: Array<{ id: string }>; suppressed?: Array<{ id: string; reason: string }> }>;
      }>;
      verdict: string;
    };
    expect(runs.targets.map((t) => t.target.replace(`:${port}`, ':PORT'))).toEqual([
      'http://127.0.0.1:PORT/api/items',
      'http://127.0.0.1:PORT/health',
    ]);
    const [items, health] = runs.targets.map((t) => t.browsers[0]!);
    expect(items!.findings.map((f) => f.id)).toContain('reflects-any-origin-with-credentials');
    expect(health!.findings.map((f) => f.id)).not.toContain('reflects-any-origin-with-credentials');
    expect(health!.suppressed?.map((x) => [x.id, x.reason])).toContainEqual(['reflects-any-origin-with-credentials', 'no user data']);
    expect(runs.targets.map((t) => t.verdict)).toEqual(['fail', 'pass']);
    expect(runs.verdict).toBe('fail');
    expect('code' in configured ? configured.code : 0).toBe(1);
  } finally {
    server.kill();
  }
});

test('require and import of cors-conform, cors-conform/playwright and cors-conform/reporter', async () => {
  const cjs = JSON.parse(execFileSync(process.execPath, ['interop.cjs'], { cwd: project.dir, encoding: 'utf8' })) as Record<string, string>;
  expect(cjs).toEqual({ verify: 'function', explain: 'allowed', test: 'function', expect: 'function', reporter: 'function' });
  const esm = JSON.parse(execFileSync(process.execPath, ['interop.mjs'], { cwd: project.dir, encoding: 'utf8' })) as Record<string, string>;
  expect(esm).toEqual({
    verify: 'function',
    explain: 'allow-origin-missing',
    usageError: 'function',
    test: 'function',
    expect: 'function',
    reporter: 'function',
  });
});

for (const browser of ['chromium', 'firefox'] as const) {
  test(`a user spec with cors-conform/playwright (${browser}): passes on a correct server${browser === 'chromium' ? ', fails readably on one that echoes any origin' : ''}`, async () => {
    const good = await playwrightTest(project.dir, { PORT: String(await freePort()), CORS_MODE: 'good', BROWSER: browser });
    expect(good.code, good.output).toBe(0);
    expect(good.output).toMatch(/3 passed/);
    // The reporter, loaded by name, wrote its three files next to the user's config.
    for (const ext of ['html', 'json', 'md'])
      expect(fs.existsSync(path.join(project.dir, 'cors-report', `cors-matrix.${ext}`)), ext).toBe(true);
    const matrix = JSON.parse(fs.readFileSync(path.join(project.dir, 'cors-report', 'cors-matrix.json'), 'utf8')) as {
      records: Array<{ suite: string }>;
    };
    expect(matrix.records.filter((r) => r.suite === 'playwright').length).toBe(2);

    // The failure message is the same text in every engine: checked once, in Chromium.
    if (browser !== 'chromium') return;
    const bad = await playwrightTest(project.dir, { PORT: String(await freePort()), CORS_MODE: 'bad', BROWSER: browser });
    expect(bad.code).toBe(1);
    // The failure says what the browser did, why, and what to fix.
    expect(bad.output).toMatch(/expected the browser to block the request for allow-origin-missing, but it was allowed/);
    expect(bad.output).toMatch(/request: {2}GET http:\/\/127\.0\.0\.1:\d+\/api\/items from https:\/\/other\.example\.com/);
    expect(bad.output).toMatch(/Access-Control-Allow-Origin: https:\/\/other\.example\.com/);
    expect(bad.output).toMatch(/\[critical\] reflects-any-origin-with-credentials/);
    expect(bad.output).toMatch(/fix: /);
  });
}

test(`another Playwright minor version (${OTHER_MINOR}), in Chromium`, async () => {
  const other = await userProject(OTHER_MINOR);
  expect(other.npmOutput).not.toMatch(/npm warn/i);
  const good = await playwrightTest(other.dir, { PORT: String(await freePort()), CORS_MODE: 'good', BROWSER: 'chromium' });
  expect(good.code, good.output).toBe(0);
  expect(good.output).toMatch(/3 passed/);
  // Where this Playwright lacks an internal cors-conform uses for speed, it says so at most once per worker.
  expect(good.output.split('does not let cors-conform turn off').length - 1).toBeLessThanOrEqual(1);
});
