// Reads --from inputs: files, pipes, FIFOs, devices, or "-" for stdin, each
// bounded in size and time (read-bytes.ts) and decoded (decode-text.ts). The
// same file given twice is read once and said so (issue #22: a 9-range file
// given twice made 18 ranges, and doubled doctor's SYN_SENT counts).

import { fstat as fstatCb } from 'node:fs';
import { stat } from 'node:fs/promises';
import { escapeControls } from '../os/parse/line-reader.js';
import { UsageError } from '../report/errors.js';
import { decodeBytes } from './decode-text.js';
import { readPathBytes, readStdinBytes, type ReadLimits } from './read-bytes.js';

export { decodeText } from './decode-text.js';

export interface CapturedText {
  /** The name as given on the command line, control characters escaped ("-" reads as "stdin"). */
  file: string;
  text: string;
}

export interface CapturedInputs {
  texts: CapturedText[];
  /** Inputs that are an earlier input again (same device and inode): read once, under the earlier name. */
  duplicates: Array<{ file: string; sameAs: string }>;
}

/** Reads every input in order. UsageError (exit 2) for one that cannot be read or is not text. */
export async function readCapturedInputs(paths: readonly string[], limits: ReadLimits): Promise<CapturedInputs> {
  const out: CapturedInputs = { texts: [], duplicates: [] };
  const seen = new Map<string, string>();
  for (const path of paths) {
    const file = path === '-' ? 'stdin' : escapeControls(path);
    const id = await identity(path);
    const earlier = id === null ? undefined : seen.get(id);
    if (earlier !== undefined) {
      out.duplicates.push({ file, sameAs: earlier });
      continue;
    }
    if (id !== null) seen.set(id, file);
    out.texts.push({ file, text: decode(file, path === '-' ? await readStdin(limits) : await readPathBytes(path, file, limits)) });
  }
  return out;
}

async function readStdin(limits: ReadLimits): Promise<Buffer> {
  const terminal = process.stdin.isTTY === true;
  // A person pasting into a terminal must know how to end the paste (issue #20).
  if (terminal) process.stderr.write(`tcpdiag: paste the output, then ${process.platform === 'win32' ? 'Ctrl-Z and Enter' : 'Ctrl-D'} on a new line (Ctrl-C cancels)\n`);
  return readStdinBytes(limits, terminal);
}

function decode(file: string, bytes: Buffer): string {
  if (bytes.length === 0) throw new UsageError(`--from ${file}: the input is empty`);
  const d = decodeBytes(bytes);
  if ('error' in d && d.error === 'odd-utf16') throw new UsageError(`--from ${file}: ${d.encoding} text of ${bytes.length} bytes ends in half a character: the file was cut short or is not ${d.encoding}`);
  if ('error' in d) throw new UsageError(`--from ${file}: not text (binary data); give captured command output as a text file`);
  if (d.text.trim() === '') throw new UsageError(`--from ${file}: the input holds only blank lines`);
  return d.text;
}

/** Device and inode, so one file under two names is read once; null when it cannot be told. */
async function identity(path: string): Promise<string | null> {
  try {
    const st = path === '-' ? await new Promise<{ dev: number; ino: number }>((resolve, reject) => fstatCb(0, (err, s) => (err ? reject(err) : resolve(s)))) : await stat(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}
