// A socket two tables of one paste list is one socket (a user trial: `ss
// -tanp` then `netstat -tanp` counted 6 CLOSE_WAIT sockets as 12). Each paste
// is a real capture (test/fixtures) followed by the same sockets as another
// tool prints them, written from the capture's rows (helpers/same-socket-tables.ts).
import { describe, expect, it } from 'vitest';
import { parseCapturedInputs, type CapturedInput } from '../../src/input/parse-captured.js';
import type { SocketRow } from '../../src/os/sockets.js';
import { fixture } from '../helpers/fixtures.js';
import { getNetTcpConnection, linuxNetstat, macNetstat, tableRows } from '../helpers/same-socket-tables.js';

const read = (...texts: string[]): Promise<CapturedInput> => parseCapturedInputs({ texts: texts.map((text, i) => ({ file: `f${i}`, text })), duplicates: [] });
const rows = (c: CapturedInput) => c.parts.flatMap((p) => (p.kind === 'table' ? p.table.rows : []));
const paste = (...runs: Array<[string, string]>) => runs.map(([cmd, out]) => `root@host:~# ${cmd}\n${out.trimEnd()}\n`).join('') + 'root@host:~# \n';
const at = (r: SocketRow) => `${r.local.address}:${r.local.port} ${r.remote.address}:${r.remote.port} ${r.state}`;
/** Linux netstat prints no zone ids ("127.0.0.53%lo" in ss is "127.0.0.53" there). */
const noZones = (list: SocketRow[]) => list.map((r) => ({ ...r, local: { ...r.local, address: r.local.address.replace(/%.*/, '') } }));

const SS = fixture('linux-ss', 'ubuntu-22.04-sudo-ss-tanp.txt');
const LSOF = fixture('lsof', 'linux-ubuntu-24.04-lsof-i-P-n.txt');

describe('sudo ss -tanp and netstat -tanp of one host', () => {
  it('lists each socket once, with ss\'s backlog limit, zone ids aside', async () => {
    const ss = await tableRows(SS);
    const both = rows(await read(paste(['ss -tanp', SS], ['netstat -tanp', linuxNetstat(noZones(ss), true)])));
    expect(both.map(at)).toEqual(ss.map(at));
    expect(both.find((r) => r.local.port === 389 && r.family === 'ipv4')!.acceptQueue).toEqual({ length: 0, max: 2048 });
    expect(both.find((r) => r.local.port === 53)!.process).toBe('systemd-resolve');
  });

  it('netstat first and without owners: the owners ss names are kept', async () => {
    const ss = await tableRows(SS);
    const both = rows(await read(paste(['netstat -tan', linuxNetstat(noZones(ss), false)], ['ss -tanp', SS])));
    expect(both).toHaveLength(ss.length);
    expect(both.every((r) => r.owner === 'found')).toBe(true);
  });

  it('one process of a shared socket in netstat, both in ss: one socket with both owners', async () => {
    const ss = await tableRows(SS);
    // netstat names one process of a socket two hold (sshd's privilege separation: 2991 and 2936).
    const net = ss.map((r) => (r.otherOwners ? { ...r, pid: r.otherOwners[0]!.pid, otherOwners: undefined } : r));
    const both = rows(await read(paste(['netstat -tanp', linuxNetstat(noZones(net), true)], ['ss -tanp', SS])));
    const estab = both.filter((r) => r.state === 'ESTABLISHED');
    expect(estab).toHaveLength(1);
    expect([estab[0]!.pid, ...estab[0]!.otherOwners!.map((o) => o.pid)].sort()).toEqual([2936, 2991]);
  });

  it('SO_REUSEPORT: two listeners of 0.0.0.0:22 under two pids stay two, also against a netstat without owners', async () => {
    // A second sshd listening on 0.0.0.0:22 with SO_REUSEPORT, as ss lists it.
    const reuse = SS.replace(/^(LISTEN.*0\.0\.0\.0:22 .*)$/m, (row) => `${row}\n${row.replace('pid=812,fd=5', 'pid=813,fd=5')}`);
    const ss = await tableRows(reuse);
    expect(ss).toHaveLength(9);
    for (const owners of [true, false]) {
      // netstat lists them in the other order: each still goes with its own pid.
      const both = rows(await read(paste(['ss -tanp', reuse], ['netstat -tanp', linuxNetstat(noZones(ss).reverse(), owners)])));
      expect(both.map(at)).toEqual(ss.map(at));
      const listeners = both.filter((r) => r.local.port === 22 && r.family === 'ipv4' && r.state === 'LISTEN');
      expect(listeners.map((r) => [r.pid, r.otherOwners])).toEqual([
        [812, undefined],
        [813, undefined],
      ]);
    }
  });

  it('two equal rows of one table stay two sockets', async () => {
    const twice = SS.replace(/^(LISTEN.*0\.0\.0\.0:22 .*)$/m, '$1\n$1');
    const one = noZones(await tableRows(SS));
    // netstat first: each row of ss stands for another socket, so only one of the two is netstat's.
    const both = rows(await read(paste(['netstat -tanp', linuxNetstat(one, true)], ['ss -tanp', twice])));
    expect(both.filter((r) => r.local.port === 22 && r.family === 'ipv4' && r.state === 'LISTEN')).toHaveLength(2);
  });

  it('a socket in another state in the other table is not merged', async () => {
    const ss = await tableRows(SS);
    const later = noZones(ss).map((r) => (r.state === 'ESTABLISHED' ? { ...r, state: 'CLOSE_WAIT' as const } : r));
    const both = rows(await read(paste(['ss -tanp', SS], ['netstat -tanp', linuxNetstat(later, true)])));
    expect(both).toHaveLength(ss.length + 1);
  });

  it('ss run again after netstat: the later run is used, its sockets counted once', async () => {
    const ss = await tableRows(SS);
    const both = rows(await read(paste(['ss -tanp', SS], ['netstat -tanp', linuxNetstat(noZones(ss), true)], ['ss -tanp', SS])));
    expect(both.map(at).sort()).toEqual(ss.map(at).sort());
  });

  it('two --from inputs are not merged: they may be two hosts', async () => {
    const ss = await tableRows(SS);
    expect(rows(await read(paste(['ss -tanp', SS]), paste(['ss -tanp', SS])))).toHaveLength(2 * ss.length);
  });
});

