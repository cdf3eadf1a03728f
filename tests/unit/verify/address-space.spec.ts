/**
 * Local Network Access in verify (harness/verify/address-space.ts): the address space of the
 * target's addresses and of the claimed origins, and the note verify prints when a claimed
 * origin's real pages would reach a more private target – which its own loopback pages never show.
 */
import { test, expect } from '@playwright/test';
import { addressSpaceOf } from '../../../harness/core/address-space';
import { claimedSpace, localNetworkLines, localNetworkNote } from '../../../harness/verify/address-space';

test('address spaces of IP addresses: loopback, the private ranges, the rest public', () => {
  const of = (ips: string[]) => ips.map(addressSpaceOf);
  expect(of(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])).toEqual(['loopback', 'loopback', 'loopback', 'loopback']);
  expect(of(['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.1.1', '100.64.0.1', 'fd12:3456::1', 'fe80::1'])).toEqual(
    Array(8).fill('local'),
  );
  expect(of(['172.32.0.1', '8.8.8.8', '100.128.0.1', '2001:db8::1', '192.169.0.1'])).toEqual(Array(5).fill('public'));
});

test('claimed origins: localhost names are loopback, private literals and .local are local, DNS names public', () => {
  expect(claimedSpace('http://localhost:3000')).toBe('loopback');
  expect(claimedSpace('http://app.localhost:3000')).toBe('loopback');
  expect(claimedSpace('http://[::1]:8080')).toBe('loopback');
  expect(claimedSpace('http://192.168.1.20')).toBe('local');
  expect(claimedSpace('http://printer.local')).toBe('local');
  expect(claimedSpace('https://app.example.com')).toBe('public');
  expect(claimedSpace('null')).toBe('public');
});

test('the note: public and local pages calling a more private target, with what each needs', () => {
  const note = localNetworkNote(['127.0.0.1'], ['https://app.example.com', 'http://app.example.com', 'http://localhost:3000']);
  expect(note?.address).toBe('127.0.0.1');
  expect(note?.space).toBe('loopback');
  expect(note?.origins.map((o) => [o.origin, o.space])).toEqual([
    ['https://app.example.com', 'public'],
    ['http://app.example.com', 'public'],
  ]);
  expect(note?.origins[0]!.needs).toMatch(/grant the page the local-network-access permission/);
  expect(note?.origins[1]!.needs).toMatch(/not a secure context.*serve the page over https/);
  expect(localNetworkLines(note!)[0]).toMatch(
    /^the target is on the loopback address space \(127\.0\.0\.1\); verify's pages are served from loopback/,
  );
  // A private API called from a page on the same private network, and a public API: nothing to say.
  expect(localNetworkNote(['10.0.0.5'], ['http://192.168.1.20'])).toBeNull();
  expect(localNetworkNote(['93.184.215.14'], ['https://app.example.com'])).toBeNull();
  expect(localNetworkNote([], ['https://app.example.com'])).toBeNull();
  // The most private address decides: a name resolving to a private and a public address.
  expect(localNetworkNote(['93.184.215.14', '10.0.0.5'], ['https://app.example.com'])?.space).toBe('local');
});
