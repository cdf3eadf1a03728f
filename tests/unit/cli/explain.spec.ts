/**
 * `cors-conform explain`, run as other tools run it: the real binary in a child process. Its
 * interface and JSON are fixed (harness/cli/explain.ts); a usage error is one line on stderr,
 * no stack trace, exit code 2.
 */
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

test.describe.configure({ mode: 'parallel' });

const ROOT = path.resolve(__dirname, '../../..');
const APP = 'https://app.example';
const API = 'https://api.example/data';

function explain(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/cors-conform.js', 'explain', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a scenario that must succeed and returns its parsed JSON, checking the fixed key set. */
function verdict(...args: string[]) {
  const r = explain(...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout.endsWith('\n')).toBe(true);
  expect(r.stdout.trim().split('\n')).toHaveLength(1);
  const json = JSON.parse(r.stdout) as Record<string, unknown>;
  expect(Object.keys(json)).toEqual(['preflight', 'outcome', 'reason', 'readableHeaders', 'preflightRequest']);
  return json;
}

test.describe('explain: the JSON verdict (exit code 0 for allowed and blocked alike)', () => {
  test('an allowed simple request, with the readable headers', () => {
    expect(
      verdict(
        '--origin',
        APP,
        '--url',
        API,
        '--response',
        `Access-Control-Allow-Origin: ${APP}`,
        '--response',
        'Content-Type: text/plain',
        '--response',
        'X-Secret: 1',
      ),
    ).toEqual({ preflight: false, outcome: 'allowed', reason: 'allowed', readableHeaders: ['content-type'], preflightRequest: null });
  });

  test('a blocked request still exits 0: * with credentials include', () => {
    expect(verdict('--origin', APP, '--url', API, '--credentials', 'include', '--response', 'Access-Control-Allow-Origin: *')).toEqual({
      preflight: false,
      outcome: 'blocked',
      reason: 'allow-origin-wildcard-with-credentials',
      readableHeaders: [],
      preflightRequest: null,
    });
  });

  test('a missing Allow-Origin is blocked with allow-origin-missing', () => {
    expect(verdict('--origin', APP, '--url', API, '--response', 'Content-Type: text/plain')).toMatchObject({
      outcome: 'blocked',
      reason: 'allow-origin-missing',
    });
  });

  test('a preflighted PUT shows the preflight request it would send', () => {
    const json = verdict(
      '--origin',
      APP,
      '--url',
      API,
      '--method',
      'put',
      '--header',
      'X-Token: t',
      '--header',
      'Content-Type: application/json',
      '--preflight-status',
      '204',
      '--preflight-response',
      `Access-Control-Allow-Origin: ${APP}`,
      '--preflight-response',
      'Access-Control-Allow-Methods: PUT',
      '--preflight-response',
      'Access-Control-Allow-Headers: x-token, content-type',
      '--response',
      `Access-Control-Allow-Origin: ${APP}`,
    );
    expect(json).toEqual({
      preflight: true,
      outcome: 'allowed',
      reason: 'allowed',
      readableHeaders: [],
      preflightRequest: {
        method: 'OPTIONS',
        headers: {
          accept: '*/*',
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'content-type,x-token',
          origin: APP,
        },
      },
    });
  });

  test('a failing preflight status is blocked with preflight-status-not-ok', () => {
    expect(
      verdict(
        '--origin',
        APP,
        '--url',
        API,
        '--method',
        'DELETE',
        '--preflight-status',
        '404',
        '--preflight-response',
        `Access-Control-Allow-Origin: ${APP}`,
        '--preflight-response',
        'Access-Control-Allow-Methods: DELETE',
      ),
    ).toMatchObject({ preflight: true, outcome: 'blocked', reason: 'preflight-status-not-ok' });
  });

  test('Authorization under Allow-Headers: * is blocked with preflight-authorization-not-covered-by-wildcard', () => {
    expect(
      verdict(
        '--origin',
        APP,
        '--url',
        API,
        '--header',
        'Authorization: Bearer t',
        '--preflight-response',
        'Access-Control-Allow-Origin: *',
        '--preflight-response',
        'Access-Control-Allow-Headers: *',
        '--response',
        'Access-Control-Allow-Origin: *',
      ),
    ).toMatchObject({ preflight: true, outcome: 'blocked', reason: 'preflight-authorization-not-covered-by-wildcard' });
  });

  test('--response given twice with the same name sends the header twice: allow-origin-multiple-values', () => {
    expect(
      verdict(
        '--origin',
        APP,
        '--url',
        API,
        '--response',
        `Access-Control-Allow-Origin: ${APP}`,
        '--response',
        `Access-Control-Allow-Origin: ${APP}`,
      ),
    ).toMatchObject({
      outcome: 'blocked',
      reason: 'allow-origin-multiple-values',
    });
  });

  test('--client xhr --credentials include means withCredentials', () => {
    expect(
      verdict('--origin', APP, '--url', API, '--client', 'xhr', '--credentials', 'include', '--response', 'Access-Control-Allow-Origin: *'),
    ).toMatchObject({
      outcome: 'blocked',
      reason: 'allow-origin-wildcard-with-credentials',
    });
    expect(
      verdict(
        '--origin',
        APP,
        '--url',
        API,
        '--client',
        'xhr',
        '--credentials',
        'include',
        '--response',
        `Access-Control-Allow-Origin: ${APP}`,
      ),
    ).toMatchObject({ outcome: 'blocked', reason: 'allow-credentials-invalid' });
    expect(verdict('--origin', APP, '--url', API, '--client', 'xhr', '--response', 'Access-Control-Allow-Origin: *')).toMatchObject({
      outcome: 'allowed',
    });
  });

  test('--origin null is the opaque origin, admitted by Allow-Origin: null', () => {
    expect(verdict('--origin', 'null', '--url', API, '--response', 'Access-Control-Allow-Origin: null')).toMatchObject({
      outcome: 'allowed',
      reason: 'allowed',
    });
  });

  test('--status sets the actual status; any status can be shared', () => {
    expect(verdict('--origin', APP, '--url', API, '--status', '404', '--response', `Access-Control-Allow-Origin: ${APP}`)).toMatchObject({
      outcome: 'allowed',
    });
  });
});

test.describe('explain --as: every requester, with its own mode and credentials (harness/oracle/requesters.ts)', () => {
  const wildcard = ['--response', 'Access-Control-Allow-Origin: *'];
  test('each requester answers with the fixed JSON; * admits every CORS-mode one that sends no credentials', () => {
    const outcomes: Record<string, unknown> = {};
    for (const as of ['fetch', 'xhr', 'worker', 'img', 'script', 'module', 'import', 'stylesheet', 'font', 'eventsource', 'module-worker'])
      outcomes[as] = verdict('--origin', APP, '--url', API, '--as', as, ...wildcard).outcome;
    expect(outcomes).toEqual({
      fetch: 'allowed',
      xhr: 'allowed',
      worker: 'allowed',
      img: 'opaque',
      script: 'opaque',
      module: 'allowed',
      import: 'allowed',
      stylesheet: 'opaque',
      font: 'allowed',
      eventsource: 'allowed',
      'module-worker': 'allowed',
    });
  });

  test('a font from a server without Allow-Origin is blocked: fonts are always CORS mode', () => {
    expect(verdict('--origin', APP, '--url', API, '--as', 'font', '--response', 'Content-Type: font/woff2')).toMatchObject({
      outcome: 'blocked',
      reason: 'allow-origin-missing',
    });
  });

  test('--crossorigin use-credentials makes an image credentialed: * no longer admits it', () => {
    expect(verdict('--origin', APP, '--url', API, '--as', 'img', '--crossorigin', 'use-credentials', ...wildcard)).toMatchObject({
      outcome: 'blocked',
      reason: 'allow-origin-wildcard-with-credentials',
    });
    expect(verdict('--origin', APP, '--url', API, '--as', 'img', '--crossorigin', 'anonymous', ...wildcard).outcome).toBe('allowed');
  });

  test('EventSource with --credentials include is withCredentials', () => {
    expect(verdict('--origin', APP, '--url', API, '--as', 'eventsource', '--credentials', 'include', ...wildcard).reason).toBe(
      'allow-origin-wildcard-with-credentials',
    );
  });
});

test.describe('explain: bad arguments (one line on stderr naming the argument, exit code 2)', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown option', ['--origin', APP, '--url', API, '--bogus', 'x'], /--bogus/],
    ['a missing --origin', ['--url', API], /--origin/],
    ['an --origin with a path', ['--origin', `${APP}/`, '--url', API], /--origin/],
    ['an --origin that is no URL', ['--origin', 'app.example', '--url', API], /--origin/],
    ['a missing --url', ['--origin', APP], /--url/],
    ['a non-HTTP --url', ['--origin', APP, '--url', 'ftp://api.example/'], /--url/],
    ['a --status below 100', ['--origin', APP, '--url', API, '--status', '99'], /--status/],
    ['a --status that is no number', ['--origin', APP, '--url', API, '--status', 'ok'], /--status/],
    ['a --preflight-status of four digits', ['--origin', APP, '--url', API, '--preflight-status', '2000'], /--preflight-status/],
    ['a --response without a colon', ['--origin', APP, '--url', API, '--response', 'Access-Control-Allow-Origin *'], /--response/],
    ['a --header without a colon', ['--origin', APP, '--url', API, '--header', 'X-Token'], /--header/],
    ['a --preflight-response without a colon', ['--origin', APP, '--url', API, '--preflight-response', 'nocolon'], /--preflight-response/],
    ['a bad --credentials', ['--origin', APP, '--url', API, '--credentials', 'yes'], /--credentials/],
    ['a bad --client', ['--origin', APP, '--url', API, '--client', 'curl'], /--client/],
    ['a forbidden --method', ['--origin', APP, '--url', API, '--method', 'TRACE'], /--method/],
    ['an option without its value', ['--origin', APP, '--url', API, '--status'], /--status/],
    ['an unknown --as', ['--origin', APP, '--url', API, '--as', 'iframe'], /--as "iframe"/],
    ['--as with --client', ['--origin', APP, '--url', API, '--as', 'img', '--client', 'xhr'], /--as or --client/],
    ['--method with an element', ['--origin', APP, '--url', API, '--as', 'img', '--method', 'PUT'], /--method/],
    ['--header with a font', ['--origin', APP, '--url', API, '--as', 'font', '--header', 'X-A: 1'], /--header/],
    ['--credentials with an element', ['--origin', APP, '--url', API, '--as', 'script', '--credentials', 'include'], /--crossorigin/],
    ['--crossorigin with fetch', ['--origin', APP, '--url', API, '--crossorigin', 'anonymous'], /--crossorigin/],
    ['a bad --crossorigin', ['--origin', APP, '--url', API, '--as', 'img', '--crossorigin', 'yes'], /--crossorigin "yes"/],
  ];
  for (const [label, args, names] of cases) {
    test(`${label} is a usage error`, () => {
      const r = explain(...args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.split('\n');
      expect(lines, r.stderr).toHaveLength(2);
      expect(lines[1]).toBe('');
      expect(lines[0]).toMatch(/^cors-conform: /);
      expect(lines[0]).toMatch(names);
      expect(r.stderr).not.toMatch(/\bat .*:\d+:\d+|Error:|internal error/);
    });
  }
});
