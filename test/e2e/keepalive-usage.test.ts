// `tcpdiag keepalive selftest`: bad input.
import { describe, expect, it } from 'vitest';
import { expectUsage, runCli } from '../helpers/cli.js';

const expectUsageError = (args: string[], pattern: RegExp) => expectUsage(['keepalive', 'selftest', ...args], pattern);

describe('tcpdiag keepalive selftest: bad input', () => {
  it('refuses --idle 0', () => expectUsageError(['--idle', '0'], /--idle: expected an idle time in whole seconds, like 30s or 2m \(a bare number is seconds\), from 1s to 32767s, got "0"/));
  it('refuses an idle time the kernel would truncate to whole seconds', () => expectUsageError(['--idle', '1500ms'], /--idle: expected an idle time in whole seconds.*got "1500ms"/));
  it('refuses a --max-wait above 15 minutes, said in minutes', () => expectUsageError(['--max-wait', '16m'], /--max-wait: expected a wait in whole seconds.*from 1s to 15m, got "16m"/));
  it('refuses a negative idle', () => expectUsageError(['--idle=-5'], /got "-5"/));
  it('refuses an interval below 1 s', () => expectUsageError(['--interval', '0.5'], /--interval: expected an interval in whole seconds, like 30s or 2m \(a bare number is seconds\), from 1s to 32767s, got "0.5"/));
  it('refuses --count 0', () => expectUsageError(['--count', '0'], /--count: expected a probe count from 1 to 127, got "0"/));
  it('refuses --count above the Linux maximum', () => expectUsageError(['--count', '128'], /got "128"/));
  it('refuses a non-numeric value', () => expectUsageError(['--idle', 'abc'], /got "abc"/));
});

describe('tcpdiag keepalive connect/listen: bad input', () => {
  const run = (args: string[]) => runCli(['keepalive', ...args]);
  it('refuses connect without a port', () => {
    const r = run(['connect', 'localhost']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing required argument 'port'/);
  });
  it('refuses connect with a port out of range', () => {
    const r = run(['connect', 'localhost', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/<port>: expected a port number from 1 to 65535, got "0"/);
  });
  it('refuses --probe without a port', () => {
    const r = run(['connect', '127.0.0.1', '80', '--probe', '127.0.0.1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--probe: expected HOST:PORT/);
  });
  it('refuses --probe with an unknown service name', () => {
    const r = run(['connect', '127.0.0.1', '80', '--probe', '127.0.0.1:nosuch']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--probe: expected HOST:PORT with a port from 1 to 65535 or a service name .*got "127\.0\.0\.1:nosuch"/);
  });
  it('refuses listen with --count above the maximum', () => {
    const r = run(['listen', '9000', '--count', '128']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--count: expected a probe count from 1 to 127, got "128"/);
  });
});
