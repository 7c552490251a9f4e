// Linux /proc/net/netstat: pairs of lines, names then values, per group:
//   TcpExt: SyncookiesSent SyncookiesRecv ... ListenOverflows ListenDrops ...
//   TcpExt: 0 0 ... 3 3 ...
// (`nstat` shows the same counters as TcpExtListenOverflows.) Per network namespace.

import { ParseError, splitLines } from './text.js';

export function parseProcNetNetstat(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const lines = splitLines(text).filter((l) => l.trim() !== '');
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const names = lines[i]!.split(/\s+/);
    const values = lines[i + 1]!.split(/\s+/);
    if (names[0] !== values[0] || names.length !== values.length) {
      throw new ParseError('/proc/net/netstat', `lines ${i + 1}-${i + 2} do not pair names with values`);
    }
    const group = names[0]!.replace(/:$/, '');
    for (let j = 1; j < names.length; j++) out.set(`${group}${names[j]}`, Number(values[j]));
  }
  return out;
}
