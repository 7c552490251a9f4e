// The Microsoft pages (and, marked, the few others) behind every statement
// tcpdiag makes about Windows TCP/IP registry values. Ids follow
// WINDOWS-TCPIP-REGISTRY.md; findings cite them by name so a reader can check.

export interface Source {
  title: string;
  url: string;
  /** Not Microsoft product documentation: a blog, a third party. */
  secondary?: true;
}

export const SOURCES = {
  'W2K-TTWD': { title: 'Windows 2000 registry reference, TcpTimedWaitDelay', url: 'http://technet.microsoft.com/library/cc938217' },
  'WS03-TTWD': { title: 'Windows Server 2003 registry reference, TcpTimedWaitDelay', url: 'http://technet.microsoft.com/en-us/library/cc757512.aspx' },
  'BTS-NET': { title: 'BizTalk technical guide, Settings that can be Modified to Improve Network Performance', url: 'https://learn.microsoft.com/en-us/biztalk/technical-guides/settings-that-can-be-modified-to-improve-network-performance' },
  PORTEX: { title: 'Troubleshoot port exhaustion issues', url: 'https://learn.microsoft.com/en-us/windows/client-management/troubleshoot-tcpip-port-exhaust' },
  KB196271: { title: 'KB196271, connecting from TCP ports greater than 5000 (WSAENOBUFS)', url: 'https://support.microsoft.com/kb/196271' },
  KB929851: { title: 'KB929851, the default dynamic port range has changed since Windows Vista', url: 'https://learn.microsoft.com/en-us/troubleshoot/windows-server/networking/default-dynamic-port-range-tcpip-chang' },
  'NMAP-3499': { title: 'nmap PR #3499 (MaxUserPort measured on Windows 11)', url: 'https://github.com/nmap/nmap/pull/3499', secondary: true },
  'W2K-KAT': { title: 'Windows 2000 registry reference, KeepAliveTime', url: 'https://docs.microsoft.com/en-us/previous-versions/windows/it-pro/windows-2000-server/cc957549(v=technet.10)' },
  'W2K-KAI': { title: 'Windows 2000 registry reference, KeepAliveInterval', url: 'https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-2000-server/cc957548(v=technet.10)' },
  'SIO-KA': { title: 'SIO_KEEPALIVE_VALS control code (remarks)', url: 'https://learn.microsoft.com/en-us/windows/win32/winsock/sio-keepalive-vals' },
  'W2K-TMDR': { title: 'Windows 2000 registry reference, TcpMaxDataRetransmissions', url: 'https://technet.microsoft.com/en-us/library/cc938210.aspx' },
  'W2K-TMCR': { title: 'Windows 2000 registry reference, TcpMaxConnectRetransmissions', url: 'https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-2000-server/cc938209(v=technet.10)' },
  'WMI-TNC': { title: 'SetTcpNumConnections method of Win32_NetworkAdapterConfiguration', url: 'https://learn.microsoft.com/en-us/windows/win32/cimwin32prov/settcpnumconnections-method-in-class-win32-networkadapterconfiguration' },
  SMALLVOID: { title: 'smallvoid.com, max limit for concurrent TCP connections', url: 'http://smallvoid.com/article/winnt-tcpip-max-limit.html', secondary: true },
  'W2K-PMTU': { title: 'Windows 2000 registry reference, EnablePMTUDiscovery', url: 'http://technet.microsoft.com/pt-BR/library/cc957539.aspx' },
  NETRO: { title: 'TCP/IP Stack hardening in Operating Systems starting with Windows Vista (Microsoft blog, 2010)', url: 'https://docs.microsoft.com/en-us/archive/blogs/netro/tcpip-stack-hardening-in-operating-systems-starting-with-windows-vista', secondary: true },
  NETTRACER: { title: 'Where have those AFD driver related registry keys gone? (Microsoft blog)', url: 'https://learn.microsoft.com/en-us/archive/blogs/nettracer/where-have-those-afd-driver-related-registry-dynamicbackloggrowthdelta-enabledynamicbacklog-keys-gone', secondary: true },
  'W2K-SAP': { title: 'Windows 2000 registry reference, SynAttackProtect', url: 'http://systemmanager.ru/win2k_regestry.en/58799.htm' },
  'W2K-TMHO': { title: 'Windows 2000 registry reference, TcpMaxHalfOpen', url: 'http://technet.microsoft.com/en-us/library/cc938212.aspx' },
  'WS03-TMHO': { title: 'Windows Server 2003 registry reference, TcpMaxHalfOpen', url: 'http://technet.microsoft.com/en-us/library/cc779982(WS.10).aspx' },
  'W2K-TMHOR': { title: 'Windows 2000 registry reference, TcpMaxHalfOpenRetried', url: 'http://systemmanager.ru/win2k_regestry.en/58808.htm' },
  'WS03-TMHOR': { title: 'Windows Server 2003 registry reference, TcpMaxHalfOpenRetried', url: 'https://technet.microsoft.com/en-us/library/cc779086(v=ws.10).aspx' },
  'W2K-TMPE': { title: 'Windows 2000 registry reference, TcpMaxPortsExhausted', url: 'https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-2000-server/cc938214(v=technet.10)' },
  KB969710: { title: 'KB969710, enable the half-open TCP connections limit in Vista SP2 / Server 2008 SP2', url: 'https://mskb.pkisolutions.com/kb/969710' },
  'NT4-RK': { title: 'Windows NT 4.0 Resource Kit, TCP/IP Transport Entries', url: 'https://techshelps.github.io/MSDN/DNWINNT/HTML/D21/S7BFF.HTM' },
  KB224829: { title: 'KB224829, Description of Windows TCP features', url: 'https://learn.microsoft.com/en-us/troubleshoot/windows-server/networking/description-tcp-features' },
  'WS03-TWS': { title: 'Windows Server 2003 registry reference, TcpWindowSize', url: 'https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-server-2003/cc757802(v=ws.10)' },
  'WMI-TWS': { title: 'SetTcpWindowSize method of Win32_NetworkAdapterConfiguration', url: 'https://learn.microsoft.com/en-us/windows/win32/cimwin32prov/settcpwindowsize-method-in-class-win32-networkadapterconfiguration' },
  'PERF-NIC': { title: 'Network adapter performance tuning in Windows Server (deprecated TCP parameters)', url: 'https://learn.microsoft.com/en-us/windows-server/networking/technologies/network-subsystem/net-sub-performance-tuning-nics' },
  CENGAGE: { title: 'Pyles, Carrell, Tittel, Guide to TCP/IP: IPv6 and IPv4, 5th ed., registry appendix', url: 'https://www.cengage.com/', secondary: true },
  'W2K-MFT': { title: 'Windows 2000 registry reference, MaxFreeTcbs', url: 'http://technet.microsoft.com/en-us/library/cc938178.aspx' },
  KB328890: { title: 'KB328890, New registry entry for controlling the TCP Acknowledgment (ACK) behavior', url: 'https://learn.microsoft.com/en-us/troubleshoot/windows-server/networking/registry-entry-control-tcp-acknowledgment-behavior' },
  'W2K-TDAT': { title: 'Windows 2000 registry reference, TcpDelAckTicks', url: 'https://technet.microsoft.com/en-us/library/cc938206.aspx' },
  'W2K-TIRTT': { title: 'Windows 2000 registry reference, TcpInitialRTT', url: 'http://systemmanager.ru/win2k_regestry.en/58802.htm' },
  KB170359: { title: 'KB170359, How to modify the TCP/IP maximum retransmission time-out', url: 'https://mskb.pkisolutions.com/kb/170359' },
  'PAP-WEBSEC': { title: 'Improving Web Application Security: Threats and Countermeasures (patterns & practices, 2003), AFD.SYS', url: 'http://flylib.com/books/en/1.334.1.519/1/' },
  KB951162: { title: 'KB951162, dynamic backlog settings on Windows Server 2003 and nonpaged pool', url: 'https://mskb.pkisolutions.com/kb/951162' },
  'SMALLVOID-NDIS': { title: 'smallvoid.com, NDIS 5 network features', url: 'http://smallvoid.com/article/winnt-ndis5-network-features.html', secondary: true },
  KB813056: { title: 'KB813056, FIN_WAIT_2 no longer than 300 seconds', url: 'https://mskb.pkisolutions.com/kb/813056' },
  LISTEN: { title: 'listen function (winsock2.h)', url: 'https://learn.microsoft.com/en-us/windows/win32/api/winsock2/nf-winsock2-listen' },
} as const satisfies Record<string, Source>;

