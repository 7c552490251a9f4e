// Progress on stderr while a command runs. A probe's own messages ("sampling
// for 2 s", "silencing the peer") are printed as lines, as they come. On a
// terminal, a command still running after a second also gets a live line with
// the elapsed time, redrawn in place and erased when the command ends, so a
// slow step never looks like a hang. Logs (stderr not a terminal) get only the
// messages: no redraws to garble them.

import { wrap } from '../render/text.js';

const SHOW_AFTER_MS = 1000;
const REDRAW_MS = 200;
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface Progress {
  /** A message for a person: what the command is doing or waiting for now. */
  say(message: string): void;
  /** Erases the live line; call when the command's output is about to be written. */
  stop(): void;
}

export function startProgress(command: string, activity = 'working', stream: NodeJS.WriteStream = process.stderr): Progress {
  const prefix = `tcpdiag ${command}: `;
  const started = Date.now();
  let current = activity;
  let frame = 0;
  let drawn = false;
  const live = Boolean(stream.isTTY);
  const clear = () => {
    if (drawn) stream.write('\r\x1b[K');
    drawn = false;
  };
  const draw = () => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const width = (stream.columns || 80) - 1;
    const line = `${FRAMES[frame++ % FRAMES.length]} ${prefix}${current} (${seconds} s)`;
    stream.write(`\r\x1b[K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
    drawn = true;
  };
  let timer: NodeJS.Timeout | undefined;
  // The timers never keep the process alive: a finished command exits at once.
  const delay = live ? setTimeout(() => ((timer = setInterval(draw, REDRAW_MS).unref()), draw()), SHOW_AFTER_MS).unref() : undefined;
  return {
    say(message) {
      clear();
      // On a terminal a long message wraps under itself; logs keep one line per message.
      stream.write(live ? `${wrap(prefix + message, stream.columns || 80, '', '  ')}\n` : `${prefix}${message}\n`);
      current = message;
    },
    stop() {
      clearTimeout(delay);
      clearInterval(timer);
      clear();
    },
  };
}
