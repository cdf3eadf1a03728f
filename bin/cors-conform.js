#!/usr/bin/env node
// The `cors-conform` command: the compiled CLI in dist/ (`npm run build`; `npm pack` and
// `npm run setup` build it). Plain JavaScript, so nothing is compiled at start-up.
'use strict';
let cli;
try {
  cli = require('../dist/harness/cli/main.js');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes('dist/harness/cli/main.js')) {
    process.stderr.write('cors-conform: not built yet: run `npm run build` in this clone of cors-conform\n');
    process.exit(2);
  }
  throw error;
}
cli.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // Everything is closed by now; should anything still hold the process open (a peer that never
  // lets go of a socket), the command ends anyway, soon after its verdict.
  setTimeout(() => {
    process.stderr.write('cors-conform: something kept the process open after the verdict; exiting\n');
    process.exit(code);
  }, 3000).unref();
});
