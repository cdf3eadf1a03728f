/**
 * The CSS and the script inlined into cors-matrix.html. The script is a plain string (no
 * transpiled function text, which could carry a compiler's helpers into the page) written as ES2017
 * without template literals; tests/reports/matrix-page.spec.ts runs it in Chromium.
 */

export const CLIENT_CSS = String.raw`
:root { --pass:#dcf5e3; --pass-b:#1a7f37; --fail:#ffe1dc; --fail-b:#cf222e; --dev:#fff0c2; --dev-b:#9a6700; --nr:#eef0f3; --nr-b:#59636e;
  --allowed:#0a58ca; --blocked:#2f353b; --line:#d0d7de; --muted:#59636e;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color:#1f2328; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f8fa; }
code, pre { font-family: ui-monospace, SFMono-Regular, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
header.top { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: 6px 24px; padding: 10px 20px; background: #fff; border-bottom: 1px solid var(--line); }
h1 { font-size: 20px; margin: 0; }
h1 .verdict { font-size: 13px; font-weight: 600; padding: 2px 8px; border-radius: 10px; vertical-align: middle; }
h1 .verdict.ok { background: var(--pass); color: var(--pass-b); }
h1 .verdict.bad { background: var(--fail); color: var(--fail-b); }
.sub { margin: 2px 0 0; color: var(--muted); }
.run { margin: 2px 0 0; color: var(--muted); font-size: 12px; }
.stats { display: flex; gap: 8px; align-items: flex-start; }
.cats { display: flex; flex-wrap: wrap; gap: 4px; align-content: flex-start; max-width: 720px; }
button.cat { font: inherit; font-size: 12px; border: 1px solid var(--line); background: #fff; border-radius: 12px; padding: 0 4px 0 8px; cursor: pointer; }
button.cat:hover, button.cat.on { border-color: #0969da; background: #ddf4ff; }
button.cat.has-fail { border-color: var(--fail-b); }
.k { display: inline-block; min-width: 18px; margin-left: 4px; padding: 0 4px; border-radius: 8px; font-size: 11px; font-weight: 600; text-align: center; }
.k-pass { background: var(--pass); color: var(--pass-b); } .k-fail { background: var(--fail-b); color: #fff; } .k-deviation { background: var(--dev); color: var(--dev-b); } .k-not-run { background: var(--nr); color: var(--nr-b); }
.stat { min-width: 70px; text-align: center; border-radius: 6px; padding: 3px 10px; background: #f6f8fa; border: 1px solid var(--line); color: var(--muted); font-size: 12px; }
.stat b { display: block; font-size: 22px; line-height: 1.2; color: #1f2328; }
.s-pass b { color: var(--pass-b); } .s-fail b { color: var(--fail-b); } .s-deviation b { color: var(--dev-b); } .s-not-run b { color: var(--nr-b); }
.tables { grid-column: 1 / -1; display: flex; gap: 24px; flex-wrap: wrap; align-items: flex-start; }
table.counts { border-collapse: collapse; font-size: 13px; }
table.counts th, table.counts td { padding: 1px 10px; border-bottom: 1px solid #eaeef2; text-align: right; }
table.counts th:first-child { text-align: left; }
table.counts small { color: var(--muted); font-weight: normal; }
td.n-fail.nz { color: var(--fail-b); font-weight: 700; } td.n-deviation.nz { color: var(--dev-b); font-weight: 700; } td.n-not-run.nz { color: var(--nr-b); font-weight: 700; }
.drift { grid-column: 1 / -1; border-radius: 6px; padding: 4px 10px; }
.drift.bad { background: var(--fail); border: 1px solid var(--fail-b); } .drift.ok { background: var(--pass); }
.drift pre { white-space: pre-wrap; font-size: 12px; margin: 4px 0; }
nav.filters { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; align-items: center; gap: 6px 18px; padding: 6px 20px; background: #fff; border-bottom: 1px solid var(--line); box-shadow: 0 1px 3px rgba(0,0,0,.05); }
nav.filters select, nav.filters input[type=search] { font: inherit; padding: 2px 6px; }
fieldset { border: 0; padding: 0; margin: 0; display: flex; gap: 4px; align-items: center; }
legend { float: left; padding: 0 6px 0 0; }
label.chk { padding: 1px 8px 1px 4px; border-radius: 10px; border: 1px solid var(--line); cursor: pointer; }
label.h-pass { background: var(--pass); } label.h-fail { background: var(--fail); } label.h-deviation { background: var(--dev); } label.h-not-run { background: var(--nr); }
#shown { color: var(--muted); }
.legend { color: var(--muted); font-size: 12px; }
.pill { display: inline-block; padding: 0 7px; border-radius: 9px; font-weight: 600; font-size: 11.5px; color: #fff; }
.pill.o-allowed { background: var(--allowed); } .pill.o-blocked { background: var(--blocked); }
.layout { display: grid; grid-template-columns: minmax(0, 1fr) 430px; gap: 14px; padding: 12px 20px; align-items: start; }
@media (max-width: 1000px) { .layout { grid-template-columns: 1fr; } aside#detail { position: static; max-height: none; } }
section.group { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin-bottom: 12px; padding: 6px 12px 8px; overflow-x: auto; }
h2 { font-size: 16px; margin: 2px 0 4px; }
h2 small { font-weight: normal; color: var(--muted); font-size: 12px; }
table.matrix { border-collapse: separate; border-spacing: 3px; width: 100%; }
table.matrix thead th { font-size: 12px; color: var(--muted); font-weight: 600; }
table.matrix th.case-h { text-align: left; }
table.matrix th.srv { border-bottom: 2px solid var(--line); }
table.matrix tbody th { text-align: left; font-weight: normal; vertical-align: top; padding: 3px 6px; min-width: 220px; }
table.matrix tbody th code { font-weight: 600; font-size: 12.5px; display: block; word-break: break-word; }
.title { display: block; color: var(--muted); font-size: 12px; }
.spec { display: block; color: #8c959f; font-size: 11px; }
td.cell { width: 104px; min-width: 76px; text-align: center; vertical-align: middle; border-radius: 6px; padding: 3px 4px; cursor: pointer; border: 2px solid transparent; }
td.v-pass { background: var(--pass); }
td.v-fail { background: var(--fail); border-color: var(--fail-b); }
td.v-deviation { background: var(--dev); border-color: #d4a72c; border-style: dashed; }
td.v-not-run { background: repeating-linear-gradient(135deg, #eef0f3 0 6px, #e3e6ea 6px 12px); color: var(--muted); }
td.cell .oc { display: inline-block; padding: 0 8px; border-radius: 10px; font-weight: 600; font-size: 12px; color: #fff; }
td.o-allowed .oc { background: var(--allowed); }
td.o-blocked .oc { background: var(--blocked); }
td.o-mixed .oc { background: linear-gradient(90deg, var(--allowed), var(--blocked)); }
td.v-not-run .oc, td.o-none .oc { background: transparent; color: var(--muted); }
td.cell .exp { display: block; font-size: 11px; color: var(--fail-b); }
td.cell .vd { display: block; font-size: 10.5px; text-transform: uppercase; letter-spacing: .04em; margin-top: 1px; color: var(--pass-b); }
td.v-fail .vd { color: var(--fail-b); font-weight: 700; } td.v-deviation .vd { color: var(--dev-b); font-weight: 700; } td.v-not-run .vd { color: var(--nr-b); }
td.cell:hover, td.cell:focus { outline: 2px solid #0969da; outline-offset: 1px; }
td.cell.pinned { outline: 3px solid #0969da; outline-offset: 1px; }
td.cell.dim { opacity: .22; }
td.none { color: #8c959f; text-align: center; cursor: default; }
.empty { color: var(--muted); padding: 20px; }
aside#detail { position: sticky; top: 52px; max-height: calc(100vh - 64px); overflow: auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; font-size: 13px; }
aside#detail .hint { color: var(--muted); }
aside h3 { font-size: 13px; margin: 10px 0 3px; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
.d-head { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.d-id { font-weight: 700; font-size: 13.5px; word-break: break-word; }
.badge { padding: 0 8px; border-radius: 10px; font-size: 11.5px; font-weight: 700; text-transform: uppercase; }
.badge.v-pass { background: var(--pass); color: var(--pass-b); } .badge.v-fail { background: var(--fail); color: var(--fail-b); }
.badge.v-deviation { background: var(--dev); color: var(--dev-b); } .badge.v-not-run { background: var(--nr); color: var(--nr-b); }
.d-title { margin: 4px 0; }
.d-meta { margin: 0; color: var(--muted); font-size: 12px; }
.d-box { margin: 6px 0; padding: 4px 8px; border-radius: 6px; }
.d-box.problems { background: var(--fail); } .d-box.deviation { background: var(--dev); } .d-box.notrun { background: var(--nr); }
.d-box ul { margin: 2px 0; padding-left: 18px; }
aside pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa; padding: 4px 6px; border-radius: 4px; font-size: 12px; margin: 2px 0; }
table.cmp { width: 100%; border-collapse: collapse; font-size: 12px; table-layout: fixed; }
table.cmp th, table.cmp td { border: 1px solid #eaeef2; padding: 2px 5px; vertical-align: top; text-align: left; word-break: break-word; }
table.cmp thead th { background: #f6f8fa; }
table.cmp tbody th { width: 92px; color: var(--muted); font-weight: 600; }
table.cmp .diff { background: var(--fail); }
.resp { display: grid; grid-template-columns: 1fr 1fr; gap: 6px; }
.url { margin: 0; font-size: 12px; word-break: break-all; color: var(--muted); }
`;

