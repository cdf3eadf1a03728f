/** `cors-conform verify` arguments (harness/cli/verify-args.ts): defaults and one-line errors. */
import { test, expect } from '@playwright/test';
import { parseVerifyArgs } from '../../../harness/cli/verify-args';
import { UsageError } from '../../../harness/core/errors';

const URL_ = 'https://api.example.com/data';
const APP = 'https://app.example.com';

function fails(argv: string[]): string {
  try {
    parseVerifyArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as Error).message).not.toContain('\n');
    return (error as Error).message;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
}

test('defaults', () => {
  expect(parseVerifyArgs([URL_, '--origin', APP])).toEqual({
    url: URL_,
    origins: [APP],
    credentials: false,
    methods: [],
    headers: [],
    expect: null,
    browser: 'chromium',
    source: { kind: 'url' },
    format: 'table',
    formats: ['table'],
    out: null,
    outDir: null,
    force: false,
    failOn: 'high',
    timeoutMs: 10_000,
    concurrency: 2,
    insecure: false,
    as: null,
    help: false,
    list: false,
    cookies: [],
    storageState: null,
    shard: null,
    given: new Set(['origin']),
  });
});

test('every option', () => {
  const o = parseVerifyArgs([
    URL_,
    '--origin',
    APP,
    '--origin',
    'http://localhost:3000',
    '--credentials',
    '--method',
    'PUT',
    '--method',
    'patch',
    '--header',
    'X-Api-Key',
    '--header',
    'Content-Type',
    '--header',
    'X-Mode: fast',
    '--browser',
    'all',
    '--format',
    'json',
    '--out',
    'r.json',
    '--force',
    '--fail-on',
    'medium',
    '--timeout',
    '500',
    '--concurrency',
    '4',
    '--insecure',
  ]);
  expect(o).toMatchObject({
    origins: [APP, 'http://localhost:3000'],
    credentials: true,
    methods: ['PUT', 'patch'],
    browser: 'all',
    format: 'json',
    out: 'r.json',
    force: true,
    failOn: 'medium',
    timeoutMs: 500,
    concurrency: 4,
    insecure: true,
  });
  expect(o.headers).toEqual([
    ['X-Api-Key', 'cors-conform'],
    ['Content-Type', 'application/json'],
    ['X-Mode', 'fast'],
  ]);
});

test('many targets: --config, --targets, --openapi; output to a directory; what goes with what', () => {
  expect(parseVerifyArgs(['--config', 'c.json', '--shard', '2/3', '--format', 'json,sarif', '--out-dir', 'out'])).toMatchObject({
    source: { kind: 'config', file: 'c.json' },
    shard: { index: 2, total: 3 },
    formats: ['json', 'sarif'],
    format: 'json',
    outDir: 'out',
  });
  expect(parseVerifyArgs(['--targets', '-', '--origin', APP, '--cookie', 'sid=1', '--list'])).toMatchObject({
    source: { kind: 'targets', file: '-' },
    origins: [APP],
    cookies: ['sid=1'],
    list: true,
  });
  expect(parseVerifyArgs(['--openapi', 'o.yaml', '--openapi-server', 'http://127.0.0.1:1', '--origin', APP])).toMatchObject({
    source: { kind: 'openapi', file: 'o.yaml', server: 'http://127.0.0.1:1' },
  });
  // --config takes how to run from the command line, never what to check.
  expect(parseVerifyArgs(['--config', 'c.json', '--fail-on', 'low', '--browser', 'all']).given).toEqual(
    new Set(['config', 'fail-on', 'browser']),
  );
  expect(fails(['--config', 'c.json', '--origin', APP])).toBe(
    '--origin with --config: set origins in the config file (for all targets, or per target)',
  );
  expect(fails([URL_, '--config', 'c.json'])).toBe('<url> and --config together: give one of <url>, --config, --targets, --openapi');
  expect(fails(['--targets', 'a.txt', '--openapi', 'o.yaml', '--origin', APP])).toMatch(/^--targets and --openapi together/);
  expect(fails(['--targets', 'a.txt'])).toMatch(/^--origin is required/);
  expect(fails([URL_, '--origin', APP, '--format', 'json,sarif'])).toBe(
    '--format json,sarif: several formats need --out-dir <dir> (each is written to its own file)',
  );
  expect(fails([URL_, '--origin', APP, '--format', 'json,json', '--out-dir', 'o'])).toBe('--format json,json names a format twice');
  expect(fails([URL_, '--origin', APP, '--out', 'a', '--out-dir', 'o'])).toMatch(/^--out and --out-dir together/);
  expect(fails([URL_, '--origin', APP, '--shard', '1/2'])).toMatch(/^--shard works on a list of targets/);
  expect(fails([URL_, '--origin', APP, '--openapi-server', 'http://x'])).toMatch(/^--openapi-server only makes sense with --openapi/);
  expect(fails(['--cookie', 'a=1'])).toMatch(/^--cookie needs the URL of the server to check/);
  expect(fails(['--config', 'c.json', '--shard', '3/2'])).toMatch(/^--shard "3\/2" is not i\/n/);
});

