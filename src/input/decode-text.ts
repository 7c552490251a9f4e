// Text of a --from input from its bytes. A support engineer's file may be
// UTF-8, UTF-16 (PowerShell 5 `>` writes UTF-16LE with a BOM; netstat output
// of a Japanese, Chinese or Russian Windows redirected from PowerShell arrives
// as UTF-16LE without one) or a legacy code page (cmd.exe on a German or
// Japanese system); anything with NUL bytes or control characters after
// decoding is not captured text.

export type Decoded = { text: string } | { error: 'binary' } | { error: 'odd-utf16'; encoding: 'UTF-16LE' | 'UTF-16BE' };

/** Decodes by BOM, then UTF-16 without BOM, then UTF-8, then Latin-1. */
export function decodeBytes(bytes: Buffer): Decoded {
  const bom = bytes[0] === 0xff && bytes[1] === 0xfe ? 'UTF-16LE' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'UTF-16BE' : null;
  const guess = bom ?? guessUtf16(bytes);
  let text: string;
  if (guess) {
    const body = bom ? bytes.subarray(2) : bytes;
    // Half a character at the end: the file was cut, or is not UTF-16 at all.
    if (body.length % 2 !== 0) return { error: 'odd-utf16', encoding: guess };
    text = guess === 'UTF-16LE' ? body.toString('utf16le') : Buffer.from(body).swap16().toString('utf16le');
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      // Not UTF-8: a legacy code page. Latin-1 keeps every byte, and the
      // parsers read structure (digits, dashes, separators), not labels.
      text = bytes.toString('latin1');
    }
  }
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x08\x0e-\x19\x1c-\x1f]/.test(text) ? { error: 'binary' } : { text };
}

/** The text, or null when the bytes are not text (kept for callers that only need yes or no). */
export function decodeText(bytes: Buffer): string | null {
  const d = decodeBytes(bytes);
  return 'text' in d ? d.text : null;
}

/**
 * UTF-16 without a BOM. Captured command output is mostly ASCII (addresses,
 * numbers, blanks), whose high byte is 0; titles in Japanese, Chinese or
 * Cyrillic have a non-zero high byte and rarely a zero low byte. So: many
 * zero bytes on one side of each pair, almost none on the other.
 */
function guessUtf16(bytes: Buffer): 'UTF-16LE' | 'UTF-16BE' | null {
  const pairs = Math.floor(Math.min(bytes.length, 8192) / 2);
  // A few bytes are no evidence (and binary data often has zeros).
  if (pairs < 8) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  if (oddZeros >= pairs * 0.4 && evenZeros <= pairs * 0.1) return 'UTF-16LE';
  if (evenZeros >= pairs * 0.4 && oddZeros <= pairs * 0.1) return 'UTF-16BE';
  return null;
}
