// The Linux remedy that reserves a port, run for real in a namespace
// (ip_local_reserved_ports is per network namespace). Writing the setting
// replaces the whole list (the kernel's proc_do_large_bitmap clears the
// bitmap before it parses a write), so a user trial's `bind --from` paste
// without the list got a fix that would have dropped the host's other
// reservations (Kubernetes' NodePorts, 30000-32767). Made without the list,
// the remedy reads it where it runs; made with it, it names it whole.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reservePortsRemedy } from '../../src/os/remedies.js';
import { createNetns, setSysctl, skipWithoutNetns } from '../helpers/netns.js';

const KEY = 'net/ipv4/ip_local_reserved_ports';

describe.skipIf(process.platform !== 'linux' || skipWithoutNetns())('the port reservation remedy, run in a namespace (skip reason printed above)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcpdiag-reserve-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the remedy's lines as root in `ns` with `shell` (no sudo needed; a temporary file for the sysctl.d one); gives the list after them and the file written. */
  const run = (ns: string, lines: string[], shell: 'sh' | 'bash' = 'sh') => {
    const conf = join(dir, `${ns}-${shell}.conf`);
    for (const line of lines) execFileSync('ip', ['netns', 'exec', ns, shell, '-c', line.replaceAll('sudo ', '').replace('/etc/sysctl.d/99-tcpdiag-reserved-ports.conf', conf)]);
    return { list: listIn(ns), conf: readFileSync(conf, 'utf8') };
  };
  const listIn = (ns: string) => execFileSync('ip', ['netns', 'exec', ns, 'cat', `/proc/sys/${KEY}`], { encoding: 'utf8' }).trim();

  it.each(['sh', 'bash'] as const)('without the list read (%s): the ports already reserved stay, and an empty list gets no leading comma', (shell) => {
    const lines = reservePortsRemedy('linux', [41000], null);
    const busy = createNetns();
    setSysctl(busy, KEY, '30000-32767');
    expect(run(busy, lines, shell)).toEqual({ list: '30000-32767,41000', conf: 'net.ipv4.ip_local_reserved_ports = 30000-32767,41000\n' });
    expect(run(createNetns(), lines, shell)).toEqual({ list: '41000', conf: 'net.ipv4.ip_local_reserved_ports = 41000\n' });
  });

  it('with the list read (live, or a paste that holds it): named whole, with the same result', () => {
    const lines = reservePortsRemedy('linux', [41000], ['30000-32767']);
    expect(lines[0]).toBe('sudo sysctl -w net.ipv4.ip_local_reserved_ports=30000-32767,41000');
    const ns = createNetns();
    setSysctl(ns, KEY, '30000-32767');
    expect(run(ns, lines)).toEqual({ list: '30000-32767,41000', conf: 'net.ipv4.ip_local_reserved_ports = 30000-32767,41000\n' });
  });

  it('the fact behind it: a write replaces the list (what the remedy must not forget)', () => {
    const ns = createNetns();
    setSysctl(ns, KEY, '30000-32767');
    execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.ip_local_reserved_ports=41000']);
    expect(listIn(ns)).toBe('41000');
  });
});
