// A first run of a table command that printed nothing before the next prompt
// (`C:\> netstat -ano | findstr :3000`, then `netsh ...`): the most common
// Windows support paste, and it answers the question — nothing on that port.
// A rerun takes its format from the run before it (later-captures.ts); a
// first run has only its command line, so the format is read from it, and
// only where the command line leaves no doubt that "nothing" is a table with
// no rows:
//  - the tool, and so the format and OS, is certain: netstat after a cmd or
//    PowerShell prompt is Windows netstat; ss is Linux; net-tools netstat
//    with its Linux-only -p cluster (BSD netstat's -p takes a protocol, so
//    `-tanp |` would print an error there); Get-NetTCPConnection; lsof run as
//    root (lsof lists only its own user's sockets otherwise, and an empty
//    table cannot say whose they would be);
//  - and the tool prints nothing when nothing matches: netstat and ss print a
//    header line, so their empty output needs a filter after a pipe that
//    dropped it (ss also -H); lsof and Get-NetTCPConnection print no header.
// Anything else stays what it was: no table (a `$ netstat -an | grep 3000`
// may be macOS or Linux, and the formats differ in what they leave out).

import type { OsName } from '../os/port-ranges.js';

/** A cmd or PowerShell prompt: "C:\Users\me>", "PS C:\>", "PS>", ">netstat". */
const WINDOWS_PROMPT = /^(?:PS(?: [^>]{0,200})?>|[A-Za-z]:(?:\\[^>]{0,200})?>|>)/;

/** The format and OS of an empty table printed by this command line (prompt and command as pasted); null when they cannot be told. */
export function emptyTableFormat(promptLine: string, command: string): { format: string; os: OsName | null } | null {
  const words = command.trim().split(/\s+/);
  const root = words[0] === 'sudo' || words[0] === 'doas' || /#\s*$/.test(promptLine.slice(0, promptLine.length - command.length));
  const k = words[0] === 'sudo' || words[0] === 'doas' ? 1 : 0;
  const tool = (words[k] ?? '').toLowerCase();
  const bar = words.indexOf('|');
  const options = words.slice(k + 1, bar < 0 ? undefined : bar);
  const piped = bar > k;
  if (tool === 'get-nettcpconnection') return { format: 'get-nettcpconnection', os: 'win32' };
  if (tool === 'netstat' && WINDOWS_PROMPT.test(promptLine)) return piped ? { format: 'windows-netstat', os: 'win32' } : null;
  if (WINDOWS_PROMPT.test(promptLine)) return null;
  if (tool === 'ss') return piped || options.some((o) => o === '--no-header' || /^-[a-zA-Z]*H/.test(o)) ? { format: 'ss', os: 'linux' } : null;
  if (tool === 'netstat') return piped && options.length === 1 && /^-[a-zA-Z]*p/.test(options[0]!) && /^-[a-zA-Z]*t/.test(options[0]!) ? { format: 'linux-netstat', os: 'linux' } : null;
  if (tool === 'lsof') return root ? { format: 'lsof', os: null } : null;
  return null;
}
