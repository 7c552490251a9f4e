// `tcpdiag backlog`: bad input.
import { describe, it } from 'vitest';
import { expectUsage } from '../helpers/cli.js';

const expectUsageError = (args: string[], pattern: RegExp) => expectUsage(['backlog', ...args], pattern);

describe('tcpdiag backlog: bad input', () => {
  it('refuses --backlog -1', () => expectUsageError(['--backlog=-1'], /--backlog: expected a backlog from 0 to 65535, got "-1"/));
  it('refuses a non-integer backlog', () => expectUsageError(['--backlog', '1.5'], /got "1.5"/));
  it('refuses --clients 0', () => expectUsageError(['--clients', '0'], /--clients: expected a client count from 1 to 1000, got "0"/));
  it('refuses --clients above the cap', () => expectUsageError(['--clients', '1001'], /got "1001"/));
  it('refuses a negative --hold', () => expectUsageError(['--hold=-1s'], /--hold: expected a duration like 500ms, 2s or 2m \(a bare number is seconds\), from 0s to 2m, got "-1s"/));
  it('refuses an absurd --hold', () => expectUsageError(['--hold', '1h'], /got "1h"/));
});
