// Helpers shared by the text parsers. Captured output arrives with CRLF or LF
// line ends, a BOM, trailing blanks and prompt lines; parsers see clean lines.

export function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).map((l) => l.trimEnd());
}

/** A whole non-negative decimal integer, or null. */
export function toInt(s: string | undefined): number | null {
  if (s === undefined || !/^\d{1,10}$/.test(s)) return null;
  return Number(s);
}

export function isPort(n: number | null): n is number {
  return n !== null && Number.isInteger(n) && n >= 0 && n <= 65535;
}

/** Thrown by parsers for text that claims a format but breaks it; the CLI turns it into exit 2. */
export class ParseError extends Error {
  override name = 'ParseError';
  constructor(
    readonly format: string,
    message: string,
  ) {
    super(`${format}: ${message}`);
  }
}
