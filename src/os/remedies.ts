// Copy-pasteable remedy commands per OS (OS-FACTS.md "Remedies"). Kept here,
// beside the backends, so explainers stay free of OS switches.

import { ephemeral, type EphemeralRange, type OsName } from './port-ranges.js';

/**
 * Where a Linux setting is kept across reboots: after 99-sysctl.conf (the
 * link to /etc/sysctl.conf that Debian and Fedora ship), since of two files
 * setting one key the later in name order wins (sysctl.d(5)); a name before
 * it would lose to an older value left in /etc/sysctl.conf.
 */
const sysctlConf = (what: string) => `/etc/sysctl.d/99-tcpdiag-${what}.conf`;

/**
 * Keep ports away from the ephemeral allocator so no client socket can take
 * them. `alreadyReserved`: the Linux list as read (null: not read, as from a
 * paste without it).
 */
export function reservePortsRemedy(os: OsName | null, ports: readonly number[], alreadyReserved: readonly string[] | null = []): string[] {
  if (ports.length === 0) return [];
  const adding = ports.map(String).join(',');
  switch (os) {
    case 'linux': {
      // sysctl -w replaces the whole list, so the ports already reserved are kept in it; a list not read is read
      // where the command runs (an empty one is no prefix: the kernel refuses a leading comma).
      if (alreadyReserved === null) {
        return [
          `cur=$(sysctl -n net.ipv4.ip_local_reserved_ports); sudo sysctl -w net.ipv4.ip_local_reserved_ports="\${cur:+$cur,}${adding}"`,
          `echo "net.ipv4.ip_local_reserved_ports = $(sysctl -n net.ipv4.ip_local_reserved_ports)" | sudo tee ${sysctlConf('reserved-ports')}`,
        ];
      }
      const list = [...alreadyReserved, adding].join(',');
      return [`sudo sysctl -w net.ipv4.ip_local_reserved_ports=${list}`, `echo 'net.ipv4.ip_local_reserved_ports = ${list}' | sudo tee ${sysctlConf('reserved-ports')}`];
    }
    case 'win32':
      // Only succeeds while nothing holds the port (NETSH_PORT_IN_USE); run in an elevated prompt.
      return ports.flatMap((p) => [
        `netsh int ipv4 add excludedportrange protocol=tcp startport=${p} numberofports=1 store=persistent`,
        `netsh int ipv6 add excludedportrange protocol=tcp startport=${p} numberofports=1 store=persistent`,
      ]);
    case 'darwin':
    case 'freebsd': {
      // No per-port reservation: move the start of the ephemeral range above the port.
      const above = Math.max(...ports) + 1;
      return above <= 65535 - 1024 ? [`sudo sysctl -w net.inet.ip.portrange.first=${above}`] : [];
    }
    default:
      return [];
  }
}

/**
 * Why a Windows exclusion is added only once the port is free: netsh refuses
 * one over a port in use. Source: Microsoft's "HADR configuration best
 * practices (SQL Server on Azure VMs)" (learn.microsoft.com, azure-sql/
 * virtual-machines/windows/hadr-cluster-best-practices): "It's important to
 * configure the port exclusion when the port is not in use. Otherwise, the
 * command will fail with a message like 'The process cannot access the file
 * because it is being used by another process.'"
 */
const NETSH_PORT_IN_USE = 'netsh refuses to exclude a port while a socket is on it ("The process cannot access the file because it is being used by another process")';

/**
 * What reserving a port needs said on this OS while `socketsOnPort` sockets
 * are on it, or null when nothing: Windows' netsh refuses the exclusion
 * (NETSH_PORT_IN_USE); Linux's reserved list is read only by the allocator, so
 * it takes a port in use, and macOS and FreeBSD move the range instead.
 */
export function reserveInUseWords(os: OsName | null, socketsOnPort: number): string | null {
  return os === 'win32' && socketsOnPort > 0 ? NETSH_PORT_IN_USE : null;
}

/**
 * A port inside a range a Windows service (WinNAT for Hyper-V, WSL, Docker)
 * reserved: stop WinNAT so it releases its ranges, exclude the port as an
 * administrator (WinNAT then reserves around it), start WinNAT again.
 */
