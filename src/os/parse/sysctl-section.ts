// The sysctl part of a paste, as one line reader: Linux port settings
// (`sysctl net.ipv4.ip_local_port_range`, `grep . /proc/sys/...`, `cat`
// sessions), macOS/FreeBSD `net.inet.ip.portrange.*`, and the host settings
// doctor checks (keepalive, somaxconn). A `sysctl -a` paste holds all of
// these among thousands of other names, which are claimed and passed over.
//
// A session may run sysctl more than once (read the value, `sysctl -w` it,
// read it again): the Linux port settings and host settings are kept per run,
// with the run's lines, and --from uses the later capture of a setting
// (input/later-captures.ts). A run begins at a sysctl or cat command line, or
// at a setting the open run already holds (outputs pasted without prompts).

import type { PortRanges, RangeSetting } from '../port-ranges.js';
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
  /** Each run that holds a Linux port setting or a host setting, in order. */
  runs: SysctlRun[];
  /** macOS/FreeBSD port ranges, when the section has any (read over the whole section: first and last may come from two runs). */
  bsd: PortRanges | null;
}

export interface SysctlRun {
  lines: { first: number; last: number };
  /** Linux port settings, when the run has any. */
  linux: PortRanges | null;
  /** The Linux port settings the run shows. */
  captures: RangeSetting[];
  /** Host settings doctor reads (keepalive, somaxconn), by sysctl name. */
  settings: Map<string, number>;
}

const LINUX_SETTING: Record<LinuxPortKey, RangeSetting> = {
  ip_local_port_range: { range: 'ephemeral', allocator: 'default', protocol: null, family: null },
  ip_local_reserved_ports: { range: 'reserved', protocol: null, family: null },
  ip_unprivileged_port_start: { range: 'privileged', protocol: null, family: null },
};

/** A sysctl or cat command line: where another run begins. */
const COMMAND = /(?:^|\s)sysctl\s/;

/** A line that names a setting tcpdiag reads: opens a sysctl section. */
export function opensSysctl(line: string): boolean {
  if (KEY_LINE.test(line.trim()) || CAT_LINE.test(line.trimEnd())) return true;
  const m = readSysctlLine(line);
  return m !== null && (m.name.startsWith(PORTRANGE) || m.name in HOST_SETTING_KEYS);
}

export function createSysctlReader(source: string): LineReader<SysctlSection> {
  const runs: Array<SysctlRun & { keys: Set<string> }> = [];
  let run: (SysctlRun & { keys: Set<string> }) | null = null;
  let since: number | null = null;
  const openRun = (no: number) => {
    // A setting the open run already holds: that run ends on the line before.
    if (run && run.lines.last >= no) run.lines.last = Math.max(run.lines.first, no - 1);
    run = { lines: { first: since ?? no, last: no }, linux: null, captures: [], settings: new Map(), keys: new Set() };
    runs.push(run);
    since = null;
  };
  /** The open run, or a new one when it already holds `key` (a second capture of it). */
  const runFor = (key: string, no: number) => {
    if (run === null || run.keys.has(key)) openRun(no);
    run!.keys.add(key);
    return run!;
  };
  const values = new Map<string, number>();
  let saysFreeBSD = false;
  // After a `cat` line: which file, and on which line, the value is awaited.
  let cat: { key: LinuxPortKey; line: number } | null = null;
  const late: UnreadLine[] = [];
  const apply = (key: LinuxPortKey, value: string, no: number) => {
    const r = runFor(key, no);
    r.linux ??= emptyPortRanges('linux');
    applyLinuxSetting(r.linux, key, value, `${source} (${key})`);
    r.captures.push(LINUX_SETTING[key]);
  };
  // A `cat` with no value line after it: an empty reserved-ports file prints an empty line, the others a number.
  const closeCat = () => {
    if (cat && cat.key === 'ip_local_reserved_ports') apply(cat.key, '', cat.line);
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
      if (cat && t !== '' && !VALUE_LINE.test(t)) closeCat();
      // A command line ends the open run when that run holds a value; the lines before it are that run's.
      const open = run as (SysctlRun & { keys: Set<string> }) | null;
      if (open && open.keys.size > 0 && (COMMAND.test(t) || CAT_LINE.test(line.trimEnd()))) run = null;
      if (run === null) since ??= no;
      else (run as SysctlRun).lines.last = no;
      if (cat) {
        // Blank lines a person left between the command and its value are skipped.
        if (t === '') return;
        if (VALUE_LINE.test(t)) {
          const key = cat.key;
          cat = null;
          apply(key, t, no);
        }
        return;
      }
      const catLine = CAT_LINE.exec(line.trimEnd());
      const key = catLine ? null : KEY_LINE.exec(t);
      if (catLine) cat = { key: catLine[1] as LinuxPortKey, line: no };
      else if (key) apply(key[1] as LinuxPortKey, key[2]!, no);
      else if (/^kern\.ostype\s*[:=]\s*FreeBSD/.test(t)) saysFreeBSD = true;
      else {
        const m = readSysctlLine(line);
        if (!m) return;
        if (!m.name.startsWith(PORTRANGE) && !(m.name in HOST_SETTING_KEYS)) return;
        if (!Number.isSafeInteger(m.value)) throw refuse(`${m.name} ${m.text.slice(0, 20)} is too large to be true`);
        if (m.value < 0) throw refuse(`${m.name} is ${m.value}: a negative setting cannot be true`);
        if (/\.(?:hi|low)?(?:first|last)$/.test(m.name) && m.value > 65535) throw refuse(`${m.name} ${m.value} is not a port`);
        values.set(m.name, m.value);
        if (m.name in HOST_SETTING_KEYS) runFor(m.name, no).settings.set(m.name, m.value);
      }
    },
    end() {
      closeCat();
      for (const r of runs) r.linux?.readFrom.push(source);
      const bsdKeys = [...values.keys()].some((k) => k.startsWith(PORTRANGE));
      const held = runs.filter((r) => r.linux || r.settings.size > 0).map(({ keys: _keys, ...r }) => r);
      return { runs: held, bsd: bsdKeys ? bsdPortRangesFrom(values, saysFreeBSD, source) : null };
    },
    lateUnread: () => late,
  };
}
