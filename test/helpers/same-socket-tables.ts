// A second table of the same sockets, as another tool of the same host prints
// them: a real capture's rows (test/fixtures) written out the way Linux
// `netstat -tan[p]`, macOS `netstat -an -p tcp` and PowerShell's
// Get-NetTCPConnection print a socket. Pasting a real table and this one
// together is the shape of a user's paste of two commands run one after the
// other (a user trial: `ss -tanp` then `netstat -tanp`).
import { parseCapturedInputs } from '../../src/input/parse-captured.js';
import type { Endpoint, SocketRow } from '../../src/os/sockets.js';

/** The rows a paste's tables hold, in order. */
export async function tableRows(text: string): Promise<SocketRow[]> {
  const c = await parseCapturedInputs({ texts: [{ file: 'fixture', text }], duplicates: [] });
  return c.parts.flatMap((p) => (p.kind === 'table' ? p.table.rows : []));
}

const mapped = (r: SocketRow, address: string) => (r.family === 'ipv6' && !address.includes(':') ? `::ffff:${address}` : address);

function linuxEndpoint(r: SocketRow, e: Endpoint, remote: boolean): string {
  return `${mapped(r, e.address)}:${remote && e.port === 0 ? '*' : e.port}`;
}

function queues(r: SocketRow): [number, number] {
  return r.acceptQueue ? [r.acceptQueue.length, 0] : [r.recvQ ?? 0, r.sendQ ?? 0];
}

/** Linux `netstat -tanp` (`owners`) or `netstat -tan`: one row a socket, its first owner only, "-" where none is seen. */
export function linuxNetstat(rows: readonly SocketRow[], owners: boolean): string {
  const head = `Proto Recv-Q Send-Q Local Address           Foreign Address         State      ${owners ? ' PID/Program name' : ''}`;
  const lines = rows.map((r) => {
    const [recv, send] = queues(r);
    const who = owners ? ` ${r.pid === null ? '-' : `${r.pid}/${r.process ?? ''}`}` : '';
    const proto = r.family === 'ipv6' ? 'tcp6' : 'tcp';
    return `${proto.padEnd(5)} ${String(recv).padStart(6)} ${String(send).padStart(6)} ${linuxEndpoint(r, r.local, false).padEnd(23)} ${linuxEndpoint(r, r.remote, true).padEnd(23)} ${r.state.padEnd(11)}${who}`.trimEnd();
  });
  return ['Active Internet connections (servers and established)', head.trimEnd(), ...lines].join('\n');
}

function bsdEndpoint(e: Endpoint): string {
  const wild = e.address === '0.0.0.0' || e.address === '::';
  return `${wild ? '*' : e.address}.${e.port === 0 ? '*' : e.port}`;
}

/** macOS `netstat -an -p tcp`: no owners; a wildcard IPv6 listener is tcp46 (dual-stack, as macOS opens them). */
export function macNetstat(rows: readonly SocketRow[]): string {
  const lines = rows.map((r) => {
    const [recv, send] = queues(r);
    const proto = r.family === 'ipv4' ? 'tcp4' : r.local.address === '::' ? 'tcp46' : 'tcp6';
    return `${proto.padEnd(6)} ${String(recv).padStart(6)} ${String(send).padStart(6)}  ${bsdEndpoint(r.local).padEnd(22)} ${bsdEndpoint(r.remote).padEnd(22)} ${r.state}`;
  });
  return ['Active Internet connections (including servers)', 'Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)', ...lines].join('\n');
}

const PS_STATES: Record<string, string> = {
  LISTEN: 'Listen',
  SYN_SENT: 'SynSent',
  SYN_RECEIVED: 'SynReceived',
  ESTABLISHED: 'Established',
  FIN_WAIT_1: 'FinWait1',
  FIN_WAIT_2: 'FinWait2',
  CLOSE_WAIT: 'CloseWait',
  CLOSING: 'Closing',
  LAST_ACK: 'LastAck',
  TIME_WAIT: 'TimeWait',
  CLOSED: 'Closed',
  BOUND: 'Bound',
};

/** PowerShell's `Get-NetTCPConnection` table: wildcards as "::" / "0.0.0.0", no brackets, owning PID 0 for nobody's sockets. */
export function getNetTcpConnection(rows: readonly SocketRow[]): string {
  const lines = rows.map((r) =>
    [r.local.address.padEnd(19), String(r.local.port).padEnd(9), r.remote.address.padEnd(19), String(r.remote.port).padEnd(10), PS_STATES[r.state]!.padEnd(11), ''.padEnd(14), String(r.pid ?? 0)].join(' '),
  );
  return ['', 'LocalAddress        LocalPort RemoteAddress       RemotePort State       AppliedSetting OwningProcess', '------------        --------- -------------       ---------- -----       -------------- -------------', ...lines, ''].join('\n');
}
