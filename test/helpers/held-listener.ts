// A listener whose accept queue fills: a child process listens, then stops
// itself with SIGSTOP, so the kernel completes handshakes nobody accepts
// (OS-FACTS.md "Accept queue"). SIGKILL ends it even while stopped.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';

export interface HeldListener {
  port: number;
  pid: number;
  kill(): void;
}

const started = new Set<ChildProcess>();
afterEach(() => {
  for (const c of started) c.kill('SIGKILL');
  started.clear();
});

export function startHeldListener(host: string, backlog: number): Promise<HeldListener> {
  const script = `const s = require('net').createServer().listen({ port: 0, host: ${JSON.stringify(host)}, backlog: ${backlog} }, () => {
    process.stdout.write(s.address().port + '\\n');
    process.kill(process.pid, 'SIGSTOP');
  });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  started.add(child);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.once('data', (b: Buffer) =>
      resolve({ port: Number(String(b).trim()), pid: child.pid!, kill: () => child.kill('SIGKILL') }),
    );
  });
}
