// The bad-input cases of issue #22, one test each, through the reader every
// --from command uses (parseCapturedInputs) and the decoder.
import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../../src/input/decode-text.js';
import { parseCapturedInputs, type CapturedInput } from '../../src/input/parse-captured.js';
import { fixture } from '../helpers/fixtures.js';

const read = (text: string, file = 'f'): Promise<CapturedInput> => parseCapturedInputs({ texts: [{ file, text }], duplicates: [] });
const rows = (c: CapturedInput) => c.parts.flatMap((p) => (p.kind === 'table' ? p.table.rows : []));
const reserved = (c: CapturedInput) => c.parts.flatMap((p) => (p.kind === 'ranges' ? p.ranges.reserved : []));
const ephemeral = (c: CapturedInput) => c.parts.flatMap((p) => (p.kind === 'ranges' ? p.ranges.ephemeral : []));

const excluded = fixture('netsh-excludedportrange', 'en-hyperv-many-ranges-rider-log.txt');

describe('netsh tables are read whole', () => {
  it('a blank line after row 7 does not cut the table', async () => {
    const l = excluded.split('\n');
    const rule = l.findIndex((x) => /^-+\s+-+$/.test(x.trim()));
    l.splice(rule + 8, 0, '');
    expect(reserved(await read(l.join('\n')))).toHaveLength(reserved(await read(excluded)).length);
  });

  it('a first row "-1  5357" refuses the input with its line', async () => {
    await expect(read(excluded.replace('      1876        1975', '        -1        5357'))).rejects.toThrow(/^--from f line 5: netsh: not a port range .*: "-1 +5357"$/);
  });

  it('a Number of Ports too large refuses the input instead of dropping the range', async () => {
    await expect(read('Protocol tcp Dynamic Port Range\n---------------------------------\nStart Port      : 49152\nNumber of Ports : 99999999999\n')).rejects.toThrow(/line 4: netsh: start 49152 with 99999999999 ports runs past 65535/);
  });
});

describe('procfs and sysctl', () => {
  const tcp = fixture('linux-proc-net-tcp', 'ubuntu-nonroot-proc-net-tcp.txt');
  const count = tcp.trim().split('\n').length - 1;

  it('/proc/net/tcp with CR-only line ends', async () => {
    expect(rows(await read(tcp.replace(/\n/g, '\r')))).toHaveLength(count);
  });

  it('/proc/net/tcp after 200 characters of preamble', async () => {
    expect(rows(await read(`${'Here is the file you asked for. '.repeat(7)}\n${tcp}`))).toHaveLength(count);
  });

  it('a state "1.5" is not read as 01 (ESTABLISHED)', async () => {
    const loose = tcp.trim().split('\n')[1]!.trim().split(/\s+/);
    loose[3] = '1.5';
    await expect(read(`sl local_address rem_address st tx_queue rx_queue tr tm->when retrnsmt uid timeout inode\n${loose.join(' ')}\n`)).rejects.toThrow(/line 2: proc-net-tcp: not a \/proc\/net\/tcp row/);
  });

  it('blank lines between `$ cat` and the value: the value is still read, reserved ports included', async () => {
    const c = await read('$ cat /proc/sys/net/ipv4/ip_local_port_range\n\n32768\t60999\n$ cat /proc/sys/net/ipv4/ip_local_reserved_ports\n\n8080,9000-9010\n');
    expect(ephemeral(c).map((e) => [e.start, e.end])).toEqual([[32768, 60999]]);
    expect(reserved(c).map((e) => [e.start, e.end])).toEqual([[8080, 8080], [9000, 9010]]);
  });

  it('an empty reserved-ports file (its cat prints nothing) is no reserved port', async () => {
    const c = await read('$ cat /proc/sys/net/ipv4/ip_local_reserved_ports\n\n$ cat /proc/sys/net/ipv4/ip_local_port_range\n32768 60999\n');
    expect(reserved(c)).toEqual([]);
    expect(ephemeral(c)).toHaveLength(1);
  });

  it('a setting too large to be true is refused; one tcpdiag does not read is passed over', async () => {
    await expect(read('net.core.somaxconn = 99999999999999999999\n')).rejects.toThrow(/line 1: sysctl: net.core.somaxconn 99999999999999999999 is too large/);
    expect((await read('vm.max_kernel_address: 18446463148488654848\nnet.inet.ip.portrange.first: 49152\nnet.inet.ip.portrange.last: 65535\n')).parts).toHaveLength(1);
  });
});