test('no URL: the bundled sample, which takes output options only', () => {
  expect(parseVerifyArgs([])).toMatchObject({ url: null, origins: [] });
  expect(parseVerifyArgs(['--format', 'json', '--browser', 'firefox'])).toMatchObject({ url: null, format: 'json', browser: 'firefox' });
  expect(fails(['--origin', APP])).toMatch(/^--origin needs the URL of the server to check/);
  expect(fails(['--credentials'])).toMatch(/^--credentials needs the URL/);
});

test('one-line errors', () => {
  expect(fails(['http://exa mple.com'])).toMatch(/is not a URL/);
  expect(fails(['ftp://x.test/', '--origin', APP])).toMatch(/is not an http\(s\) URL/);
  expect(fails(['https://user:pw@api.example.com/', '--origin', APP])).toMatch(/user name or password/);
  expect(fails([URL_, '--origin', APP, '--bogus'])).toMatch(/^Unknown option '--bogus': see cors-conform verify --help$/);
  expect(fails([URL_, URL_, '--origin', APP])).toMatch(/one URL at a time/);
  expect(fails([URL_])).toMatch(/--origin is required/);
  expect(fails([URL_, '--origin', 'https://App.example.com/'])).toBe(
    '--origin "https://App.example.com/" is not a serialized origin: did you mean https://app.example.com?',
  );
  expect(fails([URL_, '--origin', 'null'])).toMatch(/null origin is probed as an attacker origin anyway/);
  expect(fails([URL_, '--origin', 'https://api.example.com'])).toMatch(/is the target's own origin/);
  expect(fails([URL_, '--origin', APP, '--method', 'TRACE'])).toMatch(/forbidden method/);
  expect(fails([URL_, '--origin', APP, '--method', 'P U T'])).toMatch(/not an HTTP method token/);
  expect(fails([URL_, '--origin', APP, '--header', 'Cookie'])).toMatch(/forbidden request header/);
  expect(fails([URL_, '--origin', APP, '--header', 'Bad Name'])).toMatch(/is not a header name/);
  expect(fails([URL_, '--origin', APP, '--browser', 'safari'])).toBe('--browser "safari" is not one of chromium, firefox, webkit, all');
  expect(fails([URL_, '--origin', APP, '--format', 'xml'])).toBe('--format "xml" is not one of table, json, junit, markdown, sarif');
  expect(fails([URL_, '--origin', APP, '--fail-on', 'severe'])).toBe('--fail-on "severe" is not one of low, medium, high, critical');
  expect(fails([URL_, '--origin', APP, '--timeout', '5s'])).toBe('--timeout "5s" is not a whole number from 100 to 600000');
  expect(fails([URL_, '--origin', APP, '--concurrency', '0'])).toBe('--concurrency "0" is not a whole number from 1 to 16');
  expect(fails([URL_, '--origin', APP, '--force'])).toMatch(/--force only makes sense with --out/);
  expect(fails([URL_, '--origin', APP, '--as', 'iframe'])).toMatch(/^--as "iframe" is not one of fetch, xhr, worker, img, /);
  expect(fails([URL_, '--origin', APP, '--as', 'font', '--method', 'PUT'])).toBe(
    '--as font loads the URL with a plain GET: --method goes with fetch, xhr or worker',
  );
  expect(fails([URL_, '--origin', APP, '--as', 'img', '--header', 'X-A'])).toMatch(/--as img loads the URL with a plain GET: --header/);
  expect(fails(['--as', 'font'])).toMatch(/^--as needs the URL of the server to check/);
  expect(fails(['--config', 'c.json', '--as', 'font'])).toMatch(/^--as with --config: set as in the config file/);
});

test('--as: the requester, checked; absent means fetch and XHR', () => {
  expect(parseVerifyArgs([URL_, '--origin', APP, '--as', 'font']).as).toBe('font');
  expect(parseVerifyArgs([URL_, '--origin', APP]).as).toBeNull();
});

test('header values: exactly what browsers refuse is refused (NUL, CR, LF, above U+00FF)', () => {
  expect(fails([URL_, '--origin', APP, '--header', 'X-A: a\u0000b'])).toMatch(/--header X-A: the value has a NUL byte/);
  expect(fails([URL_, '--origin', APP, '--header', 'X-A: a\nb'])).toMatch(/a line feed \(LF\)/);
  expect(fails([URL_, '--origin', APP, '--header', 'X-A: a\rb'])).toMatch(/a carriage return \(CR\)/);
  expect(fails([URL_, '--origin', APP, '--header', 'X-A: \u20ac'])).toMatch(/U\+20AC \(above U\+00FF\)/);
  // Sent by both browsers (measured): tab, other controls, DEL, Latin-1.
  expect(parseVerifyArgs([URL_, '--origin', APP, '--header', 'X-A: a\tb\u0001\u007f\u00e9']).headers).toEqual([
    ['X-A', 'a\tb\u0001\u007f\u00e9'],
  ]);
});

test("node:util's several-sentence errors become one line", () => {
  expect(fails([URL_, '--origin', APP, '--timeout'])).toMatch(
    /^Option '--timeout <value>' argument missing: see cors-conform verify --help$/,
  );
  expect(fails([URL_, '--origin', APP, '--concurrency', '-3'])).toBe('--concurrency "-3" is not a whole number from 1 to 16');
});
