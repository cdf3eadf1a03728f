// CommonJS: every entry of the package loads and has what it promises.
const api = require('cors-conform');
const pw = require('cors-conform/playwright');
const reporter = require('cors-conform/reporter');
const out = {
  verify: typeof api.verify,
  explain: api.explain({
    origin: 'https://a.example',
    url: 'https://b.example/x',
    response: { headers: [['Access-Control-Allow-Origin', '*']] },
  }).outcome,
  test: typeof pw.test,
  expect: typeof pw.expect,
  reporter: typeof reporter.default,
};
process.stdout.write(JSON.stringify(out));
