// A user trial: `ss -tanp` then `netstat -tanp` in one paste counted each
// socket twice — a false close-wait pile-up (exit 1), doubled counts, every
// bind finding said twice, and netstat's ownerless copy "owner not in the
// capture" beside the lsof row that named it. Each paste here is a real
// capture (test/fixtures) followed by the same sockets as another tool prints
// them, written from its rows (helpers/same-socket-tables.ts).
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';
import { getNetTcpConnection, linuxNetstat, macNetstat, tableRows } from '../helpers/same-socket-tables.js';

type Finding = { code: string; message: string };

const AONB = fixture('pastes-windows-netstat', 'en-win10-aonb-components.txt');
const SS = fixture('linux-ss', 'ubuntu-22.04-sudo-ss-tanp.txt');
const MAC_LSOF = fixture('lsof', 'macos-lsof-PiTCP-sTCP-LISTEN-no-n.txt');

const windowsPaste = async () => `C:\\> netstat -aonb\n${AONB}\nPS C:\\> Get-NetTCPConnection\n${getNetTcpConnection(await tableRows(AONB))}PS C:\\> \n`;

describe('--from with one socket in two tables of a paste', () => {
  it('doctor: the 6 CLOSE_WAIT sockets of pid 27568 in netstat -aonb and Get-NetTCPConnection are no pile-up of 12', async () => {
    const alone = runCli(['doctor', '--json', '--from', '-'], { input: AONB });
    const both = runCli(['doctor', '--json', '--from', '-'], { input: await windowsPaste() });
    expect(both.json().findings.map((f: Finding) => f.code)).not.toContain('close-wait-pileup');
    expect(both.code).toBe(alone.code);
    expect(both.json().findings).toEqual(alone.json().findings);
  });

  it('sockets: the counts of netstat -aonb alone', async () => {
    const alone = runCli(['sockets', '--json', '--from', '-'], { input: AONB }).json();
    const both = runCli(['sockets', '--json', '--from', '-'], { input: await windowsPaste() }).json();
    expect(both.data.total).toBe(alone.data.total);
    expect(both.data.states).toEqual(alone.data.states);
    expect(both.summary).toBe(alone.summary);
  });

  it('bind 22 from sudo ss -tanp then netstat -tanp: each finding once', async () => {
    const paste = `root@h:~# ss -tanp\n${SS}root@h:~# netstat -tanp\n${linuxNetstat(await tableRows(SS), true).replace(/%lo/g, '')}\nroot@h:~# \n`;
    const r = runCli(['bind', '22', '--json', '--from', '-'], { input: paste });
    const rep = r.json();
    expect(r.code).toBe(1);
    const messages = rep.findings.map((f: Finding) => f.message);
    expect(messages.length).toBeGreaterThan(0);
    expect(new Set(messages).size).toBe(messages.length);
    expect(new Set(rep.notJudged).size).toBe(rep.notJudged.length);
    const human = runCli(['bind', '22', '--from', '-'], { input: paste }).stdout;
    expect(human.match(/listens on 0\.0\.0\.0:22/g)).toHaveLength(1);
  });

  it('bind 3000 from macOS sudo lsof then netstat -an: the listener has the owner lsof names, and no "owner is not in the capture"', async () => {
    const lsof = (await tableRows(MAC_LSOF)).filter((r) => !r.local.addressIsName);
    const port = 3000;
    const node = lsof.find((r) => r.local.port === port)!;
    const paste = `me@mac ~ % sudo lsof -PiTCP -sTCP:LISTEN\n${MAC_LSOF}me@mac ~ % netstat -an -p tcp\n${macNetstat(lsof)}\nme@mac ~ % \n`;
    const rep = runCli(['bind', String(port), '--json', '--from', '-'], { input: paste }).json();
    expect(JSON.stringify(rep)).not.toMatch(/owner is not in the capture/);
    const inUse = rep.findings.filter((f: Finding) => f.code === 'port-in-use');
    expect(inUse).toHaveLength(1);
    expect(inUse[0].message).toContain(`node (pid ${node.pid})`);
  });
});
