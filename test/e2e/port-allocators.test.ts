// macOS and FreeBSD have three port allocators (issue #15): each range says
// which one uses it, and `ports` and `bind` say which they mean. Real sysctl
// pastes: one with only hifirst/hilast, the others whole `sysctl -a` listings.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';

const highOnly = join(FIXTURES, 'sysctl-portrange', 'macos-zsh-prompt-hifirst-hilast.txt');
const reverse = join(FIXTURES, 'sysctl-portrange', 'macos-sysctl-portrange-reverse-order.txt');

describe('ports --from: the allocator of each range', () => {
  it('a paste of hifirst/hilast alone is not taken for the default range', () => {
    const r = runCli(['ports', '--json', '--from', highOnly]);
    const rep = r.json();
    expect(rep.data.ephemeral).toEqual([expect.objectContaining({ allocator: 'high', start: 49152, end: 65535 })]);
    expect(rep.summary).toBe('no default ephemeral range found (only IP_PORTRANGE_HIGH/LOW ranges)');
    expect(rep.data.notes).toEqual([expect.stringMatching(/no net\.inet\.ip\.portrange\.first\/last values found: the default range, the one ordinary sockets draw from, is not in the input/)]);
  });

  it('first/last, hifirst/hilast and lowfirst/lowlast each named; the human table says which sockets use each', () => {
    const r = runCli(['ports', '--json', '--from', reverse]);
    expect(r.json().data.ephemeral.map((e: { allocator: string; start: number; end: number }) => `${e.allocator} ${e.start}-${e.end}`)).toEqual(['default 49152-65535', 'high 49152-65535', 'low 600-1023']);
    const human = runCli(['ports', '--from', reverse]).stdout;
    expect(human).toMatch(/│ used by +│ range +│ ports │/);
    expect(human).toMatch(/│ every socket +│ 49152-65535 │/);
    expect(human).toMatch(/│ IP_PORTRANGE_HIGH +│ 49152-65535 │/);
    expect(human).toMatch(/│ IP_PORTRANGE_LOW +│ 600-1023 +│/);
  });
});

describe('bind --from: which range a port lies in', () => {
  it('inside the IP_PORTRANGE_HIGH range only: said as such (info), and the default range is not judged', () => {
    const rep = runCli(['bind', '50000', '--json', '--from', highOnly]).json();
    // No default range in the input: whether the port is in it is not known (null), not "outside" (false).
    expect(rep.data.inEphemeralRange).toBeNull();
    expect(rep.data.ephemeralRange).toMatchObject({ allocator: 'high', start: 49152, end: 65535 });
    expect(rep.findings).toContainEqual(expect.objectContaining({ code: 'port-in-ephemeral-range', severity: 'info', message: expect.stringMatching(/the IP_PORTRANGE_HIGH range \(net\.inet\.ip\.portrange\.hifirst\/hilast\), used only by sockets that ask for it/) }));
    expect(rep.notJudged).toContainEqual(expect.stringMatching(/^whether port 50000 lies in the default ephemeral range \(net\.inet\.ip\.portrange\.first\/last\).*the input holds only the high range 49152-65535$/));
    expect(rep.verdict).not.toBe('ok');
  });

  it('inside the default range: the warning names the default range', () => {
    const rep = runCli(['bind', '50000', '--json', '--from', reverse]).json();
    expect(rep.data).toMatchObject({ inEphemeralRange: true, ephemeralRange: { allocator: 'default' } });
    expect(rep.findings).toContainEqual(expect.objectContaining({ code: 'port-in-ephemeral-range', severity: 'warning', message: expect.stringMatching(/^port 50000 lies inside the default range \(net\.inet\.ip\.portrange\.first\/last\) 49152-65535/) }));
  });
});
