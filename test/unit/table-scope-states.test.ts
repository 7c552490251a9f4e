// What a table's command line leaves out, for the cases a second user trial
// found read as complete tables (bind answered OK): pipe stages tcpdiag did
// not know (awk, sed, rg), several states (`-State Listen,Bound`,
// `-sTCP:LISTEN,ESTABLISHED`, `ss state established state time-wait`, `ss
// exclude listening`), lsof's missing TIME_WAIT; and `ss sport = :3000`,
// which keeps every row of local port 3000. Forms from ss(8) and ss.c's
// scan_state, lsof(8) -s, Get-NetTCPConnection's -State (an array).
import { describe, expect, it } from 'vitest';
import { keptPorts, readSsFilter } from '../../src/os/parse/ss-filter.js';
import { tableGaps } from '../../src/input/table-gaps.js';
import { scopeOfTable } from '../../src/input/table-scope.js';

const scope = (format: string, command: string) => scopeOfTable(format, [`$ ${command}`, 'header']);
const EVERY_BUT_TW = ['LISTEN', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'CLOSED', 'BOUND'];

describe('pipe stages: any stage may drop rows unless it is known to keep them all', () => {
  it('awk, sed, rg, ag, perl are filters; only a grep-like match names a port', () => {
    for (const stage of ["awk '/LISTEN/'", "sed -n '/LISTEN/p'", 'rg LISTEN', 'ag LISTEN', "perl -ne 'print if /LISTEN/'", 'wc -l', 'head -20']) {
      expect(scope('linux-netstat', `sudo netstat -tanp | ${stage}`)?.filters, stage).toEqual([{ text: stage, port: null }]);
    }
    expect(scope('linux-netstat', 'netstat -tanp | rg :3000')?.filters).toEqual([{ text: 'rg :3000', port: 3000 }]);
    expect(scope('linux-netstat', 'netstat -tanp | /usr/bin/grep 3000')?.filters).toEqual([{ text: '/usr/bin/grep 3000', port: 3000 }]);
    expect(scope('linux-netstat', "netstat -tanp | awk '/3000/'")?.filters).toEqual([{ text: "awk '/3000/'", port: null }]);
  });

  it('sorting, paging, aligning, cutting columns, copying and formatting keep every row', () => {
    for (const stages of ['sort -k4', 'sort | uniq', 'uniq -c', 'less', 'more', 'column -t', 'tee out.txt', 'sudo tee out.txt', 'cut -c1-120', 'cat -A', 'pbcopy', 'clip']) {
      expect(scope('linux-netstat', `netstat -tanp | ${stages}`), stages).toEqual({ command: `netstat -tanp | ${stages}`, commandRead: true });
    }
    for (const stages of ['Sort-Object LocalPort', 'Format-Table -AutoSize', 'ft', 'fl', 'Out-String -Width 200', 'Select-Object LocalAddress,LocalPort,State', 'Out-File c.txt']) {
      expect(scopeOfTable('get-nettcpconnection', [`PS> Get-NetTCPConnection | ${stages}`])?.filters, stages).toBeUndefined();
    }
    // uniq -u and -d print only some lines; Select-Object -First some rows.
    expect(scope('linux-netstat', 'netstat -tanp | uniq -u')?.filters).toEqual([{ text: 'uniq -u', port: null }]);
    expect(scopeOfTable('get-nettcpconnection', ['PS> Get-NetTCPConnection | Sort-Object LocalPort | Select-Object -First 5'])?.filters).toEqual([{ text: 'Select-Object -First 5', port: null }]);
  });
});

