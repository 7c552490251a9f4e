// The tcpdiag command lines inside a documented shell line, as a shell would
// split them: `sudo tcpdiag keepalive selftest`, `cat a b | tcpdiag bind
// 3306 --from -`, `source <(tcpdiag completion bash)`, `TMPDIR=/var/tmp
// ./tcpdiag-linux-x64 sockets`, `C:\Tools\tcpdiag-win-x64.exe doctor --json >
// out.json`. Only what the docs use: quotes, comments, pipes, lists,
// redirections, command and process substitution. A backslash stays a
// backslash (Windows paths), as cmd.exe keeps it.

/** The names tcpdiag is started by: the npm package's command and the single executables. */
const PROGRAMS = new Set(['tcpdiag', 'tcpdiag.js', 'tcpdiag-linux-x64', 'tcpdiag-linux-arm64', 'tcpdiag-darwin-x64', 'tcpdiag-win-x64.exe']);
/** Words that run the command after them. */
const PREFIXES = new Set(['sudo', 'npx', 'node', 'exec', 'time', 'wine']);
/** Operators after which a new command starts. */
const COMMAND_STARTS = new Set(['|', '||', '&&', ';', '&', '$(', '<(', '(']);
const OPERATORS = ['||', '&&', '>>', '$(', '<(', '|', ';', '&', '>', '<', '(', ')'];

type Token = { word: string; quoted: boolean } | { op: string };

/** Words and operators of one line; `comments`: a word starting with # ends the line (sh, not cmd.exe). */
export function shellTokens(line: string, comments = true): Token[] {
  const out: Token[] = [];
  let word = '';
  let quoted = false;
  let inWord = false;
  const end = () => {
    if (inWord) out.push({ word, quoted });
    word = '';
    quoted = false;
    inWord = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      end();
      continue;
    }
    if (c === "'" || c === '"') {
      const close = line.indexOf(c, i + 1);
      if (close < 0) throw new Error(`unclosed ${c} in: ${line}`);
      word += line.slice(i + 1, close);
      quoted = inWord = true;
      i = close;
      continue;
    }
    if (c === '#' && comments && !inWord) break;
    const op = OPERATORS.find((o) => line.startsWith(o, i));
    if (op) {
      // "2>" and "2>&1": the descriptor number belongs to the redirection.
      if ((op === '>' || op === '>>') && /^\d+$/.test(word) && !quoted) word = '';
      end();
      out.push({ op });
      i += op.length - 1;
      continue;
    }
    word += c;
    inWord = true;
  }
  end();
  return out;
}

/** Each tcpdiag command line in a shell line: the arguments after the program's name. */
export function tcpdiagInvocations(line: string, comments = true): string[][] {
  const tokens = shellTokens(line, comments);
  const found: string[][] = [];
  let atCommand = true;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if ('op' in t) {
      atCommand = COMMAND_STARTS.has(t.op);
      continue;
    }
    if (!atCommand) continue;
    if (!t.quoted && (/^[A-Za-z_]\w*=/.test(t.word) || PREFIXES.has(t.word))) continue;
    atCommand = false;
    if (!PROGRAMS.has(t.word.split(/[\\/]/).pop()!)) continue;
    const args: string[] = [];
    for (i++; i < tokens.length; i++) {
      const a = tokens[i]!;
      if ('word' in a) args.push(a.word);
      else if (a.op === '<(') {
        // A process substitution is a file name to the command: skip to its end.
        let depth = 1;
        while (depth > 0 && ++i < tokens.length) {
          const s = tokens[i]!;
          if ('op' in s && (s.op === '(' || s.op === '<(' || s.op === '$(')) depth++;
          if ('op' in s && s.op === ')') depth--;
        }
        args.push('/dev/fd/63');
      } else {
        i--;
        break;
      }
    }
    found.push(args);
  }
  return found;
}
