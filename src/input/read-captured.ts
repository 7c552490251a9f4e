// Reads --from inputs: files, or "-" for stdin. A support engineer's file may
// be UTF-8, UTF-16 (PowerShell 5 `>` writes UTF-16LE with a BOM) or a legacy
// code page (cmd.exe on a German or Japanese system); anything with NUL bytes
// or control characters after decoding is not captured text.

import { readFileSync, statSync } from 'node:fs';
import { UsageError } from '../report/errors.js';

export interface CapturedText {
  /** The name as given on the command line ("-" reads as "stdin"). */
  file: string;
  text: string;
}

const MAX_BYTES = 64 * 1024 * 1024;

export function readCaptured(path: string): CapturedText {
  const file = path === '-' ? 'stdin' : path;
  const bytes = path === '-' ? readStdin() : readFile(path);
  if (bytes.length === 0) throw new UsageError(`--from ${file}: the input is empty`);
  const text = decodeText(bytes);
  if (text === null) throw new UsageError(`--from ${file}: not text (binary data); give captured command output as a text file`);
  if (text.trim() === '') throw new UsageError(`--from ${file}: the input holds only blank lines`);
  return { file, text };
}

function readFile(path: string): Buffer {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new UsageError(`--from ${path}: is a directory; give a file of captured output`);
    size = st.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`--from ${path}: ${describeFsError(err)}`);
  }
  if (size > MAX_BYTES) throw new UsageError(`--from ${path}: ${size} bytes is larger than the ${MAX_BYTES / 1024 / 1024} MiB tcpdiag reads`);
  try {
    return readFileSync(path);
  } catch (err) {
    throw new UsageError(`--from ${path}: ${describeFsError(err)}`);
  }
}

function readStdin(): Buffer {
  try {
    return readFileSync(0);
  } catch (err) {
    throw new UsageError(`--from -: cannot read stdin: ${describeFsError(err)}`);
  }
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (err as Error).message;
}

/** Decodes by BOM, then UTF-16 without BOM, then UTF-8, then Latin-1; null for binary data. */
export function decodeText(bytes: Buffer): string | null {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = bytes.subarray(2).toString('utf16le');
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  else if (looksLikeUtf16le(bytes)) text = bytes.toString('utf16le');
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      // Not UTF-8: a legacy code page. Latin-1 keeps every byte, and the
      // parsers read structure (digits, dashes, separators), not labels.
      text = bytes.toString('latin1');
    }
  }
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x08\x0e-\x19\x1c-\x1f]/.test(text) ? null : text;
}

/** ASCII text saved as UTF-16LE without a BOM: every odd byte is 0. */
function looksLikeUtf16le(bytes: Buffer): boolean {
  if (bytes.length < 4 || bytes.length % 2 !== 0) return false;
  const sample = Math.min(bytes.length, 512);
  let zeros = 0;
  for (let i = 1; i < sample; i += 2) if (bytes[i] === 0) zeros++;
  return zeros / (sample / 2) > 0.9;
}
