// When Linux sends an unanswered SYN again (os/syn-schedule.ts), the ground
// connect-race's waits and connect's lost-SYN evidence stand on: measured in
// namespaces by an nftables counter on a port that drops SYNs, polled while
// one attempt is pending, and compared with the schedule the code derives
// from the namespace's own settings (tcp_syn_linear_timeouts is per
// namespace: the default 4, and 0 as on kernels before 6.5).
import { describe, expect, it } from 'vitest';
import { synResendSchedule } from '../../src/os/syn-schedule.js';
import { createNetns, nft, setSysctl, skipWithoutNetns } from '../helpers/netns.js';
import { nodeInNetns } from '../helpers/node-in-netns.js';

const skip = process.platform !== 'linux' || skipWithoutNetns();

/** SYN send times (ms after the connect) seen within `forMs`. */
const WATCH_SYNS = (forMs: number) => `const net = require('net');
  const { execFileSync } = require('child_process');
  const count = () => Number(/packets (\\d+)/.exec(execFileSync('nft', ['list', 'chain', 'inet', 'tdg', 'input']).toString())[1]);
  const s = net.connect({ host: '127.0.0.1', port: 15000, family: 4 }).on('error', () => {});
  const t0 = Date.now();
  const seen = [];
  let last = 0;
  const tick = setInterval(() => {
    const n = count();
    for (; last < n; last++) seen.push(Date.now() - t0);
    if (Date.now() - t0 > ${forMs}) { clearInterval(tick); s.destroy(); console.log(JSON.stringify(seen)); }
  }, 20);`;

const RULES = 'table inet tdg {\n  chain input { type filter hook input priority 0; tcp dport 15000 counter drop; }\n}\n';

describe.skipIf(skip)('Linux SYN resend schedule (skip reason printed above, or not Linux)', () => {
  for (const linear of [4, 0]) {
    it(`tcp_syn_linear_timeouts ${linear}: SYNs when os/syn-schedule.ts says`, () => {
      const ns = createNetns();
      setSysctl(ns, 'net/ipv4/tcp_syn_linear_timeouts', String(linear));
      nft(ns, RULES);
      const seen: number[] = nodeInNetns(ns, WATCH_SYNS(5500));
      const schedule = synResendSchedule('linux', { tcpSynRetries: 6, tcpSynLinearTimeouts: linear });
      if (!('resendsAtMs' in schedule)) throw new Error(schedule.unknown);
      const expected = [0, ...schedule.resendsAtMs.filter((t) => t <= 5300)];
      expect(seen).toHaveLength(expected.length);
      // Within a poll (20 ms) and timer slack of the schedule.
      seen.forEach((t, i) => expect(Math.abs(t - expected[i]!)).toBeLessThan(250));
    });
  }
});
