// The child side of connect-race's scope check: a second process of tcpdiag
// (`tcpdiag __race-helper`, not a user command) that makes control connects
// when told, so the parent can ask "is another process held too?". One line
// per message on stdin/stdout:
//   parent -> helper:  c <id> <address> <port>   start a control connect
//                      x <id>                    abandon it
//   helper -> parent:  ready | ok <id> | err <id> <CODE>
// It exits when its stdin ends (the parent closed it or died), and after
// HELPER_MAX_MS whatever happens (a parent that is gone: its attempts with it).

import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';

export { HELPER_COMMAND } from './helper-command.js';
/** Beyond any run: run-race.ts ends a run after 50 s, and its longest round takes about 20 s. */
export const HELPER_MAX_MS = 120_000;

export function runRaceHelper(): void {
  const sockets = new Map<string, Socket>();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => {
    const [op, id, address, port] = line.split(' ');
    if (!id) return;
    if (op === 'x') {
      sockets.get(id)?.destroy();
      sockets.delete(id);
      return;
    }
    if (op !== 'c' || !address || !port) return;
    const s = connect({ host: address, port: Number(port), family: address.includes(':') ? 6 : 4, autoSelectFamily: false });
    sockets.set(id, s);
    // Reset at once, as the parent's controls are: no TIME_WAIT, and a filter sees it closed.
    s.once('connect', () => (s.resetAndDestroy(), sockets.delete(id), say(`ok ${id}`)));
    s.once('error', (e: NodeJS.ErrnoException) => (sockets.delete(id), say(`err ${id} ${e.code ?? 'error'}`)));
  });
  input.once('close', () => process.exit(0));
  setTimeout(() => process.exit(0), HELPER_MAX_MS).unref();
  say('ready');
}
