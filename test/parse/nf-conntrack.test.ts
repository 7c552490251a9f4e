// /proc/net/nf_conntrack (test/fixtures/linux-nf-conntrack/SOURCES): only
// unanswered attempts are read, with their original-direction tuple.
import { describe, expect, it } from 'vitest';
import { parseTrackedAttempts } from '../../src/os/parse/nf-conntrack.js';
import { fixture } from '../helpers/fixtures.js';

describe('nf_conntrack', () => {
  it('reads the SYN_SENT entries of a real capture, IPv6 in RFC 5952 form, and skips closed connections', () => {
    const rows = parseTrackedAttempts(fixture('linux-nf-conntrack', 'syn-sent-closed-and-live.txt'));
    expect(rows).toEqual([
      { family: 'ipv4', src: '127.0.0.1', dst: '127.0.0.1', sport: 56120, dport: 15000, expiresS: 119 },
      { family: 'ipv6', src: '::1', dst: '::1', sport: 33724, dport: 15000, expiresS: 119 },
    ]);
  });

  it('an empty table (conntrack idle in this namespace) has none', () => {
    expect(parseTrackedAttempts('')).toEqual([]);
  });
});
