/**
 * The Policy schema: the option names of `cors` / `@fastify/cors`, and a bad policy is one line
 * naming the field.
 */
import { test, expect } from '@playwright/test';
import { parsePolicy, policyAdmits, policyToJson, PolicyError } from '../../../servers/policy';
import { POLICY_TABLE } from '../../servers/policies';
import { meaningOf, serializedOrigins } from '../../../harness/server-suite/model';

test.describe.configure({ mode: 'parallel' });

function errorOf(input: unknown): string {
  try {
    parsePolicy(input);
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    return (e as Error).message;
  }
  throw new Error('expected a PolicyError');
}

test('every policy in the table validates and means what its holes say', () => {
  expect(POLICY_TABLE.length).toBeGreaterThanOrEqual(12);
  for (const c of POLICY_TABLE) {
    expect(() => parsePolicy(c.policy(serializedOrigins(8080))), c.id).not.toThrow();
    expect(() => meaningOf(c, 8080), c.id).not.toThrow();
  }
});

test('the option forms users write are accepted', () => {
  expect(parsePolicy({ origin: '*', methods: 'GET,POST' }).methods).toEqual(['GET', 'POST']);
  expect(parsePolicy({ origin: true, credentials: true }).origin).toBe(true);
  expect(parsePolicy({ origin: 'null' }).origin).toBe('null');
  expect(parsePolicy({ origin: ['https://a.example', /\.b\.example$/] }).origin).toHaveLength(2);
  expect(parsePolicy({ origin: 'https://a.example:8443', maxAge: 600, optionsSuccessStatus: 200, preflightContinue: false }).maxAge).toBe(
    600,
  );
});

test('a bad policy is one line naming the field', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ origin: 'https://a.example/' }, /^policy\.origin: .*serialized origin/],
    [{ origin: ['https://a.example', 'a.example'] }, /^policy\.origin\[1\]: /],
    [{ origin: [] }, /^policy\.origin: an empty list admits no origin$/],
    [{ origin: '*', methods: ['GET', 'BAD METHOD'] }, /^policy\.methods\[1\]: not a valid method/],
    [{ origin: '*', allowedHeaders: ['X-Ok', 'Bad:Header'] }, /^policy\.allowedHeaders\[1\]: not a valid header name/],
    [{ origin: '*', maxAge: -1 }, /^policy\.maxAge: /],
    [{ origin: '*', maxAge: 1.5 }, /^policy\.maxAge: /],
    [{ origin: '*', optionsSuccessStatus: 404 }, /^policy\.optionsSuccessStatus: a preflight answer must have an ok status/],
    [{ origin: '*', credentials: 'yes' }, /^policy\.credentials: /],
    [{ origin: '*', orgin: 'x' }, /^policy: Unrecognized key: "orgin" \(orgin; known: origin, methods/],
    [{}, /^policy\.origin: /],
    [{ origin: ['*'] }, /^policy\.origin: '\*' inside a list/],
  ];
  for (const [input, pattern] of cases) {
    const message = errorOf(input);
    expect(message, JSON.stringify(input)).toMatch(pattern);
    expect(message).not.toContain('\n');
  }
});

test('RegExps survive the trip to PHP as source and flags', () => {
  expect(JSON.parse(policyToJson({ origin: [/^https:\/\/a\.example$/i, 'null'] }))).toEqual({
    origin: [{ regexp: '^https:\\/\\/a\\.example$', flags: 'i' }, 'null'],
  });
});

test('policyAdmits reads origins as cors and @fastify/cors do', () => {
  expect(policyAdmits({ origin: '*' }, 'null')).toBe(true);
  expect(policyAdmits({ origin: true }, 'null')).toBe(true);
  expect(policyAdmits({ origin: 'https://a.example' }, 'https://a.example')).toBe(true);
  expect(policyAdmits({ origin: 'https://a.example' }, 'https://a.example.evil')).toBe(false);
  expect(policyAdmits({ origin: /^http:\/\/(.+.)?app.localhost:\d+$/ }, 'http://evilapp.localhost:1')).toBe(true);
  expect(policyAdmits({ origin: /^http:\/\/(.+\.)?app\.localhost:\d+$/ }, 'http://evilapp.localhost:1')).toBe(false);
  expect(policyAdmits({ origin: ['https://a.example', 'null'] }, 'null')).toBe(true);
});
