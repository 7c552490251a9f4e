// Progress on stderr and Ctrl-C, for commands that wait: a live line with the
// elapsed time on a terminal after a second (script(1) gives the command a
// real pseudo-terminal), nothing but the result in a pipe or a file (cron)
// unless --verbose, nothing at all with --quiet, and exit 130 with nothing
// left behind on SIGINT.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliArgv, cliShell } from '../helpers/cli.js';
import { createNetns, nft, skipWithoutNetns } from '../helpers/netns.js';

const escape = (s: string) => s.replace(/[[\]\\^$.|?*+(){}]/g, '\\$&');
const DROP_6000 = 'table inet tdg {\n  chain input { type filter hook input priority 0; tcp dport 6000 drop; }\n}\n';

/**
 * Starts `tcpdiag <args>` in the namespace, sends SIGINT once `ready` says the
 * command is in its waiting step (not after a fixed delay: a slow start under
 * load must not turn into a signal that arrives before tcpdiag handles it),
 * and resolves its exit code and stderr.
 */
async function interrupt(ns: string, args: string[], ready: (stderr: string) => boolean, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stderr: string }> {
  const run = spawn('ip', ['netns', 'exec', ns, ...cliArgv(args).flat()], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  const exited = new Promise<number | null>((r) => run.once('exit', (code) => r(code)));
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (ready(stderr)) {
        clearInterval(poll);
        resolve();
      }
    }, 50);
    run.stderr!.on('data', (b) => (stderr += b));
  });
  run.kill('SIGINT');
  return { code: await exited, stderr };
}

/** True once the namespace has a socket in SYN_SENT: connect's attempt is pending. */
const synSentIn = (ns: string) => () => execFileSync('ip', ['netns', 'exec', ns, 'ss', '-tanH', 'state', 'syn-sent'], { encoding: 'utf8' }).trim() !== '';

describe.skipIf(process.platform !== 'linux' || skipWithoutNetns())('progress and Ctrl-C (skip reason printed above)', () => {
  it('a terminal gets a live line with the elapsed time after a second, erased before the result', () => {
    const ns = createNetns();
    nft(ns, DROP_6000);
    const cmd = `ip netns exec ${ns} ${cliShell()} connect 127.0.0.1 6000 --timeout 2s --no-color`;
    const r = spawnSync('script', ['-qefc', cmd, '/dev/null'], { encoding: 'utf8', timeout: 20_000 });
    const ERASE = '\r\u001b[K';
    expect(r.stdout).toMatch(new RegExp(`${escape(ERASE)}. tcpdiag connect: connecting to each address \\(1\\.\\d s\\)`));
    // The last redraw is erased, then the result follows on a clean line.
    expect(r.stdout).toContain(`${ERASE}PROBLEM`);
  });

  it('a pipe gets no live line: stderr stays empty for a command without messages', () => {
    const ns = createNetns();
    nft(ns, DROP_6000);
    const r = spawnSync('ip', ['netns', 'exec', ns, ...cliArgv(['connect', '127.0.0.1', '6000', '--timeout', '1500ms']).flat()], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
  });

  it('connect: Ctrl-C during a pending attempt exits 130', async () => {
    const ns = createNetns();
    nft(ns, DROP_6000);
    const { code, stderr } = await interrupt(ns, ['connect', '127.0.0.1', '6000', '--timeout', '20s'], synSentIn(ns));
    expect(code).toBe(130);
    expect(stderr).toMatch(/tcpdiag: interrupted, cleaning up/);
  });

  it('sockets --sample: Ctrl-C during the sample exits 130', async () => {
    const ns = createNetns();
    // --verbose: the message tells the test the sample has begun (a pipe gets none without it).
    const { code, stderr } = await interrupt(ns, ['sockets', '--sample', '20s', '--verbose'], (e) => e.includes('sampling'));
    expect(code).toBe(130);
    expect(stderr).toMatch(/^tcpdiag sockets: sampling listen-overflow counters for 20 s\n\ntcpdiag: interrupted, cleaning up\n$/);
  });

  it('doctor: Ctrl-C during its counter sample exits 130', async () => {
    const ns = createNetns();
    // Doctor's 0.5 s sample could end before a signal sent from a busy host
    // lands; the test knob lengthens it, so "sampling" means the signal comes
    // inside it (doctor-linux and quiet-output check the 0.5 s users get).
    const { code, stderr } = await interrupt(ns, ['doctor', '--json', '--verbose'], (e) => e.includes('sampling'), { TCPDIAG_DOCTOR_SAMPLE_MS: '60000' });
    expect(stderr).toMatch(/^tcpdiag doctor: sampling listen-overflow counters for 60 s\n/);
    expect(stderr).toMatch(/tcpdiag: interrupted, cleaning up\n$/);
    expect(code).toBe(130);
  });
});
