import { ParseError } from '../../src/os/parse/text.js';

/** A parse that may only fail with ParseError (then "parse-error"); anything else escapes and fails the property. */
export function orParseError(parse: () => unknown): unknown {
  try {
    return parse();
  } catch (err) {
    if (err instanceof ParseError) return 'parse-error';
    throw err;
  }
}
