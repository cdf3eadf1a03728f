#!/usr/bin/env node
// The `cors-conform` command. The project is TypeScript run as-is: tsx compiles it on load, so
// there is no build step between a clone and a first run.
'use strict';
const { register } = require('tsx/cjs/api');
register();
require('../harness/cli/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
    // Everything is closed by now; should anything still hold the process open (a peer that
    // never lets go of a socket), the command ends anyway, soon after its verdict.
    setTimeout(() => {
      process.stderr.write('cors-conform: something kept the process open after the verdict; exiting\n');
      process.exit(code);
    }, 3000).unref();
  });