export function releaseExcludedPortRemedy(ports: readonly number[]): string[] {
  return ['net stop winnat', ...reservePortsRemedy('win32', ports), 'net start winnat'];
}

export function setEphemeralRangeRemedy(os: OsName | null, start: number, end: number): string[] {
  switch (os) {
    case 'linux':
      return [
        `sudo sysctl -w net.ipv4.ip_local_port_range="${start} ${end}"`,
        `echo 'net.ipv4.ip_local_port_range = ${start} ${end}' | sudo tee ${sysctlConf('port-range')}`,
      ];
    case 'win32':
      return [
        `netsh int ipv4 set dynamicport tcp start=${start} num=${end - start + 1}`,
        `netsh int ipv6 set dynamicport tcp start=${start} num=${end - start + 1}`,
      ];
    case 'darwin':
    case 'freebsd':
      return [`sudo sysctl -w net.inet.ip.portrange.first=${start} net.inet.ip.portrange.last=${end}`];
    default:
      return [];
  }
}

/** The default ephemeral range per OS: what a too-small or misplaced range is moved back to. */
export const DEFAULT_EPHEMERAL: Record<OsName, { start: number; end: number }> = {
  linux: { start: 32768, end: 60999 },
  darwin: { start: 49152, end: 65535 },
  freebsd: { start: 10000, end: 65535 },
  win32: { start: 49152, end: 65535 },
};

/** The OS's default ephemeral range, for captured output that holds none (sockets and doctor --from). */
export function assumedEphemeralRange(os: OsName): EphemeralRange {
  const d = DEFAULT_EPHEMERAL[os];
  return ephemeral(d.start, d.end, `${os} default (assumed)`);
}

/** Whether a range is one assumedEphemeralRange gave. */
export function isAssumedRange(e: { source: string }): boolean {
  return e.source.endsWith('(assumed)');
}

/** End the process that holds a port. */
export function killProcessRemedy(os: OsName | null, pid: number): string[] {
  if (os === 'win32') return [`taskkill /PID ${pid}`];
  return os ? [`kill ${pid}`] : [];
}

/** Look at a process before ending it: who runs it, since when, with what command line. */
export function showProcessRemedy(os: OsName | null, pid: number): string[] {
  if (os === 'win32') return [`tasklist /v /FI "PID eq ${pid}"`];
  return os ? [`ps -o pid,user,etime,args -p ${pid}`] : [];
}

/**
 * Free a port held by these processes (every holder of one socket): show
 * them, then end them. An OS service is not to be ended: callers ask
 * osServiceOn (os-services.ts) first. On Windows, pid 4 (System) on any other
 * port is the kernel's HTTP.sys, which taskkill cannot end: show what it
 * serves and who reserved URLs; a shared svchost.exe is stopped by its
 * service, which tasklist /svc names.
 */
export function freePortFromProcessesRemedy(os: OsName | null, owners: ReadonlyArray<{ pid: number; process: string | null }>): string[] {
  if (os === null || owners.length === 0) return [];
  if (os === 'win32') {
    return owners.flatMap((o) => {
      if (o.pid === 4) return ['netsh http show servicestate', 'netsh http show urlacl'];
      if (o.pid === 0) return [];
      if (o.process?.toLowerCase() === 'svchost.exe') return [`tasklist /svc /FI "PID eq ${o.pid}"`];
      return [...showProcessRemedy(os, o.pid), ...killProcessRemedy(os, o.pid)];
    });
  }
  const pids = owners.map((o) => o.pid);
  return [`ps -o pid,user,etime,args -p ${pids.join(',')}`, `kill ${pids.join(' ')}`];
}

const SS_STATE: Record<string, string> = {
  ESTABLISHED: 'established', SYN_SENT: 'syn-sent', SYN_RECEIVED: 'syn-recv', FIN_WAIT_1: 'fin-wait-1', FIN_WAIT_2: 'fin-wait-2',
  TIME_WAIT: 'time-wait', CLOSE_WAIT: 'close-wait', LAST_ACK: 'last-ack', CLOSING: 'closing',
};

/**
 * Close one connection and nothing else, where the OS can: Linux `ss -K`
 * (SOCK_DESTROY; needs CONFIG_INET_DIAG_DESTROY, so only when `canClose`),
 * FreeBSD tcpdrop(8). The process that held it sees the connection aborted;
 * a TIME_WAIT socket is simply gone.
 */
