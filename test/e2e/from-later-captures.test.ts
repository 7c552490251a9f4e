// A user trial: a paste with several runs of one command answered from the
// oldest state. Each command now answers from the later capture and names the
// earlier one (test/parse/later-captures.test.ts has the cases in detail).
// The Korean session is a real capture; the other pastes are described in
// test/helpers/rerun-pastes.ts.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';
import { EXCLUDED, KILLED, SYSCTL_SET_BACK, killedOnLinux } from '../helpers/rerun-pastes.js';

const KO = fixture('netsh-excludedportrange', 'ko-cmd-winnat-restart-session.txt');

describe('--from with the same command run twice', () => {
  it('bind 8000 after `net stop/start winnat` freed 7939-8038: not excluded, no `net stop winnat` prescribed', () => {
    const r = runCli(['bind', '8000', '--json', '--from', '-'], { input: KO });
    const rep = r.json();
    // Inconclusive, not ok: the paste holds no socket table.
    expect(r.code).toBe(4);
    expect(rep.data.reservedRange).toBeNull();
    expect(rep.findings.map((f: { code: string }) => f.code)).not.toContain('port-excluded');
    expect(rep.notJudged).toContain('the excluded port ranges (tcp, ipv4): an earlier capture at lines 1-17 of stdin said 7654-7753, 7754-7853, 7939-8038, 8039-8138, 10226-10325, 10326-10425, 10426-10525, 10526-10625, 50000-50059 *; the later one at lines 18-31 (50000-50059 *) is used');
    expect(rep.data.sources.map((s: { lines: unknown; replacedBy?: unknown }) => [s.lines, s.replacedBy ?? null])).toEqual([
      [{ first: 1, last: 17 }, { first: 18, last: 31 }],
      [{ first: 18, last: 31 }, null],
    ]);
  });

  it('ports lists 50000-50059 once, and the human report says which lines were not used', () => {
    const json = runCli(['ports', '--json', '--from', '-'], { input: KO }).json();
    expect(json.data.reserved.map((x: { start: number; end: number }) => `${x.start}-${x.end}`)).toEqual(['50000-50059']);
    const human = runCli(['ports', '--from', '-'], { input: KO }).stdout.replace(/\s+/g, ' ');
    expect(human).toContain('(netsh-excludedportrange, lines 1-17; not used: lines 18-31 captured it again)');
    // Once in the table, once in the finding; then twice in the sentence on the earlier and the later capture.
    expect(human.match(/50000-50059/g)).toHaveLength(4);
    expect(human).toContain('│ tcp │ ipv4 │ 50000-50059 │ allowed │ administrator │ └');
  });

  it('ports: ip_local_port_range set back to 32768 60999 is ok, with no fix that was already run', () => {
    const r = runCli(['ports', '--json', '--from', '-'], { input: SYSCTL_SET_BACK });
    expect(r.code).toBe(0);
    const rep = r.json();
    expect(rep.data.ephemeral.map((e: { start: number; end: number }) => `${e.start}-${e.end}`)).toEqual(['32768-60999']);
    expect(rep.findings).toEqual([]);
    expect(rep.notJudged).toEqual(['net.ipv4.ip_local_port_range: an earlier capture at lines 1-2 of stdin said 1024-65000; the later one at lines 3-4 (32768-60999) is used']);
  });

  it('bind 3000 with the range set back: outside the ephemeral range', () => {
    const rep = runCli(['bind', '3000', '--json', '--from', '-'], { input: SYSCTL_SET_BACK }).json();
    expect(rep.data.inEphemeralRange).toBe(false);
    expect(rep.findings.map((f: { code: string }) => f.code)).not.toContain('port-in-ephemeral-range');
  });

  it('bind 3000 after taskkill: the rerun that printed nothing is the current table (exit 0), the earlier listeners are named', () => {
    const r = runCli(['bind', '3000', '--json', '--from', '-'], { input: KILLED });
    const rep = r.json();
    expect(r.code).toBe(0);
    expect(rep.data.holders).toEqual([]);
    expect(rep.data.holdersKnown).toBe(true);
    expect(rep.notJudged).toContain('`netstat -ano | findstr :3000` was run more than once: an earlier capture at lines 1-3 of stdin listed 2 sockets; the later one at lines 8-9 (no socket) is used');
  });

  it('bind 3000 when the paste ends at the rerun: the listeners still count, and the verdict says the table may be out of date', () => {
    const cut = KILLED.split('\n').slice(0, 8).join('\n') + '\n';
    const r = runCli(['bind', '3000', '--json', '--from', '-'], { input: cut });
    expect(r.code).toBe(1);
    expect(r.json().notJudged[0]).toMatch(/^whether the table at lines 1-3 of stdin is still true: the input ends with another run of `netstat -ano \| findstr :3000` \(line 8\)/);
  });
});

// Trial 2: empty runs that were dropped (test/parse/bare-prompts.test.ts and empty-runs.test.ts have the cases).
describe('--from with runs that printed nothing, or only "..."', () => {
  const NGINX = fixture('linux-netstat', 'linux-netstat-anp-tcp-with-programs.txt').split('\n').find((l) => l.includes('0.0.0.0:8080'))!;

  it.each(['$ ', '$', 'user@h:~$ '])('bind 8080 after kill, the rerun followed by a bare "%s": ok, no kill prescribed again', (prompt) => {
    const r = runCli(['bind', '8080', '--json', '--from', '-'], { input: killedOnLinux(prompt, NGINX) });
    expect(r.code).toBe(0);
    expect(r.json().data.holders).toEqual([]);
  });

  it('bind 3000 with `netstat -ano | findstr :3000` printing nothing, then netsh: ok, the findstr run listed under "Read from"', () => {
    const input = `C:\\Users\\me>netstat -ano | findstr :3000\r\n\r\n${EXCLUDED}C:\\Users\\me>\r\n`;
    const r = runCli(['bind', '3000', '--from', '-'], { input });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Read from\s+stdin\s+\(windows-netstat, lines 1-2\)/);
  });

  it('bind 3000 with a rerun whose only output is "...": inconclusive, not the listener of the first run, and the "..." line named', () => {
    const input = KILLED.replace('C:\\>netstat -ano | findstr :3000\n\n', 'C:\\>netstat -ano | findstr :3000\n  ...\n\n');
    const r = runCli(['bind', '3000', '--json', '--from', '-'], { input });
    expect(r.code).toBe(4);
    const rep = r.json();
    expect(rep.findings.map((f: { code: string }) => f.code)).not.toContain('port-in-use');
    expect(rep.notJudged.join(' ')).toContain('line 9 of stdin');
  });
});
