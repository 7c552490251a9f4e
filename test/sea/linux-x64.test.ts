// What only the single executable does, on the executable for this machine
// (release/tcpdiag-<linux-x64>): the rest of its behaviour is the end-to-end
// and live tiers run against it (TCPDIAG_TEST_CLI, .ci/run). Here: it needs
// no Node and no node_modules, names its build, loads koffi from its own
// copy and leaves none behind, says so when koffi cannot load, starts
// connect-race's helper from itself, and loads its bundle through its code
// cache.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNetns, nft, skipWithoutNetns } from '../helpers/netns.js';
import { executableOf, hostTarget, readManifest } from '../helpers/release.js';

const ROOT = join(__dirname, '..', '..');
const EXE = executableOf(hostTarget());
const work = mkdtempSync(join(tmpdir(), 'tdg-sea-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the executable with only the environment given (no PATH to a node). */
function run(args: string[], env: NodeJS.ProcessEnv = {}, exe = EXE) {
  const r = spawnSync(exe, args, { encoding: 'utf8', env: { NO_COLOR: '1', ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A private TMPDIR, to see what the executable leaves there. */
function privateTmp(): string {
  const dir = mkdtempSync(join(work, 'tmp-'));
  return dir;
}

describe('the Linux executable', () => {
  it('runs with no Node on PATH and no environment, from a copy in a mode-700 directory whose path has a space', () => {
    const dir = join(work, 'private dir');
    mkdirSync(dir, { mode: 0o700 });
    const copy = join(dir, 'tcpdiag');
    copyFileSync(EXE, copy);
    chmodSync(copy, 0o755);
    const r = run(['ports', '--json'], { PATH: '/nonexistent' }, copy);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ tool: 'tcpdiag', command: 'ports', platform: { node: process.version } });
  });

  it('names its build in --version', () => {
    const m = readManifest();
    expect(run(['--version']).stdout).toBe(`${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version} (single executable ${hostTarget()}, Node ${process.version}, commit ${m.commit}, koffi ${m.executables.find((e) => e.target === hostTarget())!.koffi})\n`);
  });

  it('loads its bundle through the code cache made for it', () => {
    expect(run(['--version'], { TCPDIAG_SEA_CODE_CACHE_REPORT: '1' }).stderr).toBe('tcpdiag-sea: code cache accepted\n');
  });

  it("loads koffi from a private copy and removes the copy at once; sock_diag works through it", () => {
    const tmp = privateTmp();
    const check = JSON.parse(run(['__self-check'], { TMPDIR: tmp }).stdout);
    expect(check).toMatchObject({ singleExecutable: true, koffi: { version: readManifest().executables[0]!.koffi }, koffiCopy: { exists: false } });
    expect(check.koffiCopy.file).toMatch(new RegExp(`^${tmp}/tcpdiag-koffi-\\d+-[A-Za-z0-9]{6}/koffi\\.node$`));
    expect(readdirSync(tmp)).toEqual([]);
    const sockets = run(['sockets', '--json'], { TMPDIR: tmp });
    expect(sockets.stderr).toBe('');
    expect(JSON.parse(sockets.stdout).data.notes.join(' ')).not.toMatch(/instead of netlink sock_diag/);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('sweeps copies left by runs that were killed, and keeps those of runs still going', () => {
    const tmp = privateTmp();
    const gone = join(tmp, 'tcpdiag-koffi-999999999-aaaaaa');
    const running = join(tmp, `tcpdiag-koffi-${process.pid}-bbbbbb`);
    for (const d of [gone, running]) mkdirSync(d);
    run(['__self-check'], { TMPDIR: tmp });
    expect(readdirSync(tmp)).toEqual([`tcpdiag-koffi-${process.pid}-bbbbbb`]);
  });

  it.skipIf(process.getuid?.() !== 0)('says why koffi cannot load where the temporary directory is mounted noexec, and runs without it (skip reason: needs root)', () => {
    const tmp = privateTmp();
    // A private mount namespace: the noexec tmpfs exists only for this one run.
    const r = spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs -o noexec,mode=700 tdg-noexec "$1" && shift && exec "$@"', 'sh', tmp, EXE, 'sockets', '--json'], {
      encoding: 'utf8',
      env: { NO_COLOR: '1', TMPDIR: tmp },
    });
    expect(r.status).toBe(0);
    const why = `koffi's native module could not be loaded from ${tmp}/tcpdiag-koffi-`;
    expect(r.stderr).toMatch(new RegExp(`^tcpdiag: ${escape(why)}\\d+-[A-Za-z0-9]{6}/koffi\\.node \\([^)]*failed to map segment[^)]*\\); is ${escape(tmp)} mounted noexec\\? set TMPDIR to a directory that allows executables; running without koffi, as the npm package does where it is not installed\\n$`));
    const note = JSON.parse(r.stdout).data.notes.find((n: string) => n.startsWith('read /proc/net/tcp instead of netlink sock_diag ('));
    expect(note).toContain(why);
    expect(note).toContain('mounted noexec? set TMPDIR to a directory that allows executables');
  });
});

describe.skipIf(skipWithoutNetns())("connect-race's helper from the executable (skip reason printed above)", () => {
  it('is the executable itself, run as `<executable> __race-helper`, and its control connects count in the verdict', async () => {
    const ns = createNetns();
    // Host-wide limit of 2 pending attempts: the scope round asks the helper whether it is held too.
    nft(ns, 'table inet tdg {\n  chain input { type filter hook input priority 0; tcp dport 15000 drop; }\n  chain output { type filter hook output priority 0; tcp flags syn ct state new ct count over 2 counter drop; }\n}\n');
    const raceThen = join(ROOT, 'test', 'helpers', 'scripts', 'race-then.cjs');
    const race = spawn('ip', ['netns', 'exec', ns, process.execPath, raceThen, EXE, 'connect-race', '127.0.0.1', '15000', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    race.stdout!.on('data', (d: Buffer) => (out += d));
    const done = new Promise<void>((r) => race.once('exit', () => r()));
    const helper = await waitFor(() => helperOf(EXE), 30_000);
    await done;
    expect(helper).not.toBeNull();
    expect(helper!.exe).toBe(EXE);
    expect(helper!.argv).toEqual([EXE, '__race-helper']);
    const { code, stdout } = JSON.parse(out) as { code: number; stdout: string };
    const report = JSON.parse(stdout);
    expect(code).toBe(1);
    expect(report.data).toMatchObject({ limit: 2, scope: 'host' });
    expect(report.data.rounds.find((r: { by: string }) => r.by === 'child')).toMatchObject({ held: true });
  }, 90_000);
});

/** A running `__race-helper` of this executable: its binary and argv, from /proc. */
function helperOf(exe: string): { exe: string; argv: string[] } | null {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
      if (argv.includes('__race-helper') && readlinkSync(`/proc/${pid}/exe`) === exe) return { exe: readlinkSync(`/proc/${pid}/exe`), argv };
    } catch {
      // The process ended while we looked.
    }
  }
  return null;
}

async function waitFor<T>(get: () => T | null, ms: number): Promise<T | null> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const v = get();
    if (v !== null) return v;
  }
  return null;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