describe('lsof and netstat', () => {
  it('Linux sudo lsof (one row per process of a shared socket) then netstat -tanp: nothing counted twice', async () => {
    const lsof = await tableRows(LSOF);
    // netstat lists each socket once, under one of its processes; lsof's IPv6 sockets on 127.0.0.1 are IPv4-mapped there.
    const sockets = lsof.filter((r, i) => lsof.findIndex((x) => at(x) === at(r)) === i);
    for (const owners of [true, false]) {
      const both = rows(await read(paste(['lsof -i -P -n', LSOF], [owners ? 'netstat -tanp' : 'netstat -tan', linuxNetstat(sockets, owners)])));
      expect(both.map((r) => `${at(r)} ${r.pid}`)).toEqual(lsof.map((r) => `${at(r)} ${r.pid}`));
    }
  });

  it('macOS lsof then netstat -an -p tcp: six CLOSE_WAIT sockets, each with its owner', async () => {
    const text = fixture('lsof', 'macos-lsof-Pn-i4.txt');
    const lsof = await tableRows(text);
    const both = rows(await read(`me@mac ~ % lsof -Pn -i4\n${text}me@mac ~ % netstat -an -p tcp\n${macNetstat(lsof)}\nme@mac ~ % \n`));
    expect(both).toHaveLength(6);
    expect(both.every((r) => r.state === 'CLOSE_WAIT' && r.pid === 715 && r.process === 'Google')).toBe(true);
  });

  it('a table printed without owners, whose every socket another table names the owner of: no note that owners are missing', async () => {
    const text = fixture('lsof', 'macos-lsof-Pn-i4.txt');
    const lsof = await tableRows(text);
    const noOwners = /netstat without -v shows no owning processes|no process column data/;
    const notesOf = (c: CapturedInput) => c.parts.flatMap((p) => (p.kind === 'table' ? p.table.notes : []));
    // Alone, BSD netstat -an says it; after lsof of the same sockets, not.
    expect(notesOf(await read(`me@mac ~ % netstat -an -p tcp\n${macNetstat(lsof)}\n`))).toContainEqual(expect.stringMatching(noOwners));
    expect(notesOf(await read(`me@mac ~ % lsof -Pn -i4\n${text}me@mac ~ % netstat -an -p tcp\n${macNetstat(lsof)}\nme@mac ~ % \n`))).not.toContainEqual(expect.stringMatching(noOwners));
    // ss -tan (no -p) before netstat -tanp of the same sockets: netstat names them all.
    // (Its slapd row prints "users ((", without the colon.)
    const ssTan = SS.split('\n').map((l) => l.replace(/users:? ?\(\(.*$/, '').trimEnd()).join('\n');
    const ss = await tableRows(SS);
    const c = await read(paste(['ss -tan', ssTan], ['netstat -tanp', linuxNetstat(noZones(ss), true)]));
    expect(rows(c).every((r) => r.owner === 'found')).toBe(true);
    expect(notesOf(c)).not.toContainEqual(expect.stringMatching(noOwners));
    // A socket netstat lacks keeps the note: its owner is still not captured.
    const fewer = await read(paste(['ss -tan', ssTan], ['netstat -tanp', linuxNetstat(noZones(ss).slice(1), true)]));
    expect(notesOf(fewer)).toContainEqual(expect.stringMatching(noOwners));
  });
});

describe('Windows netstat -aonb and Get-NetTCPConnection', () => {
  it('lists each socket once, with the process names netstat -b gives', async () => {
    const text = fixture('pastes-windows-netstat', 'en-win10-aonb-components.txt');
    const netstat = await tableRows(text);
    const both = rows(await read(`C:\\> netstat -aonb\n${text}\nPS C:\\> Get-NetTCPConnection\n${getNetTcpConnection(netstat)}PS C:\\> \n`));
    expect(both.map(at)).toEqual(netstat.map(at));
    expect(both.map((r) => r.process)).toEqual(netstat.map((r) => r.process));
  });
});
