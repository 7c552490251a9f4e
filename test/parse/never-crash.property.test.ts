// Property tests: no input makes a parser throw anything but a ParseError,
// and line endings never change a result. A crash here would reach the user
// as an internal error instead of one clear line.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePortRangeText } from '../../src/os/parse/port-range-formats.js';
import { orParseError } from '../helpers/or-parse-error.js';
import { fixture, fixtureNames } from '../helpers/fixtures.js';

const SAMPLES = ['netsh-excludedportrange', 'netsh-dynamicport', 'sysctl-portrange', 'linux-procfs-ports'].flatMap((folder) =>
  fixtureNames(folder).map((n) => fixture(folder, n)),
);

const parseOrParseError = (text: string): unknown => orParseError(() => parsePortRangeText(text, 'input'));

describe('port-range parsers never crash', () => {
  it('on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (s) => void parseOrParseError(s)), { numRuns: 2000 });
  });

  it('on text built from the pieces real outputs are made of', () => {
    const piece = fc.constantFrom('----------    --------', '---------------------------------', '  5357   5357', '50000 50059 *', 'Protocol tcp Port Exclusion Ranges', 'Start Port : 49152', 'Number of Ports : 99999', 'net.inet.ip.portrange.first: 70000', 'net.ipv4.ip_local_port_range = 5 1', 'net.ipv4.ip_local_reserved_ports = 9-8,', '$ cat /proc/sys/net/ipv4/ip_local_port_range', '', ' ', '*', ':', '65535 0', '99999999999 1');
    fc.assert(fc.property(fc.array(piece, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => void parseOrParseError(lines.join(eol))), { numRuns: 3000 });
  });

  it('on real samples with lines dropped, duplicated or cut short', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SAMPLES), fc.array(fc.nat(), { maxLength: 6 }), fc.nat(), (text, drops, cut) => {
        const lines = text.split('\n');
        for (const d of drops) lines.splice(d % (lines.length || 1), d % 2 ? 1 : 0, lines[d % (lines.length || 1)] ?? '');
        void parseOrParseError(lines.join('\n').slice(0, Math.max(1, text.length - (cut % 40))));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same ranges for CRLF, LF and BOM-prefixed copies of every sample', () => {
    for (const text of SAMPLES) {
      const lf = parseOrParseError(text);
      expect(parseOrParseError(text.replace(/\n/g, '\r\n'))).toEqual(lf);
      expect(parseOrParseError(`\uFEFF${text}`)).toEqual(lf);
    }
  });
});
