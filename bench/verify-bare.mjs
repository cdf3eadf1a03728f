/* global performance, fetch, XMLHttpRequest -- Node 20 and the page both have them */
// The bare reference for verify's time to verdict: a plain script with nothing of cors-conform –
// the same Chromium launch (headless, the same flags), pages on the same claimed origins
// (host-resolver rules to a trivial page server), the same requests (fetch and XHR, with and
// without credentials) at a trivial CORS server, two at a time per page as verify sends them, pages
// one after another. No proxy, no gate, no evidence, no oracle, no report. Run as its own process,
// as the CLI is: `node bench/verify-bare.mjs <probes.json>`; prints the milliseconds it took.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { chromium } from 'playwright-core';
import { generate } from 'selfsigned';

const started = performance.now();
const probes = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const executablePath = process.argv[3] || undefined;

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const PAGE = '<!doctype html><title>bare</title>';
const servePage = (req, res) => {
  res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
  res.end(PAGE);
};
const pem = await generate([{ name: 'commonName', value: 'bare' }], { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' });
const pages = http.createServer(servePage);
const securePages = https.createServer({ key: pem.private, cert: pem.cert }, servePage);
// https, as the bundled sample is (it is served with a run-time certificate).
const target = https.createServer({ key: pem.private, cert: pem.cert }, (req, res) => {
  const origin = req.headers.origin;
  const headers = { vary: 'Origin' };
  if (origin === 'https://app.example.com') {
    headers['access-control-allow-origin'] = origin;
    headers['access-control-allow-credentials'] = 'true';
    headers['access-control-allow-methods'] = 'GET, HEAD, POST, PUT';
    headers['access-control-allow-headers'] = 'X-Api-Key, Content-Type';
    headers['access-control-expose-headers'] = 'X-Request-Id';
  }
  req.resume();
  res.writeHead(req.method === 'OPTIONS' ? 204 : 200, { ...headers, 'x-request-id': 'r' });
  res.end(req.method === 'OPTIONS' || req.method === 'HEAD' ? undefined : 'data');
});
const pagePort = await listen(pages);
const securePagePort = await listen(securePages);
const targetPort = await listen(target);

const byPage = new Map();
for (const p of probes) byPage.set(p.pageUrl, [...(byPage.get(p.pageUrl) ?? []), p]);
const rules = [
  ...new Set(
    probes.map((p) => {
      const u = new URL(p.pageUrl);
      const secure = u.protocol === 'https:';
      return `MAP ${u.hostname}:${u.port || (secure ? 443 : 80)} 127.0.0.1:${secure ? securePagePort : pagePort}`;
    }),
  ),
];

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    `--host-resolver-rules=${rules.join(',')}`,
  ],
});
const context = await browser.newContext({ ignoreHTTPSErrors: true });
// Pages open a few at a time, as verify opens them; probes then run page after page.
const opened = new Map();
const urls = [...byPage.keys()];
for (let i = 0; i < urls.length; i += 4) {
  await Promise.all(
    urls.slice(i, i + 4).map(async (url) => {
      const page = await context.newPage();
      await page.goto(url.replace(/\?sandbox$/, ''));
      opened.set(url, page);
    }),
  );
}
let done = 0;
for (const [url, list] of byPage) {
  const page = opened.get(url);
  const requests = list.map((p) => ({ ...p, url: `https://127.0.0.1:${targetPort}/data?n=${done++}` }));
  await page.evaluate(async (requests) => {
    const one = (r) =>
      r.client === 'xhr'
        ? new Promise((resolve) => {
            const x = new XMLHttpRequest();
            x.open(r.method, r.url);
            x.withCredentials = r.credentials;
            for (const [n, v] of r.headers) x.setRequestHeader(n, v);
            x.onload = x.onerror = () => resolve(x.status);
            x.send(r.body);
          })
        : fetch(r.url, { method: r.method, headers: r.headers, body: r.body, credentials: r.credentials ? 'include' : 'omit' }).then(
            (res) => res.text(),
            () => null,
          );
    const queue = [...requests];
    await Promise.all(
      [0, 1].map(async () => {
        while (queue.length) await one(queue.shift());
      }),
    );
  }, requests);
}
await browser.close();
pages.close();
securePages.close();
target.close();
process.stdout.write(`${Math.round(performance.now() - started)}\n`);
