// Windows `tasklist /fo csv /nh`: "Image Name","PID","Session Name","Session#","Mem Usage"
//   "svchost.exe","1040","Services","0","12,345 K"
// Column titles are localized but /nh omits them, and the order is fixed:
// image name first, PID second.

export function parseTasklistCsv(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^"((?:[^"]|"")*)","(\d+)"/.exec(line.trim());
    if (m) out.set(Number(m[2]), m[1]!.replace(/""/g, '"'));
  }
  return out;
}
