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

import type { Client, CrossOriginAttribute } from '../oracle';

/** One request from the page, as sent into the page (JSON). */
export interface InPageStep {
  url: string;
  method: string;
  headers: Array<[string, string]>;
  body: string | null;
  /** fetch() and XHR send `method`, `headers` and `body`; every other requester a plain GET. */
  client: Client;
  /** For img, script, module and stylesheet: the `crossorigin` attribute (null: none). */
  crossorigin?: CrossOriginAttribute | null;
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
   * nothing left it · opaque: an element's no-cors load worked but the page cannot read it (a
   * tainted canvas, a muted script error, unreadable cssRules).
   */
  outcome: 'allowed' | 'blocked' | 'unsent' | 'opaque';
  status: number | null;
  /** Response type as fetch() reports it (cors, basic, opaqueredirect); null for the others. */
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
  // A result with nothing read: a refused, blocked or (for an element) loaded request.
  function loaded(outcome, error) {
    return { outcome: outcome, status: null, type: null, headers: [], body: null, error: error || null };
  }
  function describe(e) { return String(e && e.name) + ': ' + String(e && e.message); }
  function unsent(e) { return loaded('unsent', describe(e)); }
  // One at a time: each run(…) starts when the one before it has settled.
  function serial() {
    var last = Promise.resolve();
    return function (run) {
      var turn = last.then(run);
      last = turn.then(null, function () {});
      return turn;
    };
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
      return loaded('blocked', controller.signal.aborted ? 'timeout' : describe(e));
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
  // Every requester but fetch() and XHR: the element or API loads the URL, and the page learns
  // only whether it loaded and, for no-cors loads, whether it can read what loaded.
  // Runs start(settle) with a deadline; settle takes the first result, later ones are ignored.
  function load(step, start) {
    return new Promise(function (resolve) {
      var done = false;
      var cleanup = null;
      function settle(r) {
        if (done) return;
        done = true;
        clearTimeout(timer);
        try { if (cleanup) cleanup(); } catch (e) { /* the result stands */ }
        resolve(r);
      }
      var timer = setTimeout(function () { settle(loaded('blocked', 'timeout')); }, step.timeoutMs);
      try { cleanup = start(settle); } catch (e) { settle(unsent(e)); }
    });
  }
  // Whether the page may read what loaded: read() throws a SecurityError on an opaque load.
  function readable(read) {
    try { read(); return loaded('allowed'); } catch (e) { return loaded('opaque', describe(e)); }
  }
  function element(tag, step, attrs) {
    var el = document.createElement(tag);
    if (step.crossorigin) el.crossOrigin = step.crossorigin;
    for (var k in attrs) el.setAttribute(k, attrs[k]);
    return el;
  }
  function viaImg(step) {
    return load(step, function (settle) {
      var img = element('img', step, {});
      img.onload = function () {
        settle(readable(function () {
          var canvas = document.createElement('canvas');
          canvas.width = canvas.height = 1;
          var g = canvas.getContext('2d');
          g.drawImage(img, 0, 0);
          g.getImageData(0, 0, 1, 1);
        }));
      };
      img.onerror = function () { settle(loaded('blocked', 'img error')); };
      img.src = step.url;
    });
  }
  // A classic script's body throws an error naming itself; a no-cors script's error reaches the
  // page muted ("Script error.", HTML #muted-errors). Muted errors cannot be told apart, so classic
  // scripts load one at a time.
  var scriptTurn = serial();
  function viaScript(step) {
    return scriptTurn(function () {
      return load(step, function (settle) {
        var message = null;
        function onError(event) { message = String(event.message); event.preventDefault(); }
        window.addEventListener('error', onError);
        var el = element('script', step, {});
        el.onload = function () {
          if (message === null) settle(loaded('blocked', 'the script ran without throwing'));
          else if (message.indexOf('cc-probe') >= 0) settle(loaded('allowed'));
          else settle(loaded('opaque', message));
        };
        el.onerror = function () { settle(loaded('blocked', 'script error')); };
        el.src = step.url;
        document.head.appendChild(el);
        return function () { window.removeEventListener('error', onError); el.remove(); };
      });
    });
  }
  function viaModule(step) {
    return load(step, function (settle) {
      var el = element('script', step, { type: 'module' });
      el.onload = function () { settle(loaded('allowed')); };
      el.onerror = function () { settle(loaded('blocked', 'module script error')); };
      el.src = step.url;
      document.head.appendChild(el);
      return function () { el.remove(); };
    });
  }
  function viaImport(step) {
    return load(step, function (settle) {
      import(step.url).then(function () { settle(loaded('allowed')); }, function (e) { settle(loaded('blocked', describe(e))); });
    });
  }
  function viaStylesheet(step) {
    return load(step, function (settle) {
      var el = element('link', step, { rel: 'stylesheet' });
      el.onload = function () { settle(readable(function () { return el.sheet.cssRules.length; })); };
      el.onerror = function () { settle(loaded('blocked', 'stylesheet error')); };
      el.href = step.url;
      document.head.appendChild(el);
      return function () { el.remove(); };
    });
  }
  var fontCount = 0;
  // Fonts load one at a time too: in WebKit, faces added side by side were measured to go missing.
  var fontTurn = serial();
  function viaFont(step) {
    return fontTurn(function () { return loadFont(step); });
  }
  function loadFont(step) {
    return load(step, function (settle) {
      var family = 'cc-font-' + (++fontCount);
      var style = document.createElement('style');
      style.textContent = '@font-face { font-family: "' + family + '"; src: url("' + step.url + '"); }';
      document.head.appendChild(style);
      // Loading the rule's own FontFace (CSS-connected) fetches its src. It appears in
      // document.fonts after a style update, which WebKit may leave to a later turn (measured: a
      // rule added just before the set's first use was missing), so look again until it is there.
      var tries = 0;
      (function attempt() {
        var face = null;
        document.fonts.forEach(function (f) { if (f.family.replace(/"/g, '') === family) face = f; });
        if (face === null) {
          if (++tries < 200) setTimeout(attempt, 10);
          else settle(loaded('unsent', 'the @font-face rule made no FontFace'));
          return;
        }
        face.load().then(function () { settle(loaded('allowed')); }, function (e) { settle(loaded('blocked', 'font ' + describe(e))); });
      })();
      return function () { style.remove(); };
    });
  }
  function viaEventSource(step) {
    return load(step, function (settle) {
      var source = new EventSource(step.url, { withCredentials: step.credentials === 'include' });
      source.onopen = function () { settle(loaded('allowed')); };
      source.onerror = function () { settle(loaded('blocked', 'eventsource error')); };
      return function () { source.close(); };
    });
  }
  // fetch() in a dedicated worker: the worker runs this page's own viaFetch (its origin is the page's).
  var workerSource = null;
  function viaWorker(step) {
    workerSource = workerSource || URL.createObjectURL(new Blob([
      'var MAX_BODY = ' + MAX_BODY + ';\n' + [loaded, describe, unsent, viaFetch].join('\n') + '\n' +
      'onmessage = function (e) { viaFetch(e.data).then(function (r) { postMessage(r); }); };'
    ], { type: 'text/javascript' }));
    return load(step, function (settle) {
      var worker = new Worker(workerSource);
      worker.onmessage = function (e) { settle(e.data); };
      worker.onerror = function (e) { settle(loaded('blocked', 'worker error: ' + String(e && e.message))); };
      worker.postMessage(step);
      return function () { worker.terminate(); };
    });
  }
  // A module worker whose graph imports the URL: the whole graph is fetched before it runs.
  function viaModuleWorker(step) {
    return load(step, function (settle) {
      var source = URL.createObjectURL(new Blob(['import ' + JSON.stringify(step.url) + '; postMessage("ran");'], { type: 'text/javascript' }));
      var worker = new Worker(source, { type: 'module', credentials: step.credentials });
      worker.onmessage = function () { settle(loaded('allowed')); };
      worker.onerror = function (e) { e.preventDefault(); settle(loaded('blocked', 'module worker error')); };
      return function () { worker.terminate(); URL.revokeObjectURL(source); };
    });
  }
  var REQUESTERS = { fetch: viaFetch, xhr: viaXhr, worker: viaWorker, img: viaImg, script: viaScript, module: viaModule,
    'import': viaImport, stylesheet: viaStylesheet, font: viaFont, eventsource: viaEventSource, 'module-worker': viaModuleWorker };
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
      return (REQUESTERS[step.client] || viaFetch)(step).then(function (r) {
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