export function closeSocketRemedy(os: OsName | null, s: { family: 'ipv4' | 'ipv6'; local: { address: string; port: number }; remote: { address: string; port: number }; state: string }, canClose: boolean | null): string[] {
  const ep = (e: { address: string; port: number }) => (e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`);
  if (os === 'linux' && canClose && SS_STATE[s.state]) {
    return [`sudo ss -K -t -${s.family === 'ipv6' ? 6 : 4} state ${SS_STATE[s.state]} src ${ep(s.local)} dst ${ep(s.remote)}`];
  }
  if (os === 'freebsd' && SS_STATE[s.state]) return [`sudo tcpdrop ${s.local.address} ${s.local.port} ${s.remote.address} ${s.remote.port}`];
  return [];
}

/**
 * Let a server listen below the privileged limit without running it as root,
 * narrowest first (issue #20): the capability on a copy of node that only
 * this service starts, then on node itself (every node script gets it), then
 * the host-wide limit (every program of every user).
 */
/**
 * A socket bound but neither listening nor connected, as the tools show it:
 * Linux reports it as CLOSE, and `ss` lists it only when asked
 * (--bound-inactive, in iproute2 releases newer than Debian 12's 6.1, over
 * the kernel's inet_diag "bound inactive" dump), so the netstat or ss a user runs next shows nothing.
 */
export function boundOnlyWords(os: OsName | null): string {
  return os === 'linux' ? 'bound, neither listening nor connected: `ss -tan` and netstat do not list such a socket (a newer ss lists it with `--bound-inactive`)' : 'bound, neither listening nor connected';
}

export function privilegedPortRemedy(os: OsName | null, port: number): string[] {
  switch (os) {
    case 'linux':
      return [
        `sudo cp "$(readlink -f "$(command -v node)")" /usr/local/bin/node-port${port} && sudo setcap cap_net_bind_service=+ep /usr/local/bin/node-port${port}`,
        `sudo setcap cap_net_bind_service=+ep "$(readlink -f "$(command -v node)")"`,
        `sudo sysctl -w net.ipv4.ip_unprivileged_port_start=${port}`,
      ];
    case 'freebsd':
      return [`sudo sysctl net.inet.ip.portrange.reservedhigh=${port - 1}`];
    default:
      return [];
  }
}

/**
 * Who may listen below the privileged limit on this OS, in words that go with
 * privilegedPortRemedy: Linux grants it to root and to a program with
 * CAP_NET_BIND_SERVICE (capabilities(7)), or to everyone above a lowered
 * ip_unprivileged_port_start; FreeBSD to root, or to everyone above a lowered
 * net.inet.ip.portrange.reservedhigh (the remedy's line there).
 */
export function privilegedPortWords(os: OsName | null): {
  /** "runs as root or has CAP_NET_BIND_SERVICE": what a server that may listen there does. */
  mayListen: string;
  /** What a server of a user other than root gets there. */
  otherUser: string;
  /** privilegedPortRemedy's lines in words, narrowest first; null where it has only one or none. */
  narrowestFirst: string | null;
} {
  if (os === 'linux') {
    return {
      mayListen: 'runs as root or has CAP_NET_BIND_SERVICE',
      otherUser: 'gets EACCES unless it has CAP_NET_BIND_SERVICE (or ip_unprivileged_port_start is lowered)',
      narrowestFirst: 'the capability on a copy of node only this server starts; on node itself it goes to every node script; lowering ip_unprivileged_port_start opens low ports to every program of every user',
    };
  }
  return { mayListen: 'runs as root', otherUser: os === 'freebsd' ? 'gets EACCES unless net.inet.ip.portrange.reservedhigh is lowered' : 'gets EACCES', narrowestFirst: null };
}

/** Shorter system-wide keepalive defaults, for programs that enable keepalive without their own values. */
export function keepaliveDefaultsRemedy(os: OsName | null, v: { idleS: number; intervalS: number; count: number }): string[] {
  // macOS and FreeBSD take milliseconds for the two times.
  if (os === 'darwin' || os === 'freebsd') return [`sudo sysctl -w net.inet.tcp.keepidle=${v.idleS * 1000} net.inet.tcp.keepintvl=${v.intervalS * 1000} net.inet.tcp.keepcnt=${v.count}`];
  // Windows: milliseconds in the registry, elevated prompt; the count is fixed at 10 from Vista on (SIO_KEEPALIVE_VALS remarks).
  if (os === 'win32') return (['KeepAliveTime', 'KeepAliveInterval'] as const).map((name, i) => `reg add "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters" /v ${name} /t REG_DWORD /d ${(i === 0 ? v.idleS : v.intervalS) * 1000} /f`);
  if (os !== 'linux') return [];
  const settings = `net.ipv4.tcp_keepalive_time=${v.idleS} net.ipv4.tcp_keepalive_intvl=${v.intervalS} net.ipv4.tcp_keepalive_probes=${v.count}`;
  return [
    `sudo sysctl -w ${settings}`,
    `printf '%s\\n' ${settings.split(' ').map((s) => `'${s.replace('=', ' = ')}'`).join(' ')} | sudo tee ${sysctlConf('keepalive')}`,
  ];
}

/** Raise the kernel's cap on listen() backlogs. */
export function somaxconnRemedy(os: OsName | null, value: number): string[] {
  switch (os) {
    case 'linux':
      return [`sudo sysctl -w net.core.somaxconn=${value}`, `echo 'net.core.somaxconn = ${value}' | sudo tee ${sysctlConf('somaxconn')}`];
    case 'darwin':
    case 'freebsd':
      return [`sudo sysctl -w kern.ipc.somaxconn=${value}`];
    default:
      return [];
  }
}

/**
 * How long a closed connection keeps its source port in TIME_WAIT, in words
 * for a finding: Linux's fixed 60 s (TCP_TIMEWAIT_LEN); Windows' default,
 * which Microsoft's pages give as 240 s and as 120 s (TcpTimedWaitDelay,
 * WINDOWS-TCPIP-REGISTRY.md); the BSDs' twice the MSL (TCPT_2MSL set to
 * TCPTV_2MSL, 2 * TCPTV_MSL, in 4.4BSD's tcp_input.c / tcp_timer.h, which
 * XNU and FreeBSD keep; the MSL is the net.inet.tcp.msl sysctl). Read in the
 * sources, not measured here (no BSD host).
 */
export function timeWaitHoldWords(os: OsName | null): string {
  if (os === 'linux') return '60 s on Linux';
  if (os === 'win32') return '120 or 240 s by default on Windows, as Microsoft\'s pages disagree; TcpTimedWaitDelay sets it';
  if (os === 'darwin' || os === 'freebsd') return 'twice net.inet.tcp.msl';
  return '60 s on Linux, 2-4 minutes on Windows';
}

/** What connect() fails with once no ephemeral port is left toward a destination: Windows' WSAENOBUFS (KB196271's title), EADDRNOTAVAIL elsewhere. */
export function portsExhaustedError(os: OsName | null): string {
  if (os === 'win32') return 'WSAENOBUFS (10055)';
  if (os === null) return 'EADDRNOTAVAIL (WSAENOBUFS on Windows)';
  return 'EADDRNOTAVAIL';
}

/** Where to see which processes hold CLOSE_WAIT sockets whose owners were not seen: this host's tcpdiag as root, or, for a capture, the capture that names them. */
export function closeWaitOwnersRemedy(os: OsName | null, captured: boolean): string[] {
  if (!captured) return [os === 'win32' ? 'tcpdiag sockets --state CLOSE_WAIT --group-by process' : 'sudo tcpdiag sockets --state CLOSE_WAIT --group-by process'];
  const capture: Record<OsName, string> = { win32: 'netstat -ano', linux: 'sudo ss -tanp state close-wait', darwin: 'sudo lsof -nP -iTCP -sTCP:CLOSE_WAIT', freebsd: 'sockstat -46 -P tcp' };
  return os ? [capture[os]] : [capture.win32, capture.linux];
}

/** What a finding adds about running its range fix: netsh's changes need an elevated prompt on Windows (the Unix fixes carry their own sudo). */
export function rangeFixPrivilegeWords(os: OsName | null): string {
  return os === 'win32' ? '; run the fix in an elevated prompt' : '';
}

