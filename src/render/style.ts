// Colour policy (DESIGN.md): --no-color wins, then FORCE_COLOR (as in Node,
// it overrides NO_COLOR), then NO_COLOR, and no colour when stdout is not a TTY.

import { Chalk, type ChalkInstance } from 'chalk';

export type ColorLevel = 0 | 1 | 2 | 3;

export function chooseColorLevel(flagNoColor: boolean, env: NodeJS.ProcessEnv, isTTY: boolean): ColorLevel {
  if (flagNoColor) return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    return force === '2' ? 2 : force === '3' ? 3 : 1;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (!isTTY || env.TERM === 'dumb') return 0;
  return 1;
}

export interface Style {
  c: ChalkInstance;
  /** Terminal width to wrap at; 80 when not a terminal. */
  width: number;
}

export function makeStyle(level: ColorLevel, columns: number | undefined): Style {
  return { c: new Chalk({ level }), width: Math.max(60, Math.min(columns ?? 80, 120)) };
}
