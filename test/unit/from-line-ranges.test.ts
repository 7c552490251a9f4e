// The lines a --from section is reported at (sources[].lines) are the file's
// own lines: the last section ends at the file's last line, whether or not the
// text ends with a line end (the empty string a split leaves after the final
// line end is no line). Real captures, counted here independently of the reader.
import { describe, expect, it } from 'vitest';
import { parseCapturedInputs, type CapturedInput } from '../../src/input/parse-captured.js';
import { fixture } from '../helpers/fixtures.js';

const read = (text: string): Promise<CapturedInput> => parseCapturedInputs({ texts: [{ file: 'f', text }], duplicates: [] });

/** Lines as an editor numbers them: a line end ends a line, and text after the last line end is one more line. */
const lineCount = (text: string): number => (text.match(/\r\n|\r|\n/g) ?? []).length + (/[\r\n]$/.test(text) ? 0 : 1);

describe('sources[].lines ends at the file\'s last line', () => {
  it('a file ending with a line end (netstat -ano, 35 lines)', async () => {
    const text = fixture('windows-netstat', 'en-ano-win7.txt');
    expect(text.endsWith('\n')).toBe(true);
    expect(lineCount(text)).toBe(35);
    expect((await read(text)).sources.map((s) => s.lines)).toEqual([{ first: 1, last: 35 }]);
  });

  it('a file with no line end after its last line (CRLF netstat, 36 lines)', async () => {
    const text = fixture('pastes-windows-netstat', 'en-win10-plain-names.txt');
    expect(/[\r\n]$/.test(text)).toBe(false);
    expect(lineCount(text)).toBe(36);
    expect((await read(text)).sources.map((s) => s.lines)).toEqual([{ first: 1, last: 36 }]);
  });

  it('the same capture with and without its final line end, LF or CRLF, reads as the same lines', async () => {
    const text = fixture('windows-netstat', 'en-ano-win7.txt');
    for (const t of [text, text.replace(/\n$/, ''), text.replace(/\n/g, '\r\n'), text.replace(/\n/g, '\r\n').replace(/\r\n$/, '')]) {
      expect((await read(t)).sources.map((s) => s.lines)).toEqual([{ first: 1, last: 35 }]);
    }
  });

  it('several sections in one file: they follow each other, and the last ends before the bare shell prompt on the last line (25)', async () => {
    const text = fixture('pastes-mixed', 'ubuntu-cat-proc-net-tcp-tcp6-udp-udp6-session.txt');
    expect(lineCount(text)).toBe(25);
    expect(text.trimEnd().split('\n').at(-1)).toBe('ulric@ubuntu:~$');
    const lines = (await read(text)).sources.map((s) => s.lines!);
    expect(lines).toEqual([{ first: 1, last: 9 }, { first: 10, last: 14 }, { first: 15, last: 20 }, { first: 21, last: 24 }]);
  });

  it('a section that cannot be read at the end of the file: its lines and rows not read stop at the last line', async () => {
    const text = fixture('pastes-mixed', 'ubuntu-cat-proc-net-tcp-tcp6-udp-udp6-session.txt');
    // The tcp and tcp6 dumps only (lines 1-14, with the line end of line 14), tcp6's first row (line 12) with a hex digit that cannot be.
    const head = text.slice(0, text.indexOf('ulric@ubuntu:~$ cat /proc/net/udp\n'));
    const broken = head.replace('0000000000000000FFFF00000100007F:1F45', '0000000000000000FFFF00000100007F:1G45');
    expect(lineCount(broken)).toBe(14);
    const c = await read(broken);
    expect(c.sources.map((s) => s.lines)).toEqual([{ first: 1, last: 9 }, { first: 10, last: 14 }]);
    const failed = c.sources.find((s) => s.tried)!;
    expect(failed.lines).toEqual({ first: 10, last: 14 });
    expect(failed.unread!.map((u) => u.line)).toEqual([12, 13, 14]);
    expect(failed.unread![1]!.reason).toBe('in lines 10-14, which could not be read (line 12 stopped them)');
    expect(c.notJudged).toEqual([expect.stringMatching(/^lines 10-14 of f could not be read/)]);
  });

  it('one line, with its line end, is line 1 only', async () => {
    expect((await read('net.ipv4.ip_local_port_range = 32768\t60999\n')).sources.map((s) => s.lines)).toEqual([{ first: 1, last: 1 }]);
    expect((await read('32768\t60999\n')).sources.map((s) => s.lines)).toEqual([{ first: 1, last: 1 }]);
  });
});
