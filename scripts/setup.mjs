#!/usr/bin/env node
// `npm run setup`: everything the main job and the tests need, on a fresh machine.
//   1. dependencies: `npm ci` (pinned by package-lock.json) unless node_modules already matches;
//   2. browsers: Playwright's own build (`npx playwright install`), else a system browser
//      already present, else Debian's package (`apt-get install chromium` / `firefox-esr`; for
//      WebKit, WebKitGTK's `webkit2gtk-driver` and `xvfb`, driven over WebDriver);
//   3. the reference servers that are programs (php-cli, apache2 + libapache2-mod-php, nginx,
//      mono-devel), from apt when missing;
//   and builds the package (dist/), which the cors-conform command runs.
// Plain Node with no dependencies, so it runs before `npm ci`. Each step says what it did.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const say = (line) => console.log(`setup: ${line}`);
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: 'inherit', timeout: 15 * 60_000, ...opts }).status === 0;
const quiet = (cmd, args, timeout = 180_000) => spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout, encoding: 'utf8' });

// 1. Dependencies.
const lock = fs.readFileSync('package-lock.json');
const lockHash = createHash('sha256').update(lock).digest('hex');
const stamp = path.join('node_modules', '.cors-conform-lock');
if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === lockHash) {
  say('dependencies already installed (node_modules matches package-lock.json)');
} else {
  say('installing dependencies: npm ci');
  if (!run('npm', ['ci', '--no-audit', '--no-fund'])) {
    console.error('setup: `npm ci` failed; check access to the npm registry and try again');
    process.exit(1);
  }
  fs.writeFileSync(stamp, lockHash);
}

// The command line runs compiled JavaScript (dist/): build it (tsc, a few seconds).
say('building the package: npm run build');
if (!run('npm', ['run', '--silent', 'build'])) {
  console.error('setup: `npm run build` failed; run it and look at its output');
  process.exit(1);
}

// 2. Browsers, the same discovery the harness uses (harness/browser/engines.ts).
const wanted = (process.env.CORS_CONFORM_BROWSERS ?? 'chromium,firefox,webkit').split(',').filter(Boolean);
const systemPaths = {
  chromium: [
    '/usr/lib/chromium/chromium',
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ],
  firefox: ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/Applications/Firefox.app/Contents/MacOS/firefox'],
};
const aptPackage = { chromium: 'chromium', firefox: 'firefox-esr', webkit: 'webkit2gtk-driver xvfb' };
const isExecutable = (file) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
};
const playwrightBuild = (name) => {
  const out = quiet(process.execPath, [
    '-e',
    `const p=require('playwright-core')[${JSON.stringify(name)}].executablePath(); process.stdout.write(p||'')`,
  ]);
  return out.status === 0 && out.stdout && isExecutable(out.stdout) ? out.stdout : null;
};
// WebKit's system build is WebKitGTK (harness/browser/webkitgtk.ts): its WebDriver, MiniBrowser and Xvfb.
const webkitGtk = () => {
  const driver = ['/usr/bin/WebKitWebDriver', '/usr/local/bin/WebKitWebDriver'].find(isExecutable);
  const lib = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/libexec', '/usr/lib'];
  const mini = lib.flatMap((d) => ['webkit2gtk-4.1', 'webkitgtk-6.0'].map((v) => `${d}/${v}/MiniBrowser`)).find(isExecutable);
  const xvfb = ['/usr/bin/Xvfb', '/usr/local/bin/Xvfb'].find(isExecutable) ?? process.env.DISPLAY;
  return driver && mini && xvfb ? mini : null;
};
const findSystem = (name) => (name === 'webkit' ? webkitGtk() : (systemPaths[name]?.find(isExecutable) ?? null));
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const canSudo = !isRoot && quiet('sudo', ['-n', 'true'], 10_000).status === 0;
let aptUpdated = false;
const aptInstall = (pkg) => {
  if (!isRoot && !canSudo) return false;
  if (quiet('which', ['apt-get'], 10_000).status !== 0) return false;
  // As root run apt-get directly; otherwise only through password-less sudo.
  const apt = (...args) => (isRoot ? run('apt-get', args, { env }) : run('sudo', ['-n', 'apt-get', ...args], { env }));
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    say('apt-get update');
    aptUpdated = apt('update', '-qq');
  }
  say(`apt-get install ${pkg}`);
  return apt('install', '-y', '-qq', pkg);
};

let failed = false;
for (const name of wanted) {
  if (playwrightBuild(name)) {
    say(`${name}: Playwright's own build is installed`);
    continue;
  }
  say(`${name}: trying \`npx playwright install ${name}\``);
  const attempt = quiet('npx', ['playwright', 'install', name], 300_000);
  if (attempt.status === 0 && playwrightBuild(name)) {
    say(`${name}: installed Playwright's build`);
    continue;
  }
  say(
    `${name}: Playwright's download is not reachable from here (${(attempt.stderr || attempt.stdout || '').trim().split('\n')[0] || 'no output'})`,
  );
  const system = findSystem(name);
  if (system) {
    say(`${name}: using the system browser ${system}`);
    continue;
  }
  if (aptPackage[name].split(' ').every((pkg) => aptInstall(pkg)) && findSystem(name)) {
    say(`${name}: installed Debian's ${aptPackage[name]} (${findSystem(name)})`);
    continue;
  }
  const line = `${name}: not installed. Install Playwright's build (npx playwright install ${name}) or your system's ${aptPackage[name]} package`;
  if (name === 'chromium') {
    console.error(`setup: ${line}; the main job needs it.`);
    failed = true;
  } else say(`${line}; its cases will be reported as not run.`);
}

// 3. The reference servers that are programs of their own, from apt when missing. One that will
// not install is reported and its cases are reported as not run by the suite.
const phpModule = () => {
  try {
    return fs.readdirSync('/usr/lib/apache2/modules').some((f) => /^libphp[\d.]*\.so$/.test(f));
  } catch {
    return false;
  }
};
const programs = [
  { name: 'php', packages: ['php-cli'], present: () => quiet('php', ['--version'], 20_000).status === 0 },
  {
    name: 'apache2 + mod_php',
    packages: ['apache2', 'libapache2-mod-php'],
    present: () => quiet('apache2', ['-v'], 20_000).status === 0 && phpModule(),
  },
  { name: 'nginx', packages: ['nginx'], present: () => quiet('nginx', ['-v'], 20_000).status === 0 },
  {
    name: 'mono (ASP.NET System.Web)',
    packages: ['mono-devel'],
    present: () => quiet('mono', ['--version'], 20_000).status === 0 && quiet('mcs', ['--version'], 20_000).status === 0,
  },
];
for (const program of programs) {
  if (program.present()) {
    say(`${program.name}: found`);
    continue;
  }
  const installed = program.packages.every((pkg) => aptInstall(pkg)) && program.present();
  say(
    installed
      ? `${program.name}: installed Debian's ${program.packages.join(' ')}`
      : `${program.name}: not installed (apt-get install ${program.packages.join(' ')}); its server cases will be reported as not run.`,
  );
}

try {
  execFileSync(process.execPath, ['-e', "require('@playwright/test')"], { stdio: 'ignore' });
} catch {
  console.error('setup: @playwright/test did not install; run `npm ci` and look at its output');
  failed = true;
}
process.exit(failed ? 1 : 0);
