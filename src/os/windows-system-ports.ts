// Ports Windows itself listens on from the System process (pid 4) for a
// kernel-mode service other than HTTP.sys. pid 4 usually means HTTP.sys (the
// remedy then shows what it serves: `netsh http show servicestate`), but on
// these ports it is file sharing, which HTTP.sys knows nothing of (a user
// trial: port 445 got the HTTP.sys remedy).
//
// Sources: Microsoft's "Service overview and network port requirements for
// Windows" (KB 832017) lists the Server service (LanmanServer) on TCP 445
// (SMB) and TCP 139 (NetBIOS Session Service); Microsoft's SMB documentation
// names srv2.sys as the kernel-mode SMB server driver, and NetBIOS over
// TCP/IP runs in netbt.sys; kernel drivers' sockets belong to the System
// process. Only ports with such a source are listed: any other pid-4 port
// keeps the HTTP.sys advice.

export interface WindowsSystemService {
  /** What listens there, in words that name the driver and the service. */
  what: string;
  /** What stopping it would cost the host. */
  cost: string;
}

const SERVICES: Record<number, WindowsSystemService> = {
  445: {
    what: "port 445 is SMB's (file and printer sharing): the Windows SMB server driver (srv2.sys), run by the Server service (LanmanServer), listens on it inside the System process",
    cost: 'stopping the Server service ends file and printer sharing for this host and every client of it',
  },
  139: {
    what: "port 139 is the NetBIOS session service's: NetBIOS over TCP/IP (netbt.sys) listens on it inside the System process for SMB over NetBIOS (older file and printer sharing)",
    cost: 'turning NetBIOS over TCP/IP off ends file sharing with clients that still use it',
  },
};

/** The kernel service behind pid 4 on this port, when it is not HTTP.sys; null otherwise. */
export function windowsSystemService(port: number): WindowsSystemService | null {
  return SERVICES[port] ?? null;
}

/** What a pid-4 holder of such a port is, and what to do instead of freeing it. */
export function windowsSystemServiceWords(s: WindowsSystemService): string {
  return `${s.what}. That is Windows itself, not a program to end: give your server another port (${s.cost})`;
}

// Processes of Windows itself, known by the image name a socket table prints
// (netstat -b's "[lsass.exe]", a live run's Toolhelp names), and listeners
// Windows' RPC runtime places in the dynamic port range (a user trial:
// `taskkill /PID 484` for lsass.exe on 49156, and doctor's persistent
// exclusions for 49664-49671).
//
// Sources:
// - Critical processes: Microsoft's "Bug Check 0xEF: CRITICAL_PROCESS_DIED"
//   (learn.microsoft.com, windows-hardware/drivers/debugger): "A critical
//   process forces the system to bug check if the system terminates", and
//   "Built-in Windows critical system services include csrss.exe,
//   wininit.exe, logonui.exe, smss.exe, services.exe, conhost.exe, and
//   winlogon.exe". conhost.exe is left out here: one runs per console window
//   and none listens. lsass.exe is not on that page; it is listed here on the
//   brief's word (the trial's lsass on 49156) and not claimed in the text
//   beyond "a process of Windows itself".
// - The dynamic range and RPC: KB 929851 ("The default dynamic port range for
//   TCP/IP has changed since Windows Vista and in Windows Server 2008"):
//   start 49152, end 65535, and RPC communication between servers uses that
//   range. Microsoft's RPC documentation ("Configuring the Registry for Port
//   Allocations and Selective Binding"): "Ports allocated to a process remain
//   allocated until that process dies", so such an endpoint gets a new port
//   when its process starts again (at the next boot for these processes).
// - svchost.exe and spoolsv.exe: KB 832017 ("Service overview and network
//   port requirements for Windows") lists Windows services hosted in
//   svchost.exe and the Print Spooler (spoolsv.exe) with RPC's dynamic ports.

/** Windows' default dynamic (ephemeral) port range since Vista and Server 2008 (KB 929851). */
export const WINDOWS_DYNAMIC_RANGE = { start: 49152, end: 65535 } as const;

const CRITICAL = new Set(['csrss.exe', 'wininit.exe', 'winlogon.exe', 'smss.exe', 'services.exe', 'logonui.exe', 'lsass.exe']);
const SERVICE_HOSTS = new Set(['svchost.exe', 'spoolsv.exe']);

/** "critical" for a process Windows cannot run without, "service" for a host of Windows services, null for any other or an unknown name. */
export function windowsSystemProcess(process: string | null): 'critical' | 'service' | null {
  const name = process?.toLowerCase() ?? null;
  if (name === null) return null;
  if (CRITICAL.has(name)) return 'critical';
  return SERVICE_HOSTS.has(name) ? 'service' : null;
}

/** Why a critical Windows process is not to be ended, and what to do instead. */
export function windowsCriticalProcessWords(process: string, port: number, range: { start: number; end: number }): string {
  const rpc = port >= range.start && port <= range.end ? `; its port in the dynamic range (${range.start}-${range.end}) is an RPC endpoint that Windows assigns anew at each boot` : '';
  return `${process} is a process of Windows itself: ending it makes Windows stop with a bug check (CRITICAL_PROCESS_DIED) or restart${rpc}. Do not end it: give your server a port outside the dynamic range, or keep the port out of the range (set the dynamic range elsewhere, or exclude the port while nothing holds it, as after a reboot before the endpoint takes it)`;
}

/** A listener in the dynamic range whose process name the capture does not give. */
export function windowsDynamicListenerWords(pid: number, range: { start: number; end: number }): string {
  return `a listener in Windows' dynamic port range (${range.start}-${range.end}) is often an RPC endpoint of a process of Windows itself (wininit.exe, lsass.exe, services.exe, a svchost.exe service), which must not be ended and which gets a new port at each boot: look at pid ${pid} first (the fix), and end it (taskkill /PID ${pid}) only if it is a program of yours; otherwise give your server a port outside the dynamic range`;
}

/** A connection (not a listener) of pid 4, the System process. */
export const WINDOWS_KERNEL_CLIENT_WORDS =
  'pid 4 is the System process: this connection belongs to a kernel-mode driver (the SMB client reaching a file share, for instance), not to a program, so there is nothing to end with taskkill, and HTTP.sys lists (netsh http show servicestate) show only listeners. The port is free again when the connection closes; give your server a port outside the dynamic range meanwhile';

/**
 * A socket netstat files under PID 0. Source: the System Idle Process is the
 * row tasklist prints with PID 0 (test/fixtures/windows-tasklist, SOURCES):
 * it runs no program. netstat -ano also files TIME_WAIT sockets, whose
 * process has closed them, under PID 0 (test/fixtures/windows-netstat,
 * zh-cn-ano.txt). No Microsoft page was found that
 * says when a listener is filed there, so the text says what is known: no
 * program owns it, nothing can be ended, and a restart frees every socket.
 */
export function windowsPidZeroWords(port: number): string {
  return `netstat shows PID 0 for it: that is the System Idle Process, which runs no program, so no process holds the socket that taskkill could end (its owner has most likely exited, or it is the kernel's). Look again in a while (the fix); if it stays, restarting Windows frees it, or give your server another port than ${port}`;
}