describe('several states', () => {
  it('Get-NetTCPConnection -State with several values: their union, however the array is typed', () => {
    for (const arg of ['Listen,Bound', 'Listen, Bound', "@('Listen','Bound')", '"Listen","Bound"']) {
      expect(scopeOfTable('get-nettcpconnection', [`PS C:\\> Get-NetTCPConnection -State ${arg}`])?.states, arg).toEqual(['LISTEN', 'BOUND']);
    }
    expect(scopeOfTable('get-nettcpconnection', ['PS> Get-NetTCPConnection -State Established,Listen -LocalPort 3000'])).toMatchObject({ states: ['ESTABLISHED', 'LISTEN'], filters: [{ port: 3000 }] });
    expect(scopeOfTable('get-nettcpconnection', ['PS> Get-NetTCPConnection -State Listen,Nonsense'])).toMatchObject({ filters: [{ text: '-State Listen,Nonsense', port: null }] });
  });

  it('lsof -sTCP: a list of states, or exclusions; never TIME_WAIT, with or without a command line', () => {
    expect(scope('lsof', 'sudo lsof -nP -iTCP -sTCP:LISTEN,ESTABLISHED')?.states).toEqual(['LISTEN', 'ESTABLISHED']);
    expect(scope('lsof', 'sudo lsof -nP -iTCP -s TCP:LISTEN')?.states).toEqual(['LISTEN']);
    expect(scope('lsof', 'lsof -nP -iTCP -sTCP:ESTABLISHED')?.states).toEqual(['ESTABLISHED']);
    expect(scope('lsof', 'lsof -nP -iTCP -sTCP:^LISTEN,^ESTABLISHED')?.states).toEqual(EVERY_BUT_TW.filter((s) => s !== 'LISTEN' && s !== 'ESTABLISHED'));
    expect(scope('lsof', 'lsof -nP -iTCP -sTCP:TIME_WAIT')?.states).toEqual([]);
    expect(scope('lsof', 'sudo lsof -nP -iTCP')).toMatchObject({ states: EVERY_BUT_TW, openFilesOnly: true });
    expect(scopeOfTable('lsof', ['COMMAND PID USER'])).toMatchObject({ command: '', states: EVERY_BUT_TW, openFilesOnly: true });
  });

  it('ss: state keywords add up, exclude takes away, groups are as ss.c reads them; they replace -l and -a', () => {
    expect(scope('ss', 'ss -tanp state established state time-wait')?.states).toEqual(['ESTABLISHED', 'TIME_WAIT']);
    expect(scope('ss', 'ss -tanp exclude listening')?.states).toEqual(['SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'TIME_WAIT', 'CLOSED']);
    expect(scope('ss', 'ss -tlnp state all')?.states).toBeUndefined();
    expect(scope('ss', 'ss -tn state listening')?.states).toEqual(['LISTEN']);
    expect(readSsFilter(['-tan', 'state', 'connected']).states).not.toContain('LISTEN');
    expect(readSsFilter(['-tan', 'state', 'connected']).states).toContain('TIME_WAIT');
    expect(readSsFilter(['-tan', 'state', 'synchronized']).states).not.toContain('SYN_SENT');
    expect(readSsFilter(['-tan', 'state', 'bucket']).states).toEqual(['SYN_RECEIVED', 'TIME_WAIT']);
    expect(readSsFilter(['-tan', 'state', 'big']).states).not.toContain('TIME_WAIT');
    expect(readSsFilter(['-tan', 'exclude', 'bucket', 'state', 'time-wait']).states).toContain('TIME_WAIT');
    expect(readSsFilter(['-f', 'inet', 'state', 'established']).states).toEqual(['ESTABLISHED']);
    expect(scope('ss', 'ss -tan state bogus')).toMatchObject({ filters: [{ text: 'state bogus', port: null }] });
  });
});

describe('ss expressions: the local ports whose every row is kept', () => {
  it('sport keeps its port; dport keeps the remote port, not the local port; or, and, not, parentheses', () => {
    expect(keptPorts('sport = :3000')).toEqual([3000]);
    expect(keptPorts('sport == :3000')).toEqual([3000]);
    expect(keptPorts('( sport eq :3000 )')).toEqual([3000]);
    expect(keptPorts("'( sport = :3000 )'")).toEqual([3000]);
    expect(keptPorts('dport = :3000')).toEqual([]);
    expect(keptPorts('( dport = :3000 or sport = :3000 )')).toEqual([3000]);
    expect(keptPorts('sport = :3000 or sport = :3001')).toEqual([3000, 3001]);
    expect(keptPorts('sport = :3000 and dport = :443')).toEqual([]);
    expect(keptPorts('sport = :3000 dport = :443')).toEqual([]);
    expect(keptPorts('sport = :3000 and ( sport = :3000 or sport = :80 )')).toEqual([3000]);
    expect(keptPorts('not sport = :3000')).toEqual([]);
    expect(keptPorts('sport != :3000')).toEqual([]);
    expect(keptPorts('sport >= :3000')).toEqual([]);
    expect(keptPorts('sport = :ssh')).toEqual([]);
    expect(keptPorts('src 10.0.0.5:3000')).toEqual([]);
    expect(keptPorts('( sport = :3000')).toEqual([]);
  });

  it('a table through `sport = :3000` keeps every row of port 3000, not of another port', () => {
    const s = scope('ss', 'sudo ss -tanp sport = :3000');
    expect(s?.filters).toEqual([{ text: 'sport = :3000', port: 3000 }]);
    expect(tableGaps([s], 3000)).toEqual([]);
    expect(tableGaps([s], 3001)).toEqual(['rows the capture filtered out: the socket table went through `sport = :3000`, which does not keep every row of port 3001']);
    expect(tableGaps([scope('ss', 'ss -tanp dport = :3000')], 3000)).toHaveLength(1);
    const two = scope('ss', "ss -tan '( sport = :80 or sport = :443 )'");
    expect(tableGaps([two], 443)).toEqual([]);
    expect(tableGaps([two], 80)).toEqual([]);
    expect(tableGaps([two], 8080)).toHaveLength(1);
  });
});

describe('the states gap: the union of the tables that keep every row, and exactly what it lacks', () => {
  it('netstat -tlnp beside netstat -tnp shows every state; ss -tlnp beside ss -tnp lacks SYN-RECV and TIME-WAIT, said by name', () => {
    expect(tableGaps([scope('linux-netstat', 'sudo netstat -tlnp'), scope('linux-netstat', 'sudo netstat -tnp')])).toEqual([]);
    expect(tableGaps([scope('ss', 'sudo ss -tlnp'), scope('ss', 'sudo ss -tnp')])).toEqual([
      'sockets in other states: the socket table lists LISTEN, SYN_SENT, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING and LAST_ACK sockets only (`sudo ss -tlnp`, `sudo ss -tnp`); SYN_RECEIVED and TIME_WAIT sockets are not in it (capture netstat -ano or ss -tanp without a state filter)',
    ]);
    expect(tableGaps([scope('ss', 'ss -tanp state established state time-wait')])).toEqual([expect.stringMatching(/lists ESTABLISHED and TIME_WAIT sockets only .*; LISTEN, SYN_SENT, SYN_RECEIVED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING and LAST_ACK sockets are not in it/)]);
    expect(tableGaps([scope('ss', 'ss -tanp exclude listening')])).toEqual([expect.stringMatching(/^listening sockets: the socket table cannot show listeners \(`ss -tanp exclude listening`\)/)]);
  });

  it('lsof alone lacks TIME_WAIT, said with why; a table that lists TIME_WAIT beside it covers it', () => {
    const lsof = scope('lsof', 'sudo lsof -nP -iTCP');
    expect(tableGaps([lsof])).toEqual([
      'TIME_WAIT sockets: lsof lists the sockets of open files, and a TIME_WAIT socket belongs to none (its process has closed it), so the socket table (`sudo lsof -nP -iTCP`) cannot show one; capture ss -tan or netstat -an, which list them',
    ]);
    expect(tableGaps([lsof, scope('ss', 'ss -tan')])).toEqual([]);
    expect(tableGaps([lsof, scope('linux-netstat', 'netstat -tan')])).toEqual([]);
    expect(tableGaps([scope('lsof', 'lsof -nP -iTCP -sTCP:LISTEN')])).toEqual([expect.stringMatching(/lists LISTEN sockets only .*; client and closing sockets \(SYN_SENT, .* and TIME_WAIT\) are not in it \(capture netstat -ano or ss -tanp without a state filter\)$/)]);
  });

  it('a table filtered to other rows does not cover a state for the port asked', () => {
    // `ss -tan | grep :22` holds every state, but only port 22's rows: port 3000's client sockets may be missing.
    const gaps = tableGaps([scope('ss', 'ss -tlnp'), scope('ss', 'ss -tan | grep :22')], 3000);
    expect(gaps).toEqual([expect.stringMatching(/^sockets in other states: the socket table lists LISTEN sockets only \(`ss -tlnp`\)/)]);
    expect(tableGaps([scope('ss', 'ss -tlnp'), scope('ss', 'ss -tan | grep :3000')], 3000)).toEqual([]);
  });
});
