// How helper scripts run the CLI under test they are given (test/helpers/cli.ts
// cliArgv): bin/tcpdiag.js on this Node, a single executable on its own.
module.exports = (bin, args) => (bin.endsWith('.js') ? [process.execPath, [bin, ...args]] : [bin, args]);
