// The command lines between the outputs of a paste (issue #15): a prompt and
// the command after it ("$ cat /proc/net/tcp", "root@host:~# ss -tanp",
// "C:\Users\me>netstat -ano", "PS C:\> Get-NetTCPConnection", "PS> ...",
// "╰─➤  netstat -an", ">netstat -ano | find ..."), or a bare command line
// without a prompt ("lsof -i :5000", "netstat -p tcp -n | grep TIME_WAIT").
// Each one ends the output before it: what follows is another run, read as a
// section of its own even when it has the same format. The line itself goes
// with the output after it, whose reader may take a state filter from it
// (`ss state established`, `Get-NetTCPConnection -State Listen`).

/**
 * Prompts, each bounded so a long line cannot make a pattern backtrack. A
 * Unix prompt may stand alone, with no command after it: the line is trimmed,
 * so "$ " and "user@host:~$ " arrive as "$" and "user@host:~$" (the prompt
 * after a run that printed nothing, a user trial: that run was dropped and the
 * table before it used). A "#" alone is a root prompt as "# " is: a line
 * starting "# " was a command line already, whatever follows.
 */
const PROMPTS: readonly RegExp[] = [
  /^PS(?: [^>]{1,200})?>/, // PowerShell: "PS C:\Users\me>", "PS>"
  /^[A-Za-z]:(?:\\[^>]{0,200})?>/, // cmd: "C:\Windows\system32>", "C:>"
  /^>\s?[A-Za-z]/, // cmd with the path left out: ">netstat -ano"
  /^(?:╭─\S*\s*)?(?:╰─|└─)?[➤▪❯➜»▶$#%](?:\s|$)/u, // zsh/fish themes and bare sh prompts: "╰─➤  ", "└─▪ ", "❯ ", "$ ", "# "
  /^\[[^\]]{1,100}\]\s?[$#%](?:\s|$)/, // "[root@host ~]# "
  /^\[[^\]]{1,40}\]\s[\w.-]{1,64}@[\w.-]{1,64}:\S{0,200}[$#](?:\s|$)/, // "[04/17/2018 16:41] seed@ubuntu:~$ "
  /^[\w.-]{1,64}@[\w.-]{1,64}(?::\S{0,200})?\s?[$#%](?:\s|$)/, // "root@host:~# ", "user@host ~ % "
  /^[\w.-]{1,64}:\S{0,200} [\w.-]{1,64}[$#](?: |$)/, // macOS bash: "Kevins-MBP:k3vl4r k3vl4r$ "
];

/** Tools whose command lines appear in pastes. */
const TOOLS = new Set(['netstat', 'ss', 'lsof', 'sockstat', 'sysctl', 'cat', 'grep', 'egrep', 'awk', 'netsh', 'findstr', 'find', 'tasklist', 'fuser', 'nmap', 'curl', 'get-nettcpconnection', 'get-netudpendpoint', 'get-process', 'diff']);

/** Whether a line is a command line: a prompt and its command, or a tool's name with options after it. */
export function isCommandLine(line: string): boolean {
  const t = line.trim();
  if (t === '' || t.length > 1000) return false;
  if (PROMPTS.some((p) => p.test(t))) return true;
  return isBareCommand(t);
}

/** The command of a command line, its prompt taken off; null for any other line. */
export function commandOf(line: string): string | null {
  if (!isCommandLine(line)) return null;
  const t = line.trim();
  for (const p of PROMPTS) {
    const m = p.exec(t);
    // ">netstat": that prompt's pattern reaches into the command's first letter.
    if (m) return (t.startsWith('>') ? t.slice(1) : t.slice(m[0].length)).trim();
  }
  return t;
}

function isBareCommand(t: string): boolean {
  const words = t.split(/\s+/);
  let k = 0;
  if (words[k] === 'sudo' || words[k] === 'doas') k++;
  const tool = words[k]?.toLowerCase() ?? '';
  if (!TOOLS.has(tool)) return false;
  // PowerShell cmdlets stand alone or with parameters; others take options, paths or keys after their name.
  if (tool.startsWith('get-')) return true;
  const next = words[k + 1];
  if (next === undefined) return tool === 'netstat' || tool === 'ss' || tool === 'lsof' || tool === 'sockstat';
  // An lsof row starts with a command name and a pid ("cat 1234 me 3u IPv4 ..."): a number is no option.
  return /^[-/|']/.test(next) || (tool === 'sysctl' && /^[a-z]+\./.test(next)) || (tool === 'ss' && /^(?:state|dst|src|sport|dport)$/.test(next)) || (tool === 'netsh' && /^(?:int|interface)$/i.test(next));
}
