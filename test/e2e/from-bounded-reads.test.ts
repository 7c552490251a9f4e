// --from inputs that never end or never start (issue #22): a FIFO with no
// writer, /dev/zero, /dev/urandom, a huge stdin, and a line of blanks that a
// super-linear pattern once took minutes over. Each runs the built CLI and
// checks its exit code, its one stderr line, and that it ends on its own
// bound — or on SIGINT/SIGTERM while it waits.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliArgv, cliShell, expectUsage, runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'tcpdiag-reads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fifo(name: string): string {
  const path = join(dir, name);
  const r = spawnSync('mkfifo', [path]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
  return path;
}

/** Whether process `pid` has `path` open (a descriptor in /proc/<pid>/fd links to it). */
function holdsOpen(pid: number, path: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
      } catch {
        return false; // closed between the listing and the read
      }
    });
  } catch {
    return false; // not started yet, or gone
  }
}

/** Starts the CLI, waits until it is waiting on the FIFO `path` (holds it open), sends `signal`, returns how it ended. */
function interrupt(args: string[], path: string, signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(...cliArgv(args), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // A hang fails the test rather than the run: killed hard after 20 s (exit code null, not 130).
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    // The signal goes once the read is under way: the FIFO is open (O_NONBLOCK, so before any writer).
    const poll = setInterval(() => {
      if (child.pid === undefined || !holdsOpen(child.pid, path)) return;
      clearInterval(poll);
      child.kill(signal);
    }, 20);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(guard);
      resolve({ code, stderr });
    });
  });
}

describe('reads that would not end', () => {
  it('a FIFO with no writer ends at --input-timeout with one line naming it', () => {
    const path = fifo('no-writer');
    const started = Date.now();
    const r = runCli(['sockets', '--from', path, '--input-timeout', '500ms']);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    expect(r.stderr).toBe(`tcpdiag sockets: --from ${path}: nothing arrived in 0.5 s (--input-timeout; a FIFO or pipe without a writer, or a slow command)\n`);
    // The run's own spawn timeout is 60 s: ending long before it is the bound at work.
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('a FIFO with no writer: %s ends the wait (exit 130)', async (signal) => {
    const path = fifo(`no-writer-${signal}`);
    const r = await interrupt(['doctor', '--from', path], path, signal);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(signal === 'SIGINT' ? /interrupted, cleaning up/ : /terminated, cleaning up/);
  });

  it.each(['/dev/zero', '/dev/urandom'])('%s is read up to --max-input, then refused in one line', (device) => {
    const r = runCli(['sockets', '--from', device, '--max-input', '1MiB']);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    expect(r.stderr).toBe(`tcpdiag sockets: --from ${device}: larger than the 1MiB tcpdiag reads of an input (raise it with --max-input)\n`);
  });

  it('/dev/zero with the default limit (64 MiB) ends too', () => {
    const r = runCli(['ports', '--from', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tcpdiag ports: --from \/dev\/zero: larger than the 64MiB tcpdiag reads/);
  });

  it('stdin has the same limit as files', () => {
    const r = runCli(['ports', '--from', '-', '--max-input', '1KiB'], { input: Buffer.alloc(4096, 0x41) });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('tcpdiag ports: --from stdin: larger than the 1KiB tcpdiag reads of an input (raise it with --max-input)\n');
  });

  it('a regular file over the limit is refused by its size, before reading', () => {
    const path = join(dir, 'big.txt');
    writeFileSync(path, Buffer.alloc(2048, 0x41));
    const r = runCli(['ports', '--from', path, '--max-input', '1KiB']);
    expect(r.stderr).toBe(`tcpdiag ports: --from ${path}: 2048 bytes, the 1KiB tcpdiag reads of an input (raise it with --max-input)\n`);
  });

  it('a pipe (--from <(cmd)) and a FIFO with a writer are read whole', () => {
    const table = join(FIXTURES, 'linux-ss', 'ubuntu-ss-tanp-root.txt');
    const viaPipe = spawnSync('bash', ['-c', `${cliShell()} sockets --json --from <(cat "${table}")`], { encoding: 'utf8' });
    expect(viaPipe.status).toBe(0);
    expect(JSON.parse(viaPipe.stdout).data.total).toBe(8);
    const path = fifo('with-writer');
    const viaFifo = spawnSync('bash', ['-c', `cat "${table}" > "${path}" & ${cliShell()} sockets --json --from "${path}"; wait`], { encoding: 'utf8' });
    expect(viaFifo.status).toBe(0);
    expect(JSON.parse(viaFifo.stdout).data.total).toBe(8);
  });
});

describe('a line no pattern may take long over (printf "x%5000sy")', () => {
  it.each([
    ['sockets', []],
    ['bind', ['80']],
    ['doctor', []],
    ['ports', []],
  ])('%s refuses it at once with one line', (command, extra) => {
    const path = join(dir, `blanks-${command}.txt`);
    writeFileSync(path, `x${' '.repeat(100_000)}y\n`);
    const r = runCli([command, ...extra, '--from', path]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    // The bad line is echoed shortened, never whole.
    expect(r.stderr).toMatch(/no output tcpdiag knows \(first line: "x +…"\)/);
    expect(r.stderr.length).toBeLessThan(2000);
  });
});

describe('the read limits without --from', () => {
  // They would limit nothing: said at once, as any other bad flag is, instead of taken and ignored.
  it.each([
    ['ports', '--max-input', '10MiB'],
    ['sockets', '--input-timeout', '5s'],
    ['bind', '--max-input', '1G', '8080'],
    ['doctor', '--input-timeout', '0'],
  ])('%s %s %s is exit 2 with one line', (command, flag, value, ...rest) =>
    expectUsage([command, ...rest, flag, value], new RegExp(`^tcpdiag ${command}: ${flag} limits reading captured input: it applies only with --from\\n$`)),
  );
});
