/**
 * The programmatic entry (`import { verify, explain } from 'cors-conform'`): bad options reject
 * before any request with one line naming the option as the code names it; explain() is the oracle.
 */
import { test, expect } from '@playwright/test';
import { explain, UsageError, verify } from '../../../harness';

test('verify() rejects bad options with one line naming the option the API way', async () => {
  const fails = async (request: Parameters<typeof verify>[0], pattern: RegExp) => {
    const error = await verify(request).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).not.toContain('\n');
    expect((error as Error).message).toMatch(pattern);
  };
  await fails(
    { url: 'http://127.0.0.1:9/data', origins: ['https://*.example.com'] },
    /^origins "https:\/\/\*\.example\.com" is a pattern, not an origin/,
  );
  await fails(
    { url: 'http://127.0.0.1:9/data', origins: ['https://app.example.com'], headers: [['X-A', 'a\r\nb']] },
    /^headers X-A: the value has a carriage return/,
  );
  await fails(
    { url: 'http://127.0.0.1:9/data', origins: ['https://app.example.com'], timeoutMs: -1 },
    /^timeoutMs "-1" is not a whole number from 100 to 600000/,
  );
  await fails({ url: 'http://127.0.0.1:9/data' }, /^origins is required: .*origins: \['https:\/\/app\.example\.com'\]/);
  await fails(
    { url: 'http://127.0.0.1:9/data', origins: ['https://app.example.com'], expect: { allow: [{ origin: 'nope' }] } },
    /^expect: allow\[0\]\.origin: not a serialized origin/,
  );
  await fails({ origins: ['https://app.example.com'] }, /^origins needs the URL of the server to check/);
});

test('explain() is the oracle: one request, the responses given, no browser', () => {
  expect(
    explain({
      origin: 'https://app.example.com',
      url: 'https://api.example.com/x',
      credentials: 'include',
      response: { headers: [['Access-Control-Allow-Origin', '*']] },
    }),
  ).toEqual({
    preflight: false,
    outcome: 'blocked',
    reason: 'allow-origin-wildcard-with-credentials',
    readableHeaders: [],
    preflightRequest: null,
  });
  const put = explain({
    origin: 'https://app.example.com',
    url: 'https://api.example.com/x',
    method: 'PUT',
    response: { headers: [['Access-Control-Allow-Origin', 'https://app.example.com']] },
    preflight: { status: 204, headers: [['Access-Control-Allow-Origin', 'https://app.example.com']] },
  });
  expect([put.preflight, put.outcome, put.reason]).toEqual([true, 'blocked', 'preflight-method-not-allowed']);
});
