// A paste that left WinNAT stopped shows the excluded ranges of a passing
// state (input/winnat-stopped.ts): a user trial cut the real Korean
// `net stop winnat` / `net start winnat` session before the start, and bind
// answered "nothing keeps a server from port 8000" (exit 0).
import { describe, expect, it } from 'vitest';
import { parseCapturedInputs } from '../../src/input/parse-captured.js';
import { winnatLeftStopped } from '../../src/input/winnat-stopped.js';
import { probeBind } from '../../src/probes/bind.js';
import { probePorts } from '../../src/probes/ports.js';
import { fixture } from '../helpers/fixtures.js';

const SESSION = fixture('netsh-excludedportrange', 'ko-cmd-winnat-restart-session.txt');
const noHost = () => {
  throw new Error('a --from run must not touch the host');
};
const read = (text: string) => parseCapturedInputs({ texts: [{ file: 'f', text }], duplicates: [] });
/** The session without `net start winnat` and the line it printed: WinNAT left stopped. */
const stoppedOnly = SESSION.split('\n').filter((l, i, all) => !/net start winnat/.test(l) && !/net start winnat/.test(all[i - 1] ?? '')).join('\n');

describe('WinNAT left stopped', () => {
  it('the last command line that stops it, unless one after starts it (on one line, the last of them)', () => {
    expect(winnatLeftStopped(['C:\\>net stop winnat', 'ok', 'C:\\>netsh int ipv4 show excludedportrange protocol=tcp'])).toBe(1);
    expect(winnatLeftStopped(['C:\\>net stop winnat', 'C:\\>net start winnat'])).toBeNull();
    expect(winnatLeftStopped(['PS C:\\> Stop-Service -Name winnat'])).toBe(1);
    expect(winnatLeftStopped(['PS C:\\> Restart-Service winnat'])).toBeNull();
    expect(winnatLeftStopped(['C:\\>net stop winnat && net start winnat'])).toBeNull();
    expect(winnatLeftStopped(['C:\\>net start winnat', 'C:\\>NET STOP WINNAT'])).toBe(2);
    // Prose that names the command is no command line.
    expect(winnatLeftStopped(['Then I ran net stop winnat and it worked'])).toBeNull();
  });

  it('bind and ports from the session cut before `net start winnat`: the excluded ranges are not judged, so never ok', async () => {
    expect(stoppedOnly).not.toMatch(/net start winnat/);
    const captured = await read(stoppedOnly);
    const bind = await probeBind({ port: 8000, addresses: ['0.0.0.0', '::'], captured, backend: noHost, isRoot: false });
    expect(bind.verdict).toBe('inconclusive');
    expect(bind.notJudged).toContainEqual(expect.stringMatching(/^the excluded port ranges: line 18 of f stops WinNAT and the paste does not show it started again/));
    const ports = await probePorts({ captured, backend: noHost });
    expect(ports.notJudged).toContainEqual(expect.stringMatching(/stops WinNAT/));
    expect(ports.verdict).not.toBe('ok');
  });

  it('the whole session (stopped, then started again): no such gap', async () => {
    const captured = await read(SESSION);
    expect(captured.rangeGaps).toEqual([]);
  });
});
