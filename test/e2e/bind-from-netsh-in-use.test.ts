// netsh refuses to add an exclusion over a port in use ("The process cannot
// access the file because it is being used by another process": Microsoft's
// HADR best practices for SQL Server on Azure VMs). A user trial got the
// exclusion offered for port 3000 while pid 5120 listened on 127.0.0.1:3000,
// with no word that it would fail. The input is a real capture (a Chinese
// Windows `netstat -ano`, test/fixtures/windows-netstat/SOURCES; its
// 127.0.0.1:63342 listener does not keep a Node listen on the wildcards off).
import { describe, expect, it } from 'vitest';
import { bindFrom } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';

const netstat = fixture('windows-netstat', 'zh-cn-ano.txt');
const rangeFinding = (port: string, input: string) => {
  const found = bindFrom([port], input).rep.findings.filter((f) => f.code === 'port-in-ephemeral-range');
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('bind --from on Windows: the exclusion is run once the port is free', () => {
  it('a socket on the port that does not block: the netsh lines, with the word that they wait for it to go', () => {
    expect(netstat).toMatch(/127\.0\.0\.1:63342 +0\.0\.0\.0:0 +LISTENING +1204/);
    const f = rangeFinding('63342', netstat);
    expect(f.remedy[0]).toMatch(/^netsh int ipv4 add excludedportrange protocol=tcp startport=63342 /);
    expect(f.message).toMatch(/netsh refuses to exclude a port while a socket is on it \("The process cannot access the file because it is being used by another process"\), so run the lines below once the socket on port 63342 \(above\) is gone$/);
  });

  it('nothing on the port: no such word', () => {
    const f = rangeFinding('63343', netstat);
    expect(f.remedy[0]).toMatch(/startport=63343 /);
    expect(f.message).not.toMatch(/netsh refuses/);
  });
});

describe('bind --from on Windows: a port inside an excluded range with a socket on it', () => {
  // A Rider log's excludedportrange (6887-6986 excluded) beside the same netstat: pid 1204 listens on 127.0.0.1:6942,
  // which keeps no listen on the wildcards off, yet netsh refuses the exclusion the fix adds while it is there.
  const excluded = fixture('netsh-excludedportrange', 'en-hyperv-many-ranges-rider-log.txt');

  it('a socket that does not block: the netsh lines, with the word that they wait for it to go (exit 1)', () => {
    expect(netstat).toMatch(/127\.0\.0\.1:6942 +0\.0\.0\.0:0 +LISTENING +1204/);
    const { code, rep } = bindFrom(['6942'], netstat + excluded);
    expect(code).toBe(1);
    expect(rep.findings.find((f) => f.code === 'port-in-use')!.message).toMatch(/it does not keep a Node listen off/);
    const f = rep.findings.find((x) => x.code === 'port-excluded')!;
    expect(f.remedy).toContain('netsh int ipv4 add excludedportrange protocol=tcp startport=6942 numberofports=1 store=persistent');
    expect(f.message).toMatch(/even though the socket on it \(above\) does not keep a listen off: an exclusion is not a socket, and netstat does not list it; netsh refuses to exclude a port while a socket is on it \("The process cannot access the file because it is being used by another process"\), so the netsh lines below succeed only once it is gone\./);
  });

  it('nothing on the port (6943): no such word', () => {
    const { code, rep } = bindFrom(['6943'], netstat + excluded);
    expect(code).toBe(1);
    expect(rep.findings.find((x) => x.code === 'port-excluded')!.message).not.toMatch(/netsh refuses/);
  });
});
