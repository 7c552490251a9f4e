// Output of a tool this host ran that its parser cannot read is not the
// user's bad input (exit 2) but something tcpdiag could not do here (exit 3).

import { CannotRunError } from '../report/errors.js';
import { ParseError } from './parse/text.js';

export function liveParse<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof ParseError) throw new CannotRunError(`could not read the output of ${what}: ${err.message}`, ['please report this with the output attached']);
    throw err;
  }
}
