#!/usr/bin/env node
'use strict';
// The installed command. All code lives in the bundle that `npm install`
// builds (prepare script), so start-up loads one file.
try {
  require('../dist/tcpdiag.cjs');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && /dist[\\/]tcpdiag\.cjs/.test(String(err.message))) {
    process.stderr.write('tcpdiag: dist/ is missing; run `npm install` (it builds dist/) or `npm run build`\n');
    process.exit(3);
  }
  throw err;
}
