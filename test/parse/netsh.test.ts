// netsh parser against real captured output in seven languages
// (test/fixtures/netsh-*/SOURCES says where each came from).
import { describe, expect, it } from 'vitest';
import { looksLikeNetsh, parseNetsh } from '../../src/os/parse/netsh.js';
import { fixture, fixtureNames } from '../helpers/fixtures.js';

type Row = [number, number] | [number, number, '*'];

/** Per sample: family from the pasted command line (null when none), and every row in order. */
const EXCLUDED: Record<string, { family: 'ipv4' | 'ipv6' | null; rows: Row[] }> = {
  'de-hyperv-winnat.txt': { family: 'ipv4', rows: [[5357, 5357], [5985, 5985], [47001, 47001], [49152, 49152], [49153, 49153], [49154, 49154], [49851, 49950], [50000, 50059, '*'], [50060, 50159], [50705, 50804], [50805, 50904], [50905, 51004], [51005, 51104], [60706, 60805], [60806, 60905]] },
  'en-docker-publish-all.txt': { family: null, rows: [[1462, 1462], [5357, 5357], [49177, 49276], [49277, 49376], [49377, 49476], [49477, 49576], [49703, 49802], [49812, 49911], [50000, 50059, '*'], [65415, 65514]] },
  'en-gha-administered-trailing-spaces.txt': { family: null, rows: [[80, 80], [5986, 5986], [47001, 47001], [55679, 55679, '*']] },
  'en-hyperv-administered-prompt.txt': { family: 'ipv4', rows: [[5357, 5357], [9800, 9800], [9801, 9801], [49671, 49770], [49871, 49970], [50000, 50059, '*'], [61117, 61216], [61220, 61319], [61902, 62001]] },
  'es-cmd-prompt-many-administered.txt': { family: 'ipv4', rows: [[20, 22, '*'], [80, 80, '*'], [443, 443, '*'], [1898, 1997], [1998, 2097], [2180, 2279], [2764, 2863], [2864, 2963], [2964, 3063], [3306, 3306, '*'], [5432, 5432, '*'], [8000, 8000, '*'], [8080, 8080, '*'], [8888, 8888, '*'], [40000, 40010, '*'], [50000, 50059, '*']] },
  'fr-cmd-prompt-administered.txt': { family: 'ipv4', rows: [[80, 80], [1487, 1487], [5673, 5673], [5674, 5674], [13128, 13130, '*'], [22000, 22000], [50000, 50059, '*']] },
  'ko-ipv6-powershell-trailing-spaces.txt': { family: 'ipv6', rows: [[5357, 5357], [5537, 5636], [7468, 7567], [7768, 7867], [7868, 7967], [7975, 8074], [8552, 8651], [50000, 50059, '*']] },
  'zh-cn-cmd-banner-trailing-prompt.txt': { family: 'ipv4', rows: [[5357, 5357], [49702, 49801], [49802, 49901], [49902, 50001], [50051, 50051, '*'], [50052, 50151], [50152, 50251], [50252, 50351], [50352, 50451], [50465, 50564], [50911, 51010]] },
  'zh-cn-empty-table.txt': { family: null, rows: [] },
  'zh-cn-multiple-administered.txt': { family: 'ipv4', rows: [[1203, 1302], [1433, 1433, '*'], [1434, 1533], [1534, 1633], [1789, 1888], [1889, 1988], [5357, 5357], [5426, 5426], [5796, 5895], [6260, 6359], [10362, 10363, '*'], [50000, 50059, '*'], [54235, 54235], [54236, 54236]] },
  'ru-test-fixture-captured.txt': { family: null, rows: [[5357, 5357], [10673, 10772], [10810, 10909], [10910, 11009], [11010, 11109], [11110, 11209], [29880, 29979], [36420, 36519], [50000, 50059, '*'], [51234, 51333], [51334, 51433], [51440, 51539]] },
};

const asRows = (text: string): Row[] =>
  parseNetsh(text, 'f').ranges.reserved.map((r) => (r.administered ? [r.start, r.end, '*'] : [r.start, r.end]));

