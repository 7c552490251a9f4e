// `tcpdiag connect-race`: bad input.
import { describe, it } from 'vitest';
import { expectUsage, resolverAnswers } from '../helpers/cli.js';

const expectUsageError = (args: string[], pattern: RegExp) => expectUsage(['connect-race', ...args], pattern);

describe('tcpdiag connect-race: bad input', () => {
  it('refuses a missing port', () => expectUsageError(['10.0.0.1'], /missing required argument 'port'/));
  it('refuses a port out of range', () => expectUsageError(['10.0.0.1', '0'], /<port>: expected a port number from 1 to 65535, got "0"/));
  it('refuses --control without a port', () => expectUsageError(['127.0.0.1', '15000', '--control', '127.0.0.1'], /--control: expected HOST:PORT/));
  it('refuses --control with a bad port', () => expectUsageError(['127.0.0.1', '15000', '--control', '127.0.0.1:99999'], /--control: expected HOST:PORT with a port from 1 to 65535 .*got "127.0.0.1:99999"/));
  it('refuses --max-pending 0', () => expectUsageError(['127.0.0.1', '15000', '--max-pending', '0'], /--max-pending: expected a number of pending attempts from 1 to 256, got "0"/));
  it('refuses --max-pending above the cap', () => expectUsageError(['127.0.0.1', '15000', '--max-pending', '257'], /got "257"/));
  it('refuses a control host that does not resolve (where a resolver answers; test/live/resolver-down-linux.test.ts has one that does not)', async () => {
    if (!(await resolverAnswers())) return void console.log('connect-race-usage: no resolver answers here: the case is in test/live/resolver-down-linux.test.ts');
    expectUsageError(['127.0.0.1', '15000', '--control', 'no-such-host.invalid:80'], /--control: "no-such-host.invalid" does not resolve \(ENOTFOUND\)/);
  });
});
