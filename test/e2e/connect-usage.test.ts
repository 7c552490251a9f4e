// `tcpdiag connect`: bad input.
import { describe, it } from 'vitest';
import { expectUsage } from '../helpers/cli.js';

const expectUsageError = (args: string[], pattern: RegExp) => expectUsage(['connect', ...args], pattern);

describe('tcpdiag connect: bad input', () => {
  it('refuses a missing port', () => expectUsageError(['localhost'], /missing required argument 'port'/));
  it('refuses a port out of range', () => expectUsageError(['localhost', '70000'], /<port>: expected a port number from 1 to 65535, got "70000"/));
  it('refuses a negative timeout', () => expectUsageError(['localhost', '80', '--timeout=-1s'], /--timeout: expected a duration like 500ms, 2s or 2m \(a bare number is seconds\), from 100ms to 5m, got "-1s"/));
  it('refuses a timeout above its bound, said in minutes', () => expectUsageError(['localhost', '80', '--timeout', '6m'], /from 100ms to 5m, got "6m"/));
  it('refuses an unknown service name', () => expectUsageError(['localhost', 'htps'], /<port>: expected a port number from 1 to 65535 or a TCP service name \(https, postgresql, \.\.\.\), got "htps"/));
  it('refuses --count 0', () => expectUsageError(['localhost', '80', '--count', '0'], /--count: expected an attempt count from 1 to 100, got "0"/));
  it('refuses -4 with -6', () => expectUsageError(['localhost', '80', '-4', '-6'], /-4 and -6 exclude each other/));
});
