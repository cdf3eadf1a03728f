/** The four outputs (harness/verify/formats.ts), from a browser-less run; JSON against the fixed schema. */
import { test, expect } from '@playwright/test';
import { json, junit, markdown, render, table } from '../../../harness/verify/formats';
import { allBrowsersSchema, reportSchema } from '../../verify/json-schema';
import { APP, policyServer, simulate } from './helpers';

const bad = () =>
  simulate(
    policyServer(() => true, { credentials: true }),
    { credentials: true, methods: ['PUT'] },
  );
const good = () =>
  simulate(
    policyServer((o) => o === APP, { credentials: true, exposed: ['X-Request-Id'] }),
    { credentials: true, methods: ['PUT'], headers: [['X-Api-Key', 'k']] },
  );

test('json: exactly the documented keys, for a passing and a failing run', () => {
  for (const { run } of [good(), bad()]) {
    const text = json(run);
    expect(text.endsWith('\n')).toBe(true);
    const parsed = reportSchema.parse(JSON.parse(text));
    expect(Object.keys(parsed)).toEqual(['target', 'browser', 'probes', 'findings', 'verdict']);
    expect(Object.keys(parsed.probes[0]!)).toEqual([
      'id',
      'origin',
      'method',
      'headers',
      'credentials',
      'client',
      'preflight',
      'outcome',
      'reason',
      'expected',
      'via',
    ]);
  }
  const parsed = reportSchema.parse(JSON.parse(json(bad().run)));
  expect(parsed.findings[0]).toMatchObject({
    id: 'reflects-any-origin-with-credentials',
    severity: 'critical',
    origin: 'https://evil-example.test',
  });
  expect(parsed.verdict).toBe('fail');
  const ok = reportSchema.parse(JSON.parse(json(good().run)));
  expect(ok.verdict).toBe('pass');
  expect(ok.probes.find((p) => p.id === `${APP} GET read exposed headers fetch+credentials`)).toMatchObject({
    outcome: 'allowed',
    reason: 'allowed',
  });
});

test('json for --browser all: one object with one report per browser', () => {
  const a = good().run;
  const b = bad().run;
  const both = {
    ...a,
    reports: [a.reports[0]!, { ...b.reports[0]!, browser: { name: 'firefox', version: '153.8.0' } }],
    verdict: 'fail' as const,
  };
  const parsed = allBrowsersSchema.parse(JSON.parse(json(both)));
  expect(parsed.browsers.map((x) => [x.browser.name, x.verdict])).toEqual([
    ['chromium', 'pass'],
    ['firefox', 'fail'],
  ]);
});

test('table: one line per probe, then findings with the four fixes, then the verdict', () => {
  const { run } = bad();
  const text = table(run, 'high', null);
  const lines = text.split('\n');
  expect(lines[0]).toBe('cors-conform verify https://api.example.com/data — chromium 156.0.0.0');
  const probeLines = lines.filter((l) => /^(ok|FAIL|-)\s/.test(l));
  expect(probeLines).toHaveLength(run.reports[0]!.probes.length);
  expect(text).toContain('  [CRITICAL] reflects-any-origin-with-credentials — https://evil-example.test');
  expect(text).toMatch(/\n {6}Express: {2}app\.use\(cors\(/);
  expect(text).toMatch(/\n {6}ASP\.NET: {2}builder\.Services\.AddCors/);
  expect(text).toContain('Expectations not met (');
  expect(lines.at(-2)).toBe('Verdict: FAIL in 1.2 s');
  expect(table(good().run, 'high', 'bundled sample: x')).toContain('\nbundled sample: x\n');
});

test('junit: probes and findings as test cases; failures for unmet expectations and findings at or above --fail-on', () => {
  const xml = junit(bad().run, 'high');
  expect(xml).toMatch(
    /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="cors-conform verify" tests="\d+" failures="\d+" skipped="2" errors="0">/,
  );
  // The bad server exposes no headers: the two read-headers probes are not run (skipped), with why.
  expect(xml).toContain('<skipped message="nothing to read: the server lists no Access-Control-Expose-Headers');
  expect(xml).toContain(
    'classname="verify.chromium.findings" name="[critical] reflects-any-origin-with-credentials https://evil-example.test"><failure',
  );
  expect(xml).toContain(
    '<failure message="expected blocked, got allowed (allowed)">expected because unrelated origins are attacker origins',
  );
  expect(xml).toContain('o =&gt; o.AddPolicy(&quot;api&quot;');
  const pass = junit(good().run, 'high');
  expect(pass).toMatch(/failures="0"/);
});

test('markdown: a heading with the verdict, a probe table, findings with fixes', () => {
  const md = markdown(bad().run, 'high', null);
  expect(md.startsWith('# cors-conform verify: FAIL\n')).toBe(true);
  expect(md).toContain('| | Outcome | Expected | Origin | Request | Reason |');
  expect(md).toContain('#### CRITICAL · `reflects-any-origin-with-credentials` · `https://evil-example.test`');
  expect(md).toContain('- Express: `');
  expect(render('markdown', good().run, 'high', null)).toMatch(/^# cors-conform verify: PASS\n/);
});
