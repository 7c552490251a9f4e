// When Linux sends an unanswered SYN again and when it gives up
// (os/syn-schedule.ts), the ground connect-race's waits and connect's
// lost-SYN evidence stand on: measured in namespaces by an nftables counter
// on a port that drops SYNs, polled while one attempt is pending, and
// compared with the schedule the code derives from the namespace's own
// settings (tcp_syn_linear_timeouts and tcp_syn_retries are per namespace).
// The namespaces run at once, so the file takes as long as its longest case.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { linuxSynTimeline } from '../../src/os/syn-schedule.js';
import { createNetns, nft, setSysctl, skipWithoutNetns } from '../helpers/netns.js';

const skip = process.platform !== 'linux' || skipWithoutNetns();

/** SYN send times (ms after the connect) seen until the connect fails or `forMs` passes, and how it failed. */
const WATCH_SYNS = (forMs: number) => `const net = require('net');
  const { execFileSync } = require('child_process');
  const count = () => Number(/packets (\\d+)/.exec(execFileSync('nft', ['list', 'chain', 'inet', 'tdg', 'input']).toString())[1]);
  const s = net.connect({ host: '127.0.0.1', port: 15000, family: 4 });
  const t0 = Date.now();
  const seen = [];
  let last = 0, failed = null;
  const look = () => { for (const n = count(); last < n; last++) seen.push(Date.now() - t0); };
  const end = () => { clearInterval(tick); s.destroy(); look(); console.log(JSON.stringify({ seen, failed })); };
  s.on('error', (e) => { failed = { code: e.code, atMs: Date.now() - t0 }; end(); });
  const tick = setInterval(() => (Date.now() - t0 > ${forMs} ? end() : look()), 20);`;

const RULES = 'table inet tdg {\n  chain input { type filter hook input priority 0; tcp dport 15000 counter drop; }\n}\n';

interface Watched {
  seen: number[];
  failed: { code: string; atMs: number } | null;
}

/** Runs WATCH_SYNS in `ns` without blocking, so several namespaces are watched at once. */
function watchSyns(ns: string, forMs: number): Promise<Watched> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', WATCH_SYNS(forMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`watch failed (${code}): ${err}`))));
  });
}

/** Within a poll (20 ms) and timer slack. */
const SLACK_MS = 250;

describe.skipIf(skip)('Linux SYN resend schedule (skip reason printed above, or not Linux)', () => {
  it('SYNs and the give-up when os/syn-schedule.ts says: the linear phase (4, the 6.5+ default) with tcp_syn_retries 2, and none (as before 6.5) with 6', async () => {
    const cases = [
      // Ends by the time bound of tcp_syn_retries before the 2 + 4 resends: 1, 2, 3, 4, 5 s, then 7 s.
      { linear: 4, retries: 2, forMs: 9000 },
      // 1, 3 s within the watch; the end (127 s) is not waited for.
      { linear: 0, retries: 6, forMs: 5500 },
    ];
    const watched = await Promise.all(
      cases.map(({ linear, retries, forMs }) => {
        const ns = createNetns();
        setSysctl(ns, 'net/ipv4/tcp_syn_linear_timeouts', String(linear));
        setSysctl(ns, 'net/ipv4/tcp_syn_retries', String(retries));
        nft(ns, RULES);
        return watchSyns(ns, forMs);
      }),
    );
    cases.forEach(({ linear, retries, forMs }, c) => {
      const { seen, failed } = watched[c]!;
      const timeline = linuxSynTimeline(retries, linear);
      const expected = [0, ...timeline.resendsAtMs.filter((t) => t <= forMs - 200)];
      expect(seen, `linear ${linear}, retries ${retries}`).toHaveLength(expected.length);
      seen.forEach((t, i) => expect(Math.abs(t - expected[i]!)).toBeLessThan(SLACK_MS));
      if (timeline.giveUpAtMs <= forMs - 200) {
        expect(failed?.code).toBe('ETIMEDOUT');
        expect(Math.abs(failed!.atMs - timeline.giveUpAtMs)).toBeLessThan(SLACK_MS);
      } else expect(failed).toBeNull();
    });
  });
});
