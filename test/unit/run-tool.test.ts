// runTool with real processes: how a missing, failing or hanging tool reaches the user.
import { describe, expect, it } from 'vitest';
import { runTool } from '../../src/os/run-tool.js';
import { CannotRunError } from '../../src/report/errors.js';

describe.skipIf(process.platform === 'win32')('runTool (skip reason: uses POSIX sh)', () => {
  it('returns stdout of a tool that succeeds', async () => {
    expect(await runTool('sh', ['-c', 'printf "a b\\n"'])).toBe('a b\n');
  });

  it('passes arguments as an array, never through a shell', async () => {
    expect(await runTool('printf', ['%s', '$(echo no) ; ls'])).toBe('$(echo no) ; ls');
  });

  it('names a tool that is not installed', async () => {
    await expect(runTool('tcpdiag-no-such-tool', ['x'])).rejects.toThrow(new CannotRunError('`tcpdiag-no-such-tool` was not found on PATH (needed for: tcpdiag-no-such-tool x)'));
  });

  it('reports the exit code and the first stderr line of a failing tool', async () => {
    await expect(runTool('sh', ['-c', 'echo "netsh: denied" >&2; echo more >&2; exit 5'])).rejects.toThrow(/failed \(exit 5\): netsh: denied$/);
  });

  it('stops a tool that hangs, at the timeout', async () => {
    await expect(runTool('sleep', ['10'], 200)).rejects.toThrow(/did not finish within 0.2 s/);
  });
});