export type SourceId = keyof typeof SOURCES;

/** How a finding's message names a source, in words a reader can search for. */
export function sourceName(id: SourceId): string {
  if (id.startsWith('W2K-')) return 'Windows 2000 reference';
  if (id.startsWith('WS03-')) return 'Server 2003 reference';
  if (id.startsWith('KB')) return id;
  if (id.startsWith('WMI-')) return `WMI ${SOURCES[id].title.split(' ')[0]}`;
  return SHORT[id as keyof typeof SHORT] ?? SOURCES[id].title;
}

const SHORT = {
  'BTS-NET': 'BizTalk guide',
  PORTEX: 'port exhaustion page',
  'NMAP-3499': 'nmap PR #3499, third party',
  'SIO-KA': 'SIO_KEEPALIVE_VALS page',
  SMALLVOID: 'smallvoid.com, third party',
  NETRO: 'Microsoft netro blog',
  NETTRACER: 'Microsoft nettracer blog',
  'NT4-RK': 'NT 4.0 Resource Kit',
  'PERF-NIC': 'NIC tuning guide',
  CENGAGE: 'a textbook, third party',
  'PAP-WEBSEC': 'patterns & practices 2003',
  'SMALLVOID-NDIS': 'smallvoid.com, third party',
  LISTEN: 'Winsock listen() page',
} as const;
