// `keepalive selftest` (Linux, root): the settings are applied, read back
// and measured against a peer that nftables silences, in namespaces the
// command makes itself.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withinTolerance } from '../../src/explain/keepalive.js';
import { renderKeepalive } from '../../src/render/keepalive.js';
import { renderKeepaliveListen } from '../../src/render/keepalive-listen.js';
import { CLI, cliArgv, runCli } from '../helpers/cli.js';
import { cliWithoutKoffi } from '../helpers/bundle-without.js';
import { createNetns, skipWithoutNetns } from '../helpers/netns.js';
import { nodeInNetns } from '../helpers/node-in-netns.js';
import { humanOutput, linesWiderThan } from '../helpers/width.js';
import { asNobody } from '../helpers/unprivileged-cli.js';

const nodeHasFullApi = (() => {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return (major === 24 && minor! >= 19) || (major === 26 && minor! >= 4) || major! > 26;
})();

describe.skipIf(process.platform !== 'linux' || skipWithoutNetns())('keepalive selftest (skip reason printed above)', () => {
  it('idle 1, interval 1, count 3: applied, read back equal, dead peer detected after about 4 s', () => {
    const r = runCli(['keepalive', 'selftest', '--idle', '1', '--interval', '1', '--count', '3', '--json']);
    expect(r.code).toBe(0);
    const d = r.json().data;
    expect(d.applied).toMatchObject({ via: nodeHasFullApi ? 'node' : 'setsockopt', verified: true, readBack: { enabled: true, idleS: 1, intervalS: 1, count: 3 } });
    expect(d.expectedDetectionMs).toBe(4000);
    expect(d.endReason).toBe('ETIMEDOUT');
    expect(withinTolerance(d.detectedAfterMs, 4000)).toBe(true);
    expect(r.json().findings[0]).toMatchObject({ code: 'keepalive-detected' });
    // What a person gets from this run fits 80 columns (rendered from its report: no second run).
    expect(linesWiderThan(humanOutput(renderKeepalive, r.json()))).toEqual([]);
  });

  it('with data in flight, TCP_USER_TIMEOUT ends the connection (keepalive does not run then)', () => {
    const r = runCli(['keepalive', 'selftest', '--pending-data', '--user-timeout', '2', '--json']);
    expect(r.code).toBe(0);
    const d = r.json().data;
    expect(d).toMatchObject({ pendingData: true, expectedDetectionMs: 2000, endReason: 'ETIMEDOUT' });
    expect(withinTolerance(d.detectedAfterMs, 2000)).toBe(true);
    expect(r.json().findings[0].message).toMatch(/by TCP_USER_TIMEOUT \(keepalive does not run while data is unacknowledged\)/);
    expect(linesWiderThan(humanOutput(renderKeepalive, r.json()))).toEqual([]);
  });

  it('with data in flight and no user timeout, keepalive never fires: not detected within the wait, and why', () => {
    const r = runCli(['keepalive', 'selftest', '--idle', '1', '--interval', '1', '--count', '2', '--pending-data', '--max-wait', '5', '--json']);
    expect(r.code).toBe(0);
    const d = r.json().data;
    expect(d).toMatchObject({ detectedAfterMs: null, endReason: 'not-detected', expectedDetectionMs: null });
    expect(r.json().findings[0]).toMatchObject({ code: 'keepalive-not-detected', severity: 'info' });
    expect(r.json().findings[0].message).toMatch(/keepalive does not run while data waits for an ACK/);
    expect(linesWiderThan(humanOutput(renderKeepalive, r.json()))).toEqual([]);
  });

  it('without koffi the values are requested but not verified, and the report says so', () => {
    const noKoffi = cliWithoutKoffi();
    try {
      // Node's own defaults for interval and count are 1 s and 10 (Linux): ask for those.
      const r = runCli(['keepalive', 'selftest', '--idle', '1', '--interval', '1', '--count', '10', '--json'], { bin: noKoffi.bin, env: noKoffi.env });
      const d = r.json().data;
      expect(d.applied).toMatchObject({ via: nodeHasFullApi ? 'node' : 'node (idle only)', verified: false, readBack: null });
      expect(d.applied.notes).toContain('requested, not verified: the kernel values could not be read back (needs koffi and a socket descriptor)');
      expect(r.json().findings.map((f: { code: string }) => f.code)).toContain('keepalive-not-verified');
      expect(withinTolerance(d.detectedAfterMs, 11_000)).toBe(true);
      expect(linesWiderThan(humanOutput(renderKeepalive, r.json()))).toEqual([]);
    } finally {
      noKoffi.remove();
    }
  }, 40_000);

  it('keepalive connect: a real connection whose peer goes silent is declared dead on time; the liveness probe saw it go', () => {
    const ns = createNetns();
    const { code, stdout } = nodeInNetns(ns, join(__dirname, '..', 'helpers', 'scripts', 'keepalive-connect-then-silence.cjs'), { args: [CLI, '--idle', '1', '--interval', '1', '--count', '3', '--json'] });
    expect(code).toBe(0);
    const rep = JSON.parse(stdout);
    const d = rep.data;
    expect(d).toMatchObject({ target: { address: '127.0.0.1', port: 7500 }, probe: { address: '127.0.0.1', port: 7500 }, endReason: 'ETIMEDOUT', expectedDetectionMs: 4000 });
    expect(d.applied.verified).toBe(true);
    expect(withinTolerance(d.detectedAfterMs, 4000)).toBe(true);
    expect(d.peerUnreachableAtMs).not.toBeNull();
    expect(d.peerUnreachableAtMs).toBeLessThan(d.endedAtMs);
    expect(rep.findings[0].message).toMatch(/^peer unreachable at \d+\.\d s, connection declared dead \(ETIMEDOUT\)/);
    expect(linesWiderThan(humanOutput(renderKeepalive, rep))).toEqual([]);
  });

  it('keepalive connect: a peer that closes ends the run at once, with that said (not "dead peer detected")', async () => {
    const server = createServer((c) => (c.on('error', () => {}), setTimeout(() => c.end(), 300)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      // --max-wait 20: a leftover timer would hold the process that long; the kill at 12 s would show it.
      const run = spawn(...cliArgv(['keepalive', 'connect', '127.0.0.1', String(port), '--max-wait', '20', '--json']), { stdio: ['ignore', 'pipe', 'pipe'] });
      const killer = setTimeout(() => run.kill('SIGKILL'), 12_000);
      let out = '';
      run.stdout!.on('data', (b) => (out += b));
      const code = await new Promise<number | null>((r) => run.once('exit', r));
      clearTimeout(killer);
      // A peer that closes is alive: keepalive was not tested, so inconclusive (exit 4), never "ok".
      expect(code).toBe(4);
      const rep = JSON.parse(out);
      expect(rep.verdict).toBe('inconclusive');
      expect(rep.summary).toMatch(/^the peer closed the connection after 0\.\d s: keepalive was not tested \(nothing to detect\)$/);
      expect(rep.findings.map((f: { code: string }) => f.code)).toContain('keepalive-peer-closed');
      // The timeline shows the close, not a death, and no probe after it (the idle time, 7200 s by default, never came).
      const human = humanOutput(renderKeepalive, rep);
      const closedRow = human.split('\n').find((l) => l.startsWith('  closed by peer'));
      expect(closedRow).toContain('|');
      expect(closedRow).toMatch(/ 0\.\d s \(alive: nothing to detect\)$/);
      expect(human).toMatch(/^ {2}keepalive probes +none \(the connection ended before idle \d+\.\d s\)$/m);
      expect(human).not.toMatch(/declared dead/);
    } finally {
      server.close();
    }
  });

  it('keepalive connect: a peer that stays reachable is inconclusive (exit 4), not a keepalive failure: there was nothing to detect', async () => {
    // A user trial: a healthy server got "PROBLEM dead peer not detected" (exit 1).
    const held: Socket[] = [];
    const server = createServer((c) => (c.on('error', () => {}), held.push(c)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const run = spawn(...cliArgv(['keepalive', 'connect', '127.0.0.1', String(port), '--idle', '1', '--interval', '1', '--count', '2', '--max-wait', '3', '--json']), { stdio: ['ignore', 'pipe', 'pipe'] });
        const killer = setTimeout(() => run.kill('SIGKILL'), 12_000);
        let out = '';
        run.stdout!.on('data', (b) => (out += b));
        run.once('exit', (code) => (clearTimeout(killer), resolve({ code, out })));
      });
      expect(r.code).toBe(4);
      const rep = JSON.parse(r.out);
      expect(rep.verdict).toBe('inconclusive');
      expect(rep.data.peerUnreachableAtMs).toBeNull();
      expect(rep.findings[0]).toMatchObject({ code: 'keepalive-peer-stayed-reachable', severity: 'info' });
      expect(rep.findings.map((f: { code: string }) => f.code)).not.toContain('keepalive-not-detected');
    } finally {
      for (const c of held) c.destroy();
      server.close();
    }
  });

  it('keepalive listen: the accepted client inherits the listening socket\'s settings (read back before tcpdiag sets any), and is declared dead on time when it goes silent', () => {
    const ns = createNetns();
    const { code, stdout } = nodeInNetns(ns, join(__dirname, '..', 'helpers', 'scripts', 'keepalive-listen-then-silence.cjs'), { args: [CLI, '--idle', '1', '--interval', '1', '--count', '3', '--clients', '1', '--max-wait', '30', '--json'] });
    expect(code).toBe(0);
    const rep = JSON.parse(stdout);
    expect(rep.data.clients).toHaveLength(1);
    const [c] = rep.data.clients;
    expect(c).toMatchObject({ remote: { address: expect.stringMatching(/127\.0\.0\.1$/) }, endReason: 'ETIMEDOUT', applied: { verified: true } });
    // Linux copies a listening socket's keepalive options into each accepted socket.
    expect(rep.data.listener).toMatchObject({ set: true });
    expect(c.inherited).toEqual({ enabled: true, idleS: 1, intervalS: 1, count: 3 });
    expect(withinTolerance(c.detectedAfterMs, 4000)).toBe(true);
    expect(rep.findings.map((f: { code: string }) => f.code)).toEqual(['keepalive-detected']);
    expect(linesWiderThan(humanOutput(renderKeepaliveListen, rep))).toEqual([]);
  });

  it('without root it cannot run (exit 3) and says why', () => {
    const out = spawnSync('setpriv', asNobody(['keepalive', 'selftest']), { encoding: 'utf8' });
    expect(out.status).toBe(3);
    expect(out.stderr).toMatch(/keepalive selftest: cannot run: keepalive selftest needs root/);
  });
});
