// The sysctl part of a paste, as one line reader: Linux port settings
// (`sysctl net.ipv4.ip_local_port_range`, `grep . /proc/sys/...`, `cat`
// sessions), macOS/FreeBSD `net.inet.ip.portrange.*`, and the host settings
// doctor checks (keepalive, somaxconn). A `sysctl -a` paste holds all of
// these among thousands of other names, which are claimed and passed over.

import type { PortRanges } from '../port-ranges.js';
import { emptyPortRanges } from '../port-ranges.js';
import { bsdPortRangesFrom } from './bsd-sysctl-portrange.js';
import { refuse, type LineReader, type UnreadLine } from './line-reader.js';
import { applyLinuxSetting, type LinuxPortKey } from './linux-port-settings.js';
import { HOST_SETTING_KEYS, readSysctlLine } from './sysctl-values.js';

const KEY_LINE = /^(?:[\w./-]*[./])?(ip_local_port_range|ip_local_reserved_ports|ip_unprivileged_port_start)\s*[=:](.*)$/;
// "$ cat /proc/sys/net/ipv4/ip_local_port_range": the value is the next line.
const CAT_LINE = /\bcat\s+\S*(ip_local_port_range|ip_local_reserved_ports|ip_unprivileged_port_start)$/;
/** What a procfs port setting's value looks like: numbers, ranges, commas, blanks. */
const VALUE_LINE = /^[\d\s,-]+$/;
const PORTRANGE = 'net.inet.ip.portrange.';

export interface SysctlSection {
  /** Linux port settings, when the section has any. */
  linux: PortRanges | null;
  /** macOS/FreeBSD port ranges, when the section has any. */
  bsd: PortRanges | null;
  /** Host settings doctor reads (keepalive, somaxconn), by sysctl name. */
  settings: Map<string, number>;
}

/** A line that names a setting tcpdiag reads: opens a sysctl section. */
export function opensSysctl(line: string): boolean {
  if (KEY_LINE.test(line.trim()) || CAT_LINE.test(line.trimEnd())) return true;
  const m = readSysctlLine(line);
  return m !== null && (m.name.startsWith(PORTRANGE) || m.name in HOST_SETTING_KEYS);
}

export function createSysctlReader(source: string): LineReader<SysctlSection> {
  const linux = emptyPortRanges('linux');
  let linuxSeen = false;
  const values = new Map<string, number>();
  let saysFreeBSD = false;
  // After a `cat` line: which file, and on which line, the value is awaited.
  let cat: { key: LinuxPortKey; line: number } | null = null;
  const late: UnreadLine[] = [];
  const apply = (key: LinuxPortKey, value: string) => {
    applyLinuxSetting(linux, key, value, `${source} (${key})`);
    linuxSeen = true;
  };
  // A `cat` with no value line after it: an empty reserved-ports file prints an empty line, the others a number.
  const closeCat = () => {
    if (cat && cat.key === 'ip_local_reserved_ports') apply(cat.key, '');
    else if (cat) late.push({ line: cat.line, reason: `no value after the cat of ${cat.key}` });
    cat = null;
  };
  return {
    claims(line) {
      const t = line.trim();
      if (cat && (t === '' || VALUE_LINE.test(t))) return true;
      // A sysctl command line between two runs keeps a session of sysctl calls one section.
      return KEY_LINE.test(t) || CAT_LINE.test(line.trimEnd()) || readSysctlLine(line) !== null || /^kern\.ostype\s*[:=]/.test(t) || /(?:^|\s)sysctl\s/.test(t);
    },
    line(line, no) {
      const t = line.trim();
      if (cat) {
        // Blank lines a person left between the command and its value are skipped.
        if (t === '') return;
        if (VALUE_LINE.test(t)) {
          const key = cat.key;
          cat = null;
          apply(key, t);
          return;
        }
        closeCat();
      }
      const catLine = CAT_LINE.exec(line.trimEnd());
      const key = catLine ? null : KEY_LINE.exec(t);
      if (catLine) cat = { key: catLine[1] as LinuxPortKey, line: no };
      else if (key) apply(key[1] as LinuxPortKey, key[2]!);
      else if (/^kern\.ostype\s*[:=]\s*FreeBSD/.test(t)) saysFreeBSD = true;
      else {
        const m = readSysctlLine(line);
        if (!m) return;
        if (!m.name.startsWith(PORTRANGE) && !(m.name in HOST_SETTING_KEYS)) return;
        if (!Number.isSafeInteger(m.value)) throw refuse(`${m.name} ${m.text.slice(0, 20)} is too large to be true`);
        if (m.value < 0) throw refuse(`${m.name} is ${m.value}: a negative setting cannot be true`);
        if (/\.(?:hi|low)?(?:first|last)$/.test(m.name) && m.value > 65535) throw refuse(`${m.name} ${m.value} is not a port`);
        values.set(m.name, m.value);
      }
    },
    end() {
      closeCat();
      linux.readFrom.push(source);
      const bsdKeys = [...values.keys()].some((k) => k.startsWith(PORTRANGE));
      const settings = new Map([...values].filter(([k]) => k in HOST_SETTING_KEYS));
      return { linux: linuxSeen ? linux : null, bsd: bsdKeys ? bsdPortRangesFrom(values, saysFreeBSD, source) : null, settings };
    },
    lateUnread: () => late,
  };
}
