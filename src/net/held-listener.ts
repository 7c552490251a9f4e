// A listener that does not accept until told to: it lives in a worker thread
// that blocks its own event loop with Atomics.wait, so no accept() runs and
// the kernel's accept queue fills (OS-FACTS.md "Accept queue": Node accepts
// at once while its loop runs; there is no pause API). Cross-platform: no
// signals needed. On release the loop runs again and accepts everything
// queued; accept times are reported back.

import { Worker } from 'node:worker_threads';

export interface HeldListener {
  port: number;
  /** Lets the worker accept from now on. */
  release(): void;
  /** Each accept after release: when (caller's clock) and the client's port. */
  accepted: Array<{ atMs: number; remotePort: number }>;
  close(): Promise<void>;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const flag = new Int32Array(workerData.flag);
const held = [];
const server = net.createServer((s) => { held.push(s); s.on('error', () => {}); parentPort.postMessage({ accepted: s.remotePort }); });
server.on('error', (e) => parentPort.postMessage({ error: e.code || String(e) }));
server.listen({ host: workerData.host, port: 0, backlog: workerData.backlog }, () => {
  parentPort.postMessage({ port: server.address().port });
  // Block this thread's event loop until released: nothing is accepted meanwhile.
  Atomics.wait(flag, 0, 0);
});
parentPort.on('message', (m) => { if (m === 'close') { for (const s of held) s.destroy(); server.close(() => process.exit(0)); } });
`;

export function startHeldListener(host: string, backlog: number, now: () => number): Promise<HeldListener> {
  const flag = new SharedArrayBuffer(4);
  const worker = new Worker(WORKER, { eval: true, workerData: { host, backlog, flag } });
  const accepted: HeldListener['accepted'] = [];
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: { port?: number; accepted?: number; error?: string }) => {
      if (m.error) reject(new Error(`listen failed: ${m.error}`));
      else if (m.accepted !== undefined) accepted.push({ atMs: now(), remotePort: m.accepted });
      else if (m.port !== undefined) {
        const release = () => {
          Atomics.store(new Int32Array(flag), 0, 1);
          Atomics.notify(new Int32Array(flag), 0);
        };
        resolve({
          port: m.port,
          accepted,
          release,
          async close() {
            release();
            const gone = new Promise((r) => worker.once('exit', r));
            worker.postMessage('close');
            const timer = setTimeout(() => void worker.terminate(), 1000);
            await gone;
            clearTimeout(timer);
          },
        });
      }
    });
  });
}
