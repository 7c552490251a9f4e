// `bind --from --json` must not say "outside the ephemeral range" when no
// range is known: a user trial read `inEphemeralRange: false` from an lsof
// paste that holds no range and no OS. Inputs are real captures (test/fixtures/*/SOURCES).
import { describe, expect, it } from 'vitest';
import { bindFrom, runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';

const data = (args: string[], input: string) => bindFrom(args, input).rep.data as Record<string, unknown>;

describe('bind --from: inEphemeralRange when no range is known', () => {
  it('lsof alone (no range, no OS): null, not false', () => {
    expect(data(['5000'], fixture('pastes-lsof', 'macos-lsof-i-5000-service-name-bare-command.txt'))).toMatchObject({
      inEphemeralRange: null,
      ephemeralRange: null,
      ephemeralRangeKnown: false,
      ephemeralRangeAssumed: false,
    });
  });

  it('an OS but no range: judged against the assumed default, and said to be assumed', () => {
    // Port 53 is outside Linux's default 32768-60999; ephemeralRange is then null, so only ephemeralRangeAssumed tells it was assumed.
    expect(data(['53'], fixture('linux-ss', 'ubuntu-ss-tanp-root.txt'))).toMatchObject({ inEphemeralRange: false, ephemeralRange: null, ephemeralRangeKnown: true, ephemeralRangeAssumed: true });
  });

  it('the range in the input: known, not assumed', () => {
    const input = fixture('linux-ss', 'ubuntu-ss-tanp-root.txt') + 'net.ipv4.ip_local_port_range = 32768\t60999\n';
    expect(data(['53'], input)).toMatchObject({ inEphemeralRange: false, ephemeralRangeKnown: true, ephemeralRangeAssumed: false });
  });

  it('the human output says the range was assumed next to "outside"', () => {
    const r = runCli(['bind', '53', '--from', '-'], { input: fixture('linux-ss', 'ubuntu-ss-tanp-root.txt') });
    expect(r.stdout).toMatch(/outside the ephemeral range \(the OS default, assumed\)/);
  });
});
