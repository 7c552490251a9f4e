// Service names where a port is taken, and help that says what a bare number
// means (issue #20 "the same rules everywhere"), through the built CLI.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';

describe('service names for ports', () => {
  it('connect host https tries port 443', () => {
    const r = runCli(['connect', '127.0.0.1', 'https', '--timeout', '300ms', '--json']);
    expect(r.stderr).toBe('');
    const d = r.json().data;
    expect(d.port).toBe(443);
    expect(d.attempts.map((a: { port: number }) => a.port)).toEqual([443]);
  });

  it('bind https --from answers for port 443', () => {
    const excluded = join(FIXTURES, 'netsh-excludedportrange', 'en-hyperv-many-ranges-rider-log.txt');
    const r = runCli(['bind', 'https', '--json', '--from', excluded]);
    expect(r.json().data.port).toBe(443);
  });

  it('sockets --remote-port https filters on 443', () => {
    const r = runCli(['sockets', '--remote-port', 'https', '--json', '--from', join(FIXTURES, 'windows-netstat', 'fr-anb-process-names.txt')]);
    const rows: Array<{ remote: { port: number } }> = r.json().data.rows;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.remote.port === 443)).toBe(true);
  });
});

describe('help says what a duration and a port take', () => {
  it('the program help states the rules once', () => {
    const out = runCli(['--help']).stdout;
    expect(out).toMatch(/Durations: +500ms, 2s, 2m or 1h on every flag; a bare number is seconds\./);
    expect(out).toMatch(/Ports: +a number or a TCP service name/);
  });

  it.each([
    ['connect', '--interval <duration>', /a bare number is seconds/],
    ['backlog', '--hold <duration>', /a bare number is seconds/],
    ['sockets', '--sample <duration>', /a bare number is seconds/],
    ['keepalive selftest', '--idle <duration>', /a bare number is seconds/],
  ])('%s %s', (cmd, flag, says) => {
    const out = runCli([...cmd.split(' '), '--help']).stdout.replace(/\n {10,}/g, ' ');
    const line = out.split('\n').find((l) => l.includes(flag));
    expect(line).toMatch(says);
  });
});
