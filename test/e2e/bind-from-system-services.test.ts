// `bind --from` on a port an OS service of Linux or macOS holds: a user trial
// got `kill 546` for systemd-resolved on 53 and `kill 1081` for macOS's
// ControlCenter (AirPlay Receiver) on 5000; both are started again by their
// service manager and take the port back. The fix is their own setting
// (src/os/unix-system-services.ts). Inputs are real captures (test/fixtures/*/SOURCES).
import { describe, expect, it } from 'vitest';
import { bindFrom } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';

describe('bind --from: a port an OS service holds is not freed by ending it', () => {
  it.each([
    ['ss -tanp', fixture('linux-ss', 'ubuntu-ss-tanp-root.txt')],
    ['netstat -plnt', fixture('linux-netstat', 'ubuntu-20.04-netstat-plnt.txt')],
  ])('systemd-resolved on 53 (%s): the stub listener setting, no kill', (_, input) => {
    const { code, rep } = bindFrom(['53'], input);
    expect(code).toBe(1);
    const f = rep.findings.find((x) => x.code === 'port-in-use')!;
    expect(f.message).toMatch(/systemd-resolved's DNS stub listener holds port 53 on 127\.0\.0\.53 \(and 127\.0\.0\.54\)/);
    expect(f.message).toMatch(/DNSStubListener=no, resolved\.conf\(5\)/);
    expect(f.remedy.some((r) => /^kill /.test(r))).toBe(false);
    expect(f.remedy).toContain("printf '[Resolve]\\nDNSStubListener=no\\n' | sudo tee /etc/systemd/resolved.conf.d/no-stub-listener.conf");
    expect(f.remedy.at(-1)).toBe('sudo systemctl restart systemd-resolved');
  });

  it('macOS ControlCenter on 5000 (lsof cuts its name to "ControlCe"): turn AirPlay Receiver off, no kill', () => {
    // lsof alone does not say which OS printed it: whether the listener blocks stays open (exit 4), the advice does not.
    const { code, rep } = bindFrom(['5000'], fixture('pastes-lsof', 'macos-lsof-i-5000-service-name-bare-command.txt'));
    expect(code).toBe(4);
    const found = rep.findings.filter((x) => x.code === 'port-in-use');
    expect(found).toHaveLength(2);
    for (const f of found) {
      expect(f.message).toMatch(/AirPlay Receiver, which listens on ports 5000 and 7000 since macOS 12/);
      expect(f.message).toMatch(/System Settings > General > AirDrop & Handoff/);
      expect(f.remedy).toEqual([]);
    }
  });

  it('with the macOS port range beside it the listener blocks (exit 1), and the advice is the same', () => {
    const input = fixture('pastes-lsof', 'macos-lsof-i-5000-service-name-bare-command.txt') + fixture('sysctl-portrange', 'macos-first-last-keys.txt');
    const { code, rep } = bindFrom(['5000'], input);
    expect(code).toBe(1);
    const found = rep.findings.filter((x) => x.code === 'port-in-use');
    expect(found).toHaveLength(2);
    for (const f of found) {
      expect(f.message).toMatch(/Do not end it: turn AirPlay Receiver off/);
      expect(f.remedy).toEqual([]);
    }
  });

  it('another process on 53 keeps the ordinary remedy', () => {
    const input = fixture('linux-ss', 'ubuntu-ss-tanp-root.txt').replace('"systemd-resolve"', '"dnsmasq"');
    const f = bindFrom(['53'], input).rep.findings.find((x) => x.code === 'port-in-use')!;
    expect(f.message).not.toMatch(/systemd-resolved/);
    expect(f.remedy.at(-1)).toMatch(/^kill \d+$/);
  });
});