describe('rows that were dropped with exit 0', () => {
  it('ss rows with Estab, SYN-RECEIVED and Listen are read', async () => {
    const c = await read('State Recv-Q Send-Q Local Address:Port Peer Address:Port\nEstab 0 0 10.0.0.1:22 10.0.0.2:5000\nSYN-RECEIVED 0 0 10.0.0.1:22 10.0.0.3:5000\nListen 0 128 0.0.0.0:22 0.0.0.0:*\n');
    expect(rows(c).map((r) => r.state)).toEqual(['ESTABLISHED', 'SYN_RECEIVED', 'LISTEN']);
  });

  it('lsof rows cut short are reported where and why', async () => {
    const c = await read('COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME\nnode 1 me 3u IPv4 0x1 0t0 TCP *:80 (LISTEN)\nnode 2 me 4u IPv4 0x2\n');
    expect(rows(c)).toHaveLength(1);
    expect(c.sources[0]!.unread).toEqual([{ line: 3, reason: 'a row cut short before its NODE (TCP, UDP) column' }]);
    expect(c.notJudged).toEqual(['a row of f (lsof, line 3) could not be read: a row cut short before its NODE (TCP, UDP) column; it is not in this verdict']);
  });
});

describe('values that cannot be true are refused with their line', () => {
  const ss = (local: string, owner = '') => `State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\nLISTEN 0 128 ${local} 0.0.0.0:* ${owner}\nLISTEN 0 128 0.0.0.0:80 0.0.0.0:*\n`;
  it.each([
    ['999.999.999.999:22', '', /"999\.999\.999\.999" is not an IPv4 address/],
    ['1.2.3:22', '', /"1\.2\.3" is not an IPv4 address/],
    ['[gggg::1]:22', '', /"gggg::1" is not an IPv6 address/],
    ['[]:50000', '', /an endpoint without an address/],
    ['0.0.0.0:22', 'users:(("sshd",pid=0x10,fd=3))', /pid "0x10" is not a whole decimal number/],
    ['0.0.0.0:22', 'users:(("sshd",pid=1.5,fd=3))', /pid "1\.5" is not a whole decimal number/],
    ['0.0.0.0:22', 'users:(("sshd",pid=99999999999999999999,fd=3))', /pid 99999999999999999999 is too large to be true/],
    ['0.0.0.0:22', 'users:(("sshd",pid=9007199254740993,fd=3))', /pid 9007199254740993 is not a process id|too large/],
  ])('%s %s', async (local, owner, message) => {
    await expect(read(ss(local, owner))).rejects.toThrow(new RegExp(`^--from f line 2: ss: ${message.source}`));
  });
});

describe('encodings', () => {
  it('UTF-16LE without a BOM (netstat of a Japanese Windows redirected from PowerShell)', async () => {
    const ja = fixture('windows-netstat', 'ja-ano.txt');
    const d = decodeBytes(Buffer.from(ja, 'utf16le'));
    expect(d).toEqual({ text: ja });
    expect(rows(await read(ja))).toHaveLength(5);
  });

  it('UTF-16BE without a BOM', () => {
    const text = fixture('windows-netstat', 'zh-cn-ano.txt');
    expect(decodeBytes(Buffer.from(text, 'utf16le').swap16())).toEqual({ text });
  });

  it('odd-length UTF-16 is an error that names the encoding, not a crash', () => {
    expect(decodeBytes(Buffer.from([0xfe, 0xff, 0x00, 0x41, 0x00]))).toEqual({ error: 'odd-utf16', encoding: 'UTF-16BE' });
    expect(decodeBytes(Buffer.concat([Buffer.from(fixture('windows-netstat', 'ja-ano.txt'), 'utf16le'), Buffer.from([0x41])]))).toEqual({ error: 'odd-utf16', encoding: 'UTF-16LE' });
  });
});
