// Human output fits an 80-column terminal (the width when stdout is not a
// terminal): every line but the remedy commands, which are never wrapped.
// Real captured samples, run as a support engineer would, from the folder
// that holds them (`--from customer-netstat.txt`).
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FIXTURES, fixtureNames } from '../helpers/fixtures.js';
import { linesWiderThan, plain } from '../helpers/width.js';

const SOCKET_TABLES = ['windows-netstat', 'windows-get-nettcpconnection', 'macos-netstat', 'linux-ss', 'linux-netstat', 'linux-proc-net-tcp', 'lsof', 'freebsd-sockstat'];
// What people paste: tables printed without -n, with cut host names, owners, wrapped rows.
const PASTED_TABLES = ['pastes-linux-netstat', 'pastes-bsd-netstat', 'pastes-ss', 'pastes-lsof', 'pastes-windows-netstat', 'pastes-powershell', 'pastes-procfs'];
const PORT_RANGES = ['netsh-dynamicport', 'netsh-excludedportrange', 'sysctl-portrange', 'linux-procfs-ports'];
const samples = (folders: string[]) => folders.flatMap((folder) => fixtureNames(folder).map((name) => `${folder}/${name}`));

function human(args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = runCli(args, { cwd: FIXTURES, env });
  expect(r.stderr).toBe('');
  // A table that narrows wraps its cells; it never cuts one short (cli-table3 marks a cut with "…").
  // The one "…" allowed is an address the captured tool itself cut, shown before its port.
  expect(r.stdout.replaceAll(/…\]?:\d/g, '')).not.toContain('…');
  expect(plain(r.stdout)).toMatch(/^(OK|PROBLEM|INCONCLUSIVE) {2}/);
  return r.stdout;
}

describe('human output fits 80 columns', () => {
  it('recognises what is too wide, and lets remedy commands be', () => {
    const long = 'x'.repeat(81);
    expect(linesWiderThan(`OK  fine\n${long}\n`)).toEqual([`81: ${long}`]);
    expect(linesWiderThan(`Findings\n  error  code\n    text\n    fix:\n      ${long}\n      ${long}\n  warning  other\n    ${long}`)).toEqual([`85:     ${long}`]);
    // Characters, not bytes (the waterfalls draw with multibyte blocks), and no colour codes.
    expect(linesWiderThan(`${'█'.repeat(80)}\n\u001b[33m${'░'.repeat(80)}\u001b[39m`)).toEqual([]);
  });

  it.each(samples([...SOCKET_TABLES, ...PASTED_TABLES]))('sockets --from %s', (file) => {
    expect(linesWiderThan(human(['sockets', '--from', file]))).toEqual([]);
  });

  it.each(['state', 'local-port', 'remote', 'process'])('sockets --group-by %s (a Windows netstat -abo)', (by) => {
    expect(linesWiderThan(human(['sockets', '--from', 'windows-netstat/fr-abo-process-names-no-n.txt', '--group-by', by]))).toEqual([]);
  });

  it.each(samples(PORT_RANGES))('ports --from %s', (file) => {
    expect(linesWiderThan(human(['ports', '--from', file]))).toEqual([]);
  });

  it('ports --from a Windows ticket (dynamicport + excludedportrange), in colour too', () => {
    const args = ['ports', '--from', 'netsh-dynamicport/zh-cn-cmd-banner-1024.txt', '--from', 'netsh-excludedportrange/zh-cn-cmd-banner-trailing-prompt.txt'];
    expect(linesWiderThan(human(args))).toEqual([]);
    const coloured = human(args, { NO_COLOR: undefined, FORCE_COLOR: '1' });
    expect(coloured).toContain('\u001b[');
    expect(linesWiderThan(coloured)).toEqual([]);
  });

  it.each([
    ['3306', 'netsh-excludedportrange/en-hyperv-many-ranges-rider-log.txt', 'netsh-dynamicport/en-default-49152.txt'],
    ['27334', 'windows-netstat/fr-abo-process-names-no-n.txt', 'netsh-dynamicport/en-netsh-interactive-1024.txt'],
    ['50051', 'netsh-excludedportrange/zh-cn-cmd-banner-trailing-prompt.txt', 'windows-netstat/zh-cn-ano.txt'],
    ['49513', 'macos-netstat/macos-26-anv-process-pid.txt', 'sysctl-portrange/macos-first-last-keys.txt'],
    ['22', 'linux-ss/ubuntu-22.04-sudo-ss-tanp.txt', 'linux-procfs-ports/linux-cat-range-spaces-and-reserved.txt'],
  ])('bind %s --from %s --from %s', (port, a, b) => {
    expect(linesWiderThan(human(['bind', port, '--from', a, '--from', b]))).toEqual([]);
  });
});
