// What a pasted socket table cannot show, from the command line above it
// (input/table-scope.ts). The command lines are real ones from the pastes in
// test/fixtures (named per case) and the forms the tools' manuals document:
// ss(8) -l/-a/-4/-6/state/expressions, net-tools netstat -l/-a, Windows
// netstat -p TCP (IPv4 only; TCPv6 for IPv6), lsof -i4/-i6/-sTCP:, and
// Get-NetTCPConnection -State/-LocalPort.
import { describe, expect, it } from 'vitest';
import { parseCapturedInputs } from '../../src/input/parse-captured.js';
import { capturedTableGaps, tableGaps } from '../../src/input/table-gaps.js';
import { scopeOfTable } from '../../src/input/table-scope.js';
import { splitLines } from '../../src/os/parse/text.js';
import { fixture } from '../helpers/fixtures.js';

const scope = (format: string, command: string) => scopeOfTable(format, [`$ ${command}`, 'header']);

describe('the scope of a table, from its command line', () => {
  it('ss: -l lists listeners unless a later -a lists all; -4/-6; a state; an expression', () => {
    expect(scope('ss', 'sudo ss -tlnp')).toMatchObject({ command: 'sudo ss -tlnp', states: ['LISTEN'] });
    expect(scope('ss', 'ss -tlna')).toEqual({ command: 'ss -tlna', commandRead: true });
    expect(scope('ss', 'ss -tan')).toEqual({ command: 'ss -tan', commandRead: true });
    // Without -a or -l: ss's default, connected sockets (no listener, SYN-RECV or TIME-WAIT).
    expect(scope('ss', 'ss -tnp')).toEqual({ command: 'ss -tnp', commandRead: true, states: ['ESTABLISHED', 'SYN_SENT', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSING'] });
    expect(scope('ss', 'ss -ltn4')).toMatchObject({ states: ['LISTEN'], families: ['ipv4'] });
    expect(scope('ss', 'ss -tan -f inet6')).toMatchObject({ families: ['ipv6'] });
    // The expression as typed; `dport = :443 or sport = :443` keeps every row of local port 443.
    expect(scope('ss', "ss -o state established '( dport = :443 or sport = :443 )'")).toMatchObject({ states: ['ESTABLISHED'], filters: [{ text: "'( dport = :443 or sport = :443 )'", port: 443 }] });
    expect(scope('ss', 'ss -tan state all')).toEqual({ command: 'ss -tan state all', commandRead: true });
  });

  it('netstat: -l on Linux (not with -a), -p TCP on Windows is IPv4 only', () => {
    expect(scope('linux-netstat', 'netstat -pltn')).toMatchObject({ states: ['LISTEN'] });
    expect(scope('linux-netstat', 'netstat -tulpena')).toEqual({ command: 'netstat -tulpena', commandRead: true });
    // Without -a or -l no netstat prints listeners.
    expect(scope('linux-netstat', 'netstat -tnp')?.states).not.toContain('LISTEN');
    expect(scope('windows-netstat', 'netstat -no')?.states).not.toContain('LISTEN');
    expect(scope('bsd-netstat', 'netstat -n -p tcp')?.states).not.toContain('LISTEN');
    expect(scope('windows-netstat', 'netstat -abno')).toEqual({ command: 'netstat -abno', commandRead: true });
    expect(scope('windows-netstat', 'netstat -ano -p tcp')).toMatchObject({ families: ['ipv4'] });
    expect(scope('windows-netstat', 'netstat -ano -p TCPv6')).toMatchObject({ families: ['ipv6'] });
    expect(scope('windows-netstat', 'netstat -ano')).toEqual({ command: 'netstat -ano', commandRead: true });
    // BSD netstat -p tcp lists tcp4, tcp6 and tcp46 rows: not one family.
    expect(scope('bsd-netstat', 'netstat -an -p tcp')).toEqual({ command: 'netstat -an -p tcp', commandRead: true });
    expect(scope('bsd-netstat', 'netstat -an -p tcp -f inet')).toMatchObject({ families: ['ipv4'] });
  });

  it('sockstat (FreeBSD): -l listeners only, -c connected only, -4 or -6 one family', () => {
    expect(scope('sockstat', 'sockstat -4l')).toMatchObject({ states: ['LISTEN'], families: ['ipv4'] });
    expect(scope('sockstat', 'sockstat -c -P tcp')).toMatchObject({ filters: [{ text: '-c (connected sockets only)', port: null }] });
    expect(scope('sockstat', 'sockstat -46 -P tcp')).toEqual({ command: 'sockstat -46 -P tcp', commandRead: true });
  });

  it('lsof and Get-NetTCPConnection: a family, listeners only, one port', () => {
    expect(scope('lsof', 'lsof -nP -i4TCP -sTCP:LISTEN')).toMatchObject({ families: ['ipv4'], states: ['LISTEN'] });
    expect(scope('lsof', 'lsof -nP -iTCP:8080')).toMatchObject({ filters: [{ text: '-i :8080', port: 8080 }] });
    expect(scope('lsof', 'lsof -nP -iTCP -sTCP:^LISTEN')?.states).toEqual(['SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'CLOSED', 'BOUND']);
    expect(scopeOfTable('get-nettcpconnection', ['PS C:\\> Get-NetTCPConnection -State Listen | Select-Object -Property LocalAddress, LocalPort, OwningProcess'])).toEqual({
      command: 'Get-NetTCPConnection -State Listen | Select-Object -Property LocalAddress, LocalPort, OwningProcess',
      commandRead: true,
      states: ['LISTEN'],
    });
    expect(scopeOfTable('get-nettcpconnection', ['PS> Get-NetTCPConnection -LocalPort 8080'])).toMatchObject({ filters: [{ port: 8080 }] });
  });

  it('a filter in the pipeline: the port it names, or none; an inverted match names none; a | inside quotes is the pattern', () => {
    expect(scopeOfTable('windows-netstat', ['C:\\>netstat -ano | findstr :8080'])).toMatchObject({ command: 'netstat -ano | findstr :8080', filters: [{ text: 'findstr :8080', port: 8080 }] });
    expect(scope('ss', 'ss -tanp | grep -v 8080')).toMatchObject({ filters: [{ port: null }] });
    expect(scope('ss', "sudo ss -ln | grep -E 'State|5432'")).toMatchObject({ states: ['LISTEN'], filters: [{ text: "grep -E 'State|5432'", port: null }] });
    expect(scope('ss', 'while true; do ss -tanop | grep 5000; sleep 1; done')).toMatchObject({ filters: [{ text: 'grep 5000', port: 5000 }] });
    expect(scopeOfTable('get-nettcpconnection', ['PS> Get-NetTCPConnection | Select-Object -First 5'])).toMatchObject({ filters: [{ port: null }] });
  });

  it('/proc/net/tcp by its header or its command: IPv4 only; tcp6 IPv6 only', () => {
    const [v4header, v6header] = ['  sl  local_address rem_address   st tx_queue', '  sl  local_address                         remote_address                        st'];
    expect(scopeOfTable('proc-net-tcp', [v4header])).toEqual({ command: '', families: ['ipv4'] });
    expect(scopeOfTable('proc-net-tcp', [v6header])).toEqual({ command: '', families: ['ipv6'] });
    expect(scopeOfTable('proc-net-tcp', ['$ cat /proc/net/tcp6', v6header])).toEqual({ command: 'cat /proc/net/tcp6', commandRead: true, families: ['ipv6'] });
  });

  it('/proc/net: a command naming tcp and tcp6, as the shell expands it, shows both; udp files name no TCP family', () => {
    const [v4header, v6header] = ['  sl  local_address rem_address   st tx_queue', '  sl  local_address                         remote_address                        st'];
    for (const command of ['cat /proc/net/tcp /proc/net/tcp6', 'cat /proc/net/tcp6 /proc/net/tcp', 'cat /proc/net/tcp{,6}', 'cat /proc/net/{tcp,tcp6}', 'cat /proc/net/tcp*', 'sudo cat "/proc/net/tcp" /proc/self/net/tcp6|head -50']) {
      expect(scopeOfTable('proc-net-tcp', [`$ ${command}`, v4header])?.families, command).toBeUndefined();
    }
    expect(scopeOfTable('proc-net-tcp', ['$ cat /proc/net/tcp|grep " 0A "', v4header])?.families).toEqual(['ipv4']);
    expect(scopeOfTable('proc-net-tcp', ['$ cat /proc/net/tcp /proc/net/udp', v4header])?.families).toEqual(['ipv4']);
    expect(scopeOfTable('proc-net-tcp', ['$ cat /proc/net/tcp?', v6header])?.families).toEqual(['ipv6']);
  });

  it('/proc/net: every header in the section counts (tcp and tcp6 cat without a line between), and rows count for their family', () => {
    const session = splitLines(fixture('pastes-mixed', 'ubuntu-cat-proc-net-tcp-tcp6-udp-udp6-session.txt'));
    const [v4header, v6header, udpHeader, udp6Header] = [session[1]!, session[10]!, session[15]!, session[21]!];
    const v6row = { family: 'ipv6' as const, state: 'LISTEN' as const };
    expect(scopeOfTable('proc-net-tcp', [v4header], { lines: [session[2]!, v6header, session[11]!], rows: [] })).toBeNull();
    expect(scopeOfTable('proc-net-tcp', [v6header], { lines: [session[11]!, v4header, session[2]!], rows: [] })).toBeNull();
    // tcp6 rows whose header the copy lost.
    expect(scopeOfTable('proc-net-tcp', [v4header], { lines: [session[2]!, session[11]!], rows: [{ family: 'ipv4', state: 'LISTEN' }, v6row] })).toBeNull();
    // A udp header is no TCP family: tcp6 then udp shows IPv6 TCP sockets only; udp and udp6 alone, none.
    expect(scopeOfTable('proc-net-tcp', [v6header], { lines: [session[11]!, udpHeader, session[16]!], rows: [v6row] })).toEqual({ command: '', families: ['ipv6'] });
    expect(scopeOfTable('proc-net-tcp', [udpHeader], { lines: [session[16]!, udp6Header], rows: [] })).toEqual({ command: '', families: [] });
    // Rows alone, without a header or a command line, say nothing of what the paste left out (a grep).
    expect(scopeOfTable('proc-net-tcp', [session[2]!], { lines: [], rows: [{ family: 'ipv4', state: 'LISTEN' }] })).toBeNull();
  });
});

describe('the gaps of an input: its tables cover each other', () => {
  it('tcp and tcp6 together show both families; listen-only beside a whole table shows every state', () => {
    expect(tableGaps([{ command: 'cat /proc/net/tcp', families: ['ipv4'] }, { command: 'cat /proc/net/tcp6', families: ['ipv6'] }])).toEqual([]);
    expect(tableGaps([{ command: 'ss -tlnp', states: ['LISTEN'] }, null])).toEqual([]);
    expect(tableGaps([{ command: 'ss -tlnp', states: ['LISTEN'] }])).toEqual([expect.stringMatching(/^sockets in other states: the socket table lists LISTEN sockets only \(`ss -tlnp`\)/)]);
    expect(tableGaps([])).toEqual([]);
    expect(tableGaps([{ command: 'ss -o state established', states: ['ESTABLISHED'] }])).toEqual([
      'sockets in other states: the socket table lists ESTABLISHED sockets only (`ss -o state established`); LISTEN, SYN_SENT, SYN_RECEIVED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK and TIME_WAIT sockets are not in it (capture netstat -ano or ss -tanp without a state filter)',
    ]);
  });

  it('/proc/net/udp and udp6 alone show no TCP socket: said once, with what to capture', () => {
    expect(tableGaps([{ command: 'cat /proc/net/udp', families: [] }])).toEqual(['TCP sockets: the socket table holds UDP sockets only (`cat /proc/net/udp`); add `cat /proc/net/tcp /proc/net/tcp6` output (or ss -tanp)']);
    expect(tableGaps([{ command: 'cat /proc/net/udp', families: [] }, { command: 'cat /proc/net/tcp6', families: ['ipv6'] }])).toEqual([expect.stringMatching(/^IPv4 sockets: the socket table holds IPv6 sockets only/)]);
  });

  it('a filter on the port asked keeps its rows whole; on another port, or with no port, it does not', () => {
    const grep = [{ command: 'netstat -ano | findstr :8080', filters: [{ text: 'findstr :8080', port: 8080 }] }];
    expect(tableGaps(grep, 8080)).toEqual([]);
    expect(tableGaps(grep, 8081)).toEqual(['rows the capture filtered out: the socket table went through `findstr :8080`, which does not keep every row of port 8081']);
    expect(tableGaps(grep)).toEqual(['rows the capture filtered out: the socket table went through `findstr :8080`']);
  });

  it('`cat /proc/net/tcp /proc/net/tcp6` pasted as one block, in either order, with or without its command line: both families, no gap', async () => {
    // Made from the real session (test/fixtures/pastes-mixed/SOURCES) by taking out the prompt lines between the
    // dumps: what one `cat` of both files prints, two headers and no line between them.
    const session = splitLines(fixture('pastes-mixed', 'ubuntu-cat-proc-net-tcp-tcp6-udp-udp6-session.txt'));
    const [tcp, tcp6] = [session.slice(1, 9), session.slice(10, 14)];
    for (const block of [[...tcp, ...tcp6], [...tcp6, ...tcp], ['ulric@ubuntu:~$ cat /proc/net/tcp /proc/net/tcp6', ...tcp, ...tcp6]]) {
      const c = await parseCapturedInputs({ texts: [{ file: 'f', text: `${block.join('\n')}\n` }], duplicates: [] });
      expect(c.sources.map((s) => s.format)).toEqual(['proc-net-tcp']);
      expect(c.parts.flatMap((p) => (p.kind === 'table' ? p.table.rows : []))).toHaveLength(10);
      expect(capturedTableGaps(c)).toEqual([]);
    }
    // tcp6 and udp, each under its prompt: the IPv4 TCP sockets are not in the paste (the udp part used to count for them).
    const c = await parseCapturedInputs({ texts: [{ file: 'f', text: `${session.slice(9, 20).join('\n')}\n` }], duplicates: [] });
    expect(capturedTableGaps(c)).toEqual(['IPv4 sockets: the socket table holds IPv6 sockets only (`cat /proc/net/tcp6`, `cat /proc/net/udp`)']);
  });

  it('on real pastes: the scope reaches the parts read', async () => {
    const parts = async (folder: string, name: string) => (await parseCapturedInputs({ texts: [{ file: 'f', text: fixture(folder, name) }], duplicates: [] })).parts;
    const session = await parts('pastes-mixed', 'ubuntu-cat-proc-net-tcp-tcp6-udp-udp6-session.txt');
    // tcp, tcp6, then udp and udp6 (the same layout, by their headers): no TCP socket in the last two.
    expect(session.flatMap((p) => (p.kind === 'table' ? [p.table.scope?.families] : []))).toEqual([['ipv4'], ['ipv6'], [], []]);
    const lkml = await parts('pastes-mixed', 'lkml-2001-quoted-netstat-pltn-wrapped-programs.txt');
    expect(lkml.flatMap((p) => (p.kind === 'table' ? [p.table.scope] : []))).toEqual([{ command: 'netstat -pltn', commandRead: true, states: ['LISTEN'], asRoot: true }]);
  });
});

describe('tables that cannot show listeners (a user trial: bind answered OK from `ss -tnp` and from `netstat -no`)', () => {
  const read = async (text: string) => parseCapturedInputs({ texts: [{ file: 'f', text }], duplicates: [] });
  const listenerGap = /^listening sockets: /;

  it('from the command line: netstat without -a, ss without -a or -l; ss also leaves out SYN-RECV and TIME-WAIT', () => {
    expect(tableGaps([scope('ss', 'ss -tnp')])).toEqual([
      'listening sockets: the socket table cannot show listeners, nor SYN_RECEIVED and TIME_WAIT sockets (`ss -tnp`): netstat prints them only with -a, ss with -a or -l (capture netstat -ano or ss -tanp)',
    ]);
    expect(tableGaps([scope('windows-netstat', 'netstat -no')])).toEqual([expect.stringMatching(/^listening sockets: the socket table cannot show listeners \(`netstat -no`\)/)]);
    // A listener-only table beside it covers the listeners: then the states neither shows are said.
    expect(tableGaps([scope('ss', 'ss -tnp'), scope('ss', 'ss -tlnp')])).toEqual([expect.stringMatching(/^sockets in other states: /)]);
    expect(tableGaps([scope('windows-netstat', 'netstat -ano')])).toEqual([]);
  });

  it('from the heading, without a command line: net-tools "(w/o servers)", BSD netstat without "(including servers)"', async () => {
    const centos = await read(fixture('pastes-linux-netstat', 'centos-7.7-netstat-names-cut.txt'));
    expect(capturedTableGaps(centos)).toEqual([expect.stringMatching(/^listening sockets: the socket table cannot show listeners: /)]);
    const mac = await read(fixture('macos-netstat', 'macos-10.14-nv-tcp.txt'));
    expect(capturedTableGaps(mac)).toEqual([expect.stringMatching(/^listening sockets: the socket table cannot show listeners: /)]);
    expect(scopeOfTable('linux-netstat', ['Active Internet connections (only servers)', 'Proto Recv-Q'])).toEqual({ command: '', states: ['LISTEN'] });
    expect(scopeOfTable('bsd-netstat', ['Active Internet connections (including servers)', 'Proto Recv-Q'])).toBeNull();
  });

  it('from the rows: no listener in any table and no command line to say the table could hold one', async () => {
    // A real `netstat` without options, its prompt left out by the poster (test/fixtures/windows-netstat/SOURCES).
    const plain = fixture('windows-netstat', 'es-plain-no-n-resolved-names.txt');
    expect(capturedTableGaps(await read(plain))).toEqual([expect.stringMatching(/^listening sockets: no socket table in the input holds a listener/)]);
    // With its command line the command says it: one sentence, not two.
    expect(capturedTableGaps(await read(`C:\\Windows\\System32>netstat\n${plain}`))).toEqual([expect.stringMatching(/^listening sockets: the socket table cannot show listeners \(`netstat`\)/)]);
    // A command line that could list listeners and listed none is believed: a host may have none.
    expect(capturedTableGaps(await read(`C:\\>netstat -an\n${plain}`)).filter((g) => listenerGap.test(g))).toEqual([]);
    // A table that holds a listener says nothing of the kind.
    expect(capturedTableGaps(await read(fixture('windows-netstat', 'en-ano-win7.txt')))).toEqual([]);
  });
});

describe('lsof without root (a user trial: bind answered OK from a `dev@box:~$ lsof -nP -iTCP` paste)', () => {
  const read = async (text: string) => parseCapturedInputs({ texts: [{ file: 'f', text }], duplicates: [] });
  const otherUsers = (gaps: string[]) => gaps.filter((g) => g.startsWith("sockets of other users' processes: "));

  it("rows of one user who is not root may lack every other user's sockets; rows of several users, or of root, do not", async () => {
    // Real macOS pastes of one user (ouyang); real Linux ones with root and service users.
    const mac = fixture('lsof', 'macos-lsof-Pn-i4.txt');
    expect(otherUsers(capturedTableGaps(await read(mac)))).toEqual([expect.stringMatching(/every socket in the lsof table is ouyang's/)]);
    expect(otherUsers(capturedTableGaps(await read(fixture('lsof', 'linux-ubuntu-24.04-lsof-i-P-n.txt'))))).toEqual([]);
    expect(otherUsers(capturedTableGaps(await read(fixture('lsof', 'linux-gentoo-lsof-nP-iTCP-sTCP-LISTEN.txt'))))).toEqual([]);
    // The command line says how it ran: sudo or a root prompt lists every user's sockets, a user's prompt does not.
    expect(otherUsers(capturedTableGaps(await read(`$ sudo lsof -nP -i4\n${mac}`)))).toEqual([]);
    expect(otherUsers(capturedTableGaps(await read(`root@box:~# lsof -nP -i4\n${mac}`)))).toEqual([]);
    expect(otherUsers(capturedTableGaps(await read(`ouyang@mbp ~ % lsof -nP -i4\n${mac}`)))).toHaveLength(1);
    // A table that lists every user's sockets beside it covers them.
    expect(otherUsers(capturedTableGaps(await read(`${mac}\n${fixture('macos-netstat', 'macos-26-anv-process-pid.txt')}`)))).toEqual([]);
  });
});
