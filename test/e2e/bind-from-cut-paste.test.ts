// `bind --from` on pastes cut short or cut by hand (a user trial): a last row
// the copy may have cut (no line end after it) names no PID and no remedy,
// and a table with "..." in place of rows answers no "OK". The inputs are
// real captures (test/fixtures, each with its SOURCES) cut the way a copy or
// a poster cuts them.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/fixtures.js';


const bind = (port: number, input: string, json = true) => runCli(['bind', String(port), ...(json ? ['--json'] : []), '--from', '-'], { input });

describe('bind --from, a table with rows left out', () => {
  it('the German netstat paste with "    ..." lines and netsh after it: exit 4, not OK, the lines named', () => {
    const input = `${fixture('windows-netstat', 'de-an-localized-states-cp850-mojibake.txt')}${fixture('netsh-excludedportrange', 'de-hyperv-winnat.txt')}`;
    const r = bind(8080, input);
    expect(r.code).toBe(4);
    const rep = r.json();
    expect(rep.verdict).toBe('inconclusive');
    expect(rep.notJudged).toContainEqual(expect.stringMatching(/^rows the paste leaves out: .* at lines 10, 52, 86, 105 of stdin .*port 8080 may be among them/));
  });
});
