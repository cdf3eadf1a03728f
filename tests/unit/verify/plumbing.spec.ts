/**
 * The small pieces around a run: one-line network errors (raw-http), the Playwright target
 * project's settings (target-env) and its case records (record).
 */
import { test, expect } from '@playwright/test';
import { describeFailure } from '../../../harness/core/net';
import { verifyUrl, shown } from '../../../harness/core/probe-url';
import { targetFromEnv } from '../../../harness/cli/target-env';
import { toCaseRecord } from '../../../harness/verify/record';
import { APP, policyServer, simulate } from './helpers';

const err = (code: string, message = code) => Object.assign(new Error(message), { code });

test('network failures in one line, without our token in the URL', () => {
  const url = verifyUrl('https://api.example.com/data?x=1', 'abc-1');
  expect(url).toBe('https://api.example.com/data?x=1&_cors_conform=abc-1');
  expect(shown(url)).toBe('https://api.example.com/data?x=1');
  expect(describeFailure(err('ENOTFOUND'), url, 1000)).toBe('cannot resolve api.example.com (DNS ENOTFOUND)');
  expect(describeFailure(err('ECONNREFUSED'), url, 1000)).toBe('connection refused by api.example.com:443: nothing listens there');
  expect(describeFailure(err('CC_TIMEOUT'), url, 1000)).toBe(
    'no response from https://api.example.com/data?x=1 within 1000 ms (timeout; raise it with --timeout)',
  );
  expect(describeFailure(err('HPE_HEADER_OVERFLOW'), url, 1000)).toMatch(/larger than 256 KiB/);
  expect(describeFailure(Object.assign(err('HPE_INVALID_CONSTANT', 'Parse Error'), { reason: 'Expected HTTP/' }), url, 1000)).toBe(
    'api.example.com:443 does not speak HTTP (HPE_INVALID_CONSTANT: Expected HTTP/)',
  );
  expect(describeFailure(err('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), url, 1000)).toMatch(
    /^the TLS certificate of api\.example\.com:443 is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate\): pass --insecure/,
  );
  expect(
    describeFailure(err('ERR_SSL_WRONG_VERSION_NUMBER', 'C0:error:0A00010B:SSL routines:ssl3_get_record:wrong version number'), url, 1000),
  ).toBe(
    'TLS handshake with api.example.com:443 failed (ERR_SSL_WRONG_VERSION_NUMBER: ssl3_get_record:wrong version number): is it really https?',
  );
  for (const code of ['ENOTFOUND', 'ECONNRESET', 'EPROTO', 'WHATEVER']) expect(describeFailure(err(code), url, 1000)).not.toContain('\n');
});

test('target project settings: unset, invalid (named by variable), valid', () => {
  expect(targetFromEnv({})).toHaveProperty('unset');
  expect(targetFromEnv({ CORS_TARGET_URL: 'https://api.example.com/' })).toHaveProperty('unset');
  expect(targetFromEnv({ CORS_TARGET_URL: 'https://api.example.com/', CORS_ORIGINS: 'https://app.example.com/' })).toEqual({
    invalid: 'CORS_ORIGIN (--origin) "https://app.example.com/" is not a serialized origin: did you mean https://app.example.com?',
  });
  const ok = targetFromEnv({
    CORS_TARGET_URL: 'https://api.example.com/',
    CORS_ORIGINS: 'https://a.example, https://b.example',
    CORS_CREDENTIALS: '1',
    CORS_METHODS: 'PUT',
    CORS_HEADERS: 'X-Api-Key',
    CORS_FAIL_ON: 'critical',
    CORS_TIMEOUT: '3000',
  });
  expect(ok).toMatchObject({
    run: {
      url: 'https://api.example.com/',
      origins: ['https://a.example', 'https://b.example'],
      credentials: true,
      methods: ['PUT'],
      headers: [['X-Api-Key', 'cors-conform']],
      failOn: 'critical',
      timeoutMs: 3000,
    },
  });
});

test('case records for the target suite: stable URLs, verdicts, problems', () => {
  const { report } = simulate(
    policyServer(() => true, { credentials: true }),
    { credentials: true },
  );
  const attacker = report.probes.find((p) => p.probe.role === 'attacker' && p.probe.credentials)!;
  const record = toCaseRecord(attacker, report.browser);
  expect(record).toMatchObject({
    suite: 'target',
    caseId: attacker.probe.id,
    category: 'attacker-unrelated',
    server: 'https://api.example.com/data',
    verdict: 'fail',
    deviation: null,
  });
  expect(record.steps[0]!.request.url).toBe('https://api.example.com/data');
  expect(record.problems[0]).toMatch(/^expected blocked, the browser allowed it: expected because unrelated origins are attacker origins/);
  const mine = toCaseRecord(
    report.probes.find((p) => p.probe.page.origin === APP)!,
    report.browser,
  );
  expect([mine.verdict, mine.problems]).toEqual(['pass', []]);
});
