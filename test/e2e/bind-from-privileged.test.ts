// `bind --from` on a privileged port: no capture says which user runs the
// server, and root or CAP_NET_BIND_SERVICE binds it, so the rule is an info
// finding, never a problem (a user trial: exit 1, "cannot be bound:
// privileged", for port 80 from an lsof paste). The socket table is a real
// capture (test/fixtures/*/SOURCES); the sysctl line is what
// `sysctl net.ipv4.ip_unprivileged_port_start` prints on a default kernel.
import { describe, expect, it } from 'vitest';
import { bindFrom } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';

const input = `${fixture('linux-ss', 'ubuntu-ss-tanp-root.txt')}net.ipv4.ip_unprivileged_port_start = 1024\n`;

describe('bind --from on a port below the privileged limit', () => {
  it('port 81 (free in the table): info, with the remedy for an unprivileged server, exit 0', () => {
    const { code, rep } = bindFrom(['81'], input);
    expect(code).toBe(0);
    expect(rep.verdict).toBe('ok');
    const f = rep.findings.find((x) => x.code === 'port-privileged')!;
    expect(f.severity).toBe('info');
    expect(f.message).toMatch(/^port 81 is below 1024: a server that runs as an unprivileged user gets EACCES on it; one that runs as root or has CAP_NET_BIND_SERVICE listens on it/);
    expect(f.remedy[0]).toMatch(/setcap cap_net_bind_service=\+ep \/usr\/local\/bin\/node-port81$/);
    // The summary does not hide it behind "nothing keeps a server from port 81".
    expect(rep.summary).toMatch(/; it is privileged: only a server that runs as root or has CAP_NET_BIND_SERVICE may listen on it$/);
  });

  it('a listener on the port still makes it a problem (exit 1), from the holder, not the privilege', () => {
    const { code, rep } = bindFrom(['53'], input);
    expect(code).toBe(1);
    expect(rep.findings.find((x) => x.code === 'port-privileged')!.severity).toBe('info');
    expect(rep.findings.find((x) => x.code === 'port-in-use')!.severity).toBe('error');
  });
});
