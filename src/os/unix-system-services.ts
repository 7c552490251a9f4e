// Ports a Linux or macOS service of the OS itself listens on, known by the
// process name a socket table prints and the port. Ending such a process
// does no good and some harm (a user trial: `kill 546` for systemd-resolved
// on port 53, `kill 1081` for macOS's ControlCenter on 5000): its service
// manager starts it again, and it takes the port back, while the host loses
// what it did (name resolution, AirPlay). The fix is the setting that turns
// its listener off, or another port or address for the server. The Windows
// counterpart (pid 4 on SMB's ports) is windows-system-ports.ts; explainers
// ask both through os-services.ts.
//
// Sources:
// - systemd-resolved: systemd-resolved.service(8) ("a local DNS stub listener
//   on the IP address 127.0.0.53 ... and 127.0.0.54" in proxy mode, both on
//   port 53) and resolved.conf(5) (DNSStubListener=no turns both off; drop-ins
//   in /etc/systemd/resolved.conf.d/*.conf are read after resolved.conf). With
//   the stub off, /etc/resolv.conf must stop naming 127.0.0.53: the same page
//   of systemd-resolved.service(8) names /run/systemd/resolve/resolv.conf, which
//   lists the upstream servers, for that. ss and /proc print the kernel's
//   15-character command name, "systemd-resolve"; lsof cuts it to 9,
//   "systemd-r" (lsof(8), +c).
// - macOS ControlCenter: since macOS 12 (Monterey) the AirPlay Receiver runs
//   in ControlCenter and listens on TCP 5000 and 7000 (Apple Developer Forums
//   thread 682332; Apple's "TCP and UDP ports used by Apple software products",
//   support.apple.com/103229, lists 7000 for AirPlay); it is turned off in
//   System Settings > General > AirDrop & Handoff > AirPlay Receiver (System
//   Preferences > Sharing on macOS 12). lsof prints "ControlCe" (9 characters).
//   launchd starts ControlCenter again when it is ended.

import type { OsName } from './port-ranges.js';

export interface UnixSystemService {
  /** The OS the service belongs to. */
  os: Extract<OsName, 'linux' | 'darwin'>;
  /** Command names as ss, /proc, netstat -p and lsof print them (cut to their widths). */
  names: readonly string[];
  ports: readonly number[];
  /** What listens there and why ending it does not free the port. */
  what: string;
  /** What to do instead. */
  instead: string;
  /** Copy-pasteable commands for `instead`, if it has any. */
  remedy: readonly string[];
}

const SERVICES: readonly UnixSystemService[] = [
  {
    os: 'linux',
    names: ['systemd-resolve', 'systemd-resolved', 'systemd-r'],
    ports: [53],
    what: "systemd-resolved's DNS stub listener holds port 53 on 127.0.0.53 (and 127.0.0.54): it is the host's name resolver, which systemd starts again when it is ended, so ending it only breaks DNS until it takes the port back",
    instead:
      'listen on a specific address other than 127.0.0.53 and 127.0.0.54 (a wildcard such as 0.0.0.0 or :: covers them, so it fails too), or turn the stub listener off (DNSStubListener=no, resolved.conf(5)) and point /etc/resolv.conf at /run/systemd/resolve/resolv.conf so the host still resolves names',
    remedy: [
      'sudo mkdir -p /etc/systemd/resolved.conf.d',
      "printf '[Resolve]\\nDNSStubListener=no\\n' | sudo tee /etc/systemd/resolved.conf.d/no-stub-listener.conf",
      'sudo ln -sf /run/systemd/resolve/resolv.conf /etc/resolv.conf',
      'sudo systemctl restart systemd-resolved',
    ],
  },
  {
    os: 'darwin',
    names: ['ControlCenter', 'ControlCe'],
    ports: [5000, 7000],
    what: "macOS's ControlCenter runs the AirPlay Receiver, which listens on ports 5000 and 7000 since macOS 12: launchd starts it again when it is ended",
    instead: 'turn AirPlay Receiver off in System Settings > General > AirDrop & Handoff (System Preferences > Sharing on macOS 12), or give your server another port',
    remedy: [],
  },
];

/**
 * The OS service that owns this socket, known by its process name and port;
 * null for any other. The name and port are the evidence, not the captured
 * OS: an lsof paste does not say which system printed it. Windows' pid-4
 * services are matched in windows-system-ports.ts (both: os-services.ts).
 */
export function unixSystemService(os: OsName | null, process: string | null, port: number): UnixSystemService | null {
  if (os === 'win32' || process === null) return null;
  return SERVICES.find((s) => s.ports.includes(port) && s.names.includes(process)) ?? null;
}

/** What such a holder is, and what to do instead of ending it. */
export function unixSystemServiceWords(s: UnixSystemService): string {
  return `${s.what}. Do not end it: ${s.instead}`;
}
