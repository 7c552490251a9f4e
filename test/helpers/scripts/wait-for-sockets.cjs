// How a scenario script knows a FIN exchange is over (FIN_WAIT_2 and
// CLOSE_WAIT after a half-close, TIME_WAIT after a close) instead of
// sleeping a guessed time: it waits until the kernel's own socket table
// (/proc/net/tcp and tcp6 of the namespace it runs in) shows those states.
// Polls every 10 ms; fails after `boundMs`, a hang guard far above the few
// ms a loopback exchange takes, naming what it waited for.
const { readFileSync } = require('node:fs');

/** include/net/tcp_states.h, as /proc/net/tcp prints them (hex). */
const STATES = { '01': 'ESTABLISHED', '02': 'SYN_SENT', '03': 'SYN_RECV', '04': 'FIN_WAIT_1', '05': 'FIN_WAIT_2', '06': 'TIME_WAIT', '07': 'CLOSE', '08': 'CLOSE_WAIT', '09': 'LAST_ACK', '0A': 'LISTEN', '0B': 'CLOSING' };

/** Every TCP socket of the namespace: { state, localPort, remotePort }. */
function readTcpRows() {
  const rows = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, remote, st] = line.trim().split(/\s+/);
      if (!st) continue;
      const port = (endpoint) => parseInt(endpoint.slice(endpoint.lastIndexOf(':') + 1), 16);
      rows.push({ state: STATES[st] ?? st, localPort: port(local), remotePort: port(remote) });
    }
  }
  return rows;
}

/**
 * Resolves once every `wanted` { state, localPort, remotePort } is in the
 * table, and no socket is in one of the `gone` states.
 */
async function waitForSockets(wanted, { gone = [], boundMs = 10_000 } = {}) {
  const seen = (rows) =>
    wanted.every((w) => rows.some((r) => r.state === w.state && r.localPort === w.localPort && r.remotePort === w.remotePort)) && !rows.some((r) => gone.includes(r.state));
  const start = Date.now();
  while (!seen(readTcpRows())) {
    if (Date.now() - start > boundMs) {
      const what = wanted.map((w) => `${w.state} ${w.localPort}->${w.remotePort}`).join(', ');
      throw new Error(`no ${what}${gone.length ? ` with nothing in ${gone.join(', ')}` : ''} after ${boundMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

module.exports = { readTcpRows, waitForSockets };
