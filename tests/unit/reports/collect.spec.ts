/**
 * reports/collect.ts: from finished tests to case records – attachments read from memory or from
 * files, missing browsers and unstarted tests counted as not run (with the reason, in the same row
 * as the browsers that ran), failures before a record counted as fail, run-specific values made
 * stable.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { collectRecords, firstLine, normalizeRecord, type TestOutcome } from '../../../reports/collect';
import type { CaseRecord } from '../../../harness/core/record';
import { caseRecord, CHROMIUM, FIREFOX, randomRun, sampleRecords } from '../../reports/fixtures/records';

const FILE = '/repo/tests/protocol/allow-origin.spec.ts';

function outcome(over: Partial<TestOutcome> & { records?: CaseRecord[] }): TestOutcome {
  const { records = [], ...rest } = over;
  return {
    projectName: 'chromium',
    projectBrowser: 'chromium',
    file: FILE,
    titles: ['allow-origin', 'exact-origin-is-allowed'],
    tags: ['@allow-origin'],
    annotations: [{ type: 'spec', description: '#cors-check' }],
    status: 'passed',
    attachments: records.map((r) => ({ name: 'cors-case', contentType: 'application/json', body: Buffer.from(JSON.stringify(r)) })),
    ...rest,
  };
}

const exact = (browser = CHROMIUM) =>
  caseRecord({ caseId: 'exact-origin-is-allowed', category: 'allow-origin', expected: ['allowed'], verdict: 'pass' }, browser);

test.describe('reading records', () => {
  test('a record attached as a Buffer, as a string or as a file is read alike', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collect-'));
    try {
      const file = path.join(dir, 'record.json');
      fs.writeFileSync(file, JSON.stringify(exact(FIREFOX)));
      const { records, warnings } = collectRecords([
        outcome({ records: [exact()] }),
        outcome({ projectName: 'firefox', projectBrowser: 'firefox', attachments: [{ name: 'cors-case', path: file }] }),
        outcome({
          projectName: 'webkit',
          projectBrowser: 'webkit',
          attachments: [{ name: 'cors-case', body: JSON.stringify(exact({ name: 'webkit', version: '26' })) }],
        }),
      ]);
      expect(warnings).toEqual([]);
      expect(records.map((r) => r.browser.name).sort()).toEqual(['chromium', 'firefox', 'webkit']);
      expect(records.every((r) => r.verdict === 'pass')).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a test may attach several records (one per server); other attachments are ignored', () => {
    const express = caseRecord(
      { suite: 'servers', server: 'express', caseId: 'x', category: 'allow-origin', expected: ['allowed'], verdict: 'pass' },
      CHROMIUM,
    );
    const fastify = { ...express, server: 'fastify' };
    const t = outcome({ records: [express, fastify] });
    t.attachments.push({ name: 'screenshot', contentType: 'image/png', body: Buffer.from('png') });
    expect(collectRecords([t]).records.map((r) => r.server)).toEqual(['express', 'fastify']);
  });

  test('an unreadable record is a warning naming the test and a failed cell, not a crash', () => {
    const { records, warnings } = collectRecords([
      outcome({ attachments: [{ name: 'cors-case', body: '{"suite": "protocol"' }] }),
      outcome({
        projectName: 'firefox',
        projectBrowser: 'firefox',
        attachments: [{ name: 'cors-case', body: JSON.stringify({ ...exact(FIREFOX), verdict: 'maybe' }) }],
      }),
    ]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('[chromium]');
    expect(warnings[0]).toContain('exact-origin-is-allowed');
    expect(warnings[0]).toContain('not JSON');
    expect(warnings[1]).toContain('verdict');
    expect(records.map((r) => [r.browser.name, r.verdict, r.problems[0]])).toEqual([
      ['chromium', 'fail', 'unreadable cors-case attachment (not JSON)'],
      ['firefox', 'fail', expect.stringMatching(/^unreadable cors-case attachment \(verdict: /)],
    ]);
  });
});

test.describe('cases that did not run', () => {
  const skipped = (over: Partial<TestOutcome> = {}) =>
    outcome({
      projectName: 'firefox',
      projectBrowser: 'firefox',
      status: 'skipped',
      annotations: [
        { type: 'spec', description: '#cors-check' },
        { type: 'skip', description: 'not run: no firefox browser found: run `npx playwright install firefox`' },
      ],
      ...over,
    });

  test('a skipped case takes its identity from the same test in another browser, and the skip reason', () => {
    const { records } = collectRecords([outcome({ records: [exact()] }), skipped()]);
    const notRun = records.find((r) => r.browser.name === 'firefox');
    expect(notRun).toMatchObject({
      suite: 'protocol',
      caseId: 'exact-origin-is-allowed',
      category: 'allow-origin',
      server: 'node-http (scripted)',
      title: exact().title,
      verdict: 'not-run',
      notRunReason: 'no firefox browser found: run `npx playwright install firefox`',
      steps: [],
    });
  });

  test('with no browser at all, the identity comes from the spec file, the tag and the annotations', () => {
    const { records } = collectRecords([skipped({ tags: ['@credentials'], titles: ['credentials', 'cookie-is-sent'] })]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      suite: 'protocol',
      caseId: 'cookie-is-sent',
      category: 'credentials',
      spec: '#cors-check',
      server: 'node-http (scripted)',
      verdict: 'not-run',
    });
  });

  test('cors-* annotations name a server-suite case that never ran anywhere', () => {
    const { records } = collectRecords([
      skipped({
        file: '/repo/tests/servers/express.spec.ts',
        annotations: [
          { type: 'cors-server', description: 'express (cors)' },
          { type: 'cors-policy', description: 'allow-list' },
          { type: 'cors-case', description: 'evil-origin-is-refused' },
          { type: 'skip', description: 'not run: no firefox browser found' },
        ],
      }),
    ]);
    expect(records[0]).toMatchObject({
      suite: 'servers',
      server: 'express (cors)',
      policy: 'allow-list',
      caseId: 'evil-origin-is-refused',
      verdict: 'not-run',
    });
  });

  test('a case test the run never reached is not run, with that reason', () => {
    const { records } = collectRecords([outcome({ status: 'not-started', attachments: [] })]);
    expect(records).toMatchObject([{ verdict: 'not-run', notRunReason: 'the run ended before this case ran' }]);
  });

  test('in a merged report the project options are gone: the project name says which browser', () => {
    const merged = skipped({ projectBrowser: undefined });
    delete merged.projectBrowser;
    const { records } = collectRecords([merged]);
    expect(records).toMatchObject([{ browser: { name: 'firefox', version: '' }, verdict: 'not-run' }]);
  });

  test('only projects named after a browser hold cases: others count only the records they attach', () => {
    const { records, warnings } = collectRecords([
      outcome({ projectName: 'unit', projectBrowser: null, status: 'skipped', annotations: [{ type: 'skip', description: 'later' }] }),
      // `cors-conform verify` tests run a browser and may skip for a missing one, but are not matrix cases.
      skipped({ projectName: 'verify-firefox', projectBrowser: 'firefox' }),
      outcome({ projectName: 'verify', projectBrowser: 'chromium', status: 'failed', error: 'Error: finding missing' }),
      outcome({ projectName: 'verify', projectBrowser: 'chromium' }),
      outcome({ projectName: 'target', projectBrowser: 'chromium', records: [exact()] }),
    ]);
    expect(records.map((r) => `${r.browser.name}:${r.verdict}`)).toEqual(['chromium:pass']);
    expect(warnings).toEqual([]);
  });

  test('the case projects can be named (reporter option caseProjects)', () => {
    const { records } = collectRecords([skipped({ projectName: 'chrome-beta', projectBrowser: 'chromium' })], {
      caseProjects: ['chrome-beta'],
    });
    expect(records).toMatchObject([{ browser: { name: 'chromium' }, verdict: 'not-run' }]);
  });

  test('a not-run record is made once per record of the sibling test (one per server)', () => {
    const express = caseRecord(
      { suite: 'servers', server: 'express', caseId: 'x', category: 'allow-origin', expected: ['allowed'], verdict: 'pass' },
      CHROMIUM,
    );
    const fastify = { ...express, server: 'fastify' };
    const { records } = collectRecords([outcome({ records: [express, fastify] }), skipped()]);
    expect(records.filter((r) => r.verdict === 'not-run').map((r) => `${r.browser.name}/${r.server}`)).toEqual([
      'firefox/express',
      'firefox/fastify',
    ]);
  });
});

test.describe('cases that failed before recording', () => {
  test('count as fail, with the first line of the error and no colour codes', () => {
    const { records } = collectRecords([
      outcome({ records: [exact()] }),
      outcome({
        projectName: 'firefox',
        projectBrowser: 'firefox',
        status: 'failed',
        error: '\u001b[31mError: browser crashed\u001b[39m\n    at run (x.ts:1:1)',
      }),
      outcome({ projectName: 'webkit', projectBrowser: 'webkit', status: 'timedOut' }),
    ]);
    expect(records.find((r) => r.browser.name === 'firefox')).toMatchObject({
      verdict: 'fail',
      problems: ['no cors-case record: Error: browser crashed'],
    });
    expect(records.find((r) => r.browser.name === 'webkit')).toMatchObject({
      verdict: 'fail',
      problems: ['no cors-case record: the test timed out'],
    });
  });

  test('a case test that passed without a record is a warning, not a silent cell', () => {
    const { records, warnings } = collectRecords([outcome({ attachments: [] })]);
    expect(records).toEqual([]);
    expect(warnings[0]).toMatch(/passed without a cors-case record/);
  });

  test('a @harness test in a browser project is not a case: no warning, no record', () => {
    const { records, warnings } = collectRecords([
      outcome({ attachments: [], tags: ['@harness'] }),
      outcome({ attachments: [], tags: ['@harness'], status: 'skipped' }),
    ]);
    expect({ records, warnings }).toEqual({ records: [], warnings: [] });
  });

  test('firstLine keeps the message, drops the stack', () => {
    expect(firstLine('\n  Error: boom  \n    at x')).toBe('Error: boom');
  });
});

test.describe('normalization', () => {
  test('ports from the OS and probe tokens become placeholders; the same case gives the same record in every run', () => {
    const a = normalizeRecord(
      caseRecord({ caseId: 'c', category: 'allow-origin', expected: ['allowed'], verdict: 'pass' }, CHROMIUM, randomRun()),
    );
    const b = normalizeRecord(
      caseRecord({ caseId: 'c', category: 'allow-origin', expected: ['allowed'], verdict: 'pass' }, CHROMIUM, randomRun()),
    );
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.steps[0]!.request.url).toBe('http://api.localhost:{port1}/p/{token}/0');
    expect(a.responses[0]!.response.headers).toEqual([
      ['Access-Control-Allow-Origin', 'http://app.localhost:{port1}'],
      ['Set-Cookie', 'cc_{token}=1; Path=/p/{token}'],
    ]);
  });

  test('distinct ports stay distinct, well-known ports and port-less origins stay as written', () => {
    const r = caseRecord({ caseId: 'c', category: 'https', expected: ['blocked'], verdict: 'pass' }, CHROMIUM, {
      port: 38001,
      token: () => 'abcdef123456',
    });
    r.responses[0]!.response.headers = [
      ['Access-Control-Allow-Origin', 'http://app.localhost:38002'],
      ['X-Default', 'https://app.example.com:443'],
      ['X-Noport', 'http://app.localhost'],
      ['X-Host', 'api.localhost:38001'],
    ];
    const n = normalizeRecord(r);
    expect(n.responses[0]!.url).toBe('http://api.localhost:{port1}/p/{token}/0');
    expect(n.responses[0]!.response.headers).toEqual([
      ['Access-Control-Allow-Origin', 'http://app.localhost:{port2}'],
      ['X-Default', 'https://app.example.com:443'],
      ['X-Noport', 'http://app.localhost'],
      ['X-Host', 'api.localhost:{port1}'],
    ]);
  });

  test('clock and validator headers in the answers become {varies}: two runs give the same bytes', () => {
    const at = (date: string, etag: string) => {
      const r = caseRecord({ caseId: 'c', category: 'allow-origin', expected: ['allowed'], verdict: 'pass' }, CHROMIUM, {
        port: 38001,
        token: () => 'abcdef123456',
      });
      r.responses[0]!.response.headers = [
        ['Date', date],
        ['ETag', etag],
        ['last-modified', date],
        ['Access-Control-Allow-Origin', '*'],
      ];
      return normalizeRecord(r).responses[0]!.response.headers;
    };
    expect(at('Mon, 30 Nov 2026 16:51:56 GMT', 'W/"15-2OZ"')).toEqual([
      ['Date', '{varies}'],
      ['ETag', '{varies}'],
      ['last-modified', '{varies}'],
      ['Access-Control-Allow-Origin', '*'],
    ]);
    expect(at('Tue, 01 Dec 2026 08:00:00 GMT', 'W/"15-xyz"')).toEqual(at('Mon, 30 Nov 2026 16:51:56 GMT', 'W/"15-2OZ"'));
  });

  test("the server suite's token in ?cc= is replaced too", () => {
    const r = caseRecord(
      { suite: 'servers', server: 'express-cors', caseId: 'c', category: 'allow-origin', expected: ['allowed'], verdict: 'pass' },
      CHROMIUM,
    );
    r.steps[0]!.request.url = 'http://allow-list.express-cors.localhost:39999/data?cc=3a0b1c2d3e4f';
    r.problems = ['the server saw /data?cc=3a0b1c2d3e4f twice'];
    const n = normalizeRecord(r);
    expect(n.steps[0]!.request.url).toBe('http://allow-list.express-cors.localhost:{port2}/data?cc={token}');
    expect(n.problems).toEqual(['the server saw /data?cc={token} twice']);
  });

  test('every sample record is stable under two different runs', () => {
    const a = sampleRecords(randomRun()).map(normalizeRecord);
    const b = sampleRecords(randomRun()).map(normalizeRecord);
    expect(a).toEqual(b);
    expect(JSON.stringify(a)).not.toMatch(/:\d{4,5}\b/);
  });
});
