// The port-excluded finding says "netstat shows nothing on it" only when a
// socket table was read and holds nothing on the port (a user trial: said
// over a table that listed pid 364 on 49152). Inputs are real captures
// (test/fixtures/*/SOURCES): a Windows 7 `netstat -ano` and a German
// `netsh int ip show excludedportrange` (49152 and 5357 excluded).
import { describe, expect, it } from 'vitest';
import { bindFrom } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';

const netstat = fixture('windows-netstat', 'en-ano-win7.txt');
const excluded = fixture('netsh-excludedportrange', 'de-hyperv-winnat.txt');

const excludedMessage = (port: string, input: string) => {
  const found = bindFrom([port], input).rep.findings.filter((f) => f.code === 'port-excluded');
  expect(found).toHaveLength(1);
  return found[0]!.message;
};

describe('bind --from: what the excluded-range finding says of the socket table', () => {
  it('a listener on the port (pid 364 on 49152): no "netstat shows nothing", and the exclusion outlasts it', () => {
    expect(netstat).toMatch(/0\.0\.0\.0:49152 .* 364/);
    const m = excludedMessage('49152', netstat + excluded);
    expect(m).not.toMatch(/netstat shows nothing/);
    expect(m).toMatch(/would go on failing after the 2 sockets on it \(above\) are gone: an exclusion is not a socket, and netstat does not list it/);
    // netsh refuses an exclusion over a port in use: the lines wait for the sockets to go (test/e2e/bind-from-netsh-in-use.test.ts).
    expect(m).toMatch(/so the netsh lines below succeed only once they are gone\./);
  });

  it('nothing on the port in the table (5357): "although netstat shows nothing on it"', () => {
    expect(excludedMessage('5357', netstat + excluded)).toMatch(/although netstat shows nothing on it\./);
  });

  it('no table at all: not "netstat shows nothing", which nobody looked at', () => {
    const m = excludedMessage('5357', excluded);
    expect(m).not.toMatch(/netstat shows nothing/);
    expect(m).toMatch(/even with no socket on it: an exclusion is not a socket/);
  });
});
