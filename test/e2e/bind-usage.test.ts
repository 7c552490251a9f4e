// `tcpdiag bind`: bad input, and Windows situations from captured output.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectUsage, runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';

const expectUsageError = (args: string[], pattern: RegExp) => expectUsage(['bind', ...args], pattern);

describe('tcpdiag bind: bad input', () => {
  it.each(['0', '65536', '80.5', ''])('refuses port "%s"', (p) => expectUsageError([p], new RegExp(`<port>: expected a port number from 1 to 65535, got "${p.replace('.', '\\.')}"`)));
  it('refuses a word that is no service name', () => expectUsageError(['abc'], /<port>: expected a port number from 1 to 65535 or a TCP service name \(https, postgresql, \.\.\.\), got "abc"/));
  it('refuses a negative port', () => expectUsageError(['--', '-1'], /<port>: expected a port number from 1 to 65535, got "-1"/));
  it('refuses a missing port', () => expectUsageError([], /missing required argument 'port'/));
  it('refuses --host that is neither an address nor a name', () => expectUsageError(['8080', '--host', 'not an ip!'], /--host: expected an IP address or a host name, got "not an ip!"/));
  it('refuses --host that does not resolve', () => expectUsageError(['8080', '--host', 'no-such-host.invalid'], /--host: "no-such-host.invalid" is not an IP address and does not resolve/));
});

describe('tcpdiag bind --from (a Windows ticket)', () => {
  const excluded = join(FIXTURES, 'netsh-excludedportrange', 'en-hyperv-many-ranges-rider-log.txt');
  const dynamic = join(FIXTURES, 'netsh-dynamicport', 'en-default-49152.txt');

  it('a port inside a range a service excluded: EACCES explained, the winnat remedy, exit 1', () => {
    const r = runCli(['bind', '3306', '--json', '--from', excluded, '--from', dynamic]);
    expect(r.code).toBe(1);
    const rep = r.json();
    expect(rep.data.attempts).toEqual([]);
    expect(rep.data.reservedRange).toMatchObject({ start: 3288, end: 3387, blocksBind: true });
    expect(rep.findings[0]).toMatchObject({ code: 'port-excluded', severity: 'error' });
    expect(rep.findings[0].remedy).toEqual([
      'net stop winnat',
      'netsh int ipv4 add excludedportrange protocol=tcp startport=3306 numberofports=1 store=persistent',
      'netsh int ipv6 add excludedportrange protocol=tcp startport=3306 numberofports=1 store=persistent',
      'net start winnat',
    ]);
    expect(rep.data.notes[0]).toBe('no bind was attempted: this answer comes from captured output only');
    expect(rep.summary).toBe('from captured output: port 3306 cannot be bound: inside an excluded range');
  });

  it('a port a client socket holds in a customer\'s netstat -abo: the client named', () => {
    // fr-abo: 192.168.1.41:27334 -> 162.159.133.234:https, PID 11660, on a host whose
    // dynamic range starts low; en-netsh-interactive-1024: a range 1024-65534 that covers it.
    const netstat = join(FIXTURES, 'windows-netstat', 'fr-abo-process-names-no-n.txt');
    const lowRange = join(FIXTURES, 'netsh-dynamicport', 'en-netsh-interactive-1024.txt');
    const r = runCli(['bind', '27334', '--json', '--from', netstat, '--from', lowRange]);
    expect(r.code).toBe(1);
    const rep = r.json();
    expect(rep.data.holders).toEqual([expect.objectContaining({ role: 'client', pid: 11660, remote: { address: '162.159.133.234', port: 443 } })]);
    expect(rep.data).toMatchObject({ inEphemeralRange: true, ephemeralRange: { start: 1024, end: 65534 } });
    expect(rep.findings[0]).toMatchObject({ code: 'port-held-by-client-socket', severity: 'error' });
    expect(rep.findings[0].remedy).toEqual(['taskkill /PID 11660']);
    expect(rep.findings[1]).toMatchObject({
      code: 'port-in-ephemeral-range',
      remedy: [
        'netsh int ipv4 add excludedportrange protocol=tcp startport=27334 numberofports=1 store=persistent',
        'netsh int ipv6 add excludedportrange protocol=tcp startport=27334 numberofports=1 store=persistent',
      ],
    });
    expect(rep.summary).toBe('from captured output: port 27334 cannot be bound: a client socket holds it');
  });

  it('refuses text that is neither a socket table nor port ranges', () => {
    const r = runCli(['bind', '80', '--from', join(FIXTURES, 'netsh-dynamicport', 'SOURCES')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/neither a socket table nor port ranges tcpdiag knows/);
  });
});
