/**
 * The code that runs inside a probing page. It is plain JavaScript kept as a string and served
 * inline with every page document, so nothing here goes through a TypeScript transform (tsx and
 * Playwright's loader may add helpers that do not exist in a page), and nothing is injected with
 * a Playwright `route` (with any route active, Playwright answers preflights itself).
 *
 * window.__ccRun(probes, options) runs every probe concurrently (at most options.concurrency at
 * once), each probe's steps in order, and resolves to one result per probe.
 */

/** One request from the page, as sent into the page (JSON). */
export interface InPageStep {
  url: string;
  method: string;
  headers: Array<[string, string]>;
  body: string | null;
  client: 'fetch' | 'xhr';
  credentials: 'omit' | 'same-origin' | 'include';
  redirect: 'follow' | 'error' | 'manual';
  /** Wait this long before sending (cases about the preflight cache). */
  delayMs: number;
  timeoutMs: number;
}

export interface InPageProbe {
  id: string;
  steps: InPageStep[];
}

export interface InPageStepResult {
  outcome: 'allowed' | 'blocked';
  status: number | null;
  /** Response type as fetch() reports it (cors, basic, opaqueredirect); null for XHR. */
  type: string | null;
  /** Names and values the page could read, lowercased names. */
  headers: Array<[string, string]>;
  body: string | null;
  /** The page-visible error (TypeError text, XHR error/timeout); never used to classify. */
  error: string | null;
  startedAt: number;
  ms: number;
}

export const IN_PAGE_RUNNER = String.raw`
(function () {
  'use strict';
  var MAX_BODY = 512;
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  function viaFetch(step) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, step.timeoutMs);
    var init = { method: step.method, headers: step.headers, credentials: step.credentials,
      mode: 'cors', redirect: step.redirect, signal: controller.signal };
    if (step.body !== null) init.body = step.body;
    return fetch(step.url, init).then(function (res) {
      var headers = [];
      res.headers.forEach(function (value, name) { headers.push([name, value]); });
      var read = step.method === 'HEAD' || res.type === 'opaqueredirect' ? Promise.resolve(null) : res.text();
      // The page could read the response (that is the outcome); a body cut short by the timeout
      // is recorded, not thrown, so one slow body never fails the whole batch.
      return read.then(null, function (e) { return '[body not read: ' + String(e && e.name) + ']'; }).then(function (text) {
        clearTimeout(timer);
        return { outcome: 'allowed', status: res.status, type: res.type, headers: headers,
          body: text === null ? null : text.slice(0, MAX_BODY), error: null };
      });
    }, function (e) {
      clearTimeout(timer);
      return { outcome: 'blocked', status: null, type: null, headers: [], body: null,
        error: controller.signal.aborted ? 'timeout' : String(e && e.name) + ': ' + String(e && e.message) };
    });
  }
  function viaXhr(step) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open(step.method, step.url, true);
      xhr.withCredentials = step.credentials === 'include';
      xhr.timeout = step.timeoutMs;
      for (var i = 0; i < step.headers.length; i++) xhr.setRequestHeader(step.headers[i][0], step.headers[i][1]);
      function fail(kind) {
        return function () { resolve({ outcome: 'blocked', status: null, type: null, headers: [], body: null, error: kind }); };
      }
      xhr.onerror = fail('xhr error');
      xhr.ontimeout = fail('timeout');
      xhr.onabort = fail('xhr abort');
      xhr.onload = function () {
        var headers = [];
        var lines = xhr.getAllResponseHeaders().trim().split(/\r?\n/);
        for (var j = 0; j < lines.length; j++) {
          var c = lines[j].indexOf(':');
          if (c > 0) headers.push([lines[j].slice(0, c).trim().toLowerCase(), lines[j].slice(c + 1).trim()]);
        }
        resolve({ outcome: 'allowed', status: xhr.status, type: null, headers: headers,
          body: typeof xhr.responseText === 'string' ? xhr.responseText.slice(0, MAX_BODY) : null, error: null });
      };
      xhr.send(step.body);
    });
  }
  function runStep(step) {
    var wait = step.delayMs > 0 ? sleep(step.delayMs) : Promise.resolve();
    return wait.then(function () {
      var startedAt = performance.now();
      return (step.client === 'xhr' ? viaXhr(step) : viaFetch(step)).then(function (r) {
        r.startedAt = startedAt; r.ms = performance.now() - startedAt; return r;
      });
    });
  }
  function runProbe(probe) {
    var results = [];
    var chain = Promise.resolve();
    probe.steps.forEach(function (step) {
      chain = chain.then(function () { return runStep(step); }).then(function (r) { results.push(r); });
    });
    return chain.then(function () { return { id: probe.id, steps: results }; });
  }
  window.__ccRun = function (probes, options) {
    var limit = Math.max(1, (options && options.concurrency) || probes.length || 1);
    var out = new Array(probes.length);
    var next = 0;
    function worker() {
      if (next >= probes.length) return Promise.resolve();
      var i = next++;
      return runProbe(probes[i]).then(function (r) { out[i] = r; return worker(); });
    }
    var workers = [];
    for (var w = 0; w < Math.min(limit, probes.length); w++) workers.push(worker());
    return Promise.all(workers).then(function () { return out; });
  };
})();
`;

/** The document every probing page is: blank, with the runner inline. */
export function pageDocument(): string {
  return `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>cors-conform probe page</title><script>${IN_PAGE_RUNNER}</script>`;
}
