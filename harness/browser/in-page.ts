/**
 * The code that runs inside a probing page. It is plain JavaScript kept as a string and served
 * inline with every page document, so nothing here goes through a TypeScript transform (tsx and
 * Playwright's loader may add helpers that do not exist in a page), and nothing is injected with
 * a Playwright `route` (with any route active, Playwright answers preflights itself).
 *
 * window.__ccRun(probes, options) runs every probe concurrently (at most options.concurrency
 * requests in flight on the page, or per target host with options.perHost), each probe's steps in
 * order, and resolves to one result per probe.
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
  /**
   * allowed: the page could read the response (its CORS check passed); a body that then failed
   * is noted in `error`, it does not undo that · blocked: the request failed before the page saw
   * a response – a CORS block or a network error, which a page cannot tell apart · unsent: the
   * page refused to build the request (fetch()'s Request or XHR's setRequestHeader threw), so
   * nothing left it.
   */
  outcome: 'allowed' | 'blocked' | 'unsent';
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
  function unsent(e) {
    return { outcome: 'unsent', status: null, type: null, headers: [], body: null,
      error: String(e && e.name) + ': ' + String(e && e.message) };
  }
  function viaFetch(step) {
    var controller = new AbortController();
    var init = { method: step.method, headers: step.headers, credentials: step.credentials,
      mode: 'cors', redirect: step.redirect, signal: controller.signal };
    if (step.body !== null) init.body = step.body;
    // Built first, apart from fetch(): a value the page refuses (a header value with CR or LF)
    // throws here, and is not a blocked request; fetch() would reject both alike.
    var request;
    try { request = new Request(step.url, init); } catch (e) { return Promise.resolve(unsent(e)); }
    var timer = setTimeout(function () { controller.abort(); }, step.timeoutMs);
    return fetch(request).then(function (res) {
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
  function xhrHeaders(xhr) {
    var headers = [];
    var lines = xhr.getAllResponseHeaders().trim().split(/\r?\n/);
    for (var j = 0; j < lines.length; j++) {
      var c = lines[j].indexOf(':');
      if (c > 0) headers.push([lines[j].slice(0, c).trim().toLowerCase(), lines[j].slice(c + 1).trim()]);
    }
    return headers;
  }
  function viaXhr(step) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      try {
        xhr.open(step.method, step.url, true);
        xhr.withCredentials = step.credentials === 'include';
        for (var i = 0; i < step.headers.length; i++) xhr.setRequestHeader(step.headers[i][0], step.headers[i][1]);
      } catch (e) { resolve(unsent(e)); return; }
      xhr.timeout = step.timeoutMs;
      // XHR reaches HEADERS_RECEIVED only with a response that passed the CORS check (Fetch
      // #main-fetch: a failed check is a network error, which never gets that far). So a failure after
      // it is the body's – a reset or a cut connection – and the page had read the response.
      var head = null;
      xhr.onreadystatechange = function () {
        if (xhr.readyState === 2 && head === null) head = { status: xhr.status, headers: xhrHeaders(xhr) };
      };
      function fail(kind) {
        return function () {
          if (head !== null) {
            resolve({ outcome: 'allowed', status: head.status, type: null, headers: head.headers,
              body: '[body not read: ' + kind + ']', error: null });
            return;
          }
          resolve({ outcome: 'blocked', status: null, type: null, headers: [], body: null, error: kind });
        };
      }
      xhr.onerror = fail('xhr error');
      xhr.ontimeout = fail('timeout');
      xhr.onabort = fail('xhr abort');
      xhr.onload = function () {
        resolve({ outcome: 'allowed', status: xhr.status, type: null, headers: xhrHeaders(xhr),
          body: typeof xhr.responseText === 'string' ? xhr.responseText.slice(0, MAX_BODY) : null, error: null });
      };
      xhr.send(step.body);
    });
  }
  // Gates for requests in flight, shared by every __ccRun call on the page: one for the page, or
  // with options.perHost one per target host (verify: --concurrency is per host, and a batch may
  // hold several targets' probes). A gate is held while a request is out, not while a step waits
  // (delayMs): the preflight-cache probes sleep 6 s between their requests, and while a sleeping
  // probe held a slot, more sleeping probes than slots meant a second 6 s wave (docs/speed.md). A
  // step that has waited goes to the front of the queue, so it is sent close to the moment its
  // case asked for.
  var gates = {};
  var limit = 1;
  var perHost = false;
  function gateOf(step) {
    var key = '';
    if (perHost) { try { key = new URL(step.url).host; } catch (e) { key = ''; } }
    var g = gates[key];
    if (!g) { g = gates[key] = { limit: limit, active: 0, queue: [], head: 0 }; }
    return g;
  }
  function acquire(gate, urgent) {
    return new Promise(function (resolve) {
      if (urgent) { gate.queue.splice(gate.head, 0, resolve); } else { gate.queue.push(resolve); }
      pump(gate);
    });
  }
  function release(gate) {
    gate.active--;
    pump(gate);
  }
  // Lets queued requests go while slots are free (also when a call raises the limit).
  function pump(gate) {
    while (gate.active < gate.limit && gate.head < gate.queue.length) {
      var next = gate.queue[gate.head];
      gate.queue[gate.head++] = null;
      gate.active++;
      next();
    }
    if (gate.head > 1024 && gate.head * 2 > gate.queue.length) { gate.queue = gate.queue.slice(gate.head); gate.head = 0; }
  }
  function runStep(step) {
    var waited = step.delayMs > 0;
    var gate = gateOf(step);
    return (waited ? sleep(step.delayMs) : Promise.resolve()).then(function () {
      return acquire(gate, waited);
    }).then(function () {
      var startedAt = performance.now();
      return (step.client === 'xhr' ? viaXhr(step) : viaFetch(step)).then(function (r) {
        release(gate);
        r.startedAt = startedAt; r.ms = performance.now() - startedAt; return r;
      }, function (e) { release(gate); throw e; });
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
    limit = Math.max(1, (options && options.concurrency) || probes.length || 1);
    perHost = !!(options && options.perHost);
    for (var key in gates) { gates[key].limit = limit; pump(gates[key]); }
    // Every probe starts now and queues at the gate in order, so probes listed first send first.
    return Promise.all(probes.map(runProbe));
  };
})();
`;

/** The document every probing page is: blank, with the runner inline. */
export function pageDocument(): string {
  return `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>cors-conform probe page</title><script>${IN_PAGE_RUNNER}</script>`;
}
