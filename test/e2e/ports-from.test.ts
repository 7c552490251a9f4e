// `ports --from`: the support engineer's case, on real captured samples.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { FIXTURES, fixture } from '../helpers/fixtures.js';

// Escape sequences (ESC [): present only when colour is on.
const ANSI = new RegExp(String.fromCharCode(27) + '\\[');

const excluded = join(FIXTURES, 'netsh-excludedportrange', 'en-hyperv-many-ranges-rider-log.txt');
const dynamic = join(FIXTURES, 'netsh-dynamicport', 'ja-powershell-default.txt');

describe('tcpdiag ports --from', () => {
  it('analyses a Windows ticket (dynamicport + excludedportrange) offline', () => {
    const r = runCli(['ports', '--json', '--from', dynamic, '--from', excluded]);
    expect(r.code).toBe(1); // an excluded range covers 3306: a problem
    const rep = r.json();
    expect(rep).toMatchObject({ tool: 'tcpdiag', command: 'ports', verdict: 'problem' });
    expect(rep.data.sources).toEqual([
      { file: dynamic, format: 'netsh-dynamicport', lines: { first: 1, last: 6 }, unread: [] },
      { file: excluded, format: 'netsh-excludedportrange', lines: { first: 1, last: 34 }, unread: [] },
    ]);
    expect(rep.notJudged).toEqual([]);
    expect(rep.data.ephemeral).toEqual([{ protocol: 'tcp', family: 'ipv4', start: 49152, end: 65535, count: 16384, allocator: 'default', source: `${dynamic} (dynamicport)` }]);
    expect(rep.data.reserved).toHaveLength(28);
    expect(rep.data.reserved[0]).toEqual({ protocol: 'tcp', family: null, start: 1876, end: 1975, administered: false, blocksBind: true, source: `${excluded} (excludedportrange)` });
    expect(rep.findings.map((f: { code: string }) => f.code)).toEqual(['excluded-range-covers-common-ports', 'excluded-ranges', 'reserved-ports']);
  });

  it('reads stdin with --from - (UTF-16LE, as PowerShell writes it)', () => {
    const text = fixture('netsh-excludedportrange', 'de-hyperv-winnat.txt');
    const r = runCli(['ports', '--json', '--from', '-'], { input: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) });
    // Excluded ranges only: the ephemeral range is not in the paste, so it is not judged (exit 4), not "none".
    expect(r.code).toBe(4);
    expect(r.json().summary).toMatch(/^the input holds no ephemeral range; /);
    expect(r.json().notJudged).toEqual(['the ephemeral port range: the input holds none (add `netsh int ipv4 show dynamicport tcp`)']);
    expect(r.json().data.reserved).toHaveLength(15);
    expect(r.json().data.sources).toEqual([{ file: 'stdin', format: 'netsh-excludedportrange', lines: { first: 1, last: 23 }, unread: [] }]);
  });

  it('prints tables and findings for a person', () => {
    const r = runCli(['ports', '--from', excluded]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^PROBLEM {2}/);
    expect(r.stdout).toMatch(/Reserved \/ excluded port ranges/);
    expect(r.stdout).toMatch(/warning {2}excluded-range-covers-common-ports/);
    expect(r.stdout).toMatch(/fix:\n\s+net stop winnat/);
    expect(r.stdout).not.toMatch(ANSI); // NO_COLOR and not a TTY
  });

  it('colours human output when FORCE_COLOR is set, and never the JSON', () => {
    expect(runCli(['ports', '--from', excluded], { env: { FORCE_COLOR: '1', NO_COLOR: undefined } }).stdout).toMatch(ANSI);
    expect(runCli(['ports', '--from', excluded, '--no-color'], { env: { FORCE_COLOR: '1' } }).stdout).not.toMatch(ANSI);
    expect(runCli(['ports', '--json', '--from', excluded], { env: { FORCE_COLOR: '1' } }).stdout).not.toMatch(ANSI);
  });
});
