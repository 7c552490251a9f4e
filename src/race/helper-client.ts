// The parent side of the scope check's helper process (helper-process.ts):
// started with the run, so it is ready by the first held round; killed with
// the run, also on Ctrl-C.

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { onInterrupt } from '../lifecycle/interrupt.js';
import { HELPER_COMMAND } from './helper-process.js';
import { selfCommand } from '../sea/self-command.js';
import { HELPER_GONE, type ControlEnd } from './types.js';

const START_TIMEOUT_MS = 5000;

export interface RaceHelper {
  /** Resolves true once the helper said ready; false if it could not start (why: reason()). */
  ready: Promise<boolean>;
  reason(): string | null;
  connect(id: number, address: string, port: number, onEnd: (end: Omit<ControlEnd, 'atMs'>) => void): void;
  abandon(id: number): void;
  stop(): void;
}

export function startRaceHelper(): RaceHelper {
  const { file, args } = selfCommand();
  const ends = new Map<number, (end: Omit<ControlEnd, 'atMs'>) => void>();
  let why: string | null = null;
  let child: ChildProcess | null = null;
  let startTimer: NodeJS.Timeout | undefined;
  const release = onInterrupt(() => void child?.kill('SIGKILL'));
  /** The helper is gone: every control still waiting ends with HELPER_GONE, later ones at once. */
  const gone = (reason: string) => {
    why ??= reason;
    clearTimeout(startTimer);
    for (const [id, onEnd] of [...ends]) {
      ends.delete(id);
      onEnd({ ok: false, errorCode: HELPER_GONE });
    }
  };
  const ready = new Promise<boolean>((resolve) => {
    const fail = (reason: string) => {
      gone(reason);
      resolve(false);
    };
    try {
      child = spawn(file, [...args, HELPER_COMMAND], { stdio: ['pipe', 'pipe', 'ignore'] });
    } catch (err) {
      fail(`the helper process could not start: ${(err as Error).message}`);
      return;
    }
    // unref: a run that ends before the helper is ready must not wait for this timer.
    startTimer = setTimeout(() => fail(`the helper process did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS).unref();
    child.once('error', (e) => fail(`the helper process could not start: ${e.message}`));
    child.once('exit', (code, signal) => fail(`the helper process ended (${signal ?? code})`));
    // A write to a helper that just died fails with EPIPE: the exit says why, nothing to do here.
    child.stdin!.on('error', () => {});
    // Whole lines only: a line may arrive in two chunks.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const [word, id, code] = line.split(' ');
      if (word === 'ready') {
        clearTimeout(startTimer);
        resolve(true);
        return;
      }
      const onEnd = ends.get(Number(id));
      ends.delete(Number(id));
      onEnd?.(word === 'ok' ? { ok: true, errorCode: null } : { ok: false, errorCode: code ?? 'error' });
    });
  });
  const send = (line: string) => {
    if (child?.stdin?.writable) child.stdin.write(`${line}\n`);
  };
  return {
    ready,
    reason: () => why,
    connect(id, address, port, onEnd) {
      if (why !== null) return onEnd({ ok: false, errorCode: HELPER_GONE });
      ends.set(id, onEnd);
      send(`c ${id} ${address} ${port}`);
    },
    abandon(id) {
      ends.delete(id);
      send(`x ${id}`);
    },
    stop() {
      ends.clear();
      clearTimeout(startTimer);
      child?.stdin?.end();
      child?.kill('SIGKILL');
      release();
    },
  };
}
