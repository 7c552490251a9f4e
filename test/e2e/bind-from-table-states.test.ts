// `bind --from` on tables a second user trial found read as complete (OK,
// exit 0) although their command lines left sockets out: a pipe stage not
// known to keep every row (awk, sed), several states (`-State Listen,Bound`,
// `-sTCP:ESTABLISHED`, two ss `state` keywords), lsof, which never lists
// TIME_WAIT; and the reverse, `ss sport = :3000`, which keeps every row of
// port 3000. Inputs are real captures (test/fixtures/*/SOURCES) under the
// command line a user would have typed, with the rows that command prints:
// the stated rows kept, the others dropped (as awk, -sTCP: or sport drop them).
import { describe, expect, it } from 'vitest';
import { bindFrom } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';

// A real CentOS `sysctl net.ipv4.ip_local_port_range`, so the range is no gap of its own.
const sysctl = fixture('linux-procfs-ports', 'linux-sysctl-port-range-tab.txt');
const netstat = fixture('linux-netstat', 'linux-netstat-anp-tcp-with-programs.txt');
const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');
// The table without its heading lines: what a pipe stage after netstat prints of it.
const netstatRows = lines(netstat).slice(2);
const lsof = fixture('lsof', 'linux-ubuntu-24.04-lsof-i-P-n.txt');
const ss = fixture('linux-ss', 'ubuntu-22.04-sudo-ss-tanp.txt');
const ssHeader = lines(ss)[0]!;
const run = (port: number, text: string) => bindFrom([String(port)], `${sysctl}${text}`);
const gaps = (r: ReturnType<typeof run>) => r.rep.notJudged.filter((s) => !/^whether a listen would succeed/.test(s));

describe('bind --from: rows and states a command line leaves out', () => {
  it("awk and sed filter rows: inconclusive (exit 4), naming the stage; sort keeps them: OK", () => {
    const listen = netstatRows.filter((l) => /LISTEN/.test(l));
    for (const stage of ["awk '/LISTEN/'", "sed -n '/LISTEN/p'"]) {
      const r = run(3000, `[root@master temp]# netstat -tanp | ${stage}\n${listen.join('\n')}\n`);
      expect(r.code, stage).toBe(4);
      expect(gaps(r), stage).toEqual([`rows the capture filtered out: the socket table went through \`${stage}\`, which does not keep every row of port 3000`]);
    }
    const sorted = run(3000, `[root@master temp]# netstat -tanp | sort -k4\n${[...netstatRows].sort().join('\n')}\n`);
    expect(sorted.code).toBe(0);
    expect(gaps(sorted)).toEqual([]);
  });

  it('lsof lists no TIME_WAIT: a whole lsof table is inconclusive and says why; ss -tanp beside it answers', () => {
    // Port 3001: nothing of the fixture holds it (grafana holds 3000).
    const r = run(3001, `$ sudo lsof -i -P -n\n${lsof}`);
    expect(r.code).toBe(4);
    expect(gaps(r)).toEqual([expect.stringMatching(/^TIME_WAIT sockets: lsof lists the sockets of open files, and a TIME_WAIT socket belongs to none .*capture ss -tan or netstat -an/)]);
    const both = run(3001, `$ sudo lsof -i -P -n\n${lsof}$ sudo ss -tanp\n${ss}`);
    expect(both.code).toBe(0);
    expect(gaps(both)).toEqual([]);
    // The listener on the port is still found from lsof alone.
    expect(run(3000, `$ sudo lsof -i -P -n\n${lsof}`).code).toBe(1);
  });

  it('lsof -sTCP:ESTABLISHED holds no listener: inconclusive, naming the states missing', () => {
    const established = lines(lsof).filter((l, i) => i === 0 || /\(ESTABLISHED\)/.test(l));
    const r = run(3001, `$ sudo lsof -nP -iTCP -sTCP:ESTABLISHED\n${established.join('\n')}\n`);
    expect(r.code).toBe(4);
    expect(gaps(r)).toEqual([expect.stringMatching(/^sockets in other states: the socket table lists ESTABLISHED sockets only .*; LISTEN, SYN_SENT, .* and TIME_WAIT sockets are not in it/)]);
  });

  it('ss with two state keywords, or exclude listening: inconclusive', () => {
    const established = [ssHeader, ...lines(ss).filter((l) => /^ESTAB/.test(l))].join('\n');
    const two = run(3001, `$ sudo ss -tanp state established state time-wait\n${established}\n`);
    expect(two.code).toBe(4);
    expect(gaps(two)).toEqual([expect.stringMatching(/lists ESTABLISHED and TIME_WAIT sockets only/)]);
    const excl = run(3001, `$ sudo ss -tanp exclude listening\n${established}\n`);
    expect(excl.code).toBe(4);
    expect(gaps(excl)).toEqual([expect.stringMatching(/^listening sockets: the socket table cannot show listeners/)]);
  });

  it('ss sport = :PORT keeps every row of that port: OK with no rows, a holder with its row; dport = :PORT does not', () => {
    expect(run(3000, `$ sudo ss -tanp sport = :3000\n${ssHeader}\n`).code).toBe(0);
    const sshd = lines(ss).filter((l) => /:2222\s/.test(l));
    const held = run(2222, `$ sudo ss -tanp '( sport = :2222 or sport = :3000 )'\n${ssHeader}\n${sshd.join('\n')}\n`);
    expect(held.code).toBe(1);
    expect(gaps(held)).toEqual([]);
    const dport = run(3000, `$ sudo ss -tanp dport = :3000\n${ssHeader}\n`);
    expect(dport.code).toBe(4);
    expect(gaps(dport)).toEqual([expect.stringMatching(/went through `dport = :3000`, which does not keep every row of port 3000/)]);
  });

  it('netstat -tlnp beside netstat -tnp shows every state: the union, no gap', () => {
    const listen = netstatRows.filter((l) => /LISTEN/.test(l));
    const other = netstatRows.filter((l) => !/LISTEN/.test(l));
    const text = `[root@master temp]# netstat -tlnp\nActive Internet connections (only servers)\n${lines(netstat)[1]}\n${listen.join('\n')}\n[root@master temp]# netstat -tnp\nActive Internet connections (w/o servers)\n${lines(netstat)[1]}\n${other.join('\n')}\n`;
    const r = run(3000, text);
    expect(r.code).toBe(0);
    expect(gaps(r)).toEqual([]);
  });
});

describe('bind --from: Get-NetTCPConnection -State with several values', () => {
  it('-State Listen,Bound: inconclusive, the other states named', () => {
    const table = fixture('windows-get-nettcpconnection', 'en-listen-filtered-wide.txt');
    for (const arg of ['Listen,Bound', "@('Listen','Bound')"]) {
      const r = bindFrom(['3000'], `PS C:\\Users\\dev> Get-NetTCPConnection -State ${arg}\n${table}`);
      expect(r.code, arg).toBe(4);
      expect(r.rep.notJudged, arg).toContainEqual(expect.stringMatching(/^sockets in other states: the socket table lists LISTEN and BOUND sockets only .*ESTABLISHED.* and TIME_WAIT\) are not in it/));
    }
  });
});