export const CLIENT_JS = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('matrix-data').textContent);
  var recs = data.records;
  var detail = document.getElementById('detail');
  var LABEL = { pass: 'pass', fail: 'fail', deviation: 'deviation', 'not-run': 'not run' };
  var pinned = null;

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; });
  }
  // A citation's Fetch Standard anchors as links; the same rule as harness/oracle/spec.ts.
  function cite(s) {
    return esc(s).replace(/(^|[^\x60\w])#([a-z0-9]+(?:-[a-z0-9]+)*)/g, function (whole, before, anchor) {
      var name = data.anchors && Object.prototype.hasOwnProperty.call(data.anchors, anchor) ? data.anchors[anchor] : null;
      return name === null ? whole : before + '<a href="' + data.standard + '#' + anchor + '">' + esc(name) + '</a>';
    });
  }
  function headers(list) {
    if (!list || !list.length) return '(no headers)';
    return list.map(function (h) { return esc(h[0]) + ': ' + esc(h[1]); }).join('\n');
  }
  function list(xs) { return xs && xs.length ? esc(xs.join(', ')) : '<i>none</i>'; }
  function wireLine(w) {
    if (!w) return '<i>nothing</i>';
    return esc((w.preflight ? 'preflight ' : '') + w.method + ' hop' + w.hop + ' Origin: ' + w.origin +
      (w.acrm ? ' · ACRM: ' + w.acrm : '') + (w.acrh ? ' · ACRH: ' + w.acrh : '') +
      (w.cookie === null || w.cookie === undefined ? '' : w.cookie ? ' · cookie sent' : ' · no cookie'));
  }
  function row(label, expected, observed, same) {
    return '<tr><th>' + label + '</th><td' + (same ? '' : ' class="diff"') + '>' + expected + '</td><td' + (same ? '' : ' class="diff"') + '>' + observed + '</td></tr>';
  }

  function renderDetail(r) {
    var h = '<div class="d-head"><code class="d-id">' + esc(r.caseId) + '</code><span class="badge v-' + r.verdict + '">' + LABEL[r.verdict] + '</span></div>';
    h += '<p class="d-title">' + esc(r.title) + '</p>';
    h += '<p class="d-meta">' + esc(r.suite + ' / ' + r.category) + (r.spec ? ' · ' + cite(r.spec) : '') + '<br>' +
      esc(r.browser.name + (r.browser.version ? ' ' + r.browser.version : '')) + ' · server ' + esc(r.server || '?') +
      (r.policy ? ' · policy ' + esc(r.policy) : '') + '</p>';
    if (r.notRunReason) h += '<div class="d-box notrun"><b>Not run:</b> ' + esc(r.notRunReason) + '</div>';
    if (r.problems && r.problems.length) h += '<div class="d-box problems"><b>Problems</b><ul>' + r.problems.map(function (p) { return '<li>' + esc(p) + '</li>'; }).join('') + '</ul></div>';
    if (r.deviation) h += '<div class="d-box deviation"><b>Known deviation</b> (' + cite(r.deviation.section) + ')<br>Standard: ' + esc(r.deviation.standard) + '<br>Observed: ' + esc(r.deviation.observed) + '</div>';
    if (r.quirk) h += '<div class="d-box deviation"><b>Framework quirk:</b> ' + esc(r.quirk) + '</div>';
    var observedPreflight = (r.wire.observed || []).some(function (w) { return w.preflight; });
    r.steps.forEach(function (s, i) {
      var q = s.request, e = s.expected, o = s.observed;
      h += '<h3>' + (r.steps.length > 1 ? 'Step ' + (i + 1) + ' – ' : '') + 'Request</h3>';
      h += '<pre class="req">' + esc(q.method + ' ' + q.url) + '\n' + esc('from ' + q.from + ' · ' + q.client + ' · credentials ' + q.credentials + ' · redirect ' + q.redirect) +
        (q.headers && q.headers.length ? '\n' + headers(q.headers) : '') + '</pre>';
      var browserReason = o.browserReason ? esc(o.browserReason) + (o.browserReasonCode ? ' = ' + esc(o.browserReasonCode) : '') : o.outcome === 'blocked' ? (o.error ? 'none given; page error: ' + esc(o.error) : 'none given') : '—';
      h += '<table class="cmp"><thead><tr><th></th><th>Fetch Standard (oracle)</th><th>Browser</th></tr></thead><tbody>' +
        row('outcome', '<b>' + esc(e.outcome) + '</b>', '<b>' + esc(o.outcome) + '</b>', e.outcome === o.outcome) +
        row('reason', esc(e.reason), browserReason, true) +
        row('status', esc(e.status === null ? '—' : e.status), esc(o.status === null ? '—' : o.status), e.outcome !== 'allowed' || e.status === o.status) +
        row('readable', list(e.readableHeaders), list(o.readableHeaders), true) +
        (i === 0 ? row('preflight', e.preflight ? 'yes' : 'no', observedPreflight ? 'yes (server saw one)' : 'no', e.preflight === observedPreflight || r.steps.length > 1) : '') +
        '</tbody></table>';
    });
    (r.responses || []).forEach(function (hop, i) {
      h += '<h3>Server answers' + (r.responses.length > 1 ? ' – hop ' + i : '') + '</h3><p class="url">' + esc(hop.url) + '</p>';
      h += '<div class="resp"><div><b>Preflight (OPTIONS)</b> ' + esc(hop.preflight.status) + '<pre>' + headers(hop.preflight.headers) + '</pre></div>' +
        '<div><b>Actual response</b> ' + esc(hop.response.status) + '<pre>' + headers(hop.response.headers) + '</pre></div></div>';
    });
    var we = (r.wire && r.wire.expected) || [], wo = (r.wire && r.wire.observed) || [];
    if (we.length || wo.length) {
      h += '<h3>Wire – what reached the server</h3><table class="cmp"><thead><tr><th></th><th>Expected</th><th>Observed</th></tr></thead><tbody>';
      for (var i = 0; i < Math.max(we.length, wo.length); i++) {
        var a = wireLine(we[i]), b = wireLine(wo[i]);
        h += row('#' + (i + 1), a, b, a === b);
      }
      h += '</tbody></table>';
    }
    return h;
  }

  function cellOf(e) { var t = e.target; return t && t.closest ? t.closest('td.cell[data-ix]') : null; }
  function show(td) { detail.innerHTML = renderDetail(recs[Number(td.getAttribute('data-ix'))]); detail.scrollTop = 0; }
  function unpin() { if (pinned) pinned.classList.remove('pinned'); pinned = null; }
  var main = document.getElementById('matrix');
  main.addEventListener('mouseover', function (e) { var td = cellOf(e); if (td && !pinned) show(td); });
  main.addEventListener('focusin', function (e) { var td = cellOf(e); if (td && !pinned) show(td); });
  main.addEventListener('click', function (e) {
    var td = cellOf(e);
    if (!td) return;
    var same = pinned === td;
    unpin();
    if (same) return;
    pinned = td;
    td.classList.add('pinned');
    show(td);
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') unpin();
    if (e.key === 'Enter') { var td = cellOf(e); if (td) td.click(); }
  });

  var category = document.getElementById('filter-category');
  var boxes = Array.prototype.slice.call(document.querySelectorAll('#filter-result input'));
  var text = document.getElementById('filter-text');
  var shown = document.getElementById('shown');
  var noMatch = document.getElementById('no-match');
  function apply() {
    var cat = category.value, q = text.value.trim().toLowerCase(), want = {};
    boxes.forEach(function (b) { want[b.value] = b.checked; });
    var total = 0, visible = 0;
    Array.prototype.forEach.call(document.querySelectorAll('section.group'), function (g) {
      var inCategory = !cat || g.getAttribute('data-category') === cat, any = false;
      Array.prototype.forEach.call(g.querySelectorAll('tr.case'), function (tr) {
        total++;
        var verdicts = tr.getAttribute('data-verdicts').split(' ');
        var ok = inCategory && verdicts.some(function (v) { return want[v]; }) && (!q || tr.getAttribute('data-text').indexOf(q) >= 0);
        tr.hidden = !ok;
        if (ok) { visible++; any = true; }
        Array.prototype.forEach.call(tr.querySelectorAll('td.cell[data-verdict]'), function (td) { td.classList.toggle('dim', !want[td.getAttribute('data-verdict')]); });
      });
      g.hidden = !any;
    });
    shown.textContent = visible + ' of ' + total + ' cases shown';
    shown.setAttribute('data-shown', String(visible));
    noMatch.hidden = visible > 0 || total === 0;
    Array.prototype.forEach.call(document.querySelectorAll('button.cat'), function (b) { b.classList.toggle('on', b.getAttribute('data-cat') === cat); });
  }
  function applyAndShow() {
    apply();
    var top = main.getBoundingClientRect().top + window.scrollY - 60;
    if (window.scrollY > top) window.scrollTo(0, top);
  }
  Array.prototype.forEach.call(document.querySelectorAll('button.cat'), function (b) {
    b.addEventListener('click', function () {
      category.value = category.value === b.getAttribute('data-cat') ? '' : b.getAttribute('data-cat');
      applyAndShow();
    });
  });
  category.addEventListener('change', applyAndShow);
  text.addEventListener('input', apply);
  boxes.forEach(function (b) { b.addEventListener('change', applyAndShow); });
})();
`;
