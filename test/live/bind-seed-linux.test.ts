// Issue #20's seed sequence end to end, in a namespace: tcpdiag names the
// client holding 43611, closes just its socket in the fix and says to end the
// process only if that cannot be done; the user ends it: after the kill its socket sits in
// TIME_WAIT and a real Node listen fails; tcpdiag must then say so, with the
// time left and a fix that works (the report's own ss -K line is run, and the
// listen then succeeds), and never blame another namespace.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { createNetns, skipWithoutNetns } from '../helpers/netns.js';
import { nodeInNetns } from '../helpers/node-in-netns.js';
import { humanOutput, linesWiderThan } from '../helpers/width.js';
import { renderBind } from '../../src/render/bind.js';

const SCRIPT = join(__dirname, '..', 'helpers', 'scripts', 'seed-sequence.cjs');

describe.skipIf(process.platform !== 'linux' || skipWithoutNetns())('bind after following its own fix (skip reason printed above)', () => {
  it('client holds 43611 -> kill -> TIME_WAIT: blocked, time left, a working fix, no namespace guess', () => {
    const s = nodeInNetns(createNetns(), SCRIPT, { args: [CLI, '43611'] });
    expect(s.clientPort).toBe(43611);

    const held = JSON.parse(s.held.stdout);
    expect(s.held.code).toBe(1);
    expect(held.data.holders).toEqual([expect.objectContaining({ role: 'client', state: 'ESTABLISHED', pid: s.childPid, blocks: 'yes' })]);
    expect(held.findings[0]).toMatchObject({ code: 'port-held-by-client-socket', severity: 'error' });
    // The fix closes just the socket (ss -K); ending the process is said as the fallback, which this user takes.
    expect(held.findings[0].remedy.at(-1)).toMatch(/^sudo ss -K -t -4 state established src 127\.0\.0\.1:43611 /);
    expect(held.findings[0].remedy.join('\n')).not.toMatch(/kill/);
    expect(held.findings[0].message).toContain(`then \`kill ${s.childPid}\``);

    // The kernel's truth after the kill: a Node listen fails.
    expect(s.listenAfterKill).toBe('EADDRINUSE');
    const tw = JSON.parse(s.afterKill.stdout);
    expect(s.afterKill.code).toBe(1);
    expect(tw.summary).toBe('port 43611 cannot be bound on 0.0.0.0 and [::] (EADDRINUSE): a TIME_WAIT connection holds it');
    expect(tw.data.holders).toEqual([expect.objectContaining({ role: 'time-wait', local: { address: '127.0.0.1', port: 43611 }, remote: { address: '127.0.0.1', port: 5000 }, blocks: 'yes' })]);
    const leftMs = tw.data.holders[0].timeWaitRemainingMs;
    expect(leftMs).toBeGreaterThan(45_000);
    expect(leftMs).toBeLessThanOrEqual(60_000);
    expect(tw.findings.map((f: { code: string; severity: string }) => `${f.severity}:${f.code}`)).toEqual(['error:port-time-wait', 'warning:port-in-ephemeral-range']);
    expect(tw.findings[0].message).toMatch(/did not set SO_REUSEADDR/);
    expect(tw.findings[0].message).toMatch(new RegExp(`gone in ${Math.ceil(leftMs / 1000)} s`));
    expect(tw.findings[0].remedy).toEqual([
      'sudo sysctl -w net.ipv4.ip_local_reserved_ports=43611',
      "echo 'net.ipv4.ip_local_reserved_ports = 43611' | sudo tee /etc/sysctl.d/99-tcpdiag-reserved-ports.conf",
      // Closing it now, not also waiting for it (the message says both ways; a block pasted whole runs every line).
      'sudo ss -K -t -4 state time-wait src 127.0.0.1:43611 dst 127.0.0.1:5000',
    ]);
    expect(s.afterKill.stdout).not.toMatch(/namespace/);
    expect(tw.notJudged).toEqual([]);
    expect(linesWiderThan(humanOutput(renderBind, tw))).toEqual([]);

    // The report's own ss -K line frees the port at once.
    expect(s.ssKRun).toBe(0);
    expect(s.listenAfterSsK).toBe('ok');
    expect(s.afterSsK.code).toBe(0);
  });
});
