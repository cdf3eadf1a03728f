import { test, expect } from 'cors-conform/playwright';

const API = `http://127.0.0.1:${process.env.PORT ?? 3000}/api/items`;

test.use({ corsOrigins: ['https://app.example.com', 'https://other.example.com'] });

test('the app can call the API with cookies', async ({ cors }) => {
  const r = await cors.probe({
    from: 'https://app.example.com',
    url: API,
    method: 'PUT',
    headers: { 'X-Api-Key': 'k' },
    credentials: 'include',
  });
  expect(r).toBeAllowed();
  expect(r).toExposeHeader('X-Request-Id');
  expect(r.exchanges.map((e) => (e.preflight ? 'preflight' : e.method))).toEqual(['preflight', 'PUT']);
});

test('another site cannot read it', async ({ cors }) => {
  const r = await cors.probe({ from: 'https://other.example.com', url: API, credentials: 'include' });
  expect(r).toBeBlocked('allow-origin-missing');
});

test('verify finds nothing wrong', async ({ cors }) => {
  const report = await cors.verify(API, {
    origins: ['https://app.example.com'],
    credentials: true,
    methods: ['PUT'],
    headers: ['X-Api-Key'],
  });
  expect(report).toHaveNoCorsFindings({ failOn: 'medium' });
});