describe('netsh excludedportrange', () => {
  for (const [name, want] of Object.entries(EXCLUDED)) {
    it(`reads every row of ${name}`, () => {
      const text = fixture('netsh-excludedportrange', name);
      expect(looksLikeNetsh(text)).toBe(true);
      const { ranges, kinds } = parseNetsh(text, name);
      expect(kinds).toEqual(['netsh-excludedportrange']);
      expect(asRows(text)).toEqual(want.rows);
      for (const r of ranges.reserved) {
        expect(r).toMatchObject({ protocol: 'tcp', family: want.family, blocksBind: !r.administered });
      }
      expect(ranges.ephemeral).toEqual([]);
    });
  }

  it('reads every sample in the folder (none is left without an expectation or a session test)', () => {
    const sessions = ['en-powershell-docker-run-session.txt', 'ko-cmd-winnat-restart-session.txt', 'en-hyperv-many-ranges-rider-log.txt', 'es-wsl-table-only.txt', 'fr-docker-typographic-apostrophe.txt', 'pt-br-test-fixture-unverified.txt'];
    expect(fixtureNames('netsh-excludedportrange').filter((n) => !(n in EXCLUDED) && !sessions.includes(n))).toEqual([]);
  });

  it('keeps both tables of a session that ran the command twice (before and after docker run)', () => {
    const rows = asRows(fixture('netsh-excludedportrange', 'en-powershell-docker-run-session.txt'));
    expect(rows).toHaveLength(17);
    // The second run shows 8080, which `docker run -p 8080:80` reserved meanwhile.
    expect(rows.slice(0, 8)).not.toContainEqual([8080, 8080]);
    expect(rows.slice(8)).toContainEqual([8080, 8080]);
  });

  it('keeps both tables around `net stop/start winnat` (Korean)', () => {
    const rows = asRows(fixture('netsh-excludedportrange', 'ko-cmd-winnat-restart-session.txt'));
    expect(rows).toEqual([[7654, 7753], [7754, 7853], [7939, 8038], [8039, 8138], [10226, 10325], [10326, 10425], [10426, 10525], [10526, 10625], [50000, 50059, '*'], [50000, 50059, '*']]);
  });

  it.each([
    ['en-hyperv-many-ranges-rider-log.txt', 28, [1876, 1975], [50000, 50059, '*']],
    ['es-wsl-table-only.txt', 24, [1025, 1124], [50000, 50059]],
    ['fr-docker-typographic-apostrophe.txt', 14, [80, 80], [50000, 50059, '*']],
    ['pt-br-test-fixture-unverified.txt', 5, [5357, 5357], [55245, 55344]],
  ] as const)('reads %s: %i rows from first to last', (name, count, first, last) => {
    const rows = asRows(fixture('netsh-excludedportrange', name));
    expect(rows).toHaveLength(count);
    expect(rows[0]).toEqual(first);
    expect(rows.at(-1)).toEqual(last);
  });

  it('gives the same result for CRLF text (as saved on Windows)', () => {
    for (const name of Object.keys(EXCLUDED)) {
      const text = fixture('netsh-excludedportrange', name);
      expect(asRows(text.replace(/\n/g, '\r\n'))).toEqual(asRows(text));
    }
  });

  it('reads a table whose blank lines and indentation were lost in a paste', () => {
    const collapsed = 'Protocol tcp Port Exclusion Ranges\nStart Port End Port\n---------- --------\n5357 5357\n50000 50059 *\n* - Administered port exclusions.';
    expect(asRows(collapsed)).toEqual([[5357, 5357], [50000, 50059, '*']]);
  });
});

const DYNAMIC: Record<string, Array<{ protocol: 'tcp' | 'udp'; family: 'ipv4' | null; start: number; end: number; count: number }>> = {
  'en-default-49152.txt': [{ protocol: 'tcp', family: null, start: 49152, end: 65535, count: 16384 }],
  'en-netsh-interactive-1024.txt': [{ protocol: 'tcp', family: 'ipv4', start: 1024, end: 65534, count: 64511 }],
  'en-powershell-tcp-and-udp-win11.txt': [
    { protocol: 'tcp', family: 'ipv4', start: 1024, end: 15000, count: 13977 },
    { protocol: 'udp', family: 'ipv4', start: 49152, end: 65535, count: 16384 },
  ],
  'ja-powershell-default.txt': [{ protocol: 'tcp', family: 'ipv4', start: 49152, end: 65535, count: 16384 }],
  'ru-test-fixture-captured.txt': [{ protocol: 'tcp', family: null, start: 49152, end: 65535, count: 16384 }],
  'zh-cn-cmd-banner-1024.txt': [{ protocol: 'tcp', family: 'ipv4', start: 1024, end: 15000, count: 13977 }],
  'zh-cn-cmd-prompt-49152-16383.txt': [{ protocol: 'tcp', family: 'ipv4', start: 49152, end: 65534, count: 16383 }],
};

describe('netsh dynamicport', () => {
  it('has an expectation for every sample', () => {
    expect(fixtureNames('netsh-dynamicport')).toEqual(Object.keys(DYNAMIC).sort());
  });
  for (const [name, want] of Object.entries(DYNAMIC)) {
    it(`reads ${name}`, () => {
      const { ranges, kinds } = parseNetsh(fixture('netsh-dynamicport', name), name);
      expect(kinds).toEqual(['netsh-dynamicport']);
      expect(ranges.ephemeral.map(({ protocol, family, start, end, count }) => ({ protocol, family, start, end, count }))).toEqual(want);
      expect(ranges.reserved).toEqual([]);
    });
  }

  it('reads dynamicport and excludedportrange pasted into one ticket', () => {
    const text = fixture('netsh-dynamicport', 'ja-powershell-default.txt') + '\n' + fixture('netsh-excludedportrange', 'de-hyperv-winnat.txt');
    const { ranges, kinds } = parseNetsh(text, 'ticket.txt');
    expect(kinds.sort()).toEqual(['netsh-dynamicport', 'netsh-excludedportrange']);
    expect(ranges.ephemeral).toHaveLength(1);
    expect(ranges.reserved).toHaveLength(15);
  });

  it('lists every block read with the protocol and family it answers for, an empty excluded list too', () => {
    // A bind question is about TCP: which lists a paste holds decides whether it is answered (a user trial: a UDP list alone gave OK).
    const text = [fixture('netsh-excludedportrange', 'zh-cn-empty-table.txt'), fixture('netsh-dynamicport', 'en-powershell-tcp-and-udp-win11.txt'), fixture('netsh-excludedportrange', 'ko-ipv6-powershell-trailing-spaces.txt')].join('\n');
    expect(parseNetsh(text, 'ticket.txt').runs.flatMap((r) => r.lists)).toEqual([
      // No command line above it: the family is not known; its title names the protocol.
      { kind: 'netsh-excludedportrange', protocol: 'tcp', family: null },
      { kind: 'netsh-dynamicport', protocol: 'tcp', family: 'ipv4' },
      { kind: 'netsh-dynamicport', protocol: 'udp', family: 'ipv4' },
      { kind: 'netsh-excludedportrange', protocol: 'tcp', family: 'ipv6' },
    ]);
  });

  it('refuses a start and count that run past 65535', () => {
    expect(() => parseNetsh('Protocol tcp Dynamic Port Range\n------------------\nStart Port : 60000\nNumber of Ports : 16384\n', 'x')).toThrow(/runs past 65535/);
  });
});
