/** Attacker origins derived from an allowed origin (harness/verify/attackers.ts). */
import { test, expect } from '@playwright/test';
import { pageOrigin } from '../../../harness/browser/page-host';
import { deriveAttackers } from '../../../harness/verify/attackers';

const origins = (o: string) => deriveAttackers(o).attackers.map((a) => [a.kind, a.page.origin, a.page.pageUrl]);

test('https://app.example.com: every kind, pages on the derived origins', () => {
  expect(origins('https://app.example.com')).toEqual([
    ['unrelated', 'https://evil-example.test', 'https://evil-example.test/__page'],
    ['null', 'null', 'https://evil-example.test/__page?sandbox'],
    ['prefix-lookalike', 'https://app.example.com.evil-example.test', 'https://app.example.com.evil-example.test/__page'],
    ['suffix-lookalike', 'https://evilapp.example.com', 'https://evilapp.example.com/__page'],
    ['unescaped-dot', 'https://appxexample.com', 'https://appxexample.com/__page'],
    ['subdomain', 'https://evil.app.example.com', 'https://evil.app.example.com/__page'],
    ['http-twin', 'http://app.example.com', 'http://app.example.com/__page'],
    ['special-character', 'https://app.example.com_.evil-example.test', 'https://app.example.com_.evil-example.test/__page'],
    ['special-character', 'https://app.example.com`.evil-example.test', 'https://app.example.com`.evil-example.test/__page'],
  ]);
});

test('a port is kept on lookalikes and on the http twin; the unrelated origin uses the default port', () => {
  const got = Object.fromEntries(deriveAttackers('https://app.example.com:8443').attackers.map((a) => [a.kind, a.page.origin]));
  expect(got).toMatchObject({
    unrelated: 'https://evil-example.test',
    'prefix-lookalike': 'https://app.example.com.evil-example.test:8443',
    subdomain: 'https://evil.app.example.com:8443',
    'http-twin': 'http://app.example.com:8443',
  });
});

test('unescaped dots: every dot but the last, so the lookalike is a name an attacker can register', () => {
  const dots = (o: string) =>
    deriveAttackers(o)
      .attackers.filter((a) => a.kind === 'unescaped-dot')
      .map((a) => a.page.origin);
  expect(dots('https://api.app.example.co.uk')).toEqual([
    'https://apixapp.example.co.uk',
    'https://api.appxexample.co.uk',
    'https://api.app.examplexco.uk',
  ]);
  expect(dots('https://example.com')).toEqual([]);
  expect(deriveAttackers('https://example.com').skipped).toContainEqual({
    kind: 'unescaped-dot',
    derivedFrom: 'https://example.com',
    reason: 'example.com has no dot before its top-level domain',
  });
});

test('http origins have no http twin; localhost has no dot to unescape', () => {
  const { attackers, skipped } = deriveAttackers('http://localhost:3000');
  expect(attackers.map((a) => a.kind)).not.toContain('http-twin');
  expect(attackers.map((a) => a.kind)).not.toContain('unescaped-dot');
  expect(skipped.map((s) => s.kind).sort()).toEqual(['http-twin', 'unescaped-dot']);
  expect(attackers.find((a) => a.kind === 'subdomain')!.page.origin).toBe('http://evil.localhost:3000');
});

test('an IP address: no suffix, dot or sub-domain variants, each skipped with the reason', () => {
  const { attackers, skipped } = deriveAttackers('http://127.0.0.1:8080');
  expect(attackers.map((a) => a.kind)).toEqual(['unrelated', 'null', 'prefix-lookalike', 'special-character', 'special-character']);
  expect(attackers.find((a) => a.kind === 'prefix-lookalike')!.page.origin).toBe('http://127.0.0.1.evil-example.test:8080');
  expect(skipped.map((s) => [s.kind, s.reason])).toEqual([
    ['suffix-lookalike', '127.0.0.1 is an IP address: no name ends with it'],
    ['unescaped-dot', '127.0.0.1 is an IP address'],
    ['subdomain', '127.0.0.1 is an IP address: it has no sub-domains'],
    ['http-twin', 'http://127.0.0.1:8080 is already http'],
  ]);
});

test('pageOrigin: default ports, sandboxed pages, and what is not an http(s) origin', () => {
  expect(pageOrigin('https://app.example.com')).toEqual({
    origin: 'https://app.example.com',
    pageUrl: 'https://app.example.com/__page',
    scheme: 'https',
    host: 'app.example.com',
    port: 443,
  });
  expect(pageOrigin('http://a.test', true)).toMatchObject({ origin: 'null', pageUrl: 'http://a.test/__page?sandbox', port: 80 });
  expect(pageOrigin('ftp://a.test')).toBeNull();
  expect(pageOrigin('not a url')).toBeNull();
});
