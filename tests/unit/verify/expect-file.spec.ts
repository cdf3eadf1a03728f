/** --expect files (harness/verify/expect-file.ts): zod validation naming the field, and merging with the command line. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { loadExpectFile, matchAllow, parseExpectFile, probedOrigins, resolveExpectations } from '../../../harness/verify/expect-file';

const APP = 'https://app.example.com';

function error(json: unknown): string {
  try {
    parseExpectFile(json, 'expect file x.json');
  } catch (e) {
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('no error');
}

test('a full file parses', () => {
  const file = {
    allow: [
      { origin: APP, credentials: true, methods: ['PUT'], requestHeaders: ['X-Api-Key'], readableHeaders: ['X-Request-Id'] },
      { origin: 'https://*.example.com' },
    ],
    deny: ['https://old.example.com'],
    public: false,
  };
  expect(parseExpectFile(file)).toEqual(file);
});

test('errors name the field', () => {
  expect(error({ allow: [{ origin: `${APP}/` }] })).toBe(
    'expect file x.json: allow[0].origin: not a serialized origin (scheme://host[:port]) or a sub-domain pattern (scheme://*.domain)',
  );
  expect(error({ allow: [{ origin: APP, methods: ['PUT', 'P T'] }] })).toBe(
    'expect file x.json: allow[0].methods[1]: not a valid method (an RFC 9110 token)',
  );
  expect(error({ allow: [{ origin: APP, credentials: 'yes' }] })).toMatch(/^expect file x\.json: allow\[0\]\.credentials: .*boolean/);
  expect(error({ deny: ['nope'] })).toMatch(/^expect file x\.json: deny\[0\]: not a serialized origin/);
  expect(error({ allow: [{ origin: APP, credential: true }] })).toMatch(
    /^expect file x\.json: allow\[0\]: Unrecognized key.*\(credential\)$/,
  );
  expect(error({ publik: true })).toMatch(/^expect file x\.json: \(top level\): Unrecognized key.*\(publik\)$/);
  expect(error([])).toMatch(/^expect file x\.json: \(top level\): .*object/);
});

test('loading: a missing file and a file that is not JSON', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-expect-'));
  expect(() => loadExpectFile(path.join(dir, 'none.json'))).toThrow(/^cannot read expect file .*none\.json: no such file$/);
  fs.writeFileSync(path.join(dir, 'bad.json'), '{');
  expect(() => loadExpectFile(path.join(dir, 'bad.json'))).toThrow(/is not JSON: /);
  fs.writeFileSync(path.join(dir, 'ok.json'), JSON.stringify({ allow: [{ origin: APP }] }));
  expect(loadExpectFile(path.join(dir, 'ok.json'))).toEqual({ allow: [{ origin: APP }] });
});

test('without a file: every --origin is allowed, with credentials only when --credentials', () => {
  expect(resolveExpectations(null, { origins: [APP], credentials: false })).toEqual({
    allow: [{ origin: APP, credentials: false, methods: null, requestHeaders: null, readableHeaders: null, source: 'command line' }],
    deny: [],
    public: false,
  });
});

test('the file decides for its origins; --origin adds the others; patterns match sub-domains only', () => {
  const e = resolveExpectations(
    { allow: [{ origin: APP, credentials: true }, { origin: 'https://*.example.com' }], deny: ['https://old.example.org'] },
    { origins: [APP, 'https://admin.example.com', 'https://other.example.org', 'https://old.example.org'], credentials: false },
  );
  expect(e.allow.map((a) => [a.origin, a.credentials, a.source])).toEqual([
    [APP, true, 'expect file'],
    ['https://*.example.com', false, 'expect file'],
    ['https://other.example.org', false, 'command line'],
  ]);
  expect(matchAllow(e, 'https://a.b.example.com')!.origin).toBe('https://*.example.com');
  expect(matchAllow(e, 'https://example.com')).toBeNull();
  expect(matchAllow(e, 'http://a.example.com')).toBeNull();
  expect(matchAllow(e, 'https://a.example.com:8443')).toBeNull();
  expect(matchAllow(e, 'null')).toBeNull();
  expect(probedOrigins(e)).toEqual({ allowed: [APP, 'https://other.example.org'], denied: ['https://old.example.org'] });
});
