// `--json` from cron writes its report and nothing else (issue #20): with
// stdout and stderr going to files, the long commands that have progress
// messages (doctor's counter sample, sockets --sample, backlog's hold) leave
// stderr empty; --verbose (or --debug) puts the messages there; --quiet keeps
// a terminal free of them too; a terminal's live line keeps the elapsed time
// within 80 columns.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliArgv, cliShell, expectUsage } from '../helpers/cli.js';
import { createNetns, skipWithoutNetns } from '../helpers/netns.js';

const dir = mkdtempSync(join(tmpdir(), 'tcpdiag-cron-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let runs = 0;
/** Runs tcpdiag in the namespace as cron would: stdout and stderr are files, no terminal anywhere. */
function asCron(ns: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const n = runs++;
  const [out, err] = [join(dir, `${n}.out`), join(dir, `${n}.err`)];
  const fds = [openSync(out, 'w'), openSync(err, 'w')];
  try {
    const r = spawnSync('ip', ['netns', 'exec', ns, ...cliArgv(args).flat()], { stdio: ['ignore', fds[0]!, fds[1]!], timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
    return { code: r.status, stdout: readFileSync(out, 'utf8'), stderr: readFileSync(err, 'utf8') };
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}

/** Runs tcpdiag on a pseudo-terminal (script(1)); its output, stderr included, as the terminal got it. */
function onTerminal(ns: string, args: string[]): string {
  const cmd = ['ip', 'netns', 'exec', ns, cliShell(), ...args].join(' ');
  return spawnSync('script', ['-qefc', cmd, '/dev/null'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } }).stdout;
}

describe.skipIf(process.platform !== 'linux' || skipWithoutNetns())('progress only where a person reads it (skip reason printed above)', () => {
  it.each([
    ['doctor', ['doctor', '--json']],
    ['sockets --sample', ['sockets', '--sample', '500ms', '--json']],
    ['backlog', ['backlog', '--hold', '1s', '--json']],
  ])('%s --json from cron: the report on stdout, nothing on stderr', (_name, args) => {
    const ns = createNetns();
    const r = asCron(ns, args);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).tool).toBe('tcpdiag');
    expect([0, 1]).toContain(r.code);
  });

  it.each([['--verbose'], ['--debug']])('%s puts the messages into the log, one line each, no redraws', (flag) => {
    const ns = createNetns();
    const r = asCron(ns, ['doctor', '--json', flag]);
    expect(r.stderr).toBe('tcpdiag doctor: sampling listen-overflow counters for 0.5 s\n');
  });

  it('--quiet on a terminal: the result only, no messages and no live line', () => {
    const ns = createNetns();
    const out = onTerminal(ns, ['backlog', '--hold', '1500ms', '--quiet']);
    expect(out).toMatch(/^OK {2}backlog 1: /);
    expect(out).not.toMatch(/tcpdiag backlog:/);
    expect(out).not.toContain('\r\u001b[K');
  });

  it('a terminal gets backlog\'s messages, and a live line that keeps the elapsed time within 80 columns', () => {
    const ns = createNetns();
    const out = onTerminal(ns, ['backlog', '--hold', '2s']);
    // Messages wrap on a terminal: read them with the line breaks undone.
    const text = out.replace(/\r?\n {2}/g, ' ');
    expect(text).toMatch(/tcpdiag backlog: listener on 127\.0\.0\.1:\d+ \(backlog 1\) holds its accepts for (?:2 s|[\d.]+ s \(2 s asked, moved past the waiting clients' SYN resend at [\d.]+ s\)) while 5 clients connect; done within \d+(\.\d)? s/);
    expect(text).toMatch(/tcpdiag backlog: accepting again; 3 clients in SYN_SENT get in at their next SYN/);
    const redraws = out.split('\r\u001b[K').slice(1).map((l) => l.split(/\r?\n/)[0]!).filter((l) => /^[⠀-⣿] /.test(l));
    expect(redraws.length).toBeGreaterThan(0);
    for (const line of redraws) {
      expect([...line].length).toBeLessThanOrEqual(79);
      expect(line).toMatch(/^. tcpdiag backlog: .* \(\d+\.\d s\)$/);
    }
  });

  it('--quiet with --verbose is a contradiction (exit 2)', () => expectUsage(['ports', '--quiet', '--verbose'], /^tcpdiag ports: --quiet contradicts --verbose: use one of them/));
});
