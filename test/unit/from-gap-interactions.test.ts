// How the rules that keep a --from verdict honest meet (a review of the
// fixes from a user trial): what a command line says of a table only counts
// when it names the tool that printed it; a table's own rows overrule what
// was read off its options; a capture a later run replaced leaves no gap of
// its own behind, and its empty rerun keeps what the command says, not the
// earlier output's marks. Inputs are real fixtures, pasted the ways people
// paste them (a saved file shown with cat or Get-Content, a second run).
import { describe, expect, it } from 'vitest';
import { parseCapturedInputs } from '../../src/input/parse-captured.js';
import { capturedTableGaps } from '../../src/input/table-gaps.js';
import { fixture } from '../helpers/fixtures.js';

const read = (text: string) => parseCapturedInputs({ texts: [{ file: 'f', text }], duplicates: [] });
const listenerGaps = async (text: string) => capturedTableGaps(await read(text)).filter((g) => g.startsWith('listening sockets: '));

// Real `netstat` without options (prompt left out by its poster: test/fixtures/windows-netstat/SOURCES).
const plain = fixture('windows-netstat', 'es-plain-no-n-resolved-names.txt');
// Real `netstat -ano` with listeners.
const win7 = fixture('windows-netstat', 'en-ano-win7.txt');

describe('a command line counts for a table only when it names the tool that printed it', () => {
  it('a saved table shown with cat or Get-Content says nothing of its options: the heading or the rows still tell', async () => {
    const centos = fixture('pastes-linux-netstat', 'centos-7.7-netstat-names-cut.txt');
    expect(await listenerGaps(`$ cat netstat-out.txt\n${centos}`)).toEqual([expect.stringMatching(/cannot show listeners/)]);
    expect(await listenerGaps(`PS C:\\> Get-Content .\\netstat.txt\n${plain}`)).toEqual([expect.stringMatching(/no socket table in the input holds a listener/)]);
  });

  it('netstat.exe is netstat; Windows options may come after a slash, and -q lists listeners', async () => {
    expect(await listenerGaps(`PS C:\\> netstat.exe -n\n${plain}`)).toEqual([expect.stringMatching(/cannot show listeners \(`netstat.exe -n`\)/)]);
    expect(await listenerGaps(`C:\\> netstat /a /n /o\n${win7}`)).toEqual([]);
    expect(await listenerGaps(`C:\\> netstat -qno\n${win7}`)).toEqual([]);
  });

  it('listeners in a table whose options were read to leave them out overrule that reading', async () => {
    // `-b` alone does not list listeners, but this table (captured with -a) shows them: the rows win.
    expect(await listenerGaps(`C:\\> netstat -bno\n${win7}`)).toEqual([]);
  });
});

describe('a capture a later run replaced', () => {
  const rows = win7.split('\n').filter((l) => /:(?:21|23)\s/.test(l));
  const runs = (first: string[]) => `C:\\> netstat -ano | findstr :21\n${first.join('\n')}\n\nC:\\> taskkill /PID 1128 /F\nSUCCESS: The process with PID 1128 has been terminated.\n\nC:\\> netstat -ano | findstr :21\n\nC:\\> echo done\n`;

  it('leaves no gap of its own: rows left out ("...") in it are said with it, not as a gap of the rerun', async () => {
    const input = await read(runs([rows[0]!, '  ...', rows[1]!]));
    expect(capturedTableGaps(input, 21)).toEqual([]);
    expect(input.replaced.join('\n')).toMatch(/run more than once/);
  });

  it('its unreadable rows go with it, not into the verdict', async () => {
    const unreadable = rows[0]!.replace('0.0.0.0:0', '0.0.0.0:qqqzz');
    const input = await read(runs([unreadable, rows[1]!]));
    expect(input.notJudged.filter((s) => /could not be read/.test(s))).toEqual([]);
    expect(input.replaced.some((s) => /could not be read/.test(s))).toBe(true);
  });

  it('an empty rerun of lsof run without root keeps who ran it: the other users gap stays', async () => {
    const mac = fixture('lsof', 'macos-lsof-Pn-i4.txt');
    const input = await read(`$ lsof -nP -i4\n${mac}\n$ kill 1\n$ lsof -nP -i4\n$ echo done\ndone\n`);
    expect(capturedTableGaps(input).filter((g) => g.startsWith("sockets of other users' processes"))).toHaveLength(1);
  });
});
