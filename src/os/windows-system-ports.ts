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
