/**
 * Requesters beyond fetch() and XHR (oracle/requesters.ts): the mode, credentials mode and
 * destination each API or element gives its request (HTML #create-a-potential-cors-request, CSS
 * Fonts 4 #font-fetching-requirements, HTML #dom-eventsource), and what predict() makes of them –
 * no-cors loads that succeed opaque, CORS-mode loads judged by the CORS check.
 */
import { test, expect } from '@playwright/test';
import {
  CLIENTS,
  isClient,
  predict,
  requesterForms,
  requestModes,
  staticResponder,
  type BrowserQuirk,
  type ProbeInput,
} from '../../../harness/oracle';
import { API, APP, response } from './helpers';

const url = `${API}/asset`;
const answer = (...lines: string[]) => staticResponder(response(200, ...lines), response(204));
const run = (input: Partial<ProbeInput>, lines: string[], quirks: BrowserQuirk[] = []) =>
  predict({ origin: APP, url, ...input }, answer(...lines), { quirks: new Set(quirks) });

test.describe('request modes per requester', () => {
  test('an element without crossorigin is no-cors with credentials; anonymous and use-credentials are CORS', () => {
    for (const client of ['img', 'script', 'stylesheet'] as const) {
      expect(requestModes({ client })).toMatchObject({ mode: 'no-cors', credentials: 'include' });
      expect(requestModes({ client, crossorigin: 'anonymous' })).toMatchObject({ mode: 'cors', credentials: 'same-origin' });
      expect(requestModes({ client, crossorigin: 'use-credentials' })).toMatchObject({ mode: 'cors', credentials: 'include' });
    }
  });

  test('module scripts, import(), fonts and EventSource are always CORS; fonts ignore what the page asks', () => {
    expect(requestModes({ client: 'module' })).toMatchObject({ mode: 'cors', credentials: 'same-origin', destination: 'script' });
    expect(requestModes({ client: 'import' })).toMatchObject({ mode: 'cors', credentials: 'same-origin' });
    expect(requestModes({ client: 'font', credentials: 'include' })).toMatchObject({
      mode: 'cors',
      credentials: 'same-origin',
      destination: 'font',
    });
    expect(requestModes({ client: 'eventsource', credentials: 'include' })).toMatchObject({ mode: 'cors', credentials: 'include' });
    expect(requestModes({ client: 'eventsource', credentials: 'omit' })).toMatchObject({ credentials: 'same-origin' });
    expect(requestModes({ client: 'module-worker', credentials: 'omit' })).toMatchObject({
      mode: 'cors',
      credentials: 'omit',
      destination: 'worker',
    });
  });

  test('the forms a page can use: each crossorigin state an element takes, credentials where the API offers them', () => {
    const shown = (c: (typeof CLIENTS)[number]) => requesterForms(c).map((f) => f.crossorigin ?? f.credentials ?? '-');
    expect(shown('img')).toEqual(['-', 'anonymous', 'use-credentials']);
    expect(shown('module')).toEqual(['-', 'use-credentials']);
    expect(shown('font')).toEqual(['-']);
    expect(shown('eventsource')).toEqual(['-', 'include']);
  });

  test('only fetch(), XHR and fetch() in a worker read status and headers', () => {
    expect(CLIENTS.filter((c) => requestModes({ client: c }).readsResponse)).toEqual(['fetch', 'xhr', 'worker']);
    expect(isClient('font')).toBe(true);
    expect(isClient('iframe')).toBe(false);
  });
});

test.describe('predict() for requesters', () => {
  test('a no-cors image loads opaque whatever the headers, with the cookie and without Origin', () => {
    for (const lines of [[], ['Access-Control-Allow-Origin: *']]) {
      const p = run({ client: 'img' }, lines);
      expect(p).toMatchObject({ outcome: 'opaque', reason: 'no-cors-opaque', preflight: false, status: null, readableHeaders: [] });
      expect(p.requests).toEqual([{ url, method: 'GET', headers: {}, preflight: false, credentials: true }]);
    }
  });

  test('a CORS-mode font is blocked without ACAO, allowed with *, and never carries the cookie', () => {
    const blocked = run({ client: 'font' }, []);
    expect(blocked).toMatchObject({ outcome: 'blocked', reason: 'allow-origin-missing' });
    expect(blocked.requests[0]).toMatchObject({ headers: { origin: APP }, credentials: false });
    expect(run({ client: 'font' }, ['Access-Control-Allow-Origin: *', 'Access-Control-Allow-Credentials: true']).outcome).toBe('allowed');
  });

  test('<img crossorigin="use-credentials"> needs ACAO naming the origin and ACAC true', () => {
    const input = { client: 'img', crossorigin: 'use-credentials' } as const;
    expect(run(input, ['Access-Control-Allow-Origin: *', 'Access-Control-Allow-Credentials: true']).reason).toBe(
      'allow-origin-wildcard-with-credentials',
    );
    expect(run(input, [`Access-Control-Allow-Origin: ${APP}`, 'Access-Control-Allow-Credentials: true'])).toMatchObject({
      outcome: 'allowed',
      status: null,
    });
  });

  test('an element on its own origin is same-origin, not opaque', () => {
    expect(predict({ origin: APP, url: `${APP}/a.png`, client: 'img' }, answer()).outcome).toBe('allowed');
  });

  test('the quirks: a font used without a CORS check (Origin: null, cookie); a script whose errors are not muted', () => {
    const font = run({ client: 'font' }, [], ['font-loaded-without-cors']);
    expect(font.outcome).toBe('allowed');
    expect(font.requests[0]).toMatchObject({ headers: { origin: 'null' }, credentials: true });
    expect(run({ client: 'script' }, [], ['script-errors-not-muted']).outcome).toBe('allowed');
    expect(run({ client: 'script' }, []).outcome).toBe('opaque');
  });
});
