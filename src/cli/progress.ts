// Progress on stderr while a command runs, for a person at a terminal: a
// probe's own messages ("sampling for 2 s", "silencing the peer") as lines,
// as they come, and, for a command still running after a second, a live line
// with the elapsed time, redrawn in place and erased when the command ends, so
// a slow step never looks like a hang. When stderr is not a terminal (cron,
// CI, a pipe) nothing is written unless asked for with --verbose (or --debug):
// `tcpdiag doctor --json` from cron writes its report and nothing else, and
// stderr keeps only what went wrong. --quiet drops progress on a terminal too.

import { wrap } from '../render/text.js';

const SHOW_AFTER_MS = 1000;
const REDRAW_MS = 200;
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface Progress {
  /**
   * A message for a person: what the command is doing or waiting for now.
   * `status`, when given, is what the live line says from now on (short: the
   * line also holds the elapsed time and must fit the terminal).
   */
  say(message: string, status?: string): void;
  /** Erases the live line; call when the command's output is about to be written. */
  stop(): void;
}

/** quiet: nothing; auto: only on a terminal; verbose: messages also into logs and pipes. */
export type ProgressMode = 'quiet' | 'auto' | 'verbose';

const SILENT: Progress = { say() {}, stop() {} };

export function startProgress(command: string, activity = 'working', stream: NodeJS.WriteStream = process.stderr, mode: ProgressMode = 'auto'): Progress {
  const live = Boolean(stream.isTTY);
  if (mode === 'quiet' || (!live && mode !== 'verbose')) return SILENT;
  const prefix = `tcpdiag ${command}: `;
  const started = Date.now();
  let current = activity;
  let frame = 0;
  let drawn = false;
  const clear = () => {
    if (drawn) stream.write('\r\x1b[K');
    drawn = false;
  };
  const draw = () => {
    // The elapsed time always shows: a long status is cut, never the time.
    const head = `${FRAMES[frame++ % FRAMES.length]} ${prefix}`;
    const tail = ` (${((Date.now() - started) / 1000).toFixed(1)} s)`;
    const room = (stream.columns || 80) - 1 - head.length - tail.length;
    const text = current.length > room ? `${current.slice(0, Math.max(0, room - 1))}…` : current;
    stream.write(`\r\x1b[K${head}${text}${tail}`);
    drawn = true;
  };
  let timer: NodeJS.Timeout | undefined;
  // The timers never keep the process alive: a finished command exits at once.
  const delay = live ? setTimeout(() => ((timer = setInterval(draw, REDRAW_MS).unref()), draw()), SHOW_AFTER_MS).unref() : undefined;
  return {
    say(message, status) {
      clear();
      // On a terminal a long message wraps under itself; logs keep one line per message.
      stream.write(live ? `${wrap(prefix + message, stream.columns || 80, '', '  ')}\n` : `${prefix}${message}\n`);
      current = status ?? message;
    },
    stop() {
      clearTimeout(delay);
      clearInterval(timer);
      clear();
    },
  };
}
